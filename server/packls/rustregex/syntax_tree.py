"""The syntax tree of a Rust `regex` pattern, shaped like regex-syntax's AST so checks can follow it.

Spans are code-point offsets into the pattern (start inclusive, end exclusive).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Union

Span = tuple[int, int]


@dataclass
class Literal:
    """One character; `hex_byte` is set for a fixed-width `\\xHH` escape (a byte when Unicode is off)."""

    span: Span
    char: str
    hex_byte: bool = False


@dataclass
class Dot:
    """`.`: any character but `\\n` (any at all under `s`)."""

    span: Span


@dataclass
class Assertion:
    """`^ $ \\A \\z \\b \\B \\< \\> \\b{start}` …; kind names the assertion."""

    span: Span
    kind: str


@dataclass
class PerlClass:
    """`\\d \\s \\w` and their negations; kind is 'd', 's' or 'w'."""

    span: Span
    kind: str
    negated: bool


@dataclass
class UnicodeClass:
    """`\\pL`, `\\p{Greek}`, `\\p{sc=Greek}`, `\\P{…}`; value is None unless name and value are given."""

    span: Span
    negated: bool
    name: str
    value: str | None = None
    not_equal: bool = False

    @property
    def is_negated(self) -> bool:
        """`\\P{x}` and `\\p{x!=y}` negate; both together cancel out."""
        return self.negated != self.not_equal


@dataclass
class AsciiClass:
    """`[:alpha:]` inside a bracketed class."""

    span: Span
    name: str
    negated: bool


@dataclass
class ClassRange:
    """`a-z` inside brackets."""

    span: Span
    start: Literal
    end: Literal


@dataclass
class ClassUnion:
    """Items side by side inside brackets."""

    span: Span
    items: list[ClassItem] = field(default_factory=list)


@dataclass
class ClassEmpty:
    """Nothing, where brackets hold no item (before a set operator, say)."""

    span: Span


@dataclass
class ClassBinaryOp:
    """`&&` (intersection), `--` (difference) or `~~` (symmetric difference) inside brackets."""

    span: Span
    op: str
    lhs: ClassSet
    rhs: ClassSet


@dataclass
class Bracketed:
    """`[…]` or `[^…]`."""

    span: Span
    negated: bool
    kind: ClassSet


ClassItem = Union[ClassEmpty, Literal, ClassRange, AsciiClass, UnicodeClass, PerlClass, Bracketed, ClassUnion]
ClassSet = Union[ClassItem, ClassBinaryOp]


@dataclass(frozen=True)
class FlagItem:
    """One flag letter, or '-' for the negation that turns the following letters off."""

    span: Span
    letter: str


@dataclass
class Flags:
    """The letters of a flag group, `-` included."""

    span: Span
    items: list[FlagItem] = field(default_factory=list)

    def state(self, letter: str) -> bool | None:
        """True or False when this group sets the flag, None when it leaves it alone."""
        enabled = True
        for item in self.items:
            if item.letter == "-":
                enabled = False
            elif item.letter == letter:
                return enabled
        return None


@dataclass
class SetFlags:
    """`(?i)`: flags for the rest of the enclosing group."""

    span: Span
    flags: Flags


@dataclass
class Group:
    """`(…)`, `(?P<name>…)`, `(?<name>…)` (capturing, index ≥ 1) or `(?flags:…)` (index None)."""

    span: Span
    node: Node
    index: int | None = None
    name: str | None = None
    flags: Flags | None = None


@dataclass
class Repetition:
    """`*`, `+`, `?`, `{n}`, `{n,}`, `{n,m}`; high None means unbounded."""

    span: Span
    op_span: Span
    low: int
    high: int | None
    greedy: bool
    node: Node


@dataclass
class Empty:
    """Nothing: an empty pattern, branch or group."""

    span: Span


@dataclass
class Concat:
    """Nodes one after another."""

    span: Span
    nodes: list[Node] = field(default_factory=list)


@dataclass
class Alternation:
    """Branches separated by `|`."""

    span: Span
    nodes: list[Node] = field(default_factory=list)


Node = Union[Empty, SetFlags, Literal, Dot, Assertion, UnicodeClass, PerlClass, Bracketed, Repetition, Group, Alternation, Concat]
