// "Explain the version selection at the cursor": the server's hover for runtime_version,
// as a Markdown document. Plain TypeScript (no `vscode` import).

export interface MarkupContentLike {
  kind: string;
  value: string;
}
export type MarkedStringLike = string | { language: string; value: string };
export interface HoverLike {
  contents: MarkupContentLike | MarkedStringLike | MarkedStringLike[];
}

function marked(item: MarkedStringLike): string {
  return typeof item === "string" ? item : "```" + item.language + "\n" + item.value + "\n```";
}

/** Hover contents in any of the protocol's three shapes, as Markdown. */
export function hoverMarkdown(hover: HoverLike | null | undefined): string | undefined {
  if (!hover || hover.contents === undefined || hover.contents === null) {
    return undefined;
  }
  const c = hover.contents;
  let text: string;
  if (Array.isArray(c)) {
    text = c.map(marked).join("\n\n");
  } else if (typeof c === "object" && "kind" in c) {
    text = c.kind === "markdown" ? c.value : "```text\n" + c.value + "\n```";
  } else {
    text = marked(c as MarkedStringLike);
  }
  return text.trim() === "" ? undefined : text;
}

/** The document shown by the explain command: a title naming the file and line, then the hover. */
export function explanationDocument(fileLabel: string, line: number, hover: HoverLike | null | undefined): string {
  const body = hoverMarkdown(hover);
  const title = `# Runtime version selection: ${fileLabel}:${line + 1}`;
  if (body === undefined) {
    return (
      `${title}\n\npackls has nothing to explain here. Put the cursor on the \`runtime_version\` ` +
      "value (or the `runner_type`) of an action or sensor and run the command again.\n"
    );
  }
  return `${title}\n\n${body}\n`;
}

/** The position to ask about: on a `runtime_version:` key, move to its value. */
export function explainPosition(lineText: string, character: number): number {
  const m = /^(\s*-?\s*runtime_version\s*:\s*)(\S)/.exec(lineText);
  if (m && character < m[1].length) {
    return m[1].length + (m[2] === '"' || m[2] === "'" ? 1 : 0);
  }
  return character;
}

const RUNTIME_VERSION_LINE = /^\s*-?\s*runtime_version\s*:/;

/** Whether a hover on this line is a runtime_version hover, which links to its full explanation. */
export function isExplainable(lineText: string): boolean {
  return RUNTIME_VERSION_LINE.test(lineText);
}

/** The command a hover's link runs: the explain command for one file and position. */
export const EXPLAIN_COMMAND = "packls.explainVersion";

/** The Markdown link a runtime_version hover ends with (a trusted command link in VS Code). */
export function explainLink(uri: string, line: number, character: number): string {
  const args = encodeURIComponent(JSON.stringify([uri, line, character]));
  return `[Full explanation](command:${EXPLAIN_COMMAND}?${args} "Open the whole explanation beside the editor")`;
}
