// A fake world for server discovery: which files exist and which interpreters have packls.
import type { DiscoveryEnv, ProbeResult } from "../../src/discovery";
import type { ChangeEvent, ConfigReader } from "../../src/settings";

export interface FakeWorld {
  platform?: NodeJS.Platform;
  path?: string;
  executables?: string[];
  withPackls?: string[];
  folders?: string[];
  trusted?: boolean;
  pythonExtension?: string | (() => Promise<string | undefined>);
  /** The extension ships a bundled server with this launcher. */
  bundled?: string;
  /** Interpreter versions; an executable python not listed here does not run. */
  versions?: Record<string, [number, number]>;
}

export function fakeEnv(world: FakeWorld): DiscoveryEnv & { probed: string[] } {
  const executables = new Set(world.executables ?? []);
  const withPackls = new Set(world.withPackls ?? []);
  const probed: string[] = [];
  const ext = world.pythonExtension;
  return {
    platform: world.platform ?? "linux",
    pathEnv: world.path ?? "/usr/local/bin:/usr/bin",
    pathExt: ".EXE;.CMD",
    homeDir: world.platform === "win32" ? "C:\\Users\\ann" : "/home/ann",
    workspaceFolders: world.folders ?? ["/home/ann/packs"],
    trusted: world.trusted ?? true,
    probed,
    isExecutable: async (file: string) => executables.has(file),
    canImportPackls: async (python: string): Promise<ProbeResult> => {
      probed.push(python);
      return withPackls.has(python) ? { ok: true } : { ok: false, detail: "ModuleNotFoundError: No module named 'packls'" };
    },
    pythonExtensionInterpreter:
      ext === undefined ? undefined : typeof ext === "string" ? async () => ext : ext,
    bundledLauncher: world.bundled,
    pythonVersion: async (python: string) => (executables.has(python) ? world.versions?.[python] : undefined),
  };
}

/** A `getConfiguration("packls")` stand-in: values per scope, like VS Code's inspect(). */
export function fakeConfig(values: {
  defaults?: Record<string, unknown>;
  user?: Record<string, unknown>;
  workspace?: Record<string, unknown>;
  folder?: Record<string, unknown>;
}): ConfigReader {
  const defaults = values.defaults ?? {};
  const user = values.user ?? {};
  const workspace = values.workspace ?? {};
  const folder = values.folder ?? {};
  return {
    get<T>(key: string): T | undefined {
      return (folder[key] ?? workspace[key] ?? user[key] ?? defaults[key]) as T | undefined;
    },
    inspect<T>(key: string) {
      return {
        defaultValue: defaults[key] as T | undefined,
        globalValue: user[key] as T | undefined,
        workspaceValue: workspace[key] as T | undefined,
        workspaceFolderValue: folder[key] as T | undefined,
      };
    },
  };
}

export function changeOf(...sections: string[]): ChangeEvent {
  return {
    affectsConfiguration: (section: string) =>
      sections.some((s) => s === section || s.startsWith(`${section}.`) || section.startsWith(`${s}.`)),
  };
}
