"""Which collection a spliced one was made from: results per list are patched, not found again.

When the incremental parse reparses one entry (item) of a big top-level collection, the new
collection is the previous one with that child replaced, the children before it moved by the
previous version's delta and those after it by that plus the edit's length. The parse records
this as a `Splice` in the new collection's notes (`packls.syntax.shifted`), pointing at the
previous collection's notes. A consumer that kept a result for the whole list there (findings
per child, a plain copy per child) patches it for the one child instead of looping over all of
them again: a keystroke costs the edited child and O(1) per consumer (plus the findings moved).

Only one step back is kept: recording a splice drops the previous collection's own splice, so
the notes never form a chain; a consumer that finds nothing kept one step back computes the
whole list (and keeps it for the next step).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, TypeVar

from packls.syntax.incremental_entries import SPLICED
from packls.syntax.nodes import Mapping, Node, Pair, Sequence
from packls.syntax.shifted import Notes, shifted

T = TypeVar("T")

_SPLICE = ("syntax.splice",)


@dataclass(frozen=True, slots=True)
class Splice:
    """This collection is the one whose notes are `before`, with child `index` parsed again.

    Positions are those of each collection's base: children before `index` moved by `moved`,
    those after it by `moved + delta`.
    """

    before: Notes
    moved: int
    index: int
    delta: int

    def offset(self, child: int) -> int:
        """How far a kept result of another child moves into the new collection's base."""
        return self.moved + self.delta if child > self.index else self.moved


def record(notes: Notes, previous: Node, index: int, delta: int) -> None:
    """Note in a new collection's notes that it is `previous` with child index parsed again."""
    found = shifted(previous)
    if found is None:
        return
    _, moved, before = found
    before.pop(_SPLICE, None)  # one step back only: no chain of versions stays alive
    notes[_SPLICE] = Splice(before, moved, index, delta)


def splice_of(node: Node) -> Splice | None:
    """The splice a shifted collection was made by, while it is the newest one (tests, diagnostics)."""
    found = shifted(node)
    return found[2].get(_SPLICE) if found is not None else None


def kept(base: Node, notes: Notes, key: Any, compute: Callable[[Node], T], patch: Callable[[T, Splice, Node], T | None]) -> T:
    """A whole-list result for base kept in its notes (in base's positions): reused, patched, or computed.

    compute(base) finds it for the whole list; patch(previous, splice, base) derives it from the
    result kept for the collection base was spliced from (None: compute instead).
    """
    result = notes.get(key)
    if result is not None:
        return result  # type: ignore[no-any-return]
    splice = notes.get(_SPLICE)
    previous = splice.before.get(key) if splice is not None else None
    if previous is not None:
        result = patch(previous, splice, base)
    if result is None:
        result = compute(base)
    notes[key] = result
    return result


def flagged(node: Node, key: Any, test: Callable[[Any], bool]) -> list[int] | None:
    """In order, the indices of a shifted collection's children for which test holds (None: node is not shifted).

    test must depend on the child alone, not on where it is; it runs on the base's children, once
    per child, and after a splice on the replaced child only.
    """
    found = shifted(node)
    if found is None:
        return None

    def compute(base: Node) -> frozenset[int]:
        return frozenset(index for index, child in enumerate(children(base)) if test(child))

    def patch(previous: frozenset[int], splice: Splice, base: Node) -> frozenset[int]:
        replaced = frozenset((splice.index,)) if test(child(base, splice.index)) else frozenset()
        return (previous - {splice.index}) | replaced

    return sorted(kept(found[0], found[2], key, compute, patch))


def child(node: Node, index: int) -> Any:
    """A collection's child at index (a spliced mapping's without building the others)."""
    found = shifted(node)
    unmoved = found[0] if found is not None and not found[1] else node  # a shift by 0 has its base's children
    if unmoved.__class__ in SPLICED:
        return unmoved.entry(index)  # type: ignore[union-attr]
    return children(node)[index]


def size(node: Node) -> int:
    """How many children a collection has (a spliced mapping's without building them)."""
    found = shifted(node)
    unmoved = found[0] if found is not None else node  # a shift has as many children as its base
    if unmoved.__class__ in SPLICED:
        return len(unmoved.entries)  # type: ignore[union-attr]
    return len(children(unmoved))


def children(node: Node) -> list[Pair] | list[Node]:
    """A collection's children: a mapping's pairs, a sequence's items."""
    if isinstance(node, Mapping):
        return node.pairs
    assert isinstance(node, Sequence)
    return node.items
