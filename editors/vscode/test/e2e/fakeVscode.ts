// A stand-in for the `vscode` module, enough to run the extension's activate() and the real
// vscode-languageclient against the real server in plain node. Every name the real API exports
// exists (taken from @types/vscode); the ones activation depends on behave, the rest are inert
// stubs that accept any call.

import { EventEmitter as NodeEmitter } from "node:events";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { pathToFileURL } from "node:url";

type AnyFn = (...args: unknown[]) => unknown;

/** Where the end-to-end tests find the repository, its example packs and the server's Python. */
export const repo = path.resolve(__dirname, "../../../../..");
export const packs = path.join(repo, "packs");
export const venvPython = path.join(repo, ".venv", "bin", "python");

/** The extension module as the tests load it (through the stand-in `vscode`). */
export interface ExtensionModule {
  activate(context: { subscriptions: { dispose(): unknown }[] }): Promise<void>;
  deactivate(): Promise<void>;
}

/** A value that can be called, constructed, extended and dotted into, forever. */
export function inert(name = "stub"): AnyFn {
  const cache = new Map<PropertyKey, unknown>();
  const target = function () {} as unknown as AnyFn;
  const proxy: AnyFn = new Proxy(target, {
    get(t, key) {
      if (key === "prototype") {
        return (t as unknown as { prototype: object }).prototype;
      }
      if (key === "then") {
        return undefined; // never look like a promise
      }
      if (key === Symbol.iterator) {
        return function* () {};
      }
      if (key === Symbol.toPrimitive) {
        return () => 0;
      }
      if (!cache.has(key)) {
        cache.set(key, inert(`${name}.${String(key)}`));
      }
      return cache.get(key);
    },
    apply: () => disposableStub(),
    construct: () => ({}),
  });
  return proxy;
}

/** A namespace whose listed members behave and whose other members are inert stubs. */
function withFallback<T extends object>(obj: T, name: string): T {
  const extra = new Map<PropertyKey, unknown>();
  return new Proxy(obj, {
    get(t, key, receiver) {
      if (key in t || typeof key === "symbol") {
        return Reflect.get(t, key, receiver);
      }
      if (!extra.has(key)) {
        extra.set(key, inert(`${name}.${String(key)}`));
      }
      return extra.get(key);
    },
  });
}

function disposableStub(): { dispose(): void } {
  return { dispose: () => undefined };
}

/** `vscode.Event<T>` backed by a node EventEmitter. */
export class Emitter<T> {
  private readonly emitter = new NodeEmitter();
  readonly event = (listener: (e: T) => unknown) => {
    this.emitter.on("e", listener);
    return { dispose: () => this.emitter.off("e", listener) };
  };
  fire(value: T): void {
    this.emitter.emit("e", value);
  }
  dispose(): void {
    this.emitter.removeAllListeners();
  }
}

