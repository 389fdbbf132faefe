"""Parse a pattern the way Rust's regex-syntax 0.8 does: the same tree, the same first error, the same span.

A port of the behaviour of regex-syntax's AST parser (stack-based, so nesting depth costs no
recursion), followed by its nest limit: groups, classes, repetitions, alternations and
concatenations may nest at most 250 deep. Octal escapes stay off, as `regex::Regex::new` has them.
"""

from __future__ import annotations

from dataclasses import dataclass

from packls.rustregex.brackets import BracketParsing
from packls.rustregex.cursor import WHITE_SPACE
from packls.rustregex.unicode import is_alphabetic, is_numeric
from packls.rustregex.syntax_tree import (
    Alternation, Assertion, Bracketed, ClassBinaryOp, ClassUnion, Concat, Dot, Empty, FlagItem, Flags, Group,
    Literal, Node, Repetition, SetFlags,
)

NEST_LIMIT = 250
MAX_COUNT = 2**32 - 1
FLAG_LETTERS = frozenset("imsUuRx")


@dataclass
class _OpenGroup:
    """A group still open: the concatenation it interrupted, and whitespace mode before it."""

    concat: Concat
    group: Group
    ignore_whitespace: bool


def _as_node(nodes: list[Node], span: tuple[int, int], kind: type[Concat] | type[Alternation]) -> Node:
    """Empty, the one node, or the concatenation/alternation of several, as in regex-syntax's AST."""
    if not nodes:
        return Empty(span)
    if len(nodes) == 1:
        return nodes[0]
    return kind(span, nodes)


