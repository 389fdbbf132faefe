"""Offsets to lines and characters in any LSP position encoding, and back."""

from __future__ import annotations

import bisect
import re
import threading

_BREAK = re.compile(r"\r\n|\r|\n")
_ENCODING_UNITS = {"utf-16": 2, "utf-8": 1, "utf-32": 4}


def _units(char: str, encoding: str) -> int:
    code = ord(char)
    if encoding == "utf-16":
        return 2 if code > 0xFFFF else 1
    if encoding == "utf-8":
        return 1 if code < 0x80 else 2 if code < 0x800 else 3 if code < 0x10000 else 4
    return 1


def _count(piece: str, encoding: str) -> int:
    """Units of a piece of text in the encoding, at C speed (lone surrogates count as _units does)."""
    if encoding == "utf-16":
        return len(piece.encode("utf-16-le", "surrogatepass")) >> 1
    if encoding == "utf-8":
        return len(piece.encode("utf-8", "surrogatepass"))
    return len(piece)


_EXTENDING = threading.Lock()  # a table may be shared by threads (one LineIndex per text); growing it is guarded
_ASTRAL = re.compile("[\U00010000-\U0010FFFF]")
CHUNK = 256  # code points between two checkpoints of a long line's unit table


LAZY_MIN = 50_000  # characters; a bigger text's line starts are collected only once many lookups need them


