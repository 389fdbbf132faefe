// End-to-end: the real packls server, started the way the extension starts it (same discovery,
// same environment), driven through vscode-jsonrpc / vscode-languageserver-protocol, the stack
// vscode-languageclient 11 uses. Checks initialize, diagnostics (pull or push, whichever the
// server chose for these capabilities), settings from workspace/configuration, hover and completion.

import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { after, before, describe, test } from "node:test";
import { pathToFileURL } from "node:url";
import {
  CompletionRequest,
  ConfigurationRequest,
  createProtocolConnection,
  DidOpenTextDocumentNotification,
  DocumentDiagnosticReportKind,
  DocumentDiagnosticRequest,
  ExitNotification,
  HoverRequest,
  InitializedNotification,
  InitializeRequest,
  PublishDiagnosticsNotification,
  RegistrationRequest,
  ShowMessageNotification,
  ShutdownRequest,
  StreamMessageReader,
  StreamMessageWriter,
  UnregistrationRequest,
  WorkDoneProgressCreateRequest,
  type ClientCapabilities,
  type CompletionItem,
  type CompletionList,
  type Diagnostic,
  type InitializeResult,
  type MarkupContent,
  type ProtocolConnection,
  type PublishDiagnosticsParams,
  type Registration,
} from "vscode-languageserver-protocol/node";
import { discoverServer, describeFailure, serverEnvironment, type ServerCommand } from "../../src/discovery";
import { hoverMarkdown } from "../../src/explain";
import { nodeDiscoveryEnv } from "../../src/nodeEnv";
import { stripNulls } from "../../src/settings";

import { packs, repo } from "./fakeVscode";

const brokenPack = path.join(packs, "broken_pack");
const unquoted = path.join(brokenPack, "actions", "unquoted.yaml");
const newest = path.join(packs, "data_tools", "actions", "newest.yaml");
const uri = (file: string) => pathToFileURL(file).href;

/** What VS Code answers for section "packls" after the extension's middleware (nulls stripped). */
const folderSettings = stripNulls({
  severity: { "runtime_version.not_string": "information" },
  exclude: [],
  extraCatalogPaths: [],
  runtimeEnvsDir: null,
  database: null,
  diagnoseClosedFiles: true,
});

/** The capabilities vscode-languageclient 11 declares that matter to packls. */
const capabilities: ClientCapabilities = {
  general: { positionEncodings: ["utf-16"], markdown: { parser: "marked", version: "1.1.0" } },
  workspace: {
    applyEdit: true,
    workspaceEdit: { documentChanges: true },
    configuration: true,
    workspaceFolders: true,
    didChangeConfiguration: { dynamicRegistration: true },
    didChangeWatchedFiles: { dynamicRegistration: true, relativePatternSupport: true },
    diagnostics: { refreshSupport: true },
    inlayHint: { refreshSupport: true },
    executeCommand: { dynamicRegistration: true },
    symbol: { dynamicRegistration: true },
  },
  textDocument: {
    synchronization: { dynamicRegistration: true, willSave: true, willSaveWaitUntil: true, didSave: true },
    publishDiagnostics: { relatedInformation: true, versionSupport: false, codeDescriptionSupport: true, dataSupport: true, tagSupport: { valueSet: [1, 2] } },
    diagnostic: { dynamicRegistration: true, relatedDocumentSupport: false },
    hover: { dynamicRegistration: true, contentFormat: ["markdown", "plaintext"] },
    completion: {
      dynamicRegistration: true,
      contextSupport: true,
      completionItem: {
        snippetSupport: true,
        commitCharactersSupport: true,
        documentationFormat: ["markdown", "plaintext"],
        deprecatedSupport: true,
        preselectSupport: true,
        insertReplaceSupport: true,
        labelDetailsSupport: true,
        resolveSupport: { properties: ["documentation", "detail", "additionalTextEdits"] },
        insertTextModeSupport: { valueSet: [1, 2] },
      },
      completionList: { itemDefaults: ["commitCharacters", "editRange", "insertTextFormat", "insertTextMode", "data"] },
    },
    definition: { dynamicRegistration: true, linkSupport: true },
    references: { dynamicRegistration: true },
    documentSymbol: { dynamicRegistration: true, hierarchicalDocumentSymbolSupport: true },
    codeAction: {
      dynamicRegistration: true,
      isPreferredSupport: true,
      dataSupport: true,
      resolveSupport: { properties: ["edit"] },
      codeActionLiteralSupport: { codeActionKind: { valueSet: ["", "quickfix", "refactor", "source"] } },
    },
    inlayHint: { dynamicRegistration: true, resolveSupport: { properties: ["tooltip"] } },
  },
  window: { workDoneProgress: true, showMessage: { messageActionItem: { additionalPropertiesSupport: true } }, showDocument: { support: true } },
};

