"""Helpers every check module shares: making findings, locating text, and the pack around a file."""

from __future__ import annotations

from typing import Any

from packls.checks.ref_grammar import pack_ref_error
from packls.checks.rules import Rule
from packls.findings import Finding, Related, Severity
from packls.syntax.nodes import Mapping, Node, Pair, Scalar, Sequence, Span, node_type_name
from packls.workspace import Pack, SourceFile, Workspace


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


def head_span(node: Node, text: str) -> Span:
    """A short span for a big node: its first line (a whole mapping would underline the file)."""
    if isinstance(node, (Mapping, Sequence)):
        end = text.find("\n", node.span.start)
        end = node.span.end if end < 0 else min(end, node.span.end)
        return Span(node.span.start, max(end, node.span.start))
    return node.span


def pair_span(pair: Pair) -> Span:
    """Where a key is written (bad keys are underlined at the key)."""
    return pair.key.span


def file_start(source: SourceFile) -> Span:
    """A span for file-level findings: the first line of the file."""
    text = source.text
    end = text.find("\n")
    return Span(0, len(text) if end < 0 else end) if text else Span(0, 0)


def pack_of(source: SourceFile, workspace: Workspace) -> Pack | None:
    """The pack a file belongs to."""
    return workspace.pack_at(source.pack_root)


def manifest_pack_ref(pack: Pack | None) -> str | None:
    """The pack ref pack check works with: the manifest's ref, trimmed, when it is valid."""
    if pack is None or pack.manifest is None:
        return None
    ref = pack.manifest.ref
    if ref is None or not ref.strip():
        return None
    ref = ref.strip()
    return ref if pack_ref_error(ref) is None else None


def type_word(node: Node) -> str:
    """A YAML type for messages, with an article ("a string", "an integer")."""
    name = node_type_name(node)
    return ("an " if name[0] in "aeiou" else "a ") + name


def is_null(node: Node | None) -> bool:
    """True for an explicit null (`key:` or `key: ~`)."""
    return isinstance(node, Scalar) and node.value is None
