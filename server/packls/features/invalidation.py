"""Which files' findings an edit can change: identity edits reach everything, content edits neighbours.

Checks read other files in a few ways only: by identity (refs, runtime names and aliases,
duplicate refs, the pack ref), through a runtime's content (version resolution, the Python
versions a pack selects), through a ref's target (its visibility, a workflow file's tasks),
and through the pack's folder walk. So an edit that keeps a file's identity can only change
findings of the file, its pack manifest and requirements, the files it names or that name it,
and — for a runtime — the actions and sensors resolving to it, with their packs' manifests.
"""

from __future__ import annotations

from itertools import islice
from pathlib import Path
from typing import AbstractSet as Set, Iterable, Mapping, MutableMapping

from packls.broken import broken_identity
from packls.features.refs import named_refs
from packls.model import FileKind, Runtime
from packls.resolve import Resolution
from packls.syntax.collector import collector_paused
from packls.syntax.nodes import Mapping as MappingNode, Node, Pair, Scalar, Sequence
from packls.syntax.shifted import shifted
from packls.syntax.spliced import Splice, child, kept, size
from packls.workspace import REQUIREMENTS_FILE, SourceFile, Workspace

RUNNABLES = frozenset({FileKind.ACTION, FileKind.SENSOR})
WORKFLOWS = frozenset({FileKind.WORKFLOW, FileKind.LEGACY_WORKFLOW})
_PACK_WIDE = frozenset({FileKind.MANIFEST})


BIG_SURFACE = 200_000  # characters; bigger single-mapping documents reuse the unchanged entries' surface


def surface(source: SourceFile, memo: MutableMapping[Path, object] | None = None) -> object:
    """What other files can see of a file: its kind and YAML values, without positions or comments.

    With a memo (per path), a big document's top-level entries whose text did not change reuse
    the previous surface of that entry (an edit then costs the edited entry, not the document).
    """
    if source.read_error is not None:
        return (source.kind, "unreadable")
    if source.kind is FileKind.PYTHON_REQUIREMENTS:
        return (source.kind, source.text)
    if source.parsed.problem is not None or source.parsed.root is None:
        problem = source.parsed.problem
        # others quote the message, and name the broken file with its problem line, ref and name
        return (source.kind, "invalid", problem.message if problem is not None else None, broken_identity(source))
    # A big document's surface is kept with its parse: the session asks again for the previous version's.
    notes = None
    if len(source.text) >= BIG_SURFACE:
        notes = source.parsed.notes
        if notes is None:
            notes = source.parsed.notes = {}
        kept = notes.get(("surface", source.kind))
        if kept is not None:
            return kept
    try:
        found = _surface_by_entry(source, memo) if memo is not None else None
        if found is None:
            found = (source.kind, _plain(source.parsed.root, {}), len(source.parsed.documents))
    except RecursionError:
        return (source.kind, "deep", id(source))  # never equal to anything else: always re-check
    if notes is not None:
        notes[("surface", source.kind)] = found
    return found


def identity(source: SourceFile | None) -> object:
    """What other files look a file up by: kind, ref, runtime name and aliases (a manifest: all of it)."""
    if source is None:
        return None
    if source.kind in _PACK_WIDE:
        return surface(source)
    component = source.component
    if component is None:
        return (source.kind, None, broken_identity(source))  # dependents' findings name the broken file and its line
    key: tuple[object, ...] = (source.kind, component.ref)
    if isinstance(component, Runtime):
        key += (component.name, component.aliases)
    return key


def neighbours(
    path: Path,
    before: SourceFile | None,
    after: SourceFile,
    workspace: Workspace,
    old_resolution: Resolution | None,
    referrers: Mapping[str, Set[Path]],
    runtime_dependents: Iterable[Path] = (),
) -> set[Path]:
    """Files whose findings a content-only edit of `path` can change (the file itself included).

    `referrers` maps a ref (qualified, or as written) to the files naming it; for a runtime,
    `runtime_dependents` are the actions and sensors resolving to it and their packs' manifests
    and requirements (the Python versions a pack selects).
    """
    affected = {path}
    root = after.pack_root
    affected |= {root / "pack.yaml", root / REQUIREMENTS_FILE}
    if after.kind is FileKind.RUNTIME:
        affected.update(runtime_dependents)
    if after.kind in RUNNABLES:
        if old_resolution is not None and old_resolution.runtime is not None:
            affected.add(old_resolution.runtime.path)
    if after.kind in WORKFLOWS:
        pack = workspace.pack_at(root)
        if pack is not None:
            affected |= {s.path for s in pack.files.values() if s.kind is FileKind.ACTION}
    refs = {c.ref for c in (before.component if before else None, after.component) if c is not None and c.ref}
    for ref in refs:
        affected.update(referrers.get(ref, ()))
    for ref, _ in named_refs(after, workspace):
        for target in workspace.components_by_ref(ref):
            affected.add(target.path)
    return affected


