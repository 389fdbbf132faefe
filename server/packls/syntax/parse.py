"""Parse YAML text into packls nodes (libyaml where it agrees with ruamel.yaml, else ruamel); errors become problems."""

from __future__ import annotations

import math
import os
import re
from dataclasses import dataclass, field
from typing import Any

from packls.syntax.aliases import alias_trouble, repair_alias_ends
from packls.syntax.depth import MAX_FLOW_DEPTH, flow_depth_exceeded
from packls.syntax.fast import TooManyValues, compose_fast
from packls.syntax.incremental import remember, reparse
from packls.syntax.nodes import Mapping, Node, Span

_INT_DEC = re.compile(r"[-+]?[0-9]+\Z")
MAX_TOKENS = 60_000  # ruamel's scanner is ~25 times slower than libyaml: about a second of work per text, at most
_TAG = "tag:yaml.org,2002:"
# PACKLS_YAML_FAST=0 forces the ruamel path everywhere (for comparisons and bug reports).
_USE_FAST = os.environ.get("PACKLS_YAML_FAST", "1") != "0"


@dataclass(frozen=True)
class SyntaxProblem:
    """Why a text is not YAML that Attune can read, and where."""

    message: str
    span: Span
    context: str | None = None
    context_span: Span | None = None
    kind: str = "syntax"  # "syntax" | "character" | "depth" | "aliases"


@dataclass(frozen=True)
class DuplicateKey:
    """A key written twice in one mapping: serde rejects the whole file for it."""

    key: str
    first: Span
    again: Span


@dataclass
class ParsedYaml:
    """Everything later layers need from one YAML text."""

    text: str
    documents: list[Node] = field(default_factory=list)
    problem: SyntaxProblem | None = None
    duplicates: list[DuplicateKey] = field(default_factory=list)
    # What later layers derived from this very parse (set for big texts only), so they derive it once.
    notes: dict[Any, Any] | None = field(default=None, compare=False, repr=False)

    @property
    def root(self) -> Node | None:
        """The first document's root node (Attune reads a single document)."""
        return self.documents[0] if self.documents else None

    @property
    def root_mapping(self) -> Mapping | None:
        """The root when it is a mapping, which is what every pack file must be."""
        root = self.root
        return root if isinstance(root, Mapping) else None


def parse_yaml(text: str) -> ParsedYaml:
    """Compose every document of text; never raises."""
    result = ParsedYaml(text)
    try:
        documents = reparse(text) if _USE_FAST else None  # None unless text is big and a remembered parse is close
    except TooManyValues as stop:
        return _too_many(result, stop)
    if documents is None:  # (reparse checked the depth, where the edit added or removed a bracket)
        too_deep_at = flow_depth_exceeded(text)
        if too_deep_at is not None:
            result.problem = _depth_problem(text, too_deep_at)
            return result
    if _USE_FAST:
        try:
            if documents is None:
                documents = compose_fast(text, result.duplicates)
        except TooManyValues as stop:
            return _too_many(result, stop)
        if documents is not None:
            result.documents = documents
            result = _refuse_alias_trouble(result)
            remember(result)
            return result
    return _refuse_alias_trouble(_parse_with_ruamel(text, result))


def _too_many(result: ParsedYaml, stop: TooManyValues) -> ParsedYaml:
    """A text too big to read in bounded time: one problem where reading stopped, no tree at all."""
    result.documents, result.problem = [], SyntaxProblem(
        f"packls stops reading a file after {stop.limit:,} YAML values and this one holds more, so it is not "
        "checked; split it into smaller files (Attune itself reads at most 1 MiB per file)",
        _line_span(result.text, stop.at), kind="size",
    )
    result.duplicates.clear()
    return result


def _refuse_alias_trouble(result: ParsedYaml) -> ParsedYaml:
    """An alias bomb or alias cycle becomes the text's problem, and no later layer ever walks it.

    Otherwise block collections that end with an alias get their true end (see `repair_alias_ends`).
    """
    if result.problem is not None or "*" not in result.text:
        return result
    trouble = alias_trouble(result.documents)
    if trouble is not None:
        result.problem = SyntaxProblem(trouble.message, _line_span(result.text, trouble.at.span.start), kind="aliases")
        result.documents = []
        result.duplicates.clear()
    else:
        repair_alias_ends(result.documents, result.text)
    return result


def _parse_with_ruamel(text: str, result: ParsedYaml) -> ParsedYaml:
    """The reference path (ruamel.yaml), loaded on the first text the fast path cannot vouch for."""
    from packls.syntax.ruamel_path import parse_with_ruamel

    return parse_with_ruamel(text, result)


def _depth_problem(text: str, offset: int = 0) -> SyntaxProblem:
    return SyntaxProblem(
        f"the YAML is nested more than {MAX_FLOW_DEPTH} levels deep; packls does not read it, flatten the structure",
        _line_span(text, offset),
        kind="depth",
    )


def _line_span(text: str, offset: int) -> Span:
    """Widen a point to the rest of its line (never to the end of the file).

    A problem found at the end of the stream is moved back onto the last written character,
    so the editor underlines something the user can see.
    """
    offset = min(max(offset, 0), len(text))
    written = len(text.rstrip())
    if written and offset >= written:
        return Span(written - 1, written)
    end = offset
    while end < len(text) and text[end] not in "\r\n":
        end += 1
    if end == offset and offset > 0 and offset == len(text):
        return Span(offset, offset)
    return Span(offset, end)


def _typed_text(tag: str, text: str) -> object:
    """The typed value of a scalar with this resolved tag and content."""
    if not tag.startswith(_TAG):
        return text
    kind = tag[len(_TAG) :]
    if kind == "null":
        return None
    if kind == "bool":
        return text.lower() == "true"
    if kind == "int":
        return _to_int(text)
    if kind == "float":
        return _to_float(text)
    return text


def _to_int(text: str) -> object:
    cleaned = text.replace("_", "")
    try:
        lowered = cleaned.lower().lstrip("+-")
        if lowered.startswith(("0x", "0o", "0b")):
            return int(cleaned, 0)
        if _INT_DEC.match(cleaned):
            return int(cleaned, 10)
    except ValueError:
        pass
    return text


def _to_float(text: str) -> object:
    lowered = text.lower().replace("_", "")
    if lowered in (".inf", "+.inf"):
        return math.inf
    if lowered == "-.inf":
        return -math.inf
    if lowered == ".nan":
        return math.nan
    try:
        return float(lowered)
    except ValueError:
        return text
