"""Escapes: `\\x41 \\u{263A} \\p{Greek} \\d \\b{start} \\.` …, with regex-syntax's errors and spans."""

from __future__ import annotations

from packls.rustregex.cursor import Cursor
from packls.rustregex.syntax_tree import Assertion, Dot, Literal, PerlClass, UnicodeClass

Primitive = Literal | Assertion | Dot | PerlClass | UnicodeClass

META = frozenset("\\.+*?()|[]{}^$#&-~")
SPECIAL = {"a": "\x07", "f": "\x0c", "t": "\t", "n": "\n", "r": "\r", "v": "\x0b"}
ASSERTIONS = {"A": "start_text", "z": "end_text", "B": "not_word_boundary", "<": "word_start", ">": "word_end"}
WORD_BOUNDARIES = {"start": "word_start", "end": "word_end", "start-half": "word_start_half", "end-half": "word_end_half"}
HEX_WIDTH = {"x": 2, "u": 4, "U": 8}
HEX_DIGITS = frozenset("0123456789abcdefABCDEF")


def is_escapable(c: str) -> bool:
    """Meta characters, and any ASCII character but letters, digits, `<` and `>`."""
    return c in META or (c.isascii() and not c.isalnum() and c not in "<>")


def scalar(value: int) -> str | None:
    """The character with this code point, or None for surrogates and values past U+10FFFF."""
    return chr(value) if value <= 0x10FFFF and not 0xD800 <= value <= 0xDFFF else None


class EscapeParsing(Cursor):
    """Everything after a backslash."""

    def parse_escape(self) -> Primitive:
        """Everything from a backslash on: a literal, a class, an assertion or the error regex-syntax reports."""
        start = self.pos
        if not self.bump():
            raise self.error("EscapeUnexpectedEof", (start, self.pos))
        c = self.char()
        if c in "0123456789":
            raise self.error("UnsupportedBackreference", (start, self.pos + 1))
        if c in "xuU":
            literal = self.parse_hex()
            literal.span = (start, literal.span[1])
            return literal
        if c in "pP":
            unicode = self.parse_unicode_class()
            unicode.span = (start, unicode.span[1])
            return unicode
        if c in "dswDSW":
            self.bump()
            return PerlClass((start, self.pos), c.lower(), c.isupper())
        self.bump()
        span = (start, self.pos)
        if is_escapable(c):
            return Literal(span, c)
        if c in SPECIAL:
            return Literal(span, SPECIAL[c])
        if c in ASSERTIONS:
            return Assertion(span, ASSERTIONS[c])
        if c == "b":
            kind = "word_boundary"
            if not self.eof() and self.char() == "{":
                special = self.maybe_special_word_boundary(start)
                if special is not None:
                    kind, span = special, (start, self.pos)
            return Assertion(span, kind)
        raise self.error("EscapeUnrecognized", span)

    def maybe_special_word_boundary(self, escape_start: int) -> str | None:
        """`\\b{start}` and friends; None (nothing consumed) when `{` starts a repetition instead."""
        brace = self.pos
        if not self.bump_and_bump_space():
            raise self.error("SpecialWordOrRepetitionUnexpectedEof", (escape_start, self.pos))
        contents = self.pos
        if not _word_boundary_char(self.char()):
            self.pos = brace
            return None
        name = []
        while not self.eof() and _word_boundary_char(self.char()):
            name.append(self.char())
            self.bump_and_bump_space()
        if self.eof() or self.char() != "}":
            raise self.error("SpecialWordBoundaryUnclosed", (brace, self.pos))
        end = self.pos
        self.bump()
        kind = WORD_BOUNDARIES.get("".join(name))
        if kind is None:
            raise self.error("SpecialWordBoundaryUnrecognized", (contents, end))
        return kind

    def parse_hex(self) -> Literal:
        """`\\xHH`, `\\uHHHH`, `\\UHHHHHHHH`, or their braced form."""
        kind = self.char()
        if not self.bump_and_bump_space():
            raise self.error("EscapeUnexpectedEof", self.here())
        if self.char() == "{":
            return self.parse_hex_brace()
        start = self.pos
        digits = []
        for index in range(HEX_WIDTH[kind]):
            if index > 0 and not self.bump_and_bump_space():
                raise self.error("EscapeUnexpectedEof", self.here())
            if self.char() not in HEX_DIGITS:
                raise self.error("EscapeHexInvalidDigit", self.span_char())
            digits.append(self.char())
        self.bump_and_bump_space()
        char = scalar(int("".join(digits), 16))
        if char is None:
            raise self.error("EscapeHexInvalid", (start, self.pos))
        return Literal((start, self.pos), char, hex_byte=kind == "x")

    def parse_hex_brace(self) -> Literal:
        """`\\x{…}`: one to eight hex digits naming a Unicode scalar value."""
        brace = self.pos
        start = brace + 1
        digits = []
        while self.bump_and_bump_space() and self.char() != "}":
            if self.char() not in HEX_DIGITS:
                raise self.error("EscapeHexInvalidDigit", self.span_char())
            digits.append(self.char())
        if self.eof():
            raise self.error("EscapeUnexpectedEof", (brace, self.pos))
        end = self.pos
        self.bump_and_bump_space()
        if not digits:
            raise self.error("EscapeHexEmpty", (brace, self.pos))
        value = int("".join(digits), 16)
        char = scalar(value) if value <= 0xFFFFFFFF else None
        if char is None:
            raise self.error("EscapeHexInvalid", (start, end))
        return Literal((start, self.pos), char)

    def parse_unicode_class(self) -> UnicodeClass:
        """`\\pL` or `\\p{name}` / `\\p{name=value}`; the name is resolved later, as regex-syntax does."""
        negated = self.char() == "P"
        if not self.bump_and_bump_space():
            raise self.error("EscapeUnexpectedEof", self.here())
        if self.char() != "{":
            start, letter = self.pos, self.char()
            if letter == "\\":
                raise self.error("UnicodeClassInvalid", self.span_char())
            self.bump_and_bump_space()
            return UnicodeClass((start, self.pos), negated, letter)
        start = self.pos + 1
        name = []
        while self.bump_and_bump_space() and self.char() != "}":
            name.append(self.char())
        if self.eof():
            raise self.error("EscapeUnexpectedEof", self.here())
        self.bump()
        text = "".join(name)
        span = (start, self.pos)
        for operator in ("!=", ":", "="):
            at = text.find(operator)
            if at >= 0:
                return UnicodeClass(span, negated, text[:at], text[at + len(operator) :], operator == "!=")
        return UnicodeClass(span, negated, text)


def _word_boundary_char(c: str) -> bool:
    """What `\\b{…}` may hold: letters and `-`."""
    return c == "-" or ("a" <= c <= "z") or ("A" <= c <= "Z")
