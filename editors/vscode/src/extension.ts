// VS Code glue: starts the packls language server for pack YAML files and adds the commands.
// The decisions (which server, which files, which settings) live in plain modules that the
// unit tests cover; this file only wires them to the VS Code API.

import * as path from "node:path";
import * as vscode from "vscode";
import {
  HoverRequest,
  LanguageClient,
  RevealOutputChannelOn,
  State,
  type Executable,
  type LanguageClientOptions,
} from "vscode-languageclient/node";
import { shellQuote, syncDetectCommand, validateCommand, type CommandLine } from "./commands";
import { describeFailure, discoverServer, serverEnvironment, type DiscoveryResult, type ServerCommand } from "./discovery";
import { EXPLAIN_COMMAND, explainLink, explainPosition, explanationDocument, isExplainable, type HoverLike } from "./explain";
import { bundledLauncher, nodeDiscoveryEnv } from "./nodeEnv";
import { documentSelector, MANIFEST_GLOB, owningPack, packRoots } from "./packs";
import { gated, RequestGate } from "./requestGate";
import { answerForServer, needsRestart, readLaunchSettings, readServerSettings } from "./settings";
import { SettingTraceChannel } from "./traceChannel";

const EXPLAIN_SCHEME = "packls-explain";
/** The server's full explanation at a position (`packls/explain`); older servers only have the hover. */
const EXPLAIN_REQUEST = "packls/explain";

interface PythonExtensionApi {
  environments?: {
    getActiveEnvironmentPath(resource?: vscode.Uri): { id: string; path: string };
    resolveEnvironment(env: { id: string; path: string }): Promise<{ executable: { uri?: vscode.Uri } } | undefined>;
    onDidChangeActiveEnvironmentPath?: vscode.Event<unknown>;
  };
  settings?: { getExecutionDetails(resource?: vscode.Uri): { execCommand?: string[] } };
}

async function pythonExtensionApi(): Promise<PythonExtensionApi | undefined> {
  const extension = vscode.extensions.getExtension<PythonExtensionApi>("ms-python.python");
  if (!extension) {
    return undefined;
  }
  try {
    return extension.isActive ? extension.exports : await extension.activate();
  } catch {
    return undefined;
  }
}

/** The interpreter selected in the Python extension, when it is installed. */
async function pythonExtensionInterpreter(): Promise<string | undefined> {
  const api = await pythonExtensionApi();
  const resource = vscode.workspace.workspaceFolders?.[0]?.uri;
  try {
    if (api?.environments) {
      const active = api.environments.getActiveEnvironmentPath(resource);
      const resolved = await api.environments.resolveEnvironment(active);
      return resolved?.executable.uri?.fsPath ?? active.path;
    }
    return api?.settings?.getExecutionDetails(resource).execCommand?.[0];
  } catch {
    return undefined;
  }
}

class ExplanationProvider implements vscode.TextDocumentContentProvider {
  private readonly documents = new Map<string, string>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.documents.get(uri.toString()) ?? "";
  }

  show(uri: vscode.Uri, text: string): void {
    this.documents.set(uri.toString(), text);
    this.changed.fire(uri);
  }
}

class Packls implements vscode.Disposable {
  readonly output = vscode.window.createOutputChannel("packls", { log: true });
  readonly trace = new SettingTraceChannel("packls Trace", () => vscode.workspace.getConfiguration("packls").get("trace.server"));
  readonly status = vscode.languages.createLanguageStatusItem("packls.status", { language: "yaml" });
  readonly explanations = new ExplanationProvider();
  client: LanguageClient | undefined;
  private gate: RequestGate | undefined;
  discovery: DiscoveryResult | undefined;
  private roots: string[] = [];
  private restartTimer: NodeJS.Timeout | undefined;
  private queue: Promise<void> = Promise.resolve();

  constructor(private readonly extensionPath?: string) {
    this.status.name = "packls";
    this.status.text = "packls";
    this.status.command = { title: "Show Output", command: "packls.showOutput" };
  }

  private folders(): string[] {
    return (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === "file").map((f) => f.uri.fsPath);
  }

  /** Serialise start/stop so that quick setting changes never run two servers. */
  private enqueue(job: () => Promise<void>): Promise<void> {
    this.queue = this.queue.then(job, job).catch((error: unknown) => {
      this.output.error(`packls: ${String(error)}`);
    });
    return this.queue;
  }

