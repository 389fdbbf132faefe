// Finding the packls server: the configured path, else `packls` on PATH, else `python -m packls`,
// else the server bundled in the extension, run by any Python >= 3.11.
// Plain TypeScript (no `vscode` import): everything the outside world answers comes in through
// `DiscoveryEnv`, so unit tests can fake the file system, PATH and interpreters.

import * as nodePath from "node:path";
import type { LaunchSettings } from "./settings";

export type ServerSource =
  | "setting" // packls.server.path
  | "path" // `packls` found on PATH
  | "interpreter" // packls.python.interpreter -m packls
  | "python-extension" // the Python extension's selected interpreter -m packls
  | "python-on-path" // python3 / python on PATH -m packls
  | "bundled"; // the packls inside the extension (bundled/libs), run by a Python >= 3.11

export interface ServerCommand {
  /** Executable to spawn. */
  command: string;
  /** Arguments for the language server (base arguments + packls.server.args). */
  args: string[];
  /** The command line that runs other packls subcommands (`validate`, `sync`): `[command, ...]`. */
  base: string[];
  source: ServerSource;
  /** One line for the output channel: what was chosen and why. */
  description: string;
}

export interface ProbeResult {
  ok: boolean;
  /** Why not, in the interpreter's own words (last line of stderr). */
  detail?: string;
}

export interface DiscoveryEnv {
  platform: NodeJS.Platform;
  /** The PATH the server will be started with. */
  pathEnv: string | undefined;
  /** Windows PATHEXT. */
  pathExt?: string;
  homeDir: string;
  /** File system paths of the workspace folders (first one expands `${workspaceFolder}`). */
  workspaceFolders: string[];
  trusted: boolean;
  /** An existing regular file that may be executed. */
  isExecutable(file: string): Promise<boolean>;
  /** Whether `python -c "import packls"` succeeds. */
  canImportPackls(python: string): Promise<ProbeResult>;
  /** The interpreter selected in the Python extension, when it is installed. */
  pythonExtensionInterpreter?(): Promise<string | undefined>;
  /** The launcher of the server bundled with the extension (`bundled/tool/launch.py`), when it ships one. */
  bundledLauncher?: string;
  /** An interpreter's `[major, minor]`, or undefined when it does not run. */
  pythonVersion?(python: string): Promise<[number, number] | undefined>;
}

/** The oldest Python the bundled server runs on (packls' own `requires-python`). */
export const BUNDLED_MIN_PYTHON: readonly [number, number] = [3, 11];

/** Interpreter names tried for the bundled server after the configured and the Python extension's. */
const BUNDLED_PYTHON_NAMES = ["python3", "python", "python3.14", "python3.13", "python3.12", "python3.11"];

export type DiscoveryResult =
  | { ok: true; server: ServerCommand; tried: string[] }
  | { ok: false; message: string; fix: string; tried: string[] };

function pathApi(platform: NodeJS.Platform): typeof nodePath.posix {
  return platform === "win32" ? nodePath.win32 : nodePath.posix;
}

/** `~`, `${userHome}` and `${workspaceFolder}` expanded; relative paths made absolute against the first folder. */
export function expandPath(value: string, env: DiscoveryEnv): string {
  const p = pathApi(env.platform);
  let out = value.trim();
  const folder = env.workspaceFolders[0];
  out = out.replace(/\$\{userHome\}/g, env.homeDir);
  if (folder !== undefined) {
    out = out.replace(/\$\{workspaceFolder\}/g, folder);
  }
  if (out === "~" || out.startsWith("~/") || out.startsWith("~\\")) {
    out = p.join(env.homeDir, out.slice(1));
  }
  if (looksLikePath(out, env.platform) && !p.isAbsolute(out) && folder !== undefined) {
    out = p.resolve(folder, out);
  }
  return out;
}

/** A bare command name (`packls`, `python3`) is looked up on PATH; anything with a separator is a path. */
export function looksLikePath(value: string, platform: NodeJS.Platform): boolean {
  return value.includes("/") || (platform === "win32" && value.includes("\\"));
}

/** Whether `file` lies inside one of the workspace folders. */
export function isInsideWorkspace(file: string, env: DiscoveryEnv): boolean {
  const p = pathApi(env.platform);
  const norm = (s: string) => (env.platform === "win32" ? s.toLowerCase() : s);
  return env.workspaceFolders.some((folder) => {
    const rel = p.relative(norm(folder), norm(file));
    return rel === "" || (!rel.startsWith("..") && !p.isAbsolute(rel));
  });
}

/**
 * PATH entries that may be searched. Relative entries (and an empty one, which means the
 * current directory) never count; in an untrusted workspace neither do entries inside it.
 */
export function searchDirs(env: DiscoveryEnv): string[] {
  const p = pathApi(env.platform);
  const sep = env.platform === "win32" ? ";" : ":";
  return (env.pathEnv ?? "")
    .split(sep)
    .map((d) => d.trim().replace(/^"(.*)"$/, "$1"))
    .filter((d) => d !== "" && p.isAbsolute(d))
    .filter((d) => env.trusted || !isInsideWorkspace(d, env));
}