export class Uri {
  private constructor(
    readonly scheme: string,
    readonly authority: string,
    readonly path: string,
    readonly query: string,
    readonly fragment: string,
  ) {}
  static file(p: string): Uri {
    return new Uri("file", "", p, "", "");
  }
  static parse(value: string): Uri {
    const url = new URL(value);
    return new Uri(url.protocol.replace(/:$/, ""), url.host, decodeURIComponent(url.pathname), url.search.replace(/^\?/, ""), url.hash.replace(/^#/, ""));
  }
  static from(c: { scheme: string; authority?: string; path?: string; query?: string; fragment?: string }): Uri {
    return new Uri(c.scheme, c.authority ?? "", c.path ?? "", c.query ?? "", c.fragment ?? "");
  }
  static joinPath(base: Uri, ...parts: string[]): Uri {
    return new Uri(base.scheme, base.authority, path.posix.join(base.path, ...parts), "", "");
  }
  get fsPath(): string {
    return this.path;
  }
  with(change: { scheme?: string; path?: string }): Uri {
    return new Uri(change.scheme ?? this.scheme, this.authority, change.path ?? this.path, this.query, this.fragment);
  }
  toString(): string {
    return this.scheme === "file" ? pathToFileURL(this.path).href : `${this.scheme}://${this.authority}${this.path}`;
  }
  toJSON(): object {
    return { scheme: this.scheme, path: this.path };
  }
}

export interface FakeOptions {
  folder: string;
  trusted: boolean;
  /** User settings, by full key (`packls.server.path`). */
  settings: Record<string, unknown>;
  /** Workspace settings, by full key; `get` prefers them, as VS Code does when it ignores nothing. */
  workspaceSettings?: Record<string, unknown>;
  manifests: string[];
  /** Let the client trace every message into the log ("packls Trace" at VS Code's Trace level). */
  traceMessages?: boolean;
}

const LOG_LEVEL = { Off: 0, Trace: 1, Debug: 2, Info: 3, Warning: 4, Error: 5 };

/** A section's value the way VS Code builds it: the key itself, else an object of its sub-keys. */
function sectionValue(scopes: Record<string, unknown>[], key: string): unknown {
  for (const scope of scopes) {
    if (scope[key] !== undefined) {
      return scope[key];
    }
  }
  const nested: Record<string, unknown> = {};
  for (const scope of [...scopes].reverse()) {
    for (const [full, value] of Object.entries(scope)) {
      if (key === "" || full.startsWith(`${key}.`)) {
        const parts = (key === "" ? full : full.slice(key.length + 1)).split(".");
        let node = nested;
        for (const part of parts.slice(0, -1)) {
          node = (node[part] ??= {}) as Record<string, unknown>;
        }
        node[parts[parts.length - 1]] = value;
      }
    }
  }
  return Object.keys(nested).length > 0 ? nested : undefined;
}

export interface FakeState {
  commands: Map<string, AnyFn>;
  errors: string[];
  warnings: string[];
  infos: string[];
  contexts: Map<string, unknown>;
  statusItems: { text: string; detail?: string; severity?: unknown }[];
  log: string[];
  contentProviders: Map<string, { provideTextDocumentContent(uri: Uri): string }>;
  executed: { command: string; args: unknown[] }[];
  /** Open this file in an editor (didOpen goes to the client) with the cursor at line/character. */
  setActiveEditor(file: string, line: number, character: number): void;
}

function logChannel(state: FakeState, name: string, logLevel = 2) {
  const write = (level: string) => (message: string) => {
    state.log.push(`[${name}] ${level} ${message}`);
  };
  return {
    name,
    logLevel,
    onDidChangeLogLevel: new Emitter<number>().event,
    append: write("append"),
    appendLine: write("line"),
    replace: write("replace"),
    clear: () => undefined,
    show: () => undefined,
    hide: () => undefined,
    dispose: () => undefined,
    trace: write("trace"),
    debug: write("debug"),
    info: write("info"),
    warn: write("warn"),
    error: (message: string | Error) => write("error")(String(message)),
  };
}

/** The names the real `vscode` module exports, from its type declarations. */
function exportedNames(): string[] {
  const dts = readFileSync(require.resolve("@types/vscode/index.d.ts"), "utf8");
  const names = new Set<string>();
  for (const match of dts.matchAll(/^\t?export (?:class|enum|namespace|const|function|let) ([A-Za-z_]\w*)/gm)) {
    names.add(match[1]);
  }
  return [...names];
}

export function createFakeVscode(options: FakeOptions): { module: object; state: FakeState } {
  const state = {
    commands: new Map(),
    errors: [],
    warnings: [],
    infos: [],
    contexts: new Map(),
    statusItems: [],
    log: [],
    contentProviders: new Map(),
    executed: [],
  } as unknown as FakeState;
  const folderUri = Uri.file(options.folder);
  const configuration = (section?: string) => {
    const prefix = section ? `${section}.` : "";
    const workspaceSettings = options.workspaceSettings ?? {};
    const lookup = (key: string) => sectionValue([workspaceSettings, options.settings], prefix + key);
    return {
      get: (key: string, fallback?: unknown) => lookup(key) ?? fallback,
      has: (key: string) => lookup(key) !== undefined,
      inspect: (key: string) => ({
        key: prefix + key,
        globalValue: sectionValue([options.settings], prefix + key),
        workspaceValue: sectionValue([workspaceSettings], prefix + key),
      }),
      update: async () => undefined,
    };
  };
  const opened = new Emitter<unknown>();
  const workspace = {
    workspaceFolders: [{ uri: folderUri, name: path.basename(options.folder), index: 0 }],
    name: path.basename(options.folder),
    isTrusted: options.trusted,
    textDocuments: [],
    notebookDocuments: [],
    getConfiguration: configuration,
    getWorkspaceFolder: () => ({ uri: folderUri, name: path.basename(options.folder), index: 0 }),
    findFiles: async () => options.manifests.map((m) => Uri.file(m)),
    asRelativePath: (p: Uri | string) => path.relative(options.folder, typeof p === "string" ? p : p.fsPath),
    createFileSystemWatcher: () => ({
      onDidCreate: new Emitter().event,
      onDidChange: new Emitter().event,
      onDidDelete: new Emitter().event,
      dispose: () => undefined,
    }),
    registerTextDocumentContentProvider: (scheme: string, provider: { provideTextDocumentContent(uri: Uri): string }) => {
      state.contentProviders.set(scheme, provider);
      return disposableStub();
    },
    onDidChangeConfiguration: new Emitter().event,
    onDidGrantWorkspaceTrust: new Emitter().event,
    onDidChangeWorkspaceFolders: new Emitter().event,
    onDidOpenTextDocument: opened.event,
    onDidCloseTextDocument: new Emitter().event,
    onDidChangeTextDocument: new Emitter().event,
    onDidSaveTextDocument: new Emitter().event,
    onWillSaveTextDocument: new Emitter().event,
    onDidCreateFiles: new Emitter().event,
    onDidRenameFiles: new Emitter().event,
    onDidDeleteFiles: new Emitter().event,
    onWillCreateFiles: new Emitter().event,
    onWillRenameFiles: new Emitter().event,
    onWillDeleteFiles: new Emitter().event,
    onDidOpenNotebookDocument: new Emitter().event,
    onDidCloseNotebookDocument: new Emitter().event,
    onDidChangeNotebookDocument: new Emitter().event,
    onDidSaveNotebookDocument: new Emitter().event,
  };
  const window = {
    createOutputChannel: (name: string) =>
      options.traceMessages ? logChannel(state, name, name.endsWith("Trace") ? LOG_LEVEL.Trace : LOG_LEVEL.Info) : logChannel(state, name),
    showErrorMessage: async (message: string) => {
      state.errors.push(message);
      return undefined;
    },
    showWarningMessage: async (message: string) => {
      state.warnings.push(message);
      return undefined;
    },
    showInformationMessage: async (message: string) => {
      state.infos.push(message);
      return undefined;
    },
    visibleTextEditors: [],
    activeTextEditor: undefined,
    tabGroups: { all: [], onDidChangeTabs: new Emitter().event, onDidChangeTabGroups: new Emitter().event },
    onDidChangeVisibleTextEditors: new Emitter().event,
    onDidChangeActiveTextEditor: new Emitter().event,
    onDidChangeVisibleNotebookEditors: new Emitter().event,
    visibleNotebookEditors: [],
    createTerminal: () => ({ show: () => undefined, dispose: () => undefined }),
  };
  const languages = {
    createLanguageStatusItem: () => {
      const item = { text: "", detail: undefined as string | undefined, severity: undefined as unknown, name: "", command: undefined as unknown, dispose: () => undefined };
      state.statusItems.push(item);
      return item;
    },
    createDiagnosticCollection: () => ({ set: () => undefined, delete: () => undefined, clear: () => undefined, dispose: () => undefined, forEach: () => undefined, get: () => [] }),
    // Enough for the client's document filters: YAML files on disk match.
    match: (_selector: unknown, document: { languageId?: string; uri?: Uri }) =>
      document.languageId === "yaml" && document.uri?.scheme === "file" ? 10 : 0,
    getLanguages: async () => ["yaml"],
    onDidChangeDiagnostics: new Emitter().event,
  };
  const commands = {
    registerCommand: (name: string, fn: AnyFn) => {
      state.commands.set(name, fn);
      return disposableStub();
    },
    executeCommand: async (name: string, ...args: unknown[]) => {
      state.executed.push({ command: name, args });
      if (name === "setContext") {
        state.contexts.set(String(args[0]), args[1]);
      }
      return undefined;
    },
    getCommands: async () => [...state.commands.keys()],
  };
  const concrete: Record<string, unknown> = {
    Uri,
    EventEmitter: Emitter,
    Disposable: class {
      static from(...items: { dispose(): unknown }[]) {
        return { dispose: () => items.forEach((i) => i.dispose()) };
      }
      constructor(private readonly fn: () => unknown) {}
      dispose() {
        this.fn();
      }
    },
    workspace: withFallback(workspace, "workspace"),
    window: withFallback(window, "window"),
    languages: withFallback(languages, "languages"),
    commands: withFallback(commands, "commands"),
    extensions: withFallback({ getExtension: () => undefined, all: [], onDidChange: new Emitter().event }, "extensions"),
    env: withFallback({ language: "en", appName: "Visual Studio Code", machineId: "fake", uriScheme: "vscode", openExternal: async () => true }, "env"),
    version: "1.100.0",
    LanguageStatusSeverity: { Information: 0, Warning: 1, Error: 2 },
    ViewColumn: { Active: -1, Beside: -2, One: 1 },
    Position: class {
      constructor(readonly line: number, readonly character: number) {}
    },
  };
  if (options.traceMessages) {
    concrete.LogLevel = LOG_LEVEL;
  }
  state.setActiveEditor = (file: string, line: number, character: number) => {
    const text = readFileSync(file, "utf8");
    const lines = text.split("\n");
    const document = {
      uri: Uri.file(file),
      fileName: file,
      languageId: "yaml",
      version: 1,
      getText: () => text,
      isClosed: false,
      isDirty: false,
      isUntitled: false,
      eol: 1,
      lineCount: lines.length,
      lineAt: (n: number) => ({ text: lines[n] ?? "" }),
    };
    const PositionClass = concrete.Position as new (l: number, c: number) => unknown;
    (workspace.textDocuments as unknown[]).push(document);
    opened.fire(document);
    (window as Record<string, unknown>).activeTextEditor = { document, selection: { active: new PositionClass(line, character) } };
  };
  const names = new Set([...exportedNames(), ...Object.keys(concrete)]);
  const stubs = new Map<string, unknown>();
  const value = (key: string) => {
    if (key in concrete) {
      return concrete[key];
    }
    if (!stubs.has(key)) {
      stubs.set(key, inert(`vscode.${key}`));
    }
    return stubs.get(key);
  };
  const module = new Proxy({} as Record<string, unknown>, {
    get: (_t, key) => (typeof key === "string" ? value(key) : undefined),
    has: (_t, key) => typeof key === "string" && names.has(key),
    ownKeys: () => [...names],
    getOwnPropertyDescriptor: (_t, key) =>
      typeof key === "string" && names.has(key) ? { configurable: true, enumerable: true, value: value(key) } : undefined,
  });
  return { module, state };
}