  async discover(): Promise<DiscoveryResult> {
    const trusted = vscode.workspace.isTrusted;
    const launch = readLaunchSettings(vscode.workspace.getConfiguration("packls"), trusted);
    const env = nodeDiscoveryEnv({
      workspaceFolders: this.folders(),
      trusted,
      pythonExtensionInterpreter,
      bundledLauncher: bundledLauncher(this.extensionPath),
    });
    this.discovery = await discoverServer(launch, env);
    return this.discovery;
  }

  start(): Promise<void> {
    return this.enqueue(() => this.doStart());
  }

  restart(): Promise<void> {
    const closed = this.gate?.close();
    return this.enqueue(async () => {
      await closed;
      await this.doStop();
      await this.doStart();
    });
  }

  /** Restart once after a burst of events (several settings saved at once, a pack tree copied in). */
  scheduleRestart(reason: string): void {
    if (this.restartTimer) {
      clearTimeout(this.restartTimer);
    }
    this.restartTimer = setTimeout(() => {
      this.restartTimer = undefined;
      this.output.info(`Restarting the server: ${reason}`);
      void this.restart();
    }, 300);
  }

  async packRootsChanged(): Promise<boolean> {
    return (await this.findRoots()).join("\n") !== this.roots.join("\n");
  }

  private async findRoots(): Promise<string[]> {
    const manifests = await vscode.workspace.findFiles(MANIFEST_GLOB, "**/node_modules/**");
    return packRoots(manifests.filter((u) => u.scheme === "file").map((u) => u.fsPath));
  }

  private async doStart(): Promise<void> {
    const result = await this.discover();
    if (!result.ok) {
      this.setStatus("error", "no server", describeFailure(result));
      this.output.error(describeFailure(result));
      void vscode.window
        .showErrorMessage(`${result.message} ${result.fix}`, "Open Settings", "Show Output")
        .then((choice) => {
          if (choice === "Open Settings") {
            void vscode.commands.executeCommand("workbench.action.openSettings", "packls.server");
          } else if (choice === "Show Output") {
            this.output.show();
          }
        });
      return;
    }
    const server = result.server;
    this.output.info(`Starting ${server.description}`);
    this.roots = await this.findRoots();
    this.output.info(`Pack roots: ${this.roots.length > 0 ? this.roots.join(", ") : "(none yet)"}`);

    const folders = this.folders();
    const own: { gate?: RequestGate } = {}; // this client's gate, made with the client below
    const whenRunningNow = () => own.gate?.open() ?? Promise.resolve(false);
    const whenRunning = gated(whenRunningNow);
    const executable: Executable = {
      command: server.command,
      args: server.args,
      options: { cwd: folders[0], env: serverEnvironment(process.env) },
    };
    const clientOptions: LanguageClientOptions = {
      documentSelector: documentSelector(this.roots, (base, glob) => ({ baseUri: vscode.Uri.file(base).toString(), pattern: glob })),
      outputChannel: this.output,
      traceOutputChannel: this.trace,
      revealOutputChannelOn: RevealOutputChannelOn.Never,
      initializationOptions: () => readServerSettings(vscode.workspace.getConfiguration("packls"), vscode.workspace.isTrusted),
      synchronize: { configurationSection: "packls" },
      markdown: { isTrusted: false, supportHtml: false },
      middleware: {
        // Requests wait until the server runs and get nothing if it stops first (see requestGate.ts).
        provideCodeActions: whenRunning,
        provideCompletionItem: whenRunning,
        provideDefinition: whenRunning,
        provideReferences: whenRunning,
        provideDocumentSymbols: whenRunning,
        provideWorkspaceSymbols: whenRunning,
        provideInlayHints: whenRunning,
        // A runtime_version hover ends with a link to its whole explanation (the explain page).
        provideHover: async (document, position, token, next) => {
          if (!(await whenRunningNow())) {
            return undefined;
          }
          const hover = await next(document, position, token);
          if (!hover || !isExplainable(document.lineAt(position.line).text)) {
            return hover;
          }
          const link = new vscode.MarkdownString(explainLink(document.uri.toString(), position.line, position.character));
          link.isTrusted = { enabledCommands: [EXPLAIN_COMMAND] };
          return new vscode.Hover([...hover.contents, link], hover.range);
        },
        workspace: {
          // The section as the server should see it: no nulls (its defaults apply), no extension-only
          // keys, and in an untrusted workspace no workspace database or extra catalog paths.
          configuration: async (params, token, next) => {
            const answer = await next(params, token);
            if (!Array.isArray(answer)) {
              return answer;
            }
            const trusted = vscode.workspace.isTrusted;
            return answer.map((item: unknown, i) => {
              const asked = params.items[i];
              const scope = asked?.scopeUri ? vscode.Uri.parse(asked.scopeUri) : undefined;
              return answerForServer(asked?.section, item, vscode.workspace.getConfiguration("packls", scope), trusted);
            });
          },
          // The notification would carry the unfiltered section; untrusted, send none: the server pulls it.
          didChangeConfiguration: (sections, next) => next(vscode.workspace.isTrusted ? sections : undefined),
        },
      },
    };
    const client = new LanguageClient("packls", "packls", executable, clientOptions);
    own.gate = new RequestGate(client);
    this.gate = own.gate;
    client.onDidChangeState((e) => {
      const running = e.newState === State.Running;
      void vscode.commands.executeCommand("setContext", "packls.active", running);
      if (e.newState === State.Stopped && this.client === client) {
        this.setStatus("warning", "stopped", "The packls server stopped. Run 'packls: Restart Server'.");
      }
    });
    this.client = client;
    try {
      await client.start();
      const info = client.initializeResult?.serverInfo;
      this.setStatus("ok", info?.version ? `${info.version}` : "ready", server.description);
    } catch (error) {
      this.setStatus("error", "failed", `The packls server did not start: ${String(error)}`);
      void vscode.window
        .showErrorMessage(`packls: the server did not start (${server.description}). See the output for details.`, "Show Output")
        .then((choice) => choice && this.output.show());
    }
  }

