"""Map offsets between two versions of a text, so features can use the last tree that parsed."""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass

from packls.syntax.lines import LAZY_MIN, LineIndex
from packls.syntax.nodes import Span


@dataclass(frozen=True)
class TextDelta:
    """The single changed region between an old and a new text (common prefix and suffix kept)."""

    prefix: int  # length of the common prefix
    old_end: int  # end of the changed region in the old text
    new_end: int  # end of the changed region in the new text

    @classmethod
    def between(cls, old: str, new: str) -> TextDelta:
        """The delta from old to new; identity when the texts are equal."""
        if old == new:
            return cls(len(old), len(old), len(new))
        limit = min(len(old), len(new))
        prefix = _common_prefix(old, new, limit)
        suffix = _common_prefix(old[::-1], new[::-1], limit - prefix)
        return cls(prefix, len(old) - suffix, len(new) - suffix)

    @property
    def is_identity(self) -> bool:
        """True when nothing changed."""
        return self.old_end == self.prefix and self.new_end == self.prefix

    def to_old(self, offset: int) -> int:
        """Where a new-text offset lies in the old text (inside the change: its start)."""
        if offset <= self.prefix:
            return offset
        if offset >= self.new_end:
            return offset - self.new_end + self.old_end
        return self.prefix

    def to_new(self, offset: int) -> int:
        """Where an old-text offset lies in the new text (inside the change: its start)."""
        if offset <= self.prefix:
            return offset
        if offset >= self.old_end:
            return offset - self.old_end + self.new_end
        return self.prefix

    def span_to_new(self, span: Span) -> Span:
        """An old-text span in new-text offsets."""
        return Span(self.to_new(span.start), max(self.to_new(span.start), self.to_new(span.end)))


IDENTITY = TextDelta(0, 0, 0)
_CHUNK = 4096


def _common_prefix(a: str, b: str, limit: int) -> int:
    """Length of the common prefix (at most limit), comparing whole chunks at C speed first."""
    start = 0
    while start + _CHUNK <= limit and a[start : start + _CHUNK] == b[start : start + _CHUNK]:
        start += _CHUNK
    end = min(start + _CHUNK, limit)
    while start < end and a[start] == b[start]:
        start += 1
    return start


_INDEXES: OrderedDict[int, LineIndex] = OrderedDict()


def line_index_after_edit(old: str, start: int, end: int, inserted: str, new: str) -> None:
    """Derive the edited text's index from the old text's when that one is known (typing in a big file)."""
    found = _INDEXES.get(id(old))
    if found is None or found.text is not old or len(new) < LAZY_MIN:
        return
    derived = found.after_edit(start, end, inserted, new)
    if derived is not None:
        _INDEXES[id(new)] = derived
        while len(_INDEXES) > 16:
            _INDEXES.popitem(last=False)


def line_index(text: str) -> LineIndex:
    """The LineIndex of a text, shared by every feature asking about the same text object."""
    key = id(text)
    found = _INDEXES.get(key)
    if found is not None and found.text is text:
        _INDEXES.move_to_end(key)
        return found
    found = _INDEXES[key] = LineIndex.of(text)
    while len(_INDEXES) > 16:
        _INDEXES.popitem(last=False)
    return found