function defaultPython(): string {
  if (process.env.PACKLS_PYTHON) {
    return process.env.PACKLS_PYTHON;
  }
  const venv = path.join(repo, ".venv", process.platform === "win32" ? "Scripts/python.exe" : "bin/python");
  return existsSync(venv) ? venv : "";
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}

describe("the real packls server through the VS Code client stack", () => {
  let server: ServerCommand;
  let child: ChildProcess;
  let connection: ProtocolConnection;
  let init: InitializeResult;
  let stderr = "";
  const registrations: Registration[] = [];
  const configurationRequests: string[] = [];
  const errors: string[] = [];
  const published = new Map<string, PublishDiagnosticsParams>();
  const publishWaiters: ((p: PublishDiagnosticsParams) => void)[] = [];
  let refreshes = 0;

  before(async () => {
    const discovery = await discoverServer(
      { serverPath: process.env.PACKLS_SERVER ?? "", serverArgs: ["serve"], pythonInterpreter: defaultPython() },
      nodeDiscoveryEnv({ workspaceFolders: [packs], trusted: true }),
    );
    assert.ok(discovery.ok, discovery.ok ? "" : describeFailure(discovery));
    server = discovery.server;
    child = spawn(server.command, server.args, { cwd: packs, env: serverEnvironment(process.env), stdio: ["pipe", "pipe", "pipe"] });
    child.stderr?.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    connection = createProtocolConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
    connection.onRequest(RegistrationRequest.type, (params) => {
      registrations.push(...params.registrations);
    });
    connection.onRequest(UnregistrationRequest.type, () => undefined);
    connection.onRequest(WorkDoneProgressCreateRequest.type, () => undefined);
    connection.onRequest(ConfigurationRequest.type, (params) => {
      configurationRequests.push(...params.items.map((i) => i.section ?? ""));
      return params.items.map((item) => (item.section === "packls" ? folderSettings : null));
    });
    connection.onRequest("workspace/diagnostic/refresh", () => {
      refreshes += 1;
      for (const waiter of publishWaiters.splice(0)) {
        waiter({ uri: "", diagnostics: [] });
      }
      return null;
    });
    connection.onRequest("workspace/inlayHint/refresh", () => null);
    connection.onRequest("workspace/semanticTokens/refresh", () => null);
    connection.onRequest("window/showMessageRequest", () => null);
    connection.onNotification(ShowMessageNotification.type, (p) => {
      if (p.type === 1) {
        errors.push(p.message);
      }
    });
    connection.onNotification(PublishDiagnosticsNotification.type, (p) => {
      published.set(p.uri, p);
      for (const waiter of publishWaiters.splice(0)) {
        waiter(p);
      }
    });
    connection.listen();
    init = await withTimeout(
      connection.sendRequest(InitializeRequest.type, {
        processId: process.pid,
        clientInfo: { name: "Visual Studio Code", version: "1.100.0" },
        locale: "en",
        rootUri: uri(packs),
        rootPath: packs,
        workspaceFolders: [{ uri: uri(packs), name: "packs" }],
        capabilities,
        // A different value than workspace/configuration answers, so the test sees which one won.
        initializationOptions: { severity: { "runtime_version.not_string": "warning" } },
        trace: "off",
      }),
      20000,
      `initialize (${server.description})\n${stderr}`,
    );
    await connection.sendNotification(InitializedNotification.type, {});
  });

  after(async () => {
    if (connection) {
      try {
        await withTimeout(connection.sendRequest(ShutdownRequest.type), 5000, "shutdown");
        await connection.sendNotification(ExitNotification.type);
      } catch {
        // the exit check below reports it
      }
    }
    if (child) {
      const exited = child.exitCode !== null || (await new Promise<boolean>((resolve) => {
        const timer = setTimeout(() => resolve(false), 5000);
        child.once("exit", () => {
          clearTimeout(timer);
          resolve(true);
        });
      }));
      if (!exited) {
        child.kill();
      }
      connection?.dispose();
      assert.ok(exited, "the server exits after shutdown + exit");
    }
  });

  function open(file: string, version = 1): Promise<void> {
    return connection.sendNotification(DidOpenTextDocumentNotification.type, {
      textDocument: { uri: uri(file), languageId: "yaml", version, text: readFileSync(file, "utf8") },
    });
  }

  function serverPulls(): boolean {
    return init.capabilities.diagnosticProvider !== undefined || registrations.some((r) => r.method === "textDocument/diagnostic");
  }

  /**
   * Diagnostics for a file once `ready` accepts them: pulled again on every
   * workspace/diagnostic/refresh (as vscode-languageclient does) or taken from the latest push.
   */
  async function diagnosticsFor(file: string, ready: (items: Diagnostic[]) => boolean): Promise<Diagnostic[]> {
    const target = uri(file);
    const deadline = Date.now() + 20000;
    let last: Diagnostic[] = [];
    while (Date.now() < deadline) {
      if (serverPulls()) {
        const report = await connection.sendRequest(DocumentDiagnosticRequest.type, { textDocument: { uri: target } });
        assert.equal(report.kind, DocumentDiagnosticReportKind.Full);
        last = report.kind === DocumentDiagnosticReportKind.Full ? report.items : last;
      } else {
        last = published.get(target)?.diagnostics ?? [];
      }
      if (ready(last)) {
        return last;
      }
      const seen = refreshes;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 250);
        publishWaiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
        if (refreshes !== seen) {
          clearTimeout(timer);
          resolve();
        }
      });
    }
    throw new Error(`diagnostics for ${file} not as expected within 20 s: ${JSON.stringify(last)}\n${stderr}`);
  }

  test("initialize: UTF-16 positions, the features the extension relies on", () => {
    const caps = init.capabilities;
    assert.equal(init.serverInfo?.name, "packls");
    assert.ok(caps.positionEncoding === undefined || caps.positionEncoding === "utf-16", `encoding ${caps.positionEncoding}`);
    assert.ok(caps.hoverProvider, "hover");
    assert.ok(caps.completionProvider, "completion");
    assert.ok(caps.textDocumentSync !== undefined, "text sync");
  });

  test("diagnostics for a broken pack file", async () => {
    await open(unquoted);
    const diagnostics = await diagnosticsFor(unquoted, (items) => items.some((d) => d.code === "runtime_version.not_string"));
    const finding = diagnostics.find((d) => d.code === "runtime_version.not_string")!;
    assert.deepEqual(finding.range.start, { line: 2, character: 17 });
    assert.deepEqual(finding.range.end, { line: 2, character: 21 });
    assert.equal(finding.source, "packls");
    assert.match(typeof finding.message === "string" ? finding.message : finding.message.value, /quote it/);
    assert.deepEqual(errors, [], "no error popups");
  });

  test("packls.severity from workspace/configuration (over initializationOptions) reaches the findings", async () => {
    const diagnostics = await diagnosticsFor(unquoted, (items) =>
      items.some((d) => d.code === "runtime_version.not_string" && d.severity === 3),
    );
    assert.ok(diagnostics.length > 0);
    assert.ok(configurationRequests.includes("packls"), "the server asked for section packls");
  });

  test("hover on runtime_version explains which version Attune selects", async () => {
    await open(newest);
    const text = readFileSync(newest, "utf8").split("\n");
    const line = text.findIndex((l) => l.startsWith("runtime_version:"));
    const character = text[line].indexOf('"') + 1;
    const hover = await connection.sendRequest(HoverRequest.type, { textDocument: { uri: uri(newest) }, position: { line, character } });
    assert.ok(hover, "a hover");
    assert.equal((hover.contents as MarkupContent).kind, "markdown");
    const markdown = hoverMarkdown(hover) ?? "";
    assert.match(markdown, /3\.13/, markdown);
    assert.match(markdown, /→ \*\*3\.13\*\*/, markdown);
    assert.match(markdown, /selected/, markdown);
    assert.match(markdown, /3\.12/, markdown);
  });

  test("completion offers runner_type values", async () => {
    const text = readFileSync(newest, "utf8").split("\n");
    const line = text.findIndex((l) => l.startsWith("runner_type:"));
    const result = await connection.sendRequest(CompletionRequest.type, {
      textDocument: { uri: uri(newest) },
      position: { line, character: "runner_type: ".length },
      context: { triggerKind: 1 },
    });
    const items: CompletionItem[] = Array.isArray(result) ? result : ((result as CompletionList | null)?.items ?? []);
    const labels = items.map((i) => i.label);
    assert.ok(labels.includes("data_tools.python"), labels.join(", "));
  });
});
