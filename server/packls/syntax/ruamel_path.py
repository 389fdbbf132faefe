"""The reference path: ruamel.yaml's round-trip composer (YAML 1.2), every error located.

Imported on the first text the fast path (`fast.py`) cannot vouch for: ruamel takes ~10 ms to
import, and most runs never need it.
"""

from __future__ import annotations

import warnings
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml import nodes as rnodes
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.reader import ReaderError
from ruamel.yaml.scanner import RoundTripScanner

from packls.syntax.fast import TooManyValues
from packls.syntax.nodes import Mapping, Node, Pair, Scalar, Sequence, Span
from packls.syntax.parse import (
    MAX_TOKENS, DuplicateKey, ParsedYaml, SyntaxProblem, _depth_problem, _line_span, _too_many, _typed_text,
)


def parse_with_ruamel(text: str, result: ParsedYaml) -> ParsedYaml:
    """Compose text with ruamel into result's documents; a YAML error becomes its problem, located."""
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


def _describe_char(character: object) -> str:
    if isinstance(character, str) and character:
        return f"U+{ord(character[0]):04X}"
    if isinstance(character, int):
        return f"0x{character:02X}"
    return repr(character)


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
