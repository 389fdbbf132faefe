import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { describe, test } from "node:test";
import {
  answerForServer,
  affectsServerSettings,
  ALL_SETTINGS,
  LAUNCH_SETTING_KEYS,
  needsRestart,
  readLaunchSettings,
  readServerSettings,
  RESTRICTED_SERVER_KEYS,
  RESTRICTED_SETTINGS,
  SERVER_SETTING_KEYS,
  stripNulls,
} from "../../src/settings";
import { changeOf, fakeConfig } from "./fakes";

interface Manifest {
  activationEvents: string[];
  main: string;
  capabilities: { untrustedWorkspaces: { supported: string; restrictedConfigurations: string[] } };
  contributes: {
    configuration: { properties: Record<string, { scope?: string; default?: unknown; type: string }> };
    commands: { command: string; enablement?: string }[];
  };
}

const root = path.resolve(__dirname, "../../..");
const manifest = JSON.parse(readFileSync(path.join(root, "package.json"), "utf8")) as Manifest;
const properties = manifest.contributes.configuration.properties;

function defaultsFromManifest(): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, spec] of Object.entries(properties)) {
    out[key.replace(/^packls\./, "")] = spec.default;
  }
  return out;
}

describe("package.json settings", () => {
  test("every setting is contributed, and nothing else", () => {
    assert.deepEqual(Object.keys(properties).sort(), [...ALL_SETTINGS].sort());
  });

  test("scopes: per-folder analysis settings, machine-overridable paths, window-wide trace", () => {
    const scopes = Object.fromEntries(Object.entries(properties).map(([k, v]) => [k, v.scope]));
    assert.deepEqual(scopes, {
      "packls.server.path": "machine-overridable",
      "packls.server.args": "machine-overridable",
      "packls.python.interpreter": "machine-overridable",
      "packls.trace.server": "window",
      "packls.severity": "resource",
      "packls.exclude": "resource",
      "packls.extraCatalogPaths": "resource",
      "packls.runtimeEnvsDir": "machine-overridable",
      "packls.database": "machine-overridable",
      "packls.diagnoseClosedFiles": "resource",
    });
  });

  test("restricted mode: the launch settings, the database and extra catalog paths are restricted configurations", () => {
    const trust = manifest.capabilities.untrustedWorkspaces;
    assert.equal(trust.supported, "limited");
    assert.deepEqual([...trust.restrictedConfigurations].sort(), [...RESTRICTED_SETTINGS].sort());
    for (const key of [...LAUNCH_SETTING_KEYS, "database", "extraCatalogPaths"]) {
      assert.ok(trust.restrictedConfigurations.includes(`packls.${key}`), key);
    }
  });

  test("activates for workspaces with pack.yaml, from the bundle", () => {
    assert.deepEqual(manifest.activationEvents, ["workspaceContains:**/pack.yaml"]);
    assert.equal(manifest.main, "./dist/extension.js");
  });

  test("the five commands are declared, and sync needs a trusted workspace", () => {
    const commands = Object.fromEntries(manifest.contributes.commands.map((c) => [c.command, c]));
    assert.deepEqual(Object.keys(commands).sort(), [
      "packls.explainVersion",
      "packls.restartServer",
      "packls.showOutput",
      "packls.syncDetect",
      "packls.validateWorkspace",
    ]);
    assert.equal(commands["packls.syncDetect"].enablement, "isWorkspaceTrusted");
    const source = readFileSync(path.join(root, "src", "extension.ts"), "utf8");
    for (const name of Object.keys(commands)) {
      assert.ok(source.includes(`registerCommand("${name}"`), `${name} is registered`);
    }
  });

  test("defaults send nothing to the server, so the server's own defaults apply", () => {
    const config = fakeConfig({ defaults: defaultsFromManifest() });
    assert.deepEqual(readServerSettings(config), {
      severity: {},
      exclude: [],
      extraCatalogPaths: [],
      diagnoseClosedFiles: true,
    });
    assert.deepEqual(readLaunchSettings(config, true), { serverPath: "", serverArgs: ["serve"], pythonInterpreter: "" });
  });
});

describe("settings sent to the server", () => {
  test("user values are passed with the server's camelCase keys", () => {
    const config = fakeConfig({
      defaults: defaultsFromManifest(),
      user: {
        severity: { "runtime_version.no_versions": "error", "runner_type.unknown": "off", bogus: "loud" },
        exclude: ["**/fixtures/**", ""],
        extraCatalogPaths: ["/srv/core-pack"],
        runtimeEnvsDir: " /var/attune/envs ",
        database: "postgresql://attune@db/attune",
        diagnoseClosedFiles: false,
      },
    });
    const settings = readServerSettings(config);
    assert.deepEqual(settings, {
      severity: { "runtime_version.no_versions": "error", "runner_type.unknown": "off" },
      exclude: ["**/fixtures/**"],
      extraCatalogPaths: ["/srv/core-pack"],
      runtimeEnvsDir: "/var/attune/envs",
      database: "postgresql://attune@db/attune",
      diagnoseClosedFiles: false,
    });
    assert.deepEqual(Object.keys(settings).sort(), [...SERVER_SETTING_KEYS].sort());
  });

  test("stripNulls removes null and undefined at every depth", () => {
    assert.deepEqual(stripNulls({ a: null, b: { c: null, d: 1 }, e: [1, null, { f: null }], g: undefined }), {
      b: { d: 1 },
      e: [1, {}],
    });
    assert.equal(stripNulls(null), null);
  });
});

