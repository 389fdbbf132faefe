// The real `DiscoveryEnv`: file system, PATH and a probe that asks an interpreter for packls.
// Node only (no `vscode` import), shared by the extension and the end-to-end test.

import { execFile } from "node:child_process";
import { constants, promises as fs } from "node:fs";
import * as os from "node:os";
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

export function nodeDiscoveryEnv(options: {
  workspaceFolders: string[];
  trusted: boolean;
  pythonExtensionInterpreter?: () => Promise<string | undefined>;
  pathEnv?: string;
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
  };
}
