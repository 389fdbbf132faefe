"""Mapping keys JSON cannot hold: Attune converts every component file to JSON before it reads it.

pack check's environment inspection (pack_check.rs@776988df `check_environment_metadata`) and the
permission plan turn each component and workflow file into a `serde_json::Value`; serde_json
refuses a null key, a sequence or mapping used as a key, a tagged key and a float key that is not
finite. pack check then reports `environment.invalid` (and `dashboard.invalid_yaml_value` for a
dashboard), and registration, which fails on any environment problem, refuses the pack.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Iterable, Iterator

from packls.checks.base import finding
from packls.checks.per_source import own_content
from packls.checks.rules import DASHBOARD_INVALID_YAML_VALUE, ENVIRONMENT_INVALID
from packls.findings import Finding
from packls.model import FileKind
from packls.syntax import spliced
from packls.syntax.nodes import Mapping, Node, Pair, Scalar, Sequence
from packls.syntax.shifted import shifted
from packls.syntax.spliced import children
from packls.workspace import SourceFile, Workspace

_MAX_NODES = 200_000  # aliases can make a small file a huge tree; stop looking long before that
_NOT_STRING = "key must be a string"
_NOT_FINITE = "float key must be finite (got NaN or +/-inf)"


@dataclass(frozen=True)
class BadKey:
    """A key serde_json refuses: the key node, what it is, and serde_json's own words."""

    node: Node
    what: str
    reason: str


def first_bad_key(root: Node, text: str) -> BadKey | None:
    """The first key in document order that serde_json cannot turn into an object key (it stops there).

    Subtrees an edit only moved (`packls.syntax.shifted`) are looked at once, on their base: what
    is kept is how many nodes the walk spends in them and where their first bad key is, so a
    keystroke in a big file walks only what changed, with the same answer and the same limit.
    """
    if _all_keys_fine(root, text):
        return None
    pending: list[tuple[bool, Node]] = [(False, root)]  # (is a key, node), last item next
    visited = 0
    while pending:
        is_key, node = pending.pop()
        moved = None if is_key else shifted(node)
        if moved is not None:
            size, at, path = _moved_walk(moved[0], moved[2])
            if at is not None and visited + at <= _MAX_NODES:
                return _key_problem(_follow(node, path), text)
            visited += size
            if at is not None or visited > _MAX_NODES:
                return None
            continue
        visited += 1
        if visited > _MAX_NODES:
            return None
        if is_key:
            bad = _key_problem(node, text)
            if bad is not None:
                return bad
            continue
        if isinstance(node, Mapping):
            for pair in reversed(node.pairs):
                pending.append((False, pair.value))
                pending.append((True, pair.key))
        elif isinstance(node, Sequence):
            pending.extend((False, item) for item in reversed(node.items))
    return None


def _all_keys_fine(root: Node, text: str) -> bool:
    """True when no key of a plain tree is bad and the tree is within the walk's limit: the usual answer, found
    without keeping document order (False also when it cannot tell: a moved subtree or a big tree)."""
    pending: list[Node] = [root]
    visited = 1
    while pending:
        node = pending.pop()
        cls = node.__class__
        if cls is Mapping:
            pairs = node.pairs  # type: ignore[union-attr]
            visited += 2 * len(pairs)
            for pair in pairs:
                key = pair.key
                if key.__class__ is not Scalar or key.value.__class__ is not str or text.startswith("!", key.span.start, key.span.end):
                    if _key_problem(key, text) is not None:
                        return False
                value = pair.value
                if value.__class__ is not Scalar:
                    pending.append(value)
        elif cls is Sequence:
            items = node.items  # type: ignore[union-attr]
            visited += len(items)
            pending.extend(item for item in items if item.__class__ is not Scalar)
        elif cls is not Scalar:
            return False  # a moved subtree: the ordered walk knows how to look at it once
        if visited > _MAX_NODES:
            return False
    return True


Step = tuple[str, int]  # ("k" | "v", pair index) or ("i", item index)
Walked = tuple[int, "int | None", tuple[Step, ...]]  # nodes walked, which of them is the first bad key, the path to it
_NOTE = ("json_keys.first_bad_key",)


def _moved_walk(base: Node, notes: dict[object, object]) -> Walked:
    """first_bad_key's walk of a moved subtree, done once on its base (moved subtrees inside it are looked up too).

    A moved tree comes from the fast parse, which never holds an explicit tag, so the one check
    that reads the text (a tagged key) cannot apply and the base's own text is not needed.
    """
    kept = notes.get(_NOTE)
    if kept is not None:
        return kept  # type: ignore[return-value]
    if isinstance(base, (Mapping, Sequence)) and spliced.size(base) >= _EACH_FROM:
        kept = notes[_NOTE] = _joined(base, spliced.kept(base, notes, _EACH, _each_walk, _patched_walk))
        return kept
    Trail = tuple[Step, "Trail"] | None  # a path, innermost step first: O(1) to extend
    pending: list[tuple[bool, Node, Trail]] = [(False, base, None)]
    visited, found = 0, None
    while pending:
        is_key, node, trail = pending.pop()
        moved = None if is_key or node is base else shifted(node)
        if moved is not None:
            size, at, path = _moved_walk(moved[0], moved[2])
            if at is not None:
                found = (visited + at, visited + at, _path(trail) + path)
                break
            visited += size
            continue
        visited += 1
        if is_key:
            if _key_problem(node, None) is not None:
                found = (visited, visited, _path(trail))
                break
            continue
        if isinstance(node, Mapping):
            pairs = node.pairs
            for index in range(len(pairs) - 1, -1, -1):
                pending.append((False, pairs[index].value, (("v", index), trail)))
                pending.append((True, pairs[index].key, (("k", index), trail)))
        elif isinstance(node, Sequence):
            items = node.items
            pending.extend((False, items[i], (("i", i), trail)) for i in range(len(items) - 1, -1, -1))
    kept = notes[_NOTE] = found or (visited, None, ())
    return kept