class LineIndex:
    """Line starts of a text, with LSP's line breaks (\\n, \\r\\n, \\r) and nothing else.

    A big text answers its first few lookups by counting line breaks up to the offset (C speed)
    and collects every line start only when those counts would cost more: publishing the two
    diagnostics of a 50,000-line file then costs microseconds, not the 5 ms of a full index.
    """

    __slots__ = ("text", "_starts", "_budget", "_lf_only", "_narrow", "_tables")

    def __init__(self, text: str, starts: tuple[int, ...] | None = None, lf_only: bool | None = None) -> None:
        self.text = text
        self._starts = starts
        self._lf_only = "\r" not in text if lf_only is None else lf_only  # every line break is a \n
        # Characters the counting lookups may still scan before the full index is cheaper.
        self._budget = 8 * len(text) if starts is None and self._lf_only else 0
        self._narrow: dict[str, bool] = {}  # encoding → every character is one unit
        self._tables: dict[tuple[str, int], list[int]] = {}  # (encoding, line start) → units at every CHUNK code points

    @classmethod
    def of(cls, text: str) -> LineIndex:
        """Index a text (big texts lazily); lookups are then logarithmic."""
        return cls(text) if len(text) >= LAZY_MIN else cls(text, _starts(text))

    @property
    def starts(self) -> tuple[int, ...]:
        """Offsets where each line starts (collected on first use)."""
        starts = self._starts
        if starts is None:
            starts = self._starts = _starts(self.text)
        return starts

    def __eq__(self, other: object) -> bool:
        return isinstance(other, LineIndex) and other.text == self.text

    def __hash__(self) -> int:
        return hash(self.text)

    def __repr__(self) -> str:
        return f"LineIndex(text={self.text!r}, starts={self.starts!r})"

    def after_edit(self, start: int, end: int, inserted: str, text: str) -> LineIndex | None:
        """The index of text = self.text[:start] + inserted + self.text[end:], derived from this one's
        line starts when they are known (C-level slices and shifts instead of a rescan), else None."""
        starts = self._starts
        if starts is None or not self._lf_only or "\r" in inserted:
            return None
        delta = len(inserted) - (end - start)
        keep = bisect.bisect_right(starts, start)  # lines starting at or before the edit stay
        drop = bisect.bisect_right(starts, end, keep)  # their line breaks were inside the replaced text
        added = []
        i = inserted.find("\n")
        while i >= 0:
            added.append(start + i + 1)
            i = inserted.find("\n", i + 1)
        tail = starts[drop:]
        moved = tuple(map(delta.__add__, tail)) if delta else tail
        return LineIndex(text, starts[:keep] + tuple(added) + moved, lf_only=True)

    def line_of(self, offset: int) -> int:
        """0-based line containing the offset."""
        offset = max(0, offset)
        if self._starts is None and self._budget > 0:
            self._budget -= min(offset, len(self.text))
            return self.text.count("\n", 0, offset)  # no \r in the text: every line ends with \n
        return bisect.bisect_right(self.starts, offset) - 1

    def _line_start(self, line: int, offset: int) -> int:
        """Where the line holding offset (line = line_of(offset), 0 <= offset <= len(text)) starts."""
        starts = self._starts
        if starts is None and self._budget > 0:
            return self.text.rfind("\n", 0, offset) + 1
        return self.starts[line] if starts is None else starts[line]

    def line_text(self, line: int) -> str:
        """A line's text without its line break."""
        start = self.starts[line]
        end = self.starts[line + 1] if line + 1 < len(self.starts) else len(self.text)
        return self.text[start:end].rstrip("\r\n")

    def position(self, offset: int, encoding: str = "utf-16") -> tuple[int, int]:
        """(line, character) for a code-point offset, characters counted in the encoding's units."""
        offset = min(max(0, offset), len(self.text))
        line = self.line_of(offset)
        start = self._line_start(line, offset)
        return line, self._units_between(start, offset, encoding)

    def offset(self, line: int, character: int, encoding: str = "utf-16") -> int:
        """Code-point offset for an LSP position; past-the-end characters clamp to the line end.

        A character inside a surrogate pair or a UTF-8 sequence moves to the end of that character.
        """
        if line < 0:
            return 0
        starts = self.starts
        if line >= len(starts):
            return len(self.text)
        start, end = starts[line], self._content_end(line)
        if character <= 0:
            return start
        if encoding == "utf-32" or self._is_narrow(encoding):
            return start + min(character, end - start)
        text = self.text
        table = self._table(encoding, start, end, character)
        k = bisect.bisect_right(table, character) - 1  # the last checkpoint at or before the character
        at, used = start + k * CHUNK, table[k]
        while at < end and used < character:
            used += _units(text[at], encoding)
            at += 1
        return at

    def _content_end(self, line: int) -> int:
        """Where a line's text ends (before its line break)."""
        starts, text = self.starts, self.text
        end = starts[line + 1] if line + 1 < len(starts) else len(text)
        start = starts[line]
        if end > start and text[end - 1] == "\n":
            end -= 1
        if end > start and text[end - 1] == "\r":
            end -= 1
        return end

    def _is_narrow(self, encoding: str) -> bool:
        """True when every character of the text is one unit in the encoding (checked once per encoding)."""
        narrow = self._narrow.get(encoding)
        if narrow is None:
            text = self.text
            narrow = self._narrow[encoding] = text.isascii() or (encoding == "utf-16" and _ASTRAL.search(text) is None)
        return narrow

    def _units_between(self, start: int, offset: int, encoding: str) -> int:
        """Units of text[start:offset], start being a line start: a bounded scan once the line's table exists."""
        length = offset - start
        if length <= 0 or encoding == "utf-32" or self._is_narrow(encoding):
            return max(length, 0)
        if length <= CHUNK:
            return _count(self.text[start:offset], encoding)
        k = length // CHUNK
        table = self._table(encoding, start, offset, None)
        return table[k] + _count(self.text[start + k * CHUNK : offset], encoding)

    def _table(self, encoding: str, start: int, end: int, units: int | None) -> list[int]:
        """Units of the line starting at start up to each CHUNK-th code point, extended (and kept) as far as
        end, or until it passes `units`: each position on a long line then costs one short scan."""
        table = self._tables.get((encoding, start))
        if table is not None and (start + len(table) * CHUNK > end or (units is not None and table[-1] > units)):
            return table  # already long enough
        with _EXTENDING:
            table = self._tables.setdefault((encoding, start), [0])
            text = self.text
            reach = start + (len(table) - 1) * CHUNK
            while reach + CHUNK <= end and (units is None or table[-1] <= units):
                table.append(table[-1] + _count(text[reach : reach + CHUNK], encoding))
                reach += CHUNK
        return table


def _starts(text: str) -> tuple[int, ...]:
    if "\r" not in text:  # the common case: one C-level scan per line
        starts = [0]
        find, append = text.find, starts.append
        i = find("\n")
        while i >= 0:
            append(i + 1)
            i = find("\n", i + 1)
        return tuple(starts)
    return (0, *(m.end() for m in _BREAK.finditer(text)))


def encoding_units(encoding: str) -> int:
    """Bytes per unit of a position encoding (used to validate negotiated encodings)."""
    return _ENCODING_UNITS[encoding]
