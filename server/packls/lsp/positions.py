"""Code-point offsets ↔ LSP positions in the negotiated encoding; the only place units change."""

from __future__ import annotations

from typing import Any

from packls.features.offsets import line_index
from packls.lsp.messages import Position, Range
from packls.syntax.nodes import Span

Json = dict[str, Any]


def encoding_name(kind: object) -> str:
    """The LineIndex encoding name for a negotiated position encoding (utf-16 when unknown)."""
    value = str(kind or "utf-16").lower()
    return value if value in ("utf-8", "utf-16", "utf-32") else "utf-16"


class Positions:
    """Conversions for one text, with LSP's line breaks (never str.splitlines)."""

    def __init__(self, text: str, encoding: str) -> None:
        self.text = text
        self.encoding = encoding
        self.index = line_index(text)

    def position(self, offset: int) -> Json:
        """An LSP position (JSON) for a code-point offset."""
        line, character = self.index.position(offset, self.encoding)
        return {"line": line, "character": character}

    def range(self, span: Span) -> Json:
        """An LSP range (JSON) for a span."""
        return {"start": self.position(span.start), "end": self.position(span.end)}

    def offset(self, position: Position) -> int:
        """The code-point offset of an LSP position (clamped into the text)."""
        return self.index.offset(position.line, position.character, self.encoding)

    def span(self, range_: Range) -> Span:
        """The span of an LSP range."""
        start, end = self.offset(range_.start), self.offset(range_.end)
        return Span(min(start, end), max(start, end))
