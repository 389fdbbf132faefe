"""Bracketed classes: `[a-z]`, `[^\\d]`, `[[:alpha:]]`, nesting and `&& -- ~~` set operations."""

from __future__ import annotations

from dataclasses import dataclass

from packls.rustregex.cursor import RegexSyntaxError
from packls.rustregex.escapes import EscapeParsing, Primitive
from packls.rustregex.syntax_tree import (
    AsciiClass, Bracketed, ClassBinaryOp, ClassEmpty, ClassItem, ClassRange, ClassSet, ClassUnion, Literal,
    PerlClass, UnicodeClass,
)

ASCII_CLASSES = frozenset(
    ("alnum", "alpha", "ascii", "blank", "cntrl", "digit", "graph", "lower", "print", "punct", "space", "upper",
     "word", "xdigit")
)
OPERATORS = {"&": "intersection", "-": "difference", "~": "symmetric_difference"}


@dataclass
class _Open:
    """A `[` still open: the union it interrupted and the class it starts."""

    union: ClassUnion
    bracketed: Bracketed


@dataclass
class _Operator:
    """A set operator seen, waiting for its right-hand side."""

    op: str
    lhs: ClassSet


def _span_of(item: ClassSet | Primitive) -> tuple[int, int]:
    """The span of a class item or primitive."""
    return item.span


def _as_item(union: ClassUnion) -> ClassItem:
    """A union of no item is empty and of one item is that item, as in regex-syntax's AST."""
    if not union.items:
        return ClassEmpty(union.span)
    if len(union.items) == 1:
        return union.items[0]
    return union


def _push(union: ClassUnion, item: ClassItem) -> None:
    """Add an item to a union and widen its span."""
    if not union.items:
        union.span = (item.span[0], union.span[1])
    union.span = (union.span[0], item.span[1])
    union.items.append(item)


class BracketParsing(EscapeParsing):
    """Parses one bracketed class, with a stack for nesting as regex-syntax does."""

    def parse_bracketed(self) -> Bracketed:
        """A whole `[…]` from its opening bracket, nested classes and set operations included."""
        stack: list[_Open | _Operator] = []
        union = ClassUnion(self.here())
        while True:
            self.bump_space()
            if self.eof():
                raise self._unclosed(stack)
            c = self.char()
            if c == "[":
                if stack:
                    ascii_class = self.maybe_ascii_class()
                    if ascii_class is not None:
                        _push(union, ascii_class)
                        continue
                bracketed, nested = self.open_bracket()
                stack.append(_Open(union, bracketed))
                union = nested
            elif c == "]":
                kind = self._pop_operator(stack, _as_item(union))
                opened = stack.pop()
                assert isinstance(opened, _Open)
                self.bump()
                opened.bracketed.span = (opened.bracketed.span[0], self.pos)
                opened.bracketed.kind = kind
                if not stack:
                    return opened.bracketed
                union = opened.union
                _push(union, opened.bracketed)
            elif c in OPERATORS and self.peek() == c:
                self.pos += 2
                stack.append(_Operator(OPERATORS[c], self._pop_operator(stack, _as_item(union))))
                union = ClassUnion(self.here())
            else:
                _push(union, self.parse_range(stack))

    def _unclosed(self, stack: list[_Open | _Operator]) -> RegexSyntaxError:
        opened = next(state for state in reversed(stack) if isinstance(state, _Open))
        return self.error("ClassUnclosed", opened.bracketed.span)

    @staticmethod
    def _pop_operator(stack: list[_Open | _Operator], rhs: ClassSet) -> ClassSet:
        """ClassUnclosed at the innermost open bracket, as regex-syntax reports it."""
        if stack and isinstance(stack[-1], _Operator):
            operator = stack.pop()
            assert isinstance(operator, _Operator)
            return ClassBinaryOp((operator.lhs.span[0], rhs.span[1]), operator.op, operator.lhs, rhs)
        return rhs

    def open_bracket(self) -> tuple[Bracketed, ClassUnion]:
        """`[`, an optional `^`, and leading `-` or `]` taken literally."""
        start = self.pos
        if not self.bump_and_bump_space():
            raise self.error("ClassUnclosed", (start, self.pos))
        negated = self.char() == "^"
        if negated and not self.bump_and_bump_space():
            raise self.error("ClassUnclosed", (start, self.pos))
        union = ClassUnion(self.here())
        while self.char() == "-":
            _push(union, Literal(self.span_char(), "-"))
            if not self.bump_and_bump_space():
                raise self.error("ClassUnclosed", (start, start))
        if not union.items and self.char() == "]":
            _push(union, Literal(self.span_char(), "]"))
            if not self.bump_and_bump_space():
                raise self.error("ClassUnclosed", (start, self.pos))
        return Bracketed((start, self.pos), negated, ClassEmpty(union.span)), union

    def parse_range(self, stack: list[_Open | _Operator]) -> ClassItem:
        """One item, or a range `a-z` between two literals."""
        first = self._class_primitive()
        self.bump_space()
        if self.eof():
            raise self._unclosed(stack)
        if self.char() != "-" or self.peek_space() in ("]", "-"):
            return self._as_class_item(first)
        if not self.bump_and_bump_space():
            raise self._unclosed(stack)
        last = self._class_primitive()
        span = (first.span[0], last.span[1])
        start, end = self._as_range_end(first), self._as_range_end(last)
        if start.char > end.char:
            raise self.error("ClassRangeInvalid", span)
        return ClassRange(span, start, end)

    def _class_primitive(self) -> Primitive:
        """One character or escape inside brackets."""
        if self.char() == "\\":
            return self.parse_escape()
        literal = Literal(self.span_char(), self.char())
        self.bump()
        return literal

    def _as_class_item(self, primitive: Primitive) -> ClassItem:
        """Only characters and classes may stand in brackets (`[\\b]` may not)."""
        if isinstance(primitive, (Literal, PerlClass, UnicodeClass)):
            return primitive
        raise self.error("ClassEscapeInvalid", primitive.span)

    def _as_range_end(self, primitive: Primitive) -> Literal:
        """A range bound must be one character, not a class."""
        if isinstance(primitive, Literal):
            return primitive
        raise self.error("ClassRangeLiteral", primitive.span)

    def maybe_ascii_class(self) -> AsciiClass | None:
        """`[:name:]` or `[:^name:]`; None (nothing consumed) when the text is not one."""
        start = self.pos
        negated = False
        if not self.bump() or self.char() != ":" or not self.bump():
            self.pos = start
            return None
        if self.char() == "^":
            negated = True
            if not self.bump():
                self.pos = start
                return None
        name_start = self.pos
        while self.char() != ":" and self.bump():
            pass
        if self.eof():
            self.pos = start
            return None
        name = self.pattern[name_start : self.pos]
        if not self.bump_if(":]") or name not in ASCII_CLASSES:
            self.pos = start
            return None
        return AsciiClass((start, self.pos), name, negated)