/** The first executable called `name` on PATH (with PATHEXT on Windows). */
export async function which(name: string, env: DiscoveryEnv): Promise<string | undefined> {
  const p = pathApi(env.platform);
  const exts =
    env.platform === "win32"
      ? ["", ...(env.pathExt ?? ".EXE;.CMD;.BAT;.COM").split(";").filter(Boolean)]
      : [""];
  for (const dir of searchDirs(env)) {
    for (const ext of exts) {
      const candidate = p.join(dir, name + ext.toLowerCase());
      if (await env.isExecutable(candidate)) {
        return candidate;
      }
    }
  }
  return undefined;
}

function pythonServer(python: string, args: string[], source: ServerSource, why: string): ServerCommand {
  return {
    command: python,
    args: ["-m", "packls", ...args],
    base: [python, "-m", "packls"],
    source,
    description: `${python} -m packls ${args.join(" ")} (${why})`.replace(/ +\(/, " ("),
  };
}

function bundledServer(python: string, launcher: string, args: string[], why: string, version: [number, number]): ServerCommand {
  // -I: the user's site-packages and PYTHON* variables cannot swap in other libraries.
  const base = [python, "-I", launcher];
  return {
    command: python,
    args: ["-I", launcher, ...args],
    base,
    source: "bundled",
    description: `${base.join(" ")} ${args.join(" ")} (the server bundled with the extension; Python ${version.join(".")}, ${why})`,
  };
}

/** The first interpreter that runs and is new enough for the bundled server. */
async function bundledCandidate(
  candidates: { python: string; why: string }[],
  env: DiscoveryEnv,
  tried: string[],
): Promise<{ python: string; why: string; version: [number, number] } | undefined> {
  if (env.bundledLauncher === undefined || env.pythonVersion === undefined) {
    return undefined;
  }
  const seen = new Set<string>();
  for (const candidate of candidates) {
    if (seen.has(candidate.python)) {
      continue;
    }
    seen.add(candidate.python);
    const version = await env.pythonVersion(candidate.python);
    const fits = version !== undefined && (version[0] > BUNDLED_MIN_PYTHON[0] || (version[0] === BUNDLED_MIN_PYTHON[0] && version[1] >= BUNDLED_MIN_PYTHON[1]));
    if (fits) {
      return { ...candidate, version };
    }
    tried.push(`bundled server with ${candidate.python} (${candidate.why}): ${version ? `Python ${version.join(".")} is older than ${BUNDLED_MIN_PYTHON.join(".")}` : "does not run"}`);
  }
  return undefined;
}

const BUNDLED_FIX =
  "Install Python 3.11 or newer (python3 on PATH), or set `packls.python.interpreter` to one; " +
  "or install packls itself (`pipx install packls`) or set `packls.server.path` to a packls executable.";

const INSTALL_FIX =
  "Install packls (`pipx install packls`, or `python3 -m pip install packls` in the interpreter you use), " +
  "or set `packls.server.path` to the packls executable, or `packls.python.interpreter` to a Python that has packls installed.";

/** Resolve the server command in the documented order. Never throws. */
export async function discoverServer(settings: LaunchSettings, env: DiscoveryEnv): Promise<DiscoveryResult> {
  const tried: string[] = [];
  const args = settings.serverArgs.length > 0 ? settings.serverArgs : ["serve"];

  // 1. packls.server.path: the user said exactly what to run; failing to run it is an error, not a fallback.
  if (settings.serverPath !== "") {
    const expanded = expandPath(settings.serverPath, env);
    const resolved = looksLikePath(expanded, env.platform) ? expanded : await which(expanded, env);
    tried.push(`packls.server.path = ${settings.serverPath}`);
    if (resolved === undefined || !(await env.isExecutable(resolved))) {
      return {
        ok: false,
        tried,
        message: `packls.server.path is set to '${settings.serverPath}', which is not an executable file.`,
        fix: "Correct `packls.server.path` (an absolute path to the packls executable), or clear it to let packls find its server on PATH.",
      };
    }
    if (!env.trusted && isInsideWorkspace(resolved, env)) {
      return {
        ok: false,
        tried,
        message: `packls will not start '${resolved}': it lies inside this untrusted workspace.`,
        fix: "Trust the workspace (Workspaces: Manage Workspace Trust), or install packls outside the workspace.",
      };
    }
    return {
      ok: true,
      tried,
      server: { command: resolved, args: [...args], base: [resolved], source: "setting", description: `${resolved} ${args.join(" ")} (packls.server.path)` },
    };
  }

  // 2. `packls` on PATH.
  const onPath = await which("packls", env);
  tried.push("`packls` on PATH");
  if (onPath !== undefined) {
    return {
      ok: true,
      tried,
      server: { command: onPath, args: [...args], base: [onPath], source: "path", description: `${onPath} ${args.join(" ")} (found on PATH)` },
    };
  }

  // 3. python -m packls: the configured interpreter, else the Python extension's, else python3/python on PATH.
  if (settings.pythonInterpreter !== "") {
    const expanded = expandPath(settings.pythonInterpreter, env);
    const python = looksLikePath(expanded, env.platform) ? expanded : await which(expanded, env);
    tried.push(`packls.python.interpreter = ${settings.pythonInterpreter}`);
    if (python === undefined || !(await env.isExecutable(python))) {
      return {
        ok: false,
        tried,
        message: `packls.python.interpreter is set to '${settings.pythonInterpreter}', which is not an executable file.`,
        fix: "Correct `packls.python.interpreter`, or clear it to use the Python extension's interpreter.",
      };
    }
    if (!env.trusted && isInsideWorkspace(python, env)) {
      return {
        ok: false,
        tried,
        message: `packls will not start '${python}': it lies inside this untrusted workspace.`,
        fix: "Trust the workspace (Workspaces: Manage Workspace Trust), or point `packls.python.interpreter` (user settings) at a Python outside it.",
      };
    }
    const probe = await env.canImportPackls(python);
    if (!probe.ok) {
      const bundled = await bundledCandidate([{ python, why: "packls.python.interpreter" }], env, tried);
      if (bundled !== undefined && env.bundledLauncher !== undefined) {
        return { ok: true, tried, server: bundledServer(bundled.python, env.bundledLauncher, args, bundled.why, bundled.version) };
      }
      return {
        ok: false,
        tried,
        message: `packls is not installed in ${python}${probe.detail ? ` (${probe.detail})` : ""}.`,
        fix: `Run \`${python} -m pip install packls\`, or change \`packls.python.interpreter\`.`,
      };
    }
    return { ok: true, tried, server: pythonServer(python, args, "interpreter", "packls.python.interpreter") };
  }

  const candidates: { python: string; source: ServerSource; why: string }[] = [];
  if (env.pythonExtensionInterpreter) {
    let selected: string | undefined;
    try {
      selected = await env.pythonExtensionInterpreter();
    } catch {
      selected = undefined;
    }
    if (selected) {
      if (!env.trusted && isInsideWorkspace(selected, env)) {
        tried.push(`Python extension interpreter ${selected} (skipped: inside the untrusted workspace)`);
      } else {
        candidates.push({ python: selected, source: "python-extension", why: "the Python extension's interpreter" });
      }
    }
  }
  for (const name of env.platform === "win32" ? ["python", "py"] : ["python3", "python"]) {
    const found = await which(name, env);
    if (found !== undefined && !candidates.some((c) => c.python === found)) {
      candidates.push({ python: found, source: "python-on-path", why: `${name} on PATH` });
    }
  }
  for (const candidate of candidates) {
    const probe = await env.canImportPackls(candidate.python);
    tried.push(`${candidate.python} -m packls (${candidate.why})${probe.ok ? "" : ": packls not installed"}`);
    if (probe.ok) {
      return { ok: true, tried, server: pythonServer(candidate.python, args, candidate.source, candidate.why) };
    }
  }
  // 4. The server bundled with the extension, with the first Python >= 3.11 found.
  if (env.bundledLauncher !== undefined) {
    const more: { python: string; why: string }[] = [];
    for (const name of env.platform === "win32" ? ["python"] : BUNDLED_PYTHON_NAMES) {
      const found = await which(name, env);
      if (found !== undefined) {
        more.push({ python: found, why: `${name} on PATH` });
      }
    }
    const bundled = await bundledCandidate([...candidates, ...more], env, tried);
    if (bundled !== undefined) {
      return { ok: true, tried, server: bundledServer(bundled.python, env.bundledLauncher, args, bundled.why, bundled.version) };
    }
  }
  if (candidates.length === 0) {
    tried.push("python -m packls (no Python interpreter found)");
  }
  return {
    ok: false,
    tried,
    message:
      env.bundledLauncher !== undefined
        ? `packls could not find a Python ${BUNDLED_MIN_PYTHON.join(".")} or newer to run the server bundled with the extension.`
        : "packls could not find its language server.",
    fix: env.bundledLauncher !== undefined ? BUNDLED_FIX : INSTALL_FIX,
  };
}

/**
 * The environment for packls processes. PYTHONSAFEPATH (Python 3.11+, ignored before) keeps
 * `python -m packls` from importing a `packls` module out of the current directory, so a
 * workspace cannot swap in its own code.
 */
export function serverEnvironment(base: Readonly<Record<string, string | undefined>>): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(base)) {
    if (value !== undefined) {
      env[key] = value;
    }
  }
  env.PYTHONSAFEPATH = "1";
  return env;
}

/** The user-facing error text: what happened, what was tried, what to do. */
export function describeFailure(result: Extract<DiscoveryResult, { ok: false }>): string {
  return `${result.message} Tried: ${result.tried.join("; ")}. ${result.fix}`;
}