_EACH_FROM = 64  # children: a collection this big keeps its walk child by child, so a splice re-walks one child
_EACH = ("json_keys.each",)
Each = tuple[list[int], dict[int, tuple[int, tuple[Step, ...]]]]  # nodes walked per child; child → its first bad key (at, path)


def _each_walk(base: Node) -> Each:
    """The walk of every child of a big collection, one by one (all of them, past a bad key too)."""
    sizes: list[int] = []
    bad: dict[int, tuple[int, tuple[Step, ...]]] = {}
    for index, child in enumerate(children(base)):
        size, at, path = _child_walk(child, index)
        sizes.append(size)
        if at is not None:
            bad[index] = (at, path)
    return sizes, bad


def _patched_walk(previous: Each, splice: spliced.Splice, base: Node) -> Each:
    """previous with the replaced child walked again (counts and paths do not move with positions)."""
    sizes, bad = list(previous[0]), dict(previous[1])
    bad.pop(splice.index, None)
    size, at, path = _child_walk(spliced.child(base, splice.index), splice.index)
    sizes[splice.index] = size
    if at is not None:
        bad[splice.index] = (at, path)
    return sizes, bad


def _child_walk(child: object, index: int) -> Walked:
    """The walk of one child: a pair's key then its value, or an item."""
    if child.__class__ is Pair:
        if _key_problem(child.key, None) is not None:  # type: ignore[attr-defined]
            return 1, 1, (("k", index),)
        size, at, path = _node_walk(child.value)  # type: ignore[attr-defined]
        return 1 + size, None if at is None else 1 + at, (("v", index), *path) if at is not None else ()
    size, at, path = _node_walk(child)  # type: ignore[arg-type]
    return size, at, (("i", index), *path) if at is not None else ()


def _node_walk(node: Node) -> Walked:
    moved = shifted(node)
    return _moved_walk(moved[0], moved[2]) if moved is not None else _moved_walk(node, {})


def _joined(base: Node, each: Each) -> Walked:
    """The walk of a big collection from its children's: itself, then each child up to the first bad key."""
    sizes, bad = each
    if not bad:
        return 1 + sum(sizes), None, ()
    first = min(bad)
    at = 1 + sum(sizes[:first]) + bad[first][0]
    return at, at, bad[first][1]


def _path(trail: object) -> tuple[Step, ...]:
    steps: list[Step] = []
    while trail is not None:
        step, trail = trail  # type: ignore[misc]
        steps.append(step)
    return tuple(reversed(steps))


def _follow(node: Node, path: tuple[Step, ...]) -> Node:
    """The node at a path below node (building only the shifted nodes on the way)."""
    for kind, index in path:
        if kind == "i":
            node = node.items[index]  # type: ignore[attr-defined]
        else:
            pair = node.pairs[index]  # type: ignore[attr-defined]
            node = pair.key if kind == "k" else pair.value
    return node


def _key_problem(key: Node, text: str | None) -> BadKey | None:
    if isinstance(key, Mapping):
        return BadKey(key, "a mapping used as a key", _NOT_STRING)
    if isinstance(key, Sequence):
        return BadKey(key, "a sequence used as a key", _NOT_STRING)
    written = text[key.span.start:key.span.end] if text is not None else ""
    if written.startswith("!") and not written.startswith("!!"):
        return BadKey(key, "a tagged key", _NOT_STRING)  # serde_yaml keeps it as a tagged value, a map
    if key.value is None:
        return BadKey(key, "a null key", _NOT_STRING)
    if isinstance(key.value, float) and not math.isfinite(key.value):
        return BadKey(key, f"the key {key.text}", _NOT_FINITE)
    return None


def check_json_keys(source: SourceFile, workspace: Workspace) -> Iterable[Finding]:
    """A component or workflow file with a key JSON cannot hold: the pack fails to load."""
    return _own_findings(source)


@own_content
def _own_findings(source: SourceFile) -> Iterator[Finding]:
    root = source.parsed.root
    if root is None or source.parsed.problem is not None or source.parsed.duplicates or not isinstance(root, Mapping):
        return
    bad = first_bad_key(root, source.text)
    if bad is None:
        return
    words = f"{bad.what} cannot be a JSON object key ({bad.reason})"
    if source.kind is FileKind.DASHBOARD:
        yield finding(
            source, bad.node.span, DASHBOARD_INVALID_YAML_VALUE,
            f"{words}: pack check rejects the dashboard, and Attune cannot inspect the file's environment "
            "metadata, so the pack fails to load",
        )
        return
    yield finding(
        source, bad.node.span, ENVIRONMENT_INVALID,
        f"{words}: Attune cannot inspect the file's environment metadata, so it refuses to load the pack",
    )
