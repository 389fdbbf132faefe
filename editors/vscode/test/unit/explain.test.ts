import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { explainLink, isExplainable } from "../../src/explain";
import { traceRequested } from "../../src/settings";

describe("the hover's link to the full explanation", () => {
  test("only runtime_version lines get it", () => {
    assert.ok(isExplainable('runtime_version: ">=3.11"'));
    assert.ok(isExplainable('  - runtime_version: "3.12"'));
    assert.ok(!isExplainable("runner_type: python"));
    assert.ok(!isExplainable("description: runtime_version: is explained here"));
  });

  test("the link runs the explain command for that file and position", () => {
    const link = explainLink("file:///home/ann/packs/a b.yaml", 3, 19);
    const m = /^\[Full explanation\]\(command:packls\.explainVersion\?([^ ]+) "[^"]+"\)$/.exec(link);
    assert.ok(m, link);
    assert.deepEqual(JSON.parse(decodeURIComponent(m[1])), ["file:///home/ann/packs/a b.yaml", 3, 19]);
  });
});

describe("packls.trace.server", () => {
  test("traces for messages, compact and verbose; never for off or a value it does not know", () => {
    assert.deepEqual(
      ["off", "messages", "compact", "verbose", undefined, "Messages", 1].map(traceRequested),
      [false, true, true, true, false, false, false],
    );
  });
});