describe("launch settings and trust", () => {
  const values = {
    defaults: { "server.path": "", "server.args": ["serve"], "python.interpreter": "" },
    user: { "python.interpreter": "/usr/bin/python3.12" },
    workspace: { "server.path": "./evil/packls", "server.args": ["serve", "--x"], "python.interpreter": ".venv/bin/python" },
  };

  test("a trusted workspace's values win", () => {
    assert.deepEqual(readLaunchSettings(fakeConfig(values), true), {
      serverPath: "./evil/packls",
      serverArgs: ["serve", "--x"],
      pythonInterpreter: ".venv/bin/python",
    });
  });

  test("an untrusted workspace's values are ignored; the user's own settings still apply", () => {
    assert.deepEqual(readLaunchSettings(fakeConfig(values), false), {
      serverPath: "",
      serverArgs: ["serve"],
      pythonInterpreter: "/usr/bin/python3.12",
    });
  });

  test("malformed args fall back to serve", () => {
    assert.deepEqual(readLaunchSettings(fakeConfig({ user: { "server.args": "serve --x" } }), true).serverArgs, ["serve"]);
  });
});

describe("server settings and trust", () => {
  const values = {
    defaults: { severity: {}, exclude: [], extraCatalogPaths: [], database: "", diagnoseClosedFiles: true },
    user: { database: "/home/ann/.local/share/packls/registry.sqlite3" },
    workspace: { database: "postgresql://attacker.example/x", severity: { "runner_type.unknown": "off" }, exclude: ["**/gen/**"] },
    folder: { extraCatalogPaths: ["/etc", "../../.ssh"] },
  };

  test("a trusted workspace's database and extra catalog paths are sent", () => {
    const settings = readServerSettings(fakeConfig(values), true);
    assert.equal(settings.database, "postgresql://attacker.example/x");
    assert.deepEqual(settings.extraCatalogPaths, ["/etc", "../../.ssh"]);
  });

  test("an untrusted workspace's are ignored; the user's own values and other workspace settings still apply", () => {
    assert.deepEqual(readServerSettings(fakeConfig(values), false), {
      severity: { "runner_type.unknown": "off" },
      exclude: ["**/gen/**"],
      extraCatalogPaths: [],
      database: "/home/ann/.local/share/packls/registry.sqlite3",
      diagnoseClosedFiles: true,
    });
  });

  test("workspace/configuration answers are filtered the same way", () => {
    const answer = {
      severity: { "runner_type.unknown": "off" },
      exclude: ["**/gen/**"],
      extraCatalogPaths: ["/etc"],
      database: "postgresql://attacker.example/x",
      diagnoseClosedFiles: true,
    };
    const config = fakeConfig(values);
    assert.deepEqual(answerForServer("packls", answer, config, false), {
      severity: { "runner_type.unknown": "off" },
      exclude: ["**/gen/**"],
      extraCatalogPaths: [],
      database: "/home/ann/.local/share/packls/registry.sqlite3",
      diagnoseClosedFiles: true,
    });
    assert.deepEqual(answerForServer("packls", answer, config, true), answer);
    assert.equal(answerForServer("packls.database", "postgresql://attacker.example/x", config, false), values.user.database);
    assert.equal(answerForServer("packls.database", "postgresql://attacker.example/x", config, true), "postgresql://attacker.example/x");
    assert.deepEqual(answerForServer("packls.extraCatalogPaths", ["/etc"], config, false), []);
    assert.deepEqual(answerForServer("packls.exclude", ["**/gen/**"], config, false), ["**/gen/**"]);
    assert.deepEqual(answerForServer("yaml", { schemas: {}, x: null }, config, false), { schemas: {} });
  });

  test("without user values the restricted keys are left out, so the server's defaults apply", () => {
    const bare = fakeConfig({ workspace: { database: "/tmp/evil.db", extraCatalogPaths: ["/"] } });
    const answer = answerForServer("packls", { database: "/tmp/evil.db", extraCatalogPaths: ["/"], exclude: [] }, bare, false);
    assert.deepEqual(answer, { exclude: [] });
    for (const key of RESTRICTED_SERVER_KEYS) {
      assert.equal(readServerSettings(bare, false)[key], undefined, key);
    }
  });

  test("the extension's own keys and nulls never reach the server (it would call them unknown)", () => {
    const section = {
      server: { path: "", args: ["serve"] },
      python: { interpreter: "" },
      trace: { server: "off" },
      severity: {},
      runtimeEnvsDir: null,
      debounceMs: 30,
    };
    for (const trusted of [true, false]) {
      assert.deepEqual(answerForServer("packls", section, fakeConfig({}), trusted), { severity: {}, debounceMs: 30 });
    }
  });
});

describe("what a settings change does", () => {
  test("launch settings restart the server", () => {
    for (const key of LAUNCH_SETTING_KEYS) {
      assert.equal(needsRestart(changeOf(`packls.${key}`)), true, key);
    }
    assert.equal(needsRestart(changeOf("packls.server")), true);
  });

  test("analysis settings are pushed to the running server instead", () => {
    for (const key of SERVER_SETTING_KEYS) {
      assert.equal(needsRestart(changeOf(`packls.${key}`)), false, key);
      assert.equal(affectsServerSettings(changeOf(`packls.${key}`)), true, key);
    }
  });

  test("other extensions' settings do nothing", () => {
    assert.equal(needsRestart(changeOf("yaml.schemas")), false);
    assert.equal(affectsServerSettings(changeOf("yaml.schemas")), false);
    assert.equal(needsRestart(changeOf("packls.trace.server")), false);
  });
});