def _surface_by_entry(source: SourceFile, memo: MutableMapping[Path, object]) -> object | None:
    """`surface` of a big one-mapping document, entry by entry, reusing entries whose text is unchanged.

    Without aliases (no `*` in the text) no node is shared, so each entry's plain value is what
    the whole-document walk gives for it. An entry is keyed by its key's column and its text up
    to the next key (comments and blank lines included), with the text before the first key
    (directives) as the memo's validity.
    """
    root = source.parsed.root
    text = source.text
    if (
        len(text) < BIG_SURFACE or len(source.parsed.documents) != 1 or not isinstance(root, MappingNode)
        or root.flow or not root.pairs or "*" in text
    ):
        memo.pop(source.path, None)
        return None
    pairs = root.pairs
    header = text[: pairs[0].key.span.start]
    previous = memo.get(source.path)
    known: dict[tuple[int, str], object] = previous[1] if isinstance(previous, tuple) and previous[0] == header else {}
    current: dict[tuple[int, str], object] = {}
    with collector_paused:
        try:
            entries = _entries(root, text, len(text), known, current)
        except _Decline:
            memo.pop(source.path, None)
            return None
    memo[source.path] = (header, current)
    return (source.kind, ("m", entries), 1)


_SPLIT = 32  # nested block mappings (sequences) with at least this many entries (items) are also reused one by one


class _Decline(Exception):
    pass


def _entries(mapping: MappingNode, text: str, end: int, known: dict, current: dict) -> tuple[object, ...]:
    """The plain pairs of a block mapping; an entry whose column and text (up to the next key) are unchanged is reused."""
    pairs = mapping.pairs
    found = []
    for index, pair in enumerate(pairs):
        start = pair.key.span.start
        stop = pairs[index + 1].key.span.start if index + 1 < len(pairs) else end
        if stop < start or stop > end:
            raise _Decline
        noted = _noted(pair.value, text, stop, known)
        if noted is not None:
            current.update(noted[1])  # the text-keyed entries found when it was last walked, for a later full walk
            found.append((_plain(pair.key, {}), noted[0]))
            continue
        key = (start - text.rfind("\n", 0, start), text[start:stop])
        hit = known.get(key)
        if hit is not None:
            current[key] = hit  # kept for the next edit, with the nested entries it was built from
            if hit[1]:
                current.update(hit[1])
            found.append(hit[0])
            continue
        value = pair.value
        children: dict | None = None  # every nested entry below this one (all levels), to carry it in one step
        if isinstance(value, MappingNode) and not value.flow and len(value.pairs) >= _SPLIT and value.pairs[0].key.span.start > start:
            mark = len(current)
            inner: object = ("m", _entries(value, text, stop, known, current))
            children = dict(islice(current.items(), mark, None))
        elif isinstance(value, Sequence) and not value.flow and len(value.items) >= _SPLIT and value.items[0].span.start > start:
            mark = len(current)
            inner = ("s", _items(value, text, stop, known, current))
            children = dict(islice(current.items(), mark, None))
        else:
            inner = _plain(value, {})
        plain = (_plain(pair.key, {}), inner)
        current[key] = (plain, children)
        found.append(plain)
    return tuple(found)


_NOTE = ("invalidation.surface",)


def _noted(value: Node, text: str, end: int, known: dict) -> tuple[object, dict] | None:
    """The surface of a big moved or spliced collection, kept in its notes: (plain value, its text-keyed entries).

    A spliced collection's is the one it was spliced from with the replaced child's surface
    (`packls.syntax.spliced`): a keystroke inside a 10,000-entry mapping walks one entry.
    """
    found = shifted(value)
    if found is None or size(found[0]) < _SPLIT:
        return None

    def compute(base: Node) -> tuple[object, dict]:
        nested: dict = {}  # walked on value itself: the memo's keys are slices of this text
        if isinstance(value, MappingNode):
            return ("m", _entries(value, text, end, known, nested)), nested
        return ("s", _items(value, text, end, known, nested)), nested  # type: ignore[arg-type]

    def patch(previous: tuple[object, dict], splice: Splice, base: Node) -> tuple[object, dict]:
        tag, entries = previous[0]  # type: ignore[misc]
        replaced = child(base, splice.index)
        plain = (_plain(replaced.key, {}), _plain(replaced.value, {})) if isinstance(replaced, Pair) else _plain(replaced, {})
        return (tag, (*entries[: splice.index], plain, *entries[splice.index + 1 :])), previous[1]

    return kept(found[0], found[2], _NOTE, compute, patch)


def _items(sequence: Sequence, text: str, end: int, known: dict, current: dict) -> tuple[object, ...]:
    """The plain items of a block sequence; an item whose column and text (up to the next item) are unchanged is reused."""
    items = sequence.items
    found = []
    for index, item in enumerate(items):
        start = item.span.start
        stop = items[index + 1].span.start if index + 1 < len(items) else end
        if stop < start or stop > end:
            raise _Decline
        key = ("-", start - text.rfind("\n", 0, start), text[start:stop])
        hit = known.get(key)
        if hit is None:
            hit = (_plain(item, {}), None)
        current[key] = hit
        found.append(hit[0])
    return tuple(found)


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