  private async doStop(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    if (client) {
      try {
        await client.stop(3000);
      } catch (error) {
        this.output.warn(`Stopping the server: ${String(error)}`);
      }
      await client.dispose().catch(() => undefined);
    }
  }

  private setStatus(kind: "ok" | "warning" | "error", text: string, detail: string): void {
    this.status.text = `packls: ${text}`;
    this.status.detail = detail;
    this.status.severity =
      kind === "ok"
        ? vscode.LanguageStatusSeverity.Information
        : kind === "warning"
          ? vscode.LanguageStatusSeverity.Warning
          : vscode.LanguageStatusSeverity.Error;
  }

  /** A packls subcommand in a terminal, with the same executable the server uses. */
  runInTerminal(name: string, line: CommandLine): void {
    this.output.info(`${name}: ${shellQuote(line)}`);
    const terminal = vscode.window.createTerminal({
      name,
      shellPath: line.command,
      shellArgs: line.args,
      cwd: this.folders()[0],
      env: { PYTHONSAFEPATH: "1" },
    });
    terminal.show();
  }

  async serverForCommand(): Promise<ServerCommand | undefined> {
    const result = this.discovery?.ok ? this.discovery : await this.discover();
    if (!result.ok) {
      void vscode.window.showErrorMessage(`${result.message} ${result.fix}`);
      return undefined;
    }
    return result.server;
  }

  /** The explain page for the cursor, or for a position a hover's link names. */
  async explainAtCursor(uriText?: unknown, lineArg?: unknown, characterArg?: unknown): Promise<void> {
    const editor = vscode.window.activeTextEditor;
    const linked = typeof uriText === "string" && typeof lineArg === "number" && typeof characterArg === "number";
    const document = linked
      ? await vscode.workspace.openTextDocument(vscode.Uri.parse(uriText))
      : editor?.document;
    if (!document) {
      void vscode.window.showInformationMessage("packls: open an action or sensor file and put the cursor on its runtime_version.");
      return;
    }
    if (document.uri.scheme !== "file" || owningPack(document.uri.fsPath, this.roots) === undefined) {
      void vscode.window.showInformationMessage("packls: this file is not inside a pack (no pack.yaml above it).");
      return;
    }
    const client = this.client;
    if (!client || !client.isRunning()) {
      void vscode.window.showWarningMessage("packls: the server is not running. Run 'packls: Restart Server'.");
      return;
    }
    const cursor = linked ? new vscode.Position(lineArg, characterArg) : editor!.selection.active;
    const line = document.lineAt(cursor.line).text;
    const position = new vscode.Position(cursor.line, explainPosition(line, cursor.character));
    const params = client.code2ProtocolConverter.asTextDocumentPositionParams(document, position);
    let hover: HoverLike | null;
    try {
      const full = await client.sendRequest<{ kind: string; value: string } | null>(EXPLAIN_REQUEST, params);
      hover = full ? { contents: full } : null;
    } catch {
      hover = await client.sendRequest(HoverRequest.type, params); // a server without packls/explain
    }
    const label = vscode.workspace.asRelativePath(document.uri);
    const uri = vscode.Uri.from({
      scheme: EXPLAIN_SCHEME,
      path: `/${path.basename(document.uri.fsPath)}-line-${cursor.line + 1}.md`,
    });
    this.explanations.show(uri, explanationDocument(label, cursor.line, hover));
    try {
      await vscode.commands.executeCommand("markdown.showPreviewToSide", uri);
    } catch {
      const doc = await vscode.workspace.openTextDocument(uri);
      await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.Beside, preview: true });
    }
  }

  /** The channels and the status item; only after the server has stopped (it logs while stopping). */
  dispose(): void {
    this.cancelRestart();
    this.status.dispose();
    this.output.dispose();
    this.trace.dispose();
  }

  cancelRestart(): void {
    if (this.restartTimer) {
      clearTimeout(this.restartTimer);
      this.restartTimer = undefined;
    }
  }

  stop(): Promise<void> {
    this.cancelRestart();
    const closed = this.gate?.close();
    return this.enqueue(async () => {
      await closed;
      await this.doStop();
    });
  }
}

