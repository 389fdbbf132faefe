"""Offsets to lines and characters in any LSP position encoding, and back."""

from __future__ import annotations

import bisect
import re

_BREAK = re.compile(r"\r\n|\r|\n")
_ENCODING_UNITS = {"utf-16": 2, "utf-8": 1, "utf-32": 4}


def _units(char: str, encoding: str) -> int:
    code = ord(char)
    if encoding == "utf-16":
        return 2 if code > 0xFFFF else 1
    if encoding == "utf-8":
        return 1 if code < 0x80 else 2 if code < 0x800 else 3 if code < 0x10000 else 4
    return 1


LAZY_MIN = 50_000  # characters; a bigger text's line starts are collected only once many lookups need them


class LineIndex:
    """Line starts of a text, with LSP's line breaks (\\n, \\r\\n, \\r) and nothing else.

    A big text answers its first few lookups by counting line breaks up to the offset (C speed)
    and collects every line start only when those counts would cost more: publishing the two
    diagnostics of a 50,000-line file then costs microseconds, not the 5 ms of a full index.
    """

    __slots__ = ("text", "_starts", "_budget", "_lf_only")

    def __init__(self, text: str, starts: tuple[int, ...] | None = None, lf_only: bool | None = None) -> None:
        self.text = text
        self._starts = starts
        self._lf_only = "\r" not in text if lf_only is None else lf_only  # every line break is a \n
        # Characters the counting lookups may still scan before the full index is cheaper.
        self._budget = 8 * len(text) if starts is None and self._lf_only else 0

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
        if encoding == "utf-32":
            return line, offset - start
        return line, sum(_units(c, encoding) for c in self.text[start:offset])

    def offset(self, line: int, character: int, encoding: str = "utf-16") -> int:
        """Code-point offset for an LSP position; past-the-end characters clamp to the line end."""
        if line < 0:
            return 0
        if line >= len(self.starts):
            return len(self.text)
        start = self.starts[line]
        content = self.line_text(line)
        if encoding == "utf-32":
            return start + min(character, len(content))
        used = 0
        for i, c in enumerate(content):
            if used >= character:
                return start + i
            used += _units(c, encoding)
        return start + len(content)


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
