"""Offsets to lines and characters in any LSP position encoding, and back."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

_BREAK = re.compile(r"\r\n|\r|\n")
_ENCODING_UNITS = {"utf-16": 2, "utf-8": 1, "utf-32": 4}


def _units(char: str, encoding: str) -> int:
    code = ord(char)
    if encoding == "utf-16":
        return 2 if code > 0xFFFF else 1
    if encoding == "utf-8":
        return 1 if code < 0x80 else 2 if code < 0x800 else 3 if code < 0x10000 else 4
    return 1


@dataclass(frozen=True)
class LineIndex:
    """Line starts of a text, with LSP's line breaks (\\n, \\r\\n, \\r) and nothing else."""

    text: str
    starts: tuple[int, ...]

    @classmethod
    def of(cls, text: str) -> LineIndex:
        """Index a text once; lookups are then logarithmic."""
        if "\r" not in text:  # the common case: one C-level scan per line
            starts = [0]
            find, append = text.find, starts.append
            i = find("\n")
            while i >= 0:
                append(i + 1)
                i = find("\n", i + 1)
            return cls(text, tuple(starts))
        return cls(text, (0, *(m.end() for m in _BREAK.finditer(text))))

    def line_of(self, offset: int) -> int:
        """0-based line containing the offset."""
        return bisect.bisect_right(self.starts, max(0, offset)) - 1

    def line_text(self, line: int) -> str:
        """A line's text without its line break."""
        start = self.starts[line]
        end = self.starts[line + 1] if line + 1 < len(self.starts) else len(self.text)
        return self.text[start:end].rstrip("\r\n")

    def position(self, offset: int, encoding: str = "utf-16") -> tuple[int, int]:
        """(line, character) for a code-point offset, characters counted in the encoding's units."""
        offset = min(max(0, offset), len(self.text))
        line = self.line_of(offset)
        start = self.starts[line]
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


def encoding_units(encoding: str) -> int:
    """Bytes per unit of a position encoding (used to validate negotiated encodings)."""
    return _ENCODING_UNITS[encoding]
