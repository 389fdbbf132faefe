import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { describeFailure, discoverServer, expandPath, serverEnvironment, which } from "../../src/discovery";
import type { LaunchSettings } from "../../src/settings";
import { fakeEnv } from "./fakes";

const defaults: LaunchSettings = { serverPath: "", serverArgs: ["serve"], pythonInterpreter: "" };

describe("server discovery order", () => {
  test("the configured path wins over PATH", async () => {
    const env = fakeEnv({ executables: ["/opt/packls/bin/packls", "/usr/bin/packls"] });
    const r = await discoverServer({ ...defaults, serverPath: "/opt/packls/bin/packls" }, env);
    assert.ok(r.ok);
    assert.equal(r.server.command, "/opt/packls/bin/packls");
    assert.deepEqual(r.server.args, ["serve"]);
    assert.deepEqual(r.server.base, ["/opt/packls/bin/packls"]);
    assert.equal(r.server.source, "setting");
  });

  test("a configured path that does not exist is an error, not a silent fallback", async () => {
    const env = fakeEnv({ executables: ["/usr/bin/packls"] });
    const r = await discoverServer({ ...defaults, serverPath: "/nope/packls" }, env);
    assert.ok(!r.ok);
    assert.match(r.message, /packls\.server\.path is set to '\/nope\/packls'/);
    assert.match(r.fix, /packls\.server\.path/);
  });

  test("a bare name in server.path is looked up on PATH", async () => {
    const env = fakeEnv({ executables: ["/usr/bin/packls-dev"] });
    const r = await discoverServer({ ...defaults, serverPath: "packls-dev" }, env);
    assert.ok(r.ok);
    assert.equal(r.server.command, "/usr/bin/packls-dev");
  });

  test("server.path expands ~ and ${workspaceFolder}, and resolves relative paths against the folder", async () => {
    const env = fakeEnv({ executables: ["/home/ann/.local/bin/packls", "/home/ann/packs/.venv/bin/packls"] });
    assert.equal(expandPath("~/.local/bin/packls", env), "/home/ann/.local/bin/packls");
    assert.equal(expandPath("${workspaceFolder}/.venv/bin/packls", env), "/home/ann/packs/.venv/bin/packls");
    assert.equal(expandPath("./.venv/bin/packls", env), "/home/ann/packs/.venv/bin/packls");
    const r = await discoverServer({ ...defaults, serverPath: ".venv/bin/packls" }, env);
    assert.ok(r.ok);
    assert.equal(r.server.command, "/home/ann/packs/.venv/bin/packls");
  });

  test("packls on PATH comes next, with the configured arguments", async () => {
    const env = fakeEnv({ executables: ["/usr/bin/packls"], withPackls: ["/usr/bin/python3"] });
    const r = await discoverServer({ ...defaults, serverArgs: ["serve", "--log-level", "debug"] }, env);
    assert.ok(r.ok);
    assert.equal(r.server.command, "/usr/bin/packls");
    assert.deepEqual(r.server.args, ["serve", "--log-level", "debug"]);
    assert.equal(r.server.source, "path");
    assert.deepEqual(env.probed, [], "no interpreter is probed when packls is on PATH");
  });

  test("empty server.args falls back to serve", async () => {
    const env = fakeEnv({ executables: ["/usr/bin/packls"] });
    const r = await discoverServer({ ...defaults, serverArgs: [] }, env);
    assert.ok(r.ok);
    assert.deepEqual(r.server.args, ["serve"]);
  });

  test("then python -m packls with the configured interpreter", async () => {
    const env = fakeEnv({ executables: ["/opt/py/bin/python"], withPackls: ["/opt/py/bin/python"] });
    const r = await discoverServer({ ...defaults, pythonInterpreter: "/opt/py/bin/python" }, env);
    assert.ok(r.ok);
    assert.equal(r.server.command, "/opt/py/bin/python");
    assert.deepEqual(r.server.args, ["-m", "packls", "serve"]);
    assert.deepEqual(r.server.base, ["/opt/py/bin/python", "-m", "packls"]);
    assert.equal(r.server.source, "interpreter");
  });

  test("a configured interpreter without packls says how to install it there", async () => {
    const env = fakeEnv({ executables: ["/opt/py/bin/python", "/usr/bin/python3"], withPackls: ["/usr/bin/python3"] });
    const r = await discoverServer({ ...defaults, pythonInterpreter: "/opt/py/bin/python" }, env);
    assert.ok(!r.ok);
    assert.match(r.message, /packls is not installed in \/opt\/py\/bin\/python \(ModuleNotFoundError/);
    assert.equal(r.fix.includes("/opt/py/bin/python -m pip install packls"), true);
  });

  test("without a configured interpreter, the Python extension's interpreter is used", async () => {
    const env = fakeEnv({
      executables: ["/usr/bin/python3"],
      withPackls: ["/home/ann/venvs/attune/bin/python", "/usr/bin/python3"],
      pythonExtension: "/home/ann/venvs/attune/bin/python",
    });
    const r = await discoverServer(defaults, env);
    assert.ok(r.ok);
    assert.equal(r.server.command, "/home/ann/venvs/attune/bin/python");
    assert.equal(r.server.source, "python-extension");
  });

  test("the Python extension's interpreter without packls falls through to python3 on PATH", async () => {
    const env = fakeEnv({
      executables: ["/usr/bin/python3"],
      withPackls: ["/usr/bin/python3"],
      pythonExtension: "/home/ann/venvs/other/bin/python",
    });
    const r = await discoverServer(defaults, env);
    assert.ok(r.ok);
    assert.equal(r.server.command, "/usr/bin/python3");
    assert.equal(r.server.source, "python-on-path");
    assert.deepEqual(env.probed, ["/home/ann/venvs/other/bin/python", "/usr/bin/python3"]);
  });

  test("a Python extension that throws is ignored", async () => {
    const env = fakeEnv({
      executables: ["/usr/bin/python3"],
      withPackls: ["/usr/bin/python3"],
      pythonExtension: async () => {
        throw new Error("not ready");
      },
    });
    const r = await discoverServer(defaults, env);
    assert.ok(r.ok);
    assert.equal(r.server.command, "/usr/bin/python3");
  });

  test("nothing found: a clear message that lists what was tried and how to fix it", async () => {
    const env = fakeEnv({ executables: ["/usr/bin/python3"], pythonExtension: "/home/ann/venvs/x/bin/python" });
    const r = await discoverServer(defaults, env);
    assert.ok(!r.ok);
    assert.equal(r.message, "packls could not find its language server.");
    assert.match(r.fix, /pipx install packls/);
    assert.match(r.fix, /packls\.server\.path/);
    const text = describeFailure(r);
    assert.match(text, /`packls` on PATH/);
    assert.match(text, /\/home\/ann\/venvs\/x\/bin\/python -m packls \(the Python extension's interpreter\): packls not installed/);
    assert.match(text, /\/usr\/bin\/python3 -m packls \(python3 on PATH\): packls not installed/);
  });

  test("no interpreter at all is reported too", async () => {
    const r = await discoverServer(defaults, fakeEnv({}));
    assert.ok(!r.ok);
    assert.match(describeFailure(r), /no Python interpreter found/);
  });
});

describe("the server bundled with the extension", () => {
  const launcher = "/ext/packls/bundled/tool/launch.py";

  test("with nothing installed, any Python >= 3.11 runs the bundled server, isolated", async () => {
    const env = fakeEnv({ bundled: launcher, executables: ["/usr/bin/python3"], versions: { "/usr/bin/python3": [3, 12] } });
    const r = await discoverServer(defaults, env);
    assert.ok(r.ok, JSON.stringify(r));
    assert.equal(r.server.source, "bundled");
    assert.equal(r.server.command, "/usr/bin/python3");
    assert.deepEqual(r.server.args, ["-I", launcher, "serve"]);
    assert.deepEqual(r.server.base, ["/usr/bin/python3", "-I", launcher]);
    assert.match(r.server.description, /bundled with the extension; Python 3\.12, python3 on PATH/);
  });

  test("a Python older than 3.11 is passed over for a newer one", async () => {
    const env = fakeEnv({
      bundled: launcher,
      executables: ["/usr/bin/python3", "/usr/bin/python3.12"],
      versions: { "/usr/bin/python3": [3, 9], "/usr/bin/python3.12": [3, 12] },
    });
    const r = await discoverServer(defaults, env);
    assert.ok(r.ok);
    assert.equal(r.server.command, "/usr/bin/python3.12");
    assert.ok(r.tried.some((t) => /\/usr\/bin\/python3 \(python3 on PATH\): Python 3\.9 is older than 3\.11/.test(t)), r.tried.join("\n"));
  });

  test("a configured server path, packls on PATH and an installed packls all win over the bundle", async () => {
    const world = { bundled: launcher, versions: { "/usr/bin/python3": [3, 12] as [number, number] } };
    const configured = await discoverServer(
      { ...defaults, serverPath: "/opt/packls/bin/packls" },
      fakeEnv({ ...world, executables: ["/opt/packls/bin/packls", "/usr/bin/python3"] }),
    );
    assert.ok(configured.ok && configured.server.source === "setting");
    const onPath = await discoverServer(defaults, fakeEnv({ ...world, executables: ["/usr/bin/packls", "/usr/bin/python3"] }));
    assert.ok(onPath.ok && onPath.server.source === "path");
    const installed = await discoverServer(
      defaults,
      fakeEnv({ ...world, executables: ["/usr/bin/python3"], withPackls: ["/usr/bin/python3"] }),
    );
    assert.ok(installed.ok && installed.server.source === "python-on-path");
  });

  test("a configured interpreter without packls runs the bundle", async () => {
    const env = fakeEnv({ bundled: launcher, executables: ["/opt/py/bin/python"], versions: { "/opt/py/bin/python": [3, 13] } });
    const r = await discoverServer({ ...defaults, pythonInterpreter: "/opt/py/bin/python" }, env);
    assert.ok(r.ok);
    assert.equal(r.server.source, "bundled");
    assert.equal(r.server.command, "/opt/py/bin/python");
  });

  test("an untrusted workspace's interpreter is never run for the bundle either", async () => {
    const env = fakeEnv({
      bundled: launcher,
      trusted: false,
      folders: ["/home/ann/packs"],
      path: "/home/ann/packs/.venv/bin:/usr/bin",
      executables: ["/home/ann/packs/.venv/bin/python3", "/usr/bin/python3"],
      versions: { "/home/ann/packs/.venv/bin/python3": [3, 12], "/usr/bin/python3": [3, 11] },
      pythonExtension: "/home/ann/packs/.venv/bin/python3",
    });
    const r = await discoverServer(defaults, env);
    assert.ok(r.ok);
    assert.equal(r.server.command, "/usr/bin/python3");
  });

  test("no Python new enough: says so, and how to fix it", async () => {
    const env = fakeEnv({ bundled: launcher, executables: ["/usr/bin/python3"], versions: { "/usr/bin/python3": [3, 8] } });
    const r = await discoverServer(defaults, env);
    assert.ok(!r.ok);
    assert.match(r.message, /could not find a Python 3\.11 or newer to run the server bundled with the extension/);
    assert.match(r.fix, /Install Python 3\.11 or newer/);
  });
});

describe("untrusted workspaces", () => {
  const folders = ["/home/ann/packs"];

  test("PATH entries inside the workspace are not searched", async () => {
    const env = fakeEnv({
      trusted: false,
      folders,
      path: "/home/ann/packs/bin:/usr/bin",
      executables: ["/home/ann/packs/bin/packls", "/usr/bin/packls"],
    });
    const r = await discoverServer(defaults, env);
    assert.ok(r.ok);
    assert.equal(r.server.command, "/usr/bin/packls");
  });

  test("a trusted workspace may put its own bin on PATH", async () => {
    const env = fakeEnv({ folders, path: "/home/ann/packs/bin:/usr/bin", executables: ["/home/ann/packs/bin/packls", "/usr/bin/packls"] });
    const r = await discoverServer(defaults, env);
    assert.ok(r.ok);
    assert.equal(r.server.command, "/home/ann/packs/bin/packls");
  });

  test("relative and empty PATH entries never count", async () => {
    const env = fakeEnv({ path: ":.:bin:/usr/bin", executables: ["bin/packls", "./packls", "/usr/bin/packls"] });
    assert.equal(await which("packls", env), "/usr/bin/packls");
  });

  test("a server path inside the untrusted workspace is refused", async () => {
    const env = fakeEnv({ trusted: false, folders, executables: ["/home/ann/packs/.venv/bin/packls"] });
    const r = await discoverServer({ ...defaults, serverPath: "/home/ann/packs/.venv/bin/packls" }, env);
    assert.ok(!r.ok);
    assert.match(r.message, /untrusted workspace/);
    assert.match(r.fix, /Trust the workspace/);
  });

  test("the Python extension's workspace venv is skipped", async () => {
    const env = fakeEnv({
      trusted: false,
      folders,
      executables: ["/usr/bin/python3"],
      withPackls: ["/home/ann/packs/.venv/bin/python", "/usr/bin/python3"],
      pythonExtension: "/home/ann/packs/.venv/bin/python",
    });
    const r = await discoverServer(defaults, env);
    assert.ok(r.ok);
    assert.equal(r.server.command, "/usr/bin/python3");
    assert.ok(!env.probed.includes("/home/ann/packs/.venv/bin/python"), "the workspace interpreter is never run");
  });

  test("a configured interpreter inside the untrusted workspace is refused without running it", async () => {
    const env = fakeEnv({
      trusted: false,
      folders,
      executables: ["/home/ann/packs/.venv/bin/python"],
      withPackls: ["/home/ann/packs/.venv/bin/python"],
    });
    const r = await discoverServer({ ...defaults, pythonInterpreter: "/home/ann/packs/.venv/bin/python" }, env);
    assert.ok(!r.ok);
    assert.deepEqual(env.probed, []);
  });
});

describe("Windows", () => {
  test("PATHEXT is tried and paths use backslashes", async () => {
    const env = fakeEnv({
      platform: "win32",
      path: "C:\\Python312\\Scripts;C:\\Windows",
      executables: ["C:\\Python312\\Scripts\\packls.exe"],
      folders: ["C:\\work\\packs"],
    });
    const r = await discoverServer(defaults, env);
    assert.ok(r.ok);
    assert.equal(r.server.command, "C:\\Python312\\Scripts\\packls.exe");
  });

  test("workspace containment ignores case", async () => {
    const env = fakeEnv({
      platform: "win32",
      trusted: false,
      path: "C:\\WORK\\PACKS\\bin;C:\\tools",
      executables: ["C:\\WORK\\PACKS\\bin\\packls.exe", "C:\\tools\\packls.exe"],
      folders: ["C:\\work\\packs"],
    });
    const r = await discoverServer(defaults, env);
    assert.ok(r.ok);
    assert.equal(r.server.command, "C:\\tools\\packls.exe");
  });
});

test("server processes run with PYTHONSAFEPATH so the workspace cannot shadow the packls module", () => {
  const env = serverEnvironment({ PATH: "/usr/bin", EMPTY: undefined });
  assert.deepEqual(env, { PATH: "/usr/bin", PYTHONSAFEPATH: "1" });
});
