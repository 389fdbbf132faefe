"""Parse YAML text with ruamel.yaml's composer into packls nodes; errors become problems."""

from __future__ import annotations

import math
import re
import warnings
from dataclasses import dataclass, field

from ruamel.yaml import YAML
from ruamel.yaml import nodes as rnodes
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.reader import ReaderError

from packls.syntax.nodes import Mapping, Node, Pair, Scalar, Sequence, Span

_INT_DEC = re.compile(r"[-+]?[0-9]+\Z")
_BRACKETS = re.compile(r"[\[\]{}]")
MAX_FLOW_DEPTH = 300  # ruamel's recursive composer gives up a little deeper, after seconds of work
_TAG = "tag:yaml.org,2002:"


@dataclass(frozen=True)
class SyntaxProblem:
    """Why a text is not YAML that Attune can read, and where."""

    message: str
    span: Span
    context: str | None = None
    context_span: Span | None = None
    kind: str = "syntax"  # "syntax" | "character" | "depth"


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
    too_deep_at = _flow_depth_exceeded(text)
    if too_deep_at is not None:
        result.problem = _depth_problem(text, too_deep_at)
        return result
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            composed = list(YAML().compose_all(text))
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


def _flow_depth_exceeded(text: str) -> int | None:
    """Offset where flow brackets first nest deeper than MAX_FLOW_DEPTH (cheap: brackets only)."""
    if text.count("[") + text.count("{") <= MAX_FLOW_DEPTH:
        return None
    depth = 0
    for match in _BRACKETS.finditer(text):
        if match.group() in "[{":
            depth += 1
            if depth > MAX_FLOW_DEPTH:
                return match.start()
        elif depth:
            depth -= 1
    return None


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
    tag = str(node.tag)
    text = str(node.value)
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
