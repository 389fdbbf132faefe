import assert from "node:assert/strict";
import * as path from "node:path";
import { describe, test } from "node:test";
import { documentSelector, owningPack, packRoots } from "../../src/packs";

const rel = (base: string, pattern: string) => ({ baseUri: `file://${base}`, pattern });

describe("which files packls gets", () => {
  test("pack roots are the folders of pack.yaml files, unique and sorted", () => {
    assert.deepEqual(
      packRoots(["/w/packs/b/pack.yaml", "/w/packs/a/pack.yaml", "/w/packs/a/pack.yaml", "/w/other/notpack.yaml"], path.posix),
      ["/w/packs/a", "/w/packs/b"],
    );
  });

  test("the selector covers YAML under each pack root only", () => {
    assert.deepEqual(documentSelector(["/w/packs/a", "/w/packs/b"], rel), [
      { scheme: "file", language: "yaml", pattern: { baseUri: "file:///w/packs/a", pattern: "**/*.{yaml,yml}" } },
      { scheme: "file", language: "yaml", pattern: { baseUri: "file:///w/packs/b", pattern: "**/*.{yaml,yml}" } },
    ]);
  });

  test("with no pack yet, only pack.yaml files are selected (never all YAML)", () => {
    assert.deepEqual(documentSelector([], rel), [{ scheme: "file", language: "yaml", pattern: "**/pack.yaml" }]);
  });

  test("the owning pack is the nearest root above a file", () => {
    const roots = ["/w", "/w/packs/a"];
    assert.equal(owningPack("/w/packs/a/actions/x.yaml", roots, path.posix), "/w/packs/a");
    assert.equal(owningPack("/w/.github/workflows/ci.yaml", roots, path.posix), "/w");
    assert.equal(owningPack("/elsewhere/x.yaml", roots, path.posix), undefined);
    assert.equal(owningPack("/w/packs/ab/x.yaml", ["/w/packs/a"], path.posix), undefined);
  });
});
