"""Position-aware YAML: text in, node trees with code-point spans out, never an exception."""

from __future__ import annotations

from packls.syntax.lines import LineIndex
from packls.syntax.nodes import Mapping, Node, Pair, Scalar, Sequence, Span
from packls.syntax.parse import ParsedYaml, SyntaxProblem, parse_yaml

__all__ = [
    "LineIndex",
    "Mapping",
    "Node",
    "Pair",
    "ParsedYaml",
    "Scalar",
    "Sequence",
    "Span",
    "SyntaxProblem",
    "parse_yaml",
]
