// The extension's own activate(): with a stand-in `vscode` module (VS Code itself cannot be
// installed here), the real vscode-languageclient 11 starts the real packls server the way it
// would inside VS Code, completes the initialize handshake with the client's real capabilities,
// and stops it again on deactivate().

import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import Module from "node:module";
import * as path from "node:path";
import { after, before, describe, test } from "node:test";
import { createFakeVscode, type ExtensionModule, type FakeState, packs, venvPython } from "./fakeVscode";


let diagnosticsLog: () => string = () => "";

async function until(what: string, check: () => boolean, ms = 20000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${what}\n${diagnosticsLog()}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe("activate() with the real languageclient and server", () => {
  let state: FakeState;
  let extension: ExtensionModule;
  const subscriptions: { dispose(): unknown }[] = [];
  type Loader = (request: string, parent: unknown, isMain: boolean) => unknown;
  const moduleWithLoad = Module as unknown as { _load: Loader };
  const originalLoad = moduleWithLoad._load;

  before(() => {
    const fake = createFakeVscode({
      folder: packs,
      trusted: true,
      manifests: ["broken_pack", "data_tools", "version_traps", "web_hooks"].map((p) => path.join(packs, p, "pack.yaml")),
      settings: {
        "packls.server.path": "",
        "packls.server.args": ["serve"],
        "packls.python.interpreter": process.env.PACKLS_PYTHON ?? (existsSync(venvPython) ? venvPython : ""),
        "packls.trace.server": "off",
        "packls.severity": {},
        "packls.diagnoseClosedFiles": true,
      },
    });
    state = fake.state;
    diagnosticsLog = () => [...state.log, ...state.errors.map((e) => `error popup: ${e}`)].join("\n");
    moduleWithLoad._load = function (this: unknown, request: string, parent: unknown, isMain: boolean) {
      return request === "vscode" ? fake.module : originalLoad.call(this, request, parent, isMain);
    };
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- must load after the vscode hook
    extension = require("../../src/extension") as ExtensionModule;
  });

  after(() => {
    moduleWithLoad._load = originalLoad;
  });

  test("activates, starts packls and reports it ready", async () => {
    await extension.activate({ subscriptions });
    await until("the server to be running", () => state.contexts.get("packls.active") === true);
    const status = state.statusItems[0];
    assert.ok(status, "a language status item");
    await until("the status item to show the server", () => status.text !== "packls");
    assert.match(status.text, /^packls: \d+\.\d+/, `${status.text} / ${status.detail}\n${state.log.join("\n")}`);
    assert.deepEqual(state.errors, [], state.log.join("\n"));
    assert.ok(state.log.some((l) => /Starting .*serve/.test(l)), state.log.join("\n"));
    assert.ok(state.log.some((l) => l.includes("Pack roots:") && l.includes("data_tools")), state.log.join("\n"));
  });

  test("registers the five commands", () => {
    assert.deepEqual([...state.commands.keys()].sort(), [
      "packls.explainVersion",
      "packls.restartServer",
      "packls.showOutput",
      "packls.syncDetect",
      "packls.validateWorkspace",
    ]);
  });

  test("'Explain runtime version selection' shows the server's explanation", async () => {
    const newest = path.join(packs, "data_tools", "actions", "newest.yaml");
    state.setActiveEditor(newest, 3, 2); // on the runtime_version key: the command asks about its value
    await state.commands.get("packls.explainVersion")!();
    const preview = state.executed.find((e) => e.command === "markdown.showPreviewToSide");
    assert.ok(preview, JSON.stringify(state.executed.map((e) => e.command)));
    const uri = preview.args[0] as { scheme: string; path: string };
    assert.equal(uri.scheme, "packls-explain");
    const text = state.contentProviders.get("packls-explain")!.provideTextDocumentContent(uri as never);
    assert.match(text, /^# Runtime version selection: data_tools\/actions\/newest\.yaml:4/);
    assert.match(text, /→ \*\*3\.13\*\*/);
    assert.deepEqual(state.infos, []);
  });

  test("restart stops the server and starts a new one", async () => {
    const starts = () => state.log.filter((l) => /Starting .*serve/.test(l)).length;
    const before = starts();
    await state.commands.get("packls.restartServer")!();
    await until("a second start", () => starts() === before + 1);
    await until("the server to be running again", () => state.contexts.get("packls.active") === true);
    assert.deepEqual(state.errors, []);
  });

  test("deactivate stops the server", async () => {
    await extension.deactivate();
    await until("the server to stop", () => state.contexts.get("packls.active") === false, 10000);
    for (const s of subscriptions) {
      s.dispose();
    }
  });
});
