// Restricted mode end to end: with the real vscode-languageclient and the real server, a
// workspace's packls.database and packls.extraCatalogPaths never reach the server while the
// workspace is untrusted, and do once it is trusted (the control that the check can see them).

import assert from "node:assert/strict";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import Module from "node:module";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { after, before, describe, test } from "node:test";
import { createFakeVscode, type ExtensionModule, type FakeState, packs, venvPython } from "./fakeVscode";


async function until(what: string, check: () => boolean, log: () => string, ms = 20000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${what}\n${log().slice(-8000)}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe("restricted mode with the real languageclient and server", () => {
  type Loader = (request: string, parent: unknown, isMain: boolean) => unknown;
  const moduleWithLoad = Module as unknown as { _load: Loader };
  const originalLoad = moduleWithLoad._load;
  const scratch = mkdtempSync(path.join(tmpdir(), "packls-untrusted-"));
  const database = path.join(scratch, "workspace-chosen.sqlite3");
  const catalog = path.join(scratch, "workspace-chosen-catalog");
  let state: FakeState;
  let workspace: { isTrusted: boolean };
  let extension: ExtensionModule;
  const log = () => [...state.log, ...state.warnings.map((w) => `warning popup: ${w}`)].join("\n");

  before(() => {
    writeFileSync(database, "not a database ".repeat(100));
    const fake = createFakeVscode({
      folder: packs,
      trusted: false,
      manifests: ["broken_pack", "data_tools"].map((p) => path.join(packs, p, "pack.yaml")),
      settings: {
        "packls.server.path": "",
        "packls.server.args": ["serve"],
        "packls.python.interpreter": process.env.PACKLS_PYTHON ?? (existsSync(venvPython) ? venvPython : ""),
        "packls.trace.server": "verbose",
        "packls.severity": {},
      },
      workspaceSettings: { "packls.database": database, "packls.extraCatalogPaths": [catalog] },
      traceMessages: true,
    });
    state = fake.state;
    workspace = (fake.module as { workspace: { isTrusted: boolean } }).workspace;
    moduleWithLoad._load = function (this: unknown, request: string, parent: unknown, isMain: boolean) {
      return request === "vscode" ? fake.module : originalLoad.call(this, request, parent, isMain);
    };
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- must load after the vscode hook
    extension = require("../../src/extension") as ExtensionModule;
  });

  after(() => {
    moduleWithLoad._load = originalLoad;
    rmSync(scratch, { recursive: true, force: true });
  });

  const trace = () => state.log.filter((l) => l.startsWith("[packls Trace]")).join("\n");
  const answers = () => state.log.filter((l) => l.includes("Sending response 'workspace/configuration")).length;

  test("untrusted: the workspace's database and extra catalog paths never reach the server", async () => {
    await extension.activate({ subscriptions: [] });
    await until("the server to be running", () => state.contexts.get("packls.active") === true, log);
    await until("the answer to workspace/configuration", () => answers() > 0, log);
    const sent = trace();
    assert.ok(sent.includes("Sending request 'initialize"), "the trace shows the initialize request");
    assert.ok(!sent.includes(database), `the database was sent:\n${sent}`);
    assert.ok(!sent.includes(catalog), `the catalog path was sent:\n${sent}`);
    assert.ok(!sent.includes('"server": {'), "the extension's own keys were sent");
    assert.ok(!state.warnings.some((w) => w.includes("unknown packls setting")), log());
  });

  test("trusted (the control): the same settings do reach the server", async () => {
    workspace.isTrusted = true;
    const before = answers();
    await state.commands.get("packls.restartServer")!();
    await until("a new answer to workspace/configuration", () => answers() > before, log);
    assert.ok(trace().includes(database) && trace().includes(catalog), trace());
    await until("the server to say it cannot read the workspace's database", () =>
      state.warnings.some((w) => w.includes("workspace-chosen.sqlite3") && w.includes("not a valid packls database")), log);
    await extension.deactivate();
  });
});
