"""Parse YAML text with ruamel.yaml's composer into packls nodes; errors become problems."""

from __future__ import annotations

import math
import os
import re
import warnings
from dataclasses import dataclass, field
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml import nodes as rnodes
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.reader import ReaderError
from ruamel.yaml.scanner import RoundTripScanner

from packls.syntax.aliases import alias_trouble, repair_alias_ends
from packls.syntax.depth import MAX_FLOW_DEPTH, flow_depth_exceeded
from packls.syntax.fast import TooManyValues, compose_fast
from packls.syntax.incremental import remember, reparse
from packls.syntax.nodes import Mapping, Node, Pair, Scalar, Sequence, Span

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
    """The reference path: ruamel.yaml's round-trip composer (YAML 1.2), every error located."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            yaml = YAML()
            yaml.Scanner = _Scanner
            composed = list(yaml.compose_all(text))
    except TooManyValues as stop:
        return _too_many(result, stop)
    except MarkedYAMLError as error:
        result.problem = _marked_problem(text, error)
        return result
    except ReaderError as error:
        position = min(max(error.position, 0), len(text))
        result.problem = SyntaxProblem(
            f"invalid character {_describe_char(error.character)} in YAML",
            Span(position, min(position + 1, len(text))),
            kind="character",
        )
        return result
    except RecursionError:
        result.problem = _depth_problem(text)
        return result
    except YAMLError as error:  # any other parser complaint without marks
        result.problem = SyntaxProblem(str(error).strip() or "not valid YAML", _line_span(text, 0))
        return result
    converter = _Converter(text, result.duplicates)
    try:
        result.documents = [converter.convert(node) for node in composed if node is not None]
    except RecursionError:
        result.documents = []
        result.problem = _depth_problem(text)
    return result


def _depth_problem(text: str, offset: int = 0) -> SyntaxProblem:
    return SyntaxProblem(
        f"the YAML is nested more than {MAX_FLOW_DEPTH} levels deep; packls does not read it, flatten the structure",
        _line_span(text, offset),
        kind="depth",
    )


def _describe_char(character: object) -> str:
    if isinstance(character, str) and character:
        return f"U+{ord(character[0]):04X}"
    if isinstance(character, int):
        return f"0x{character:02X}"
    return repr(character)


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


def _marked_problem(text: str, error: MarkedYAMLError) -> SyntaxProblem:
    mark = error.problem_mark or error.context_mark
    offset = mark.index if mark is not None else 0
    message = (error.problem or error.context or "not valid YAML").strip()
    if "\t" in message or "'\\t'" in message:
        message = "tabs are not allowed in YAML indentation or before a value; use spaces"
    context_span = None
    if error.context and error.context_mark is not None and error.problem_mark is not None:
        context_span = _line_span(text, error.context_mark.index)
    return SyntaxProblem(
        message,
        _line_span(text, offset),
        context=error.context.strip() if error.context else None,
        context_span=context_span,
    )


class _Scanner(RoundTripScanner):
    """ruamel's round-trip scanner without its one check that YAML (and libyaml, Attune's reader) does not have.

    ruamel refuses a block scalar whose leading blank lines hold fewer spaces than its first
    text line (`|` then a line of two spaces, then `    text`): "more indented follow up line
    than first in a block scalar". The spec only forbids blank lines *longer* than the text's
    indentation; those still fail, as in libyaml, when the text line ends the scalar early.
    This is PyYAML's (libyaml's) version of the method.
    """

    def fetch_more_tokens(self) -> Any:
        """Count tokens: past MAX_TOKENS the text is too big to read (each token costs ~25 µs here)."""
        fetched = self._packls_tokens = getattr(self, "_packls_tokens", 0) + 1
        if fetched > MAX_TOKENS:
            raise TooManyValues(MAX_TOKENS // 2, self.reader.index)
        return super().fetch_more_tokens()

    def scan_block_scalar_indentation(self) -> Any:
        peek, forward = self.reader.peek, self.reader.forward
        chunks = []
        max_indent = 0
        end_mark = self.reader.get_mark()
        while peek() in " \r\n\x85\u2028\u2029":
            if peek() != " ":
                chunks.append(self.scan_line_break())
                end_mark = self.reader.get_mark()
            else:
                forward()
                max_indent = max(max_indent, self.reader.column)
        return chunks, max_indent, end_mark


class _Converter:
    """Turns ruamel nodes into packls nodes once each, so aliases share (and never expand) nodes."""

    def __init__(self, text: str, duplicates: list[DuplicateKey]) -> None:
        self.text = text
        self.duplicates = duplicates
        self.memo: dict[int, Node] = {}

    def convert(self, node: rnodes.Node) -> Node:
        known = self.memo.get(id(node))
        if known is not None:
            return known
        if isinstance(node, rnodes.MappingNode):
            mapping = Mapping(self._span(node), flow=bool(node.flow_style))
            self.memo[id(node)] = mapping
            seen: dict[str, Span] = {}
            for key, value in node.value:
                pair = Pair(self.convert(key), self.convert(value))
                mapping.pairs.append(pair)
                if isinstance(pair.key, Scalar):
                    first = seen.get(pair.key.text)
                    if first is None:
                        seen[pair.key.text] = pair.key.span
                    else:
                        self.duplicates.append(DuplicateKey(pair.key.text, first, pair.key.span))
            if not mapping.flow and mapping.pairs:
                mapping.span = Span(mapping.span.start, mapping.pairs[-1].value.span.end)
            return mapping
        if isinstance(node, rnodes.SequenceNode):
            sequence = Sequence(self._span(node), flow=bool(node.flow_style))
            self.memo[id(node)] = sequence
            sequence.items.extend(self.convert(item) for item in node.value)
            if not sequence.flow and sequence.items:
                sequence.span = Span(sequence.span.start, sequence.items[-1].span.end)
            return sequence
        if node.style == ">" and "\a" in node.value:
            # ruamel's round-trip scanner adds a BEL at each fold so it can re-emit it; the value has none
            # (a real BEL cannot occur in the text: the reader rejects it).
            node.value = node.value.replace("\a", "")
        scalar = Scalar(self._span(node), _typed(node), str(node.value), node.style)
        if node.style in ("|", ">"):
            scalar.span = Span(scalar.span.start, self._trim_end(scalar.span))
        self.memo[id(node)] = scalar
        return scalar

    def _span(self, node: rnodes.Node) -> Span:
        start = node.start_mark.index
        end = max(node.end_mark.index, start)
        return Span(start, end)

    def _trim_end(self, span: Span) -> int:
        end = span.end
        while end > span.start and self.text[end - 1] in " \t\r\n":
            end -= 1
        return end


def _typed(node: rnodes.ScalarNode) -> object:
    """YAML 1.2 core typing of a scalar (unknown tags stay strings, as serde reads them)."""
    return _typed_text(str(node.tag), str(node.value))


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