class Parser(BracketParsing):
    """One pattern, parsed once."""

    def __init__(self, pattern: str) -> None:
        super().__init__(pattern)
        self.captures = 0
        self.capture_names: dict[str, tuple[int, int]] = {}
        self.groups: list[_OpenGroup | Alternation] = []

    def parse(self) -> Node:
        """The syntax tree, or the first RegexSyntaxError regex-syntax would raise."""
        concat = Concat(self.here())
        while True:
            self.bump_space()
            if self.eof():
                break
            c = self.char()
            if c == "(":
                concat = self.push_group(concat)
            elif c == ")":
                concat = self.pop_group(concat)
            elif c == "|":
                concat = self.push_alternate(concat)
            elif c == "[":
                concat.nodes.append(self.parse_bracketed())
            elif c in "?*+":
                self.uncounted_repetition(concat, {"?": (0, 1), "*": (0, None), "+": (1, None)}[c])
            elif c == "{":
                self.counted_repetition(concat)
            else:
                concat.nodes.append(self.parse_primitive())
        node = self.end_groups(concat)
        check_nesting(node, self)
        return node

    def parse_primitive(self) -> Node:
        """One literal character, `.`, `^`, `$` or escape."""
        c = self.char()
        if c == "\\":
            return self.parse_escape()
        span = self.span_char()
        self.bump()
        if c == ".":
            return Dot(span)
        if c in "^$":
            return Assertion(span, "start_line" if c == "^" else "end_line")
        return Literal(span, c)

    # -- alternation and groups -------------------------------------------------------------------

    def push_alternate(self, concat: Concat) -> Concat:
        """A `|`: the concatenation so far becomes a branch."""
        concat.span = (concat.span[0], self.pos)
        node = _as_node(concat.nodes, concat.span, Concat)
        top = self.groups[-1] if self.groups else None
        if isinstance(top, Alternation):
            top.nodes.append(node)
        else:
            self.groups.append(Alternation((concat.span[0], self.pos), [node]))
        self.bump()
        return Concat(self.here())

    def push_group(self, concat: Concat) -> Concat:
        """A `(`: open a group, or apply `(?flags)` to the rest of the enclosing group."""
        opened = self.parse_group()
        if isinstance(opened, SetFlags):
            state = opened.flags.state("x")
            if state is not None:
                self.ignore_whitespace = state
            concat.nodes.append(opened)
            return concat
        self.groups.append(_OpenGroup(concat, opened, self.ignore_whitespace))
        if opened.flags is not None and opened.flags.state("x") is not None:
            self.ignore_whitespace = bool(opened.flags.state("x"))
        return Concat(self.here())

    def pop_group(self, inner: Concat) -> Concat:
        """A `)`: close the innermost group (GroupUnopened when none is open)."""
        top = self.groups.pop() if self.groups else None
        alternation = None
        if isinstance(top, Alternation):
            alternation = top
            top = self.groups.pop() if self.groups else None
        if not isinstance(top, _OpenGroup):
            raise self.error("GroupUnopened", self.span_char())
        self.ignore_whitespace = top.ignore_whitespace
        inner.span = (inner.span[0], self.pos)
        self.bump()
        group = top.group
        group.span = (group.span[0], self.pos)
        if alternation is not None:
            alternation.span = (alternation.span[0], inner.span[1])
            alternation.nodes.append(_as_node(inner.nodes, inner.span, Concat))
            group.node = alternation
        else:
            group.node = _as_node(inner.nodes, inner.span, Concat)
        top.concat.nodes.append(group)
        return top.concat

    def end_groups(self, concat: Concat) -> Node:
        """The end of the pattern: any group still open is GroupUnclosed."""
        concat.span = (concat.span[0], self.pos)
        node = _as_node(concat.nodes, concat.span, Concat)
        top = self.groups.pop() if self.groups else None
        if isinstance(top, Alternation):
            top.span = (top.span[0], self.pos)
            top.nodes.append(node)
            node = top
            top = self.groups.pop() if self.groups else None
        if isinstance(top, _OpenGroup):
            raise self.error("GroupUnclosed", top.group.span)
        return node

    def parse_group(self) -> SetFlags | Group:
        """What follows `(`: look-around (refused), a named or plain capture, flags, or a non-capturing group."""
        open_span = self.span_char()
        self.bump()
        self.bump_space()
        if any(self.bump_if(prefix) for prefix in ("?=", "?!", "?<=", "?<!")):
            raise self.error("UnsupportedLookAround", (open_span[0], self.pos))
        inner = self.here()
        if self.bump_if("?P<") or self.bump_if("?<"):
            self.captures += 1
            index = self.captures
            return Group(open_span, Empty(self.here()), index=index, name=self.parse_capture_name())
        if self.bump_if("?"):
            if self.eof():
                raise self.error("GroupUnclosed", open_span)
            flags = self.parse_flags()
            end = self.char()
            self.bump()
            if end == ")":
                if not flags.items:
                    raise self.error("RepetitionMissing", inner)
                return SetFlags((open_span[0], self.pos), flags)
            return Group(open_span, Empty(self.here()), flags=flags)
        self.captures += 1
        return Group(open_span, Empty(self.here()), index=self.captures)

    def parse_capture_name(self) -> str:
        """The name of `(?<name>` / `(?P<name>`, checked as regex-syntax checks it."""
        if self.eof():
            raise self.error("GroupNameUnexpectedEof", self.here())
        start = self.pos
        while self.char() != ">":
            if not is_capture_char(self.char(), self.pos == start):
                raise self.error("GroupNameInvalid", self.span_char())
            if not self.bump():
                break
        end = self.pos
        if self.eof():
            raise self.error("GroupNameUnexpectedEof", self.here())
        self.bump()
        name = self.pattern[start:end]
        if not name:
            raise self.error("GroupNameEmpty", (start, start))
        if name in self.capture_names:
            raise self.error("GroupNameDuplicate", (start, end))
        self.capture_names[name] = (start, end)
        return name

    def parse_flags(self) -> Flags:
        """The flag letters of `(?imsUuRx-imsUuRx:` or `(?…)`."""
        flags = Flags(self.here())
        dangling: tuple[int, int] | None = None
        while self.char() not in ":)":
            span = self.span_char()
            letter = self.char()
            if letter == "-":
                dangling = span
                if any(item.letter == "-" for item in flags.items):
                    raise self.error("FlagRepeatedNegation", span)
            else:
                dangling = None
                if letter not in FLAG_LETTERS:
                    raise self.error("FlagUnrecognized", span)
                if any(item.letter == letter for item in flags.items):
                    raise self.error("FlagDuplicate", span)
            flags.items.append(FlagItem(span, letter))
            if not self.bump():
                raise self.error("FlagUnexpectedEof", self.here())
        if dangling is not None:
            raise self.error("FlagDanglingNegation", dangling)
        flags.span = (flags.span[0], self.pos)
        return flags

    # -- repetitions ------------------------------------------------------------------------------

    def _repeated(self, concat: Concat) -> Node:
        """The node a repetition operator applies to (RepetitionMissing when there is none)."""
        node = concat.nodes.pop() if concat.nodes else None
        if node is None or isinstance(node, (Empty, SetFlags)):
            raise self.error("RepetitionMissing", self.here())
        return node

    def uncounted_repetition(self, concat: Concat, bounds: tuple[int, int | None]) -> None:
        """`*`, `+`, `?`, each optionally lazy."""
        op_start = self.pos
        node = self._repeated(concat)
        greedy = True
        if self.bump() and self.char() == "?":
            greedy = False
            self.bump()
        concat.nodes.append(Repetition((node.span[0], self.pos), (op_start, self.pos), *bounds, greedy, node))

    def counted_repetition(self, concat: Concat) -> None:
        """`{n}`, `{n,}`, `{n,m}`, with regex-syntax's errors in its order."""
        start = self.pos
        node = self._repeated(concat)
        if not self.bump_and_bump_space():
            raise self.error("RepetitionCountUnclosed", (start, self.pos))
        low: int | Exception
        try:
            low = self.parse_decimal()
        except _DecimalError as error:
            low = error
        if self.eof():
            raise self.error("RepetitionCountUnclosed", (start, self.pos))
        high: int | None
        if self.char() == ",":
            if not self.bump_and_bump_space():
                raise self.error("RepetitionCountUnclosed", (start, self.pos))
            if self.char() != "}":
                low = _value(low)
                try:
                    high = self.parse_decimal()
                except _DecimalError as error:
                    raise error.syntax_error from None
            else:
                low, high = _value(low), None
        else:
            low = _value(low)
            high = low
        if self.eof() or self.char() != "}":
            raise self.error("RepetitionCountUnclosed", (start, self.pos))
        greedy = True
        if self.bump_and_bump_space() and self.char() == "?":
            greedy = False
            self.bump()
        op_span = (start, self.pos)
        if high is not None and low > high:
            raise self.error("RepetitionCountInvalid", op_span)
        concat.nodes.append(Repetition((node.span[0], self.pos), op_span, low, high, greedy, node))

    def parse_decimal(self) -> int:
        """Digits, with any whitespace around them (even without `x`); a count must fit in 32 bits."""
        while not self.eof() and self.char() in WHITE_SPACE:
            self.bump()
        start = self.pos
        digits = []
        while not self.eof() and "0" <= self.char() <= "9":
            digits.append(self.char())
            self.bump_and_bump_space()
        span = (start, self.pos)
        while not self.eof() and self.char() in WHITE_SPACE:
            self.bump_and_bump_space()
        if not digits:
            raise _DecimalError(self.error("RepetitionCountDecimalEmpty", span))
        value = int("".join(digits))
        if value > MAX_COUNT:
            raise _DecimalError(self.error("DecimalInvalid", span))
        return value


