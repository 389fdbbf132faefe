"""Which files' findings an edit can change: identity edits reach everything, content edits neighbours.

Checks read other files in a few ways only: by identity (refs, runtime names and aliases,
duplicate refs, the pack ref), through a runtime's content (version resolution, the Python
versions a pack selects), through a ref's target (its visibility, a workflow file's tasks),
and through the pack's folder walk. So an edit that keeps a file's identity can only change
findings of the file, its pack manifest and requirements, the files it names or that name it,
and — for a runtime — every action, sensor and manifest.
"""

from __future__ import annotations

from pathlib import Path
from typing import Iterable, Mapping

from packls.features.refs import ref_sites
from packls.model import FileKind, Runtime
from packls.resolve import Resolution
from packls.syntax.nodes import Mapping as MappingNode, Node, Scalar, Sequence
from packls.workspace import REQUIREMENTS_FILE, SourceFile, Workspace

RUNNABLES = frozenset({FileKind.ACTION, FileKind.SENSOR})
WORKFLOWS = frozenset({FileKind.WORKFLOW, FileKind.LEGACY_WORKFLOW})
_PACK_WIDE = frozenset({FileKind.MANIFEST})


def surface(source: SourceFile) -> object:
    """What other files can see of a file: its kind and YAML values, without positions or comments."""
    if source.read_error is not None:
        return (source.kind, "unreadable")
    if source.kind is FileKind.PYTHON_REQUIREMENTS:
        return (source.kind, source.text)
    if source.parsed.problem is not None or source.parsed.root is None:
        return (source.kind, "invalid")
    try:
        return (source.kind, _plain(source.parsed.root, {}), len(source.parsed.documents))
    except RecursionError:
        return (source.kind, "deep", id(source))  # never equal to anything else: always re-check


def identity(source: SourceFile | None) -> object:
    """What other files look a file up by: kind, ref, runtime name and aliases (a manifest: all of it)."""
    if source is None:
        return None
    if source.kind in _PACK_WIDE:
        return surface(source)
    component = source.component
    if component is None:
        return (source.kind, None)
    key: tuple[object, ...] = (source.kind, component.ref)
    if isinstance(component, Runtime):
        key += (component.name, component.aliases)
    return key


def neighbours(
    path: Path,
    before: SourceFile | None,
    after: SourceFile,
    workspace: Workspace,
    resolutions: Mapping[Path, Resolution],
) -> set[Path]:
    """Files whose findings a content-only edit of `path` can change (the file itself included)."""
    affected = {path}
    root = after.pack_root
    affected |= {root / "pack.yaml", root / REQUIREMENTS_FILE}
    sources = list(workspace.sources())
    if after.kind is FileKind.RUNTIME:
        affected |= {s.path for s in sources if s.kind in RUNNABLES or s.kind is FileKind.MANIFEST}
        affected |= {s.path for s in sources if s.kind is FileKind.PYTHON_REQUIREMENTS}
    if after.kind in RUNNABLES:
        resolution = resolutions.get(path)
        if resolution is not None and resolution.runtime is not None:
            affected.add(resolution.runtime.path)
    if after.kind in WORKFLOWS:
        affected |= {s.path for s in sources if s.pack_root == root and s.kind is FileKind.ACTION}
    refs = {c.ref for c in (before.component if before else None, after.component) if c is not None and c.ref}
    for source in sources:
        for site in ref_sites(source, workspace):
            if site.ref in refs or site.written in refs:
                affected.add(source.path)
    for site in ref_sites(after, workspace):
        for target in workspace.components_by_ref(site.ref):
            affected.add(target.path)
    return affected


def _plain(node: Node, seen: dict[int, int]) -> object:
    known = seen.get(id(node))
    if known is not None:
        return ("alias", known)
    seen[id(node)] = len(seen)
    if isinstance(node, MappingNode):
        return ("m", tuple((_plain(p.key, seen), _plain(p.value, seen)) for p in node.pairs))
    if isinstance(node, Sequence):
        return ("s", tuple(_plain(item, seen) for item in node.items))
    assert isinstance(node, Scalar)
    return (type(node.value).__name__, node.text)


def everything(paths: Iterable[Path]) -> set[Path]:
    """All of them (an identity edit)."""
    return set(paths)
