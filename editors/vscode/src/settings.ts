// The extension's settings: which ones the server reads, which ones change how it is launched.
// Plain TypeScript (no `vscode` import) so that unit tests run without VS Code.

/** The `packls` section keys the server itself reads (workspace/configuration and initializationOptions). */
export const SERVER_SETTING_KEYS = [
  "severity",
  "exclude",
  "extraCatalogPaths",
  "runtimeEnvsDir",
  "database",
  "diagnoseClosedFiles",
] as const;

/**
 * Server keys that make the server read arbitrary paths or connect to a database: in an untrusted
 * workspace only the user's own values count (they are `restrictedConfigurations` too).
 */
export const RESTRICTED_SERVER_KEYS = ["database", "extraCatalogPaths"] as const satisfies readonly ServerSettingKey[];

/** Keys that decide which process is started: a change restarts the server. */
export const LAUNCH_SETTING_KEYS = ["server.path", "server.args", "python.interpreter"] as const;

/** Keys only the client uses (vscode-languageclient reads `packls.trace.server` by itself). */
export const CLIENT_SETTING_KEYS = ["trace.server"] as const;

export type ServerSettingKey = (typeof SERVER_SETTING_KEYS)[number];
export type LaunchSettingKey = (typeof LAUNCH_SETTING_KEYS)[number];
export type RestrictedServerKey = (typeof RESTRICTED_SERVER_KEYS)[number];

/** Every key a workspace may not set in restricted mode, as `packls.<key>` (package.json's list). */
export const RESTRICTED_SETTINGS: readonly string[] = [...LAUNCH_SETTING_KEYS, ...RESTRICTED_SERVER_KEYS].map(
  (key) => `packls.${key}`,
);

/** Every setting the extension contributes, as `packls.<key>`. */
export const ALL_SETTINGS: readonly string[] = [
  ...SERVER_SETTING_KEYS,
  ...LAUNCH_SETTING_KEYS,
  ...CLIENT_SETTING_KEYS,
].map((key) => `packls.${key}`);

export type Severity = "error" | "warning" | "information" | "hint" | "off";

/** What the server receives: only the values a user set, never null or empty strings. */
export interface ServerSettings {
  severity?: Record<string, Severity>;
  exclude?: string[];
  extraCatalogPaths?: string[];
  runtimeEnvsDir?: string;
  database?: string;
  diagnoseClosedFiles?: boolean;
}

export interface LaunchSettings {
  serverPath: string;
  serverArgs: string[];
  pythonInterpreter: string;
}

export const DEFAULT_SERVER_ARGS: readonly string[] = ["serve"];

/** The part of `vscode.WorkspaceConfiguration` this module needs (for `getConfiguration("packls")`). */
export interface ConfigReader {
  get<T>(section: string): T | undefined;
  inspect<T>(section: string):
    | {
        defaultValue?: T;
        globalValue?: T;
        workspaceValue?: T;
        workspaceFolderValue?: T;
      }
    | undefined;
}

/** The part of `vscode.ConfigurationChangeEvent` this module needs. */
export interface ChangeEvent {
  affectsConfiguration(section: string): boolean;
}

/** Drop null/undefined (VS Code sends null for unset values) so the server's defaults apply. */
export function stripNulls<T>(value: T): T {
  if (Array.isArray(value)) {
    return value.filter((v) => v !== null && v !== undefined).map((v) => stripNulls(v)) as T;
  }
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
      if (v !== null && v !== undefined) {
        out[key] = stripNulls(v);
      }
    }
    return out as T;
  }
  return value;
}

const SEVERITIES: ReadonlySet<string> = new Set(["error", "warning", "information", "hint", "off"]);

function stringList(value: unknown): string[] | undefined {
  if (!Array.isArray(value)) {
    return undefined;
  }
  const items = value.filter((v): v is string => typeof v === "string" && v.trim() !== "");
  return items;
}

function nonEmptyString(value: unknown): string | undefined {
  return typeof value === "string" && value.trim() !== "" ? value.trim() : undefined;
}

/**
 * A setting's value; in an untrusted workspace only the user's own (global) value or the default,
 * so that a workspace cannot choose it.
 */
function trustedValue<T>(config: ConfigReader, key: string, trusted: boolean): T | undefined {
  if (trusted) {
    return config.get<T>(key);
  }
  const info = config.inspect<T>(key);
  return info?.globalValue ?? info?.defaultValue;
}

/**
 * The `packls` section as the server should see it: valid values only, empty strings and
 * unknown severities dropped so the server's own defaults apply. Untrusted: the restricted keys
 * take the user's values only.
 */
