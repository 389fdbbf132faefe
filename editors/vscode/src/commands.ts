// Command lines the extension runs in a terminal: `packls validate` and `packls sync --detect`.
// Plain TypeScript (no `vscode` import).

import type { ServerCommand } from "./discovery";
import type { ServerSettings } from "./settings";

export interface CommandLine {
  command: string;
  args: string[];
}

function split(base: readonly string[], extra: string[]): CommandLine {
  const [command, ...rest] = base;
  if (command === undefined) {
    throw new Error("empty packls command");
  }
  return { command, args: [...rest, ...extra] };
}

/** `packls validate FOLDER...`: the same findings as the editor, as text in a terminal. */
export function validateCommand(server: ServerCommand, folders: readonly string[]): CommandLine {
  return split(server.base, ["validate", ...(folders.length > 0 ? folders : ["."])]);
}

/**
 * `packls sync --detect`: runs the runtimes' verification commands, so only in a trusted
 * workspace; the registry store follows `packls.database` when it is set.
 */
export function syncDetectCommand(server: ServerCommand, settings: ServerSettings, folders: readonly string[]): CommandLine {
  // `--detect PATH...` takes the folders whose runtimes it verifies (the built-in catalog always).
  const extra = ["sync", "--detect", ...folders];
  if (settings.database) {
    extra.push("--database", settings.database);
  }
  return split(server.base, extra);
}

/** A line a person can paste into a shell (POSIX quoting), for the output channel. */
export function shellQuote(line: CommandLine): string {
  const quote = (s: string) => (/^[A-Za-z0-9_@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);
  return [line.command, ...line.args].map(quote).join(" ");
}