let instance: Packls | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const packls = new Packls(context.extensionPath);
  instance = packls;
  // `packls` itself is disposed by deactivate() once the server has stopped: VS Code disposes the
  // subscriptions right after calling deactivate(), while the stop is still under way.
  context.subscriptions.push(
    { dispose: () => packls.cancelRestart() },
    vscode.workspace.registerTextDocumentContentProvider(EXPLAIN_SCHEME, packls.explanations),
    vscode.commands.registerCommand("packls.restartServer", () => packls.restart()),
    vscode.commands.registerCommand("packls.showOutput", () => packls.output.show()),
    vscode.commands.registerCommand("packls.explainVersion", (uri?: unknown, line?: unknown, character?: unknown) =>
      packls.explainAtCursor(uri, line, character),
    ),
    vscode.commands.registerCommand("packls.validateWorkspace", async () => {
      const server = await packls.serverForCommand();
      const folders = (vscode.workspace.workspaceFolders ?? []).map((f) => f.uri.fsPath);
      if (server) {
        packls.runInTerminal("packls validate", validateCommand(server, folders));
      }
    }),
    vscode.commands.registerCommand("packls.syncDetect", async () => {
      if (!vscode.workspace.isTrusted) {
        void vscode.window.showWarningMessage(
          "packls: sync --detect runs the verification commands of this workspace's runtimes, so it is disabled until you trust the workspace.",
        );
        return;
      }
      const server = await packls.serverForCommand();
      if (server) {
        const settings = readServerSettings(vscode.workspace.getConfiguration("packls"));
        const folders = (vscode.workspace.workspaceFolders ?? []).map((f) => f.uri.fsPath);
        packls.runInTerminal("packls sync", syncDetectCommand(server, settings, folders));
      }
    }),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (needsRestart(event)) {
        packls.scheduleRestart("server settings changed");
      }
    }),
    vscode.workspace.onDidGrantWorkspaceTrust(() => packls.scheduleRestart("workspace trusted")),
    vscode.workspace.onDidChangeWorkspaceFolders(() => packls.scheduleRestart("workspace folders changed")),
  );

  const manifests = vscode.workspace.createFileSystemWatcher(MANIFEST_GLOB, false, true, false);
  const onManifest = async () => {
    if (await packls.packRootsChanged()) {
      packls.scheduleRestart("a pack.yaml was added or removed");
    }
  };
  context.subscriptions.push(manifests, manifests.onDidCreate(onManifest), manifests.onDidDelete(onManifest));

  await packls.start();

  // Follow the Python extension's interpreter when packls runs through it (or found nothing yet);
  // never activate the Python extension only for this.
  const usesPython = !packls.discovery?.ok || ["python-extension", "bundled"].includes(packls.discovery.server.source);
  const python = usesPython && vscode.extensions.getExtension("ms-python.python") ? await pythonExtensionApi() : undefined;
  const changed = python?.environments?.onDidChangeActiveEnvironmentPath;
  if (changed) {
    context.subscriptions.push(
      changed(() => {
        const source = packls.discovery?.ok ? packls.discovery.server.source : undefined;
        if (source === undefined || source === "python-extension" || source === "python-on-path" || source === "bundled") {
          packls.scheduleRestart("the Python extension's interpreter changed");
        }
      }),
    );
  }
}

export async function deactivate(): Promise<void> {
  const packls = instance;
  instance = undefined;
  if (packls) {
    await packls.stop();
    packls.dispose();
  }
}
