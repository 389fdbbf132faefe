"""Nodes an edit moved but did not change, built only when read: a big file's tail is free per keystroke.

After an edit near the top of a big document, every node after it keeps its content and moves
by the same number of characters. Copying them costs about 1 µs a node, and the copies then
cost as much again in the garbage collector's walks and in freeing the previous version's. A
ShiftedMapping or ShiftedSequence instead stands for "this base collection, `delta` characters
further": it is a real Mapping or Sequence (same span, same flow style) whose children are built
on first read of `pairs` / `items` (scalars copied with moved spans, collections shifted again,
lazily), so whoever reads it sees exactly the nodes a full parse gives.

Whoever would read a whole big subtree on every edit (the checks) can ask `shifted()` for the
base, the delta and a `notes` dict shared by every shift of that base, and keep there what they
found on the base (see `packls.checks.moved`). Texts with anchors or aliases never get here
(shared nodes would be copied apart).
"""

from __future__ import annotations

import threading
from typing import Any, Callable

from packls.syntax.nodes import Mapping, Node, Pair, Scalar, Sequence, Span

_new = object.__new__
_set_start = Span.start.__set__  # type: ignore[attr-defined]
_set_end = Span.end.__set__  # type: ignore[attr-defined]
_get_pairs = Mapping.__dict__["pairs"].__get__
_set_pairs = Mapping.__dict__["pairs"].__set__
_get_items = Sequence.__dict__["items"].__get__
_set_items = Sequence.__dict__["items"].__set__
_lock = threading.RLock()  # children are built once even when two threads read them at the same time

Notes = dict[Any, Any]


def _moved(span: Span, delta: int) -> Span:
    moved = _new(Span)
    _set_start(moved, span.start + delta)
    _set_end(moved, span.end + delta)
    return moved


def _built(node: Any, get: Any, put: Any, build: Any) -> Any:
    """A lazily built slot: read it, or build it once under the lock (two threads may read at once)."""
    try:
        return get(node, type(node))
    except AttributeError:
        pass
    with _lock:
        try:
            return get(node, type(node))
        except AttributeError:
            value = build()
            put(node, value)
            return value


def built_on_read(get: Any, put: Any, build: Callable[[Any], list[Any]], doc: str) -> Any:
    """A `pairs` (`items`) property whose list build(node) makes on the first read, kept in the slot Mapping (Sequence) declares."""
    return property(lambda node: _built(node, get, put, lambda: build(node)), put, doc=doc)


def _place(node: ShiftedMapping | ShiftedSequence, base: Mapping | Sequence, delta: int, notes: Notes | None) -> None:
    node.span = _moved(base.span, delta)
    node.flow = base.flow
    node.base = base  # type: ignore[assignment]
    node.delta = delta
    node.notes = notes


class ShiftedMapping(Mapping):
    """A Mapping `delta` characters after `base`, with the same content; pairs are built on first read."""

    __slots__ = ("base", "delta", "notes")

    def __init__(self, base: Mapping, delta: int, notes: Notes | None = None) -> None:
        _place(self, base, delta, notes)

    def _shifted_pairs(self) -> list[Pair]:
        delta, base = self.delta, self.base
        return [Pair(shift(p.key, delta), shift(p.value, delta)) for p in base.pairs] if delta else list(base.pairs)

    pairs = built_on_read(_get_pairs, _set_pairs, _shifted_pairs,  # type: ignore[assignment]
                          "The shifted pairs (built on the first read; an edit undone gives back the base's own).")

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickled and copied as the plain Mapping it stands for."""
        return (Mapping, (self.span, self.pairs, self.flow))


class ShiftedSequence(Sequence):
    """A Sequence `delta` characters after `base`, with the same content; items are built on first read."""

    __slots__ = ("base", "delta", "notes")

    def __init__(self, base: Sequence, delta: int, notes: Notes | None = None) -> None:
        _place(self, base, delta, notes)

    def _shifted_items(self) -> list[Node]:
        delta, base = self.delta, self.base
        return [shift(item, delta) for item in base.items] if delta else list(base.items)

    items = built_on_read(_get_items, _set_items, _shifted_items, "The shifted items (built on the first read).")  # type: ignore[assignment]

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickled and copied as the plain Sequence it stands for."""
        return (Sequence, (self.span, self.items, self.flow))


SHIFTED = frozenset({ShiftedMapping, ShiftedSequence})  # for a cheap `node.__class__ in SHIFTED`


def shift(node: Node, delta: int) -> Node:
    """node moved by delta characters: a scalar is copied now, a collection is shifted lazily.

    Shifting a shifted collection shifts its base by the sum (one level of indirection, however
    many edits; a sum of 0 still gives a shifted collection), and keeps its notes: what was found
    on the base stays valid.
    """
    if not delta:
        return node
    cls = node.__class__
    if cls is Scalar:
        return Scalar(_moved(node.span, delta), node.value, node.text, node.style)  # type: ignore[union-attr]
    found = shifted(node)
    if found is not None:
        return cls(found[0], found[1] + delta, found[2])  # type: ignore[call-arg,arg-type]
    if isinstance(node, Mapping):
        return ShiftedMapping(node, delta)
    assert isinstance(node, Sequence)
    return ShiftedSequence(node, delta)


def shifted(node: Node) -> tuple[Node, int, Notes] | None:
    """(base, delta, notes) when node is a shifted collection, else None; notes are shared by every shift of base."""
    cls = node.__class__
    if cls is not ShiftedMapping and cls is not ShiftedSequence:
        return None
    notes = node.notes  # type: ignore[union-attr]
    if notes is None:
        with _lock:
            notes = node.notes  # type: ignore[union-attr]
            if notes is None:
                notes = node.notes = {}  # type: ignore[union-attr]
    return node.base, node.delta, notes  # type: ignore[union-attr]