export function readServerSettings(config: ConfigReader, trusted = true): ServerSettings {
  const out: ServerSettings = {};
  const severity = config.get<unknown>("severity");
  if (severity && typeof severity === "object" && !Array.isArray(severity)) {
    const map: Record<string, Severity> = {};
    for (const [code, level] of Object.entries(severity as Record<string, unknown>)) {
      if (typeof level === "string" && SEVERITIES.has(level)) {
        map[code] = level as Severity;
      }
    }
    out.severity = map;
  }
  const exclude = stringList(config.get<unknown>("exclude"));
  if (exclude) {
    out.exclude = exclude;
  }
  const extra = stringList(trustedValue<unknown>(config, "extraCatalogPaths", trusted));
  if (extra) {
    out.extraCatalogPaths = extra;
  }
  const envs = nonEmptyString(config.get<unknown>("runtimeEnvsDir"));
  if (envs) {
    out.runtimeEnvsDir = envs;
  }
  const database = nonEmptyString(trustedValue<unknown>(config, "database", trusted));
  if (database) {
    out.database = database;
  }
  const closed = config.get<unknown>("diagnoseClosedFiles");
  if (typeof closed === "boolean") {
    out.diagnoseClosedFiles = closed;
  }
  return out;
}

/**
 * Launch settings. In an untrusted workspace only the user's own (global) values count: a
 * workspace must not be able to choose the binary the extension starts.
 */
export function readLaunchSettings(config: ConfigReader, trusted: boolean): LaunchSettings {
  const pick = <T>(key: string): T | undefined => trustedValue<T>(config, key, trusted);
  const args = pick<unknown>("server.args");
  return {
    serverPath: nonEmptyString(pick<unknown>("server.path")) ?? "",
    serverArgs:
      Array.isArray(args) && args.every((a) => typeof a === "string")
        ? (args as string[])
        : [...DEFAULT_SERVER_ARGS],
    pythonInterpreter: nonEmptyString(pick<unknown>("python.interpreter")) ?? "",
  };
}

/** Top-level keys of the `packls` section that only the extension reads (`server.path`, `trace.server`, …). */
const EXTENSION_ONLY_ROOTS: ReadonlySet<string> = new Set(
  [...LAUNCH_SETTING_KEYS, ...CLIENT_SETTING_KEYS].map((key) => key.split(".")[0]),
);

/**
 * One `workspace/configuration` answer as the server should see it: nulls stripped so its
 * defaults apply, the extension's own keys left out (the server would call them unknown), and
 * in an untrusted workspace the restricted keys taken from the user's settings only. VS Code
 * itself drops restricted workspace values in restricted mode; this makes sure of it.
 */
export function answerForServer(section: string | undefined, answer: unknown, config: ConfigReader, trusted: boolean): unknown {
  const clean = stripNulls(answer);
  const key = section?.startsWith("packls.") ? section.slice("packls.".length) : undefined;
  if (key !== undefined) {
    return !trusted && isRestrictedServerKey(key) ? (stripNulls(trustedValue<unknown>(config, key, false)) ?? null) : clean;
  }
  if (section !== "packls" || clean === null || typeof clean !== "object" || Array.isArray(clean)) {
    return clean;
  }
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(clean as Record<string, unknown>)) {
    if (!EXTENSION_ONLY_ROOTS.has(name)) {
      out[name] = value;
    }
  }
  if (!trusted) {
    for (const name of RESTRICTED_SERVER_KEYS) {
      const value = stripNulls(trustedValue<unknown>(config, name, false));
      if (value === undefined || value === null) {
        delete out[name];
      } else {
        out[name] = value;
      }
    }
  }
  return out;
}

function isRestrictedServerKey(key: string): key is RestrictedServerKey {
  return (RESTRICTED_SERVER_KEYS as readonly string[]).includes(key);
}

/** Whether `packls.trace.server` asks for a protocol trace (anything but "off" or an unknown value). */
export function traceRequested(value: unknown): boolean {
  return value === "messages" || value === "compact" || value === "verbose";
}

/** True when a configuration change means the server process must be started again. */
export function needsRestart(event: ChangeEvent): boolean {
  return LAUNCH_SETTING_KEYS.some((key) => event.affectsConfiguration(`packls.${key}`));
}

/** True when a change touches what the server reads (it re-pulls on didChangeConfiguration). */
export function affectsServerSettings(event: ChangeEvent): boolean {
  return SERVER_SETTING_KEYS.some((key) => event.affectsConfiguration(`packls.${key}`));
}
