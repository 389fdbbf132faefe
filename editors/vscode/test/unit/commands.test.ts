import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { shellQuote, syncDetectCommand, validateCommand } from "../../src/commands";
import type { ServerCommand } from "../../src/discovery";
import { explainPosition, explanationDocument, hoverMarkdown } from "../../src/explain";

const viaPath: ServerCommand = { command: "/usr/bin/packls", args: ["serve", "--x"], base: ["/usr/bin/packls"], source: "path", description: "" };
const viaPython: ServerCommand = {
  command: "/usr/bin/python3",
  args: ["-m", "packls", "serve"],
  base: ["/usr/bin/python3", "-m", "packls"],
  source: "python-on-path",
  description: "",
};

describe("terminal commands use the server's executable, not its serve arguments", () => {
  test("validate", () => {
    assert.deepEqual(validateCommand(viaPath, ["/w/a", "/w/b"]), { command: "/usr/bin/packls", args: ["validate", "/w/a", "/w/b"] });
    assert.deepEqual(validateCommand(viaPython, []), { command: "/usr/bin/python3", args: ["-m", "packls", "validate", "."] });
  });

  test("sync --detect checks the workspace folders and follows packls.database", () => {
    assert.deepEqual(syncDetectCommand(viaPath, {}, ["/w/a", "/w/b"]), { command: "/usr/bin/packls", args: ["sync", "--detect", "/w/a", "/w/b"] });
    assert.deepEqual(syncDetectCommand(viaPath, { database: "postgresql://db/attune" }, ["/w"]), {
      command: "/usr/bin/packls",
      args: ["sync", "--detect", "/w", "--database", "postgresql://db/attune"],
    });
    assert.deepEqual(syncDetectCommand(viaPython, { database: "/tmp/r.db" }, []), {
      command: "/usr/bin/python3",
      args: ["-m", "packls", "sync", "--detect", "--database", "/tmp/r.db"],
    });
  });

  test("shellQuote makes a pasteable line", () => {
    assert.equal(shellQuote({ command: "/usr/bin/packls", args: ["validate", "/w/my packs", "it's"] }), "/usr/bin/packls validate '/w/my packs' 'it'\\''s'");
  });
});

describe("explain the version selection", () => {
  test("hover contents in all three protocol shapes", () => {
    assert.equal(hoverMarkdown({ contents: { kind: "markdown", value: "**3.13** selected" } }), "**3.13** selected");
    assert.equal(hoverMarkdown({ contents: { kind: "plaintext", value: "3.13" } }), "```text\n3.13\n```");
    assert.equal(hoverMarkdown({ contents: ["a", { language: "yaml", value: "b: 1" }] }), "a\n\n```yaml\nb: 1\n```");
    assert.equal(hoverMarkdown(null), undefined);
    assert.equal(hoverMarkdown({ contents: "" }), undefined);
  });

  test("the document names the file and line, or says what to do", () => {
    const doc = explanationDocument("packs/a/actions/x.yaml", 2, { contents: { kind: "markdown", value: "3.13 wins" } });
    assert.equal(doc, "# Runtime version selection: packs/a/actions/x.yaml:3\n\n3.13 wins\n");
    assert.match(explanationDocument("x.yaml", 0, null), /nothing to explain here/);
  });

  test("a cursor on the runtime_version key asks about its value", () => {
    assert.equal(explainPosition('runtime_version: ">=3.11,<4.0"', 3), 18);
    assert.equal(explainPosition("  runtime_version: 3.12", 0), 19);
    assert.equal(explainPosition('runtime_version: ">=3.11"', 20), 20);
    assert.equal(explainPosition("runner_type: python", 3), 3);
  });
});