class _DecimalError(Exception):
    """A count that did not parse; regex-syntax reports it only once the count is needed."""

    def __init__(self, syntax_error: Exception) -> None:
        super().__init__(str(syntax_error))
        self.syntax_error = syntax_error


def _value(count: int | Exception) -> int:
    """A parsed count, or the error its parsing deferred."""
    if isinstance(count, _DecimalError):
        raise count.syntax_error from None
    assert isinstance(count, int)
    return count


def is_capture_char(c: str, first: bool) -> bool:
    """A letter or `_` first, then also digits, `.`, `[` and `]` (Rust's Alphabetic / Numeric)."""
    if c == "_" or is_alphabetic(c):
        return True
    return not first and (c in ".[]" or is_numeric(c))


def check_nesting(node: Node, parser: Parser) -> None:
    """regex-syntax's nest limit, checked in the same order: the first node past depth 250 fails."""

    def enter(span: tuple[int, int], depth: int) -> int:
        """One level deeper: NestLimitExceeded past 250."""
        if depth + 1 > NEST_LIMIT:
            raise parser.error("NestLimitExceeded", span)
        return depth + 1

    def visit(current: Node, depth: int) -> None:
        """Walk the tree as regex-syntax's nest limiter does."""
        if isinstance(current, Bracketed):
            visit_class(current.kind, enter(current.span, depth))
        elif isinstance(current, (Repetition, Group)):
            visit(current.node, enter(current.span, depth))
        elif isinstance(current, (Concat, Alternation)):
            inner = enter(current.span, depth)
            for child in current.nodes:
                visit(child, inner)

    def visit_class(item: object, depth: int) -> None:
        """Walk a class body: nested classes and set operations count as levels."""
        if isinstance(item, Bracketed):
            visit_class(item.kind, enter(item.span, depth))
        elif isinstance(item, ClassUnion):
            inner = enter(item.span, depth)
            for child in item.items:
                visit_class(child, inner)
        elif isinstance(item, ClassBinaryOp):
            inner = enter(item.span, depth)
            visit_class(item.lhs, inner)
            visit_class(item.rhs, inner)

    visit(node, 0)
