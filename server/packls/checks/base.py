"""Helpers every check module shares: making findings and locating text inside scalars."""

from __future__ import annotations

from typing import Any

from packls.checks.rules import Rule
from packls.findings import Finding, Related, Severity
from packls.syntax.nodes import Node, Scalar, Span
from packls.workspace import SourceFile


def finding(
    source: SourceFile,
    span: Span,
    rule: Rule,
    message: str,
    *,
    severity: Severity | None = None,
    related: tuple[Related, ...] = (),
    data: dict[str, Any] | None = None,
) -> Finding:
    """A finding for a rule, at its rule's default severity unless the check escalates it."""
    return Finding(source.path, span, severity or rule.severity, rule.code, message, related, data)


def scalar_content_start(scalar: Scalar, text: str) -> int | None:
    """Offset where a scalar's value starts in the text, when the value is written verbatim there."""
    start = scalar.span.start
    if scalar.style in ('"', "'"):
        start += 1
    elif scalar.style is not None:
        return None
    value = scalar.text
    if text[start : start + len(value)] == value:
        return start
    return None


def sub_span(node: Node, text: str, start: int, end: int) -> Span:
    """The span of characters start..end of a scalar's value, or the whole node when unmappable."""
    if isinstance(node, Scalar):
        base = scalar_content_start(node, text)
        if base is not None and 0 <= start <= end <= len(node.text):
            if start == end:
                end = min(start + 1, len(node.text))
            return Span(base + start, base + end)
    return node.span


def describe_versions(texts: list[str]) -> str:
    """A list of declared versions for a message."""
    return ", ".join(texts) if texts else "none"
