"""A big block mapping (sequence) after a keystroke in one of its entries (items): those after it are not copied.

When `incremental._splice` reparses one entry of a 10,000-entry mapping, every entry after it
moves by the edit's length; building their moved copies was ~25,000 objects per keystroke, and
as much again in the collector's walks. A SplicedMapping stands for "these entries, with entry
`index` replaced and those after it `delta` characters further": a real Mapping whose pairs are
built on first read (so whoever reads it sees exactly the nodes a full parse gives). The next
keystroke in the same entry splices it again without reading them (the entries and their key
index are shared, the deltas add up), so typing in one entry costs that entry. A SplicedSequence
does the same for the items of a big block sequence (a workflow's tasks).
"""

from __future__ import annotations

import bisect
from typing import Any

from packls.syntax.fast import _span
from packls.syntax.nodes import Mapping, Node, Pair, Scalar, Sequence
from packls.syntax.shifted import _get_items, _get_pairs, _moved, _set_items, _set_pairs, built_on_read, shift, shifted


class _Spliced:
    """What both spliced collections share: child j is entries[j] before index, replaced at it, moved after it."""

    __slots__ = ()
    entries: list[Any]
    index: int
    replaced: Any
    delta: int
    made: dict[int, Any]  # moved children read one by one: the same objects the built list then holds

    def _place(self, entries: list[Any], index: int, replaced: Any, delta: int) -> None:
        self.flow = False
        self.entries, self.index, self.replaced, self.delta, self.made = entries, index, replaced, delta, {}

    def entry(self, j: int) -> Any:
        """Child j, without building the others."""
        if j == self.index:
            return self.replaced
        child = self.entries[j]
        if j < self.index or not self.delta:
            return child
        made = self.made.get(j)
        if made is None:
            made = self.made.setdefault(j, self._moved(child, self.delta))
        return made

    def start(self, j: int) -> int:
        """Where child j starts (a pair at its key)."""
        if j == self.index:
            return self._start(self.replaced)
        return self._start(self.entries[j]) + (self.delta if j > self.index else 0)

    def locate(self, offset: int) -> int:
        """The last child that starts at or before offset (-1 for none)."""
        return bisect.bisect_right(range(len(self.entries)), offset, key=self.start) - 1

    def _all(self) -> list[Any]:
        return [self.entry(j) for j in range(len(self.entries))]

    @staticmethod
    def _start(child: Any) -> int:
        raise NotImplementedError

    @staticmethod
    def _moved(child: Any, delta: int) -> Any:
        raise NotImplementedError


class SplicedMapping(_Spliced, Mapping):
    """A block mapping: `entries` with entry `index` replaced and the ones after it moved by `delta`."""

    __slots__ = ("entries", "keys", "index", "replaced", "delta", "made")

    def __init__(self, entries: list[Pair], keys: dict[str, int], index: int, replaced: Pair, delta: int) -> None:
        last = index + 1 == len(entries)
        start = replaced.key.span.start if index == 0 else entries[0].key.span.start
        self.span = _span(start, replaced.value.span.end if last else entries[-1].value.span.end + delta)
        self.keys = keys
        self._place(entries, index, replaced, delta)

    pairs = built_on_read(_get_pairs, _set_pairs, _Spliced._all, "Every pair (built on the first read).")  # type: ignore[assignment]

    @staticmethod
    def _start(child: Pair) -> int:
        return child.key.span.start

    @staticmethod
    def _moved(child: Pair, delta: int) -> Pair:
        key = child.key
        return Pair(Scalar(_moved(key.span, delta), key.value, key.text, key.style), shift(child.value, delta))  # type: ignore[union-attr]

    def taken(self, text: str) -> bool:
        """True when an entry other than the replaced one has this key."""
        return self.keys.get(text, self.index) != self.index

    def get(self, key: str) -> Pair | None:
        """The entry with this key (keys are unique here), without building the others."""
        if self.replaced.key.text == key:
            return self.replaced  # type: ignore[no-any-return]
        j = self.keys.get(key)
        return None if j is None or j == self.index else self.entry(j)  # type: ignore[no-any-return]

    def again(self, replaced: Pair, delta: int) -> SplicedMapping:
        """This mapping with the replaced entry replaced again, the ones after it moved by delta more."""
        return SplicedMapping(self.entries, self.keys, self.index, replaced, self.delta + delta)

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickled and copied as the plain Mapping it stands for."""
        return (Mapping, (self.span, self.pairs, self.flow))


class SplicedSequence(_Spliced, Sequence):
    """A block sequence: `entries` with item `index` replaced and the ones after it moved by `delta`."""

    __slots__ = ("entries", "index", "replaced", "delta", "made")

    def __init__(self, start: int, entries: list[Node], index: int, replaced: Node, delta: int) -> None:
        last = index + 1 == len(entries)
        self.span = _span(start, replaced.span.end if last else entries[-1].span.end + delta)
        self._place(entries, index, replaced, delta)

    items = built_on_read(_get_items, _set_items, _Spliced._all, "Every item (built on the first read).")  # type: ignore[assignment]

    @staticmethod
    def _start(child: Node) -> int:
        return child.span.start

    @staticmethod
    def _moved(child: Node, delta: int) -> Node:
        return shift(child, delta)

    def again(self, start: int, replaced: Node, delta: int) -> SplicedSequence:
        """This sequence with the replaced item replaced again, the ones after it moved by delta more."""
        return SplicedSequence(start, self.entries, self.index, replaced, self.delta + delta)

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickled and copied as the plain Sequence it stands for."""
        return (Sequence, (self.span, self.items, self.flow))


SPLICED = frozenset({SplicedMapping, SplicedSequence})


def lazily_spliced(node: Node) -> SplicedMapping | SplicedSequence | None:
    """The spliced collection node stands for unmoved (a shift by 0 of it, as a spliced top-level value is), else None."""
    if node.__class__ in SPLICED:
        return node  # type: ignore[return-value]
    found = shifted(node)
    if found is None or found[1] or found[0].__class__ not in SPLICED:
        return None
    return found[0]  # type: ignore[return-value]


def key_index(pairs: list[Pair]) -> dict[str, int] | None:
    """Key text → entry, or None when a key is not a scalar or repeats."""
    keys: dict[str, int] = {}
    for j, pair in enumerate(pairs):
        key = pair.key
        if key.__class__ is not Scalar or keys.setdefault(key.text, j) != j:  # type: ignore[union-attr]
            return None
    return keys
