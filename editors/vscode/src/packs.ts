// Which files the extension hands to packls: YAML files inside a pack (a folder with pack.yaml).
// Plain TypeScript (no `vscode` import).

import * as nodePath from "node:path";

export const MANIFEST = "pack.yaml";
export const MANIFEST_GLOB = "**/pack.yaml";
/** Files read inside a pack; pack_check also looks at YAML elsewhere in the tree. */
export const PACK_FILE_GLOB = "**/*.{yaml,yml}";

/** Pack roots from the manifests found in the workspace: unique, sorted, nested packs kept. */
export function packRoots(manifests: readonly string[], path: typeof nodePath.posix = nodePath): string[] {
  const roots = new Set<string>();
  for (const manifest of manifests) {
    if (path.basename(manifest) === MANIFEST) {
      roots.add(path.dirname(manifest));
    }
  }
  return [...roots].sort();
}

/** The pack that owns `file`: the nearest root above it, or undefined. */
export function owningPack(
  file: string,
  roots: readonly string[],
  path: typeof nodePath.posix = nodePath,
): string | undefined {
  let best: string | undefined;
  for (const root of roots) {
    const rel = path.relative(root, file);
    if (rel !== "" && !rel.startsWith("..") && !path.isAbsolute(rel)) {
      if (best === undefined || root.length > best.length) {
        best = root;
      }
    }
  }
  return best;
}

export interface PackDocumentFilter<P> {
  scheme: "file";
  language: "yaml";
  pattern: P;
}

/**
 * The document selector: YAML files on disk under a pack root, and nothing else, so that
 * packls never attaches to other YAML (CI files, Kubernetes manifests) that Red Hat's YAML
 * extension handles. `relativePattern` builds the protocol's RelativePattern (`{ baseUri, pattern }`,
 * so no glob escaping is needed for odd folder names). Without any pack, the selector still covers `pack.yaml`
 * files so a pack created later is picked up after a restart.
 */
export function documentSelector<P>(
  roots: readonly string[],
  relativePattern: (base: string, glob: string) => P,
): PackDocumentFilter<P | string>[] {
  if (roots.length === 0) {
    return [{ scheme: "file", language: "yaml", pattern: MANIFEST_GLOB }];
  }
  return roots.map((root) => ({ scheme: "file", language: "yaml", pattern: relativePattern(root, PACK_FILE_GLOB) }));
}
