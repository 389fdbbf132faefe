// The real `DiscoveryEnv`: file system, PATH and a probe that asks an interpreter for packls.
// Node only (no `vscode` import), shared by the extension and the end-to-end test.

import { execFile } from "node:child_process";
import { constants, existsSync, promises as fs } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { serverEnvironment, type DiscoveryEnv, type ProbeResult } from "./discovery";

export async function isExecutable(file: string): Promise<boolean> {
  try {
    const stat = await fs.stat(file);
    if (!stat.isFile()) {
      return false;
    }
    if (process.platform === "win32") {
      return true;
    }
    await fs.access(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** `python -c "import packls"`, bounded in time; never run with a shell. */
export function canImportPackls(python: string, timeoutMs = 15000): Promise<ProbeResult> {
  return new Promise((resolve) => {
    execFile(
      python,
      ["-c", "import packls"],
      { timeout: timeoutMs, windowsHide: true, env: serverEnvironment(process.env), cwd: os.tmpdir() },
      (error, _stdout, stderr) => {
        if (!error) {
          resolve({ ok: true });
          return;
        }
        const lines = String(stderr ?? "").trim().split(/\r?\n/);
        const detail = lines[lines.length - 1] || error.message;
        resolve({ ok: false, detail });
      },
    );
  });
}

/** An interpreter's `[major, minor]` (`python -I -c ...`, bounded in time), or undefined when it does not run. */
export function pythonVersion(python: string, timeoutMs = 15000): Promise<[number, number] | undefined> {
  return new Promise((resolve) => {
    execFile(
      python,
      ["-I", "-c", "import sys; print('%d %d' % sys.version_info[:2])"],
      { timeout: timeoutMs, windowsHide: true, cwd: os.tmpdir() },
      (error, stdout) => {
        const m = /^(\d+) (\d+)\s*$/.exec(String(stdout ?? ""));
        resolve(!error && m ? [Number(m[1]), Number(m[2])] : undefined);
      },
    );
  });
}

/** The launcher of the bundled server, when this copy of the extension ships one. */
export function bundledLauncher(extensionPath: string | undefined): string | undefined {
  if (extensionPath === undefined) {
    return undefined;
  }
  const launcher = path.join(extensionPath, "bundled", "tool", "launch.py");
  return existsSync(launcher) ? launcher : undefined;
}

export function nodeDiscoveryEnv(options: {
  workspaceFolders: string[];
  trusted: boolean;
  pythonExtensionInterpreter?: () => Promise<string | undefined>;
  pathEnv?: string;
  bundledLauncher?: string;
}): DiscoveryEnv {
  return {
    platform: process.platform,
    pathEnv: options.pathEnv ?? process.env.PATH,
    pathExt: process.env.PATHEXT,
    homeDir: os.homedir(),
    workspaceFolders: options.workspaceFolders,
    trusted: options.trusted,
    isExecutable,
    canImportPackls: (python) => canImportPackls(python),
    pythonExtensionInterpreter: options.pythonExtensionInterpreter,
    bundledLauncher: options.bundledLauncher,
    pythonVersion: (python) => pythonVersion(python),
  };
}
