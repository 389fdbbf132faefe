"""What every check produces and every front end prints: findings with spans."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import IntEnum
from pathlib import Path
from typing import Any

from packls.syntax.nodes import Span


class Severity(IntEnum):
    """Finding severities, numbered as LSP numbers them."""

    ERROR = 1
    WARNING = 2
    INFORMATION = 3
    HINT = 4

    @property
    def label(self) -> str:
        """The lower-case word used in JSON, text output and configuration."""
        return self.name.lower()

    @classmethod
    def from_label(cls, label: str) -> Severity:
        """Parse "error", "warning", "information" (or "info") and "hint"."""
        word = label.strip().lower()
        if word == "info":
            word = "information"
        return cls[word.upper()]


@dataclass(frozen=True)
class Related:
    """Another place that explains a finding (the first of two duplicate keys, say)."""

    path: Path
    span: Span
    message: str


@dataclass(frozen=True)
class Finding:
    """One problem: where, how bad, which rule, what is wrong and how to fix it."""

    path: Path
    span: Span
    severity: Severity
    code: str
    message: str
    related: tuple[Related, ...] = ()
    data: dict[str, Any] | None = field(default=None, compare=False, hash=False)

    def sort_key(self) -> tuple[str, int, int, str, str]:
        """Deterministic order: file, position, code, message."""
        return (str(self.path), self.span.start, self.span.end, self.code, self.message)
