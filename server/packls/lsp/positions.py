"""Code-point offsets ↔ LSP positions in the negotiated encoding; the only place units change."""

from __future__ import annotations

from lsprotocol import types

from packls.features.offsets import line_index
from packls.syntax.nodes import Span

ENCODINGS = {
    types.PositionEncodingKind.Utf8: "utf-8",
    types.PositionEncodingKind.Utf16: "utf-16",
    types.PositionEncodingKind.Utf32: "utf-32",
}


def encoding_name(kind: object) -> str:
    """The LineIndex encoding name for a negotiated PositionEncodingKind (utf-16 when unknown)."""
    if isinstance(kind, types.PositionEncodingKind):
        return ENCODINGS.get(kind, "utf-16")
    value = str(kind or "utf-16").lower()
    return value if value in ("utf-8", "utf-16", "utf-32") else "utf-16"


class Positions:
    """Conversions for one text, with LSP's line breaks (never str.splitlines)."""

    def __init__(self, text: str, encoding: str) -> None:
        self.text = text
        self.encoding = encoding
        self.index = line_index(text)

    def position(self, offset: int) -> types.Position:
        """An LSP position for a code-point offset."""
        line, character = self.index.position(offset, self.encoding)
        return types.Position(line=line, character=character)

    def range(self, span: Span) -> types.Range:
        """An LSP range for a span."""
        return types.Range(start=self.position(span.start), end=self.position(span.end))

    def offset(self, position: types.Position) -> int:
        """The code-point offset of an LSP position (clamped into the text)."""
        return self.index.offset(position.line, position.character, self.encoding)

    def span(self, range_: types.Range) -> Span:
        """The span of an LSP range."""
        start, end = self.offset(range_.start), self.offset(range_.end)
        return Span(min(start, end), max(start, end))
