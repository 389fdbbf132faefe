"""A position in a pattern, moved the way regex-syntax's parser moves (whitespace mode included)."""

from __future__ import annotations

from packls.rustregex.syntax_tree import Span

# Rust's `char::is_whitespace` (Unicode White_Space); Python's str.isspace() also takes U+001C..U+001F.
WHITE_SPACE = frozenset(
    "\t\n\x0b\x0c\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a"
    "\u2028\u2029\u202f\u205f\u3000"
)


class RegexSyntaxError(Exception):
    """Rust's regex refuses the pattern: `kind` is regex-syntax's error kind, `span` where (code points)."""

    def __init__(self, kind: str, span: Span) -> None:
        super().__init__(kind)
        self.kind = kind
        self.span = span


class Cursor:
    """The pattern, the current offset, and whether `(?x)` whitespace mode is on here."""

    def __init__(self, pattern: str) -> None:
        self.pattern = pattern
        self.pos = 0
        self.ignore_whitespace = False

    def error(self, kind: str, span: Span) -> RegexSyntaxError:
        """A syntax error of this kind at span."""
        return RegexSyntaxError(kind, span)

    def eof(self) -> bool:
        """Whether the whole pattern has been read."""
        return self.pos >= len(self.pattern)

    def char(self) -> str:
        """The character at the current position."""
        return self.pattern[self.pos]

    def here(self) -> Span:
        """An empty span at the current position."""
        return (self.pos, self.pos)

    def span_char(self) -> Span:
        """The span of the current character."""
        return (self.pos, self.pos + 1)

    def bump(self) -> bool:
        """Move one character on; True when a character follows."""
        if self.eof():
            return False
        self.pos += 1
        return not self.eof()

    def bump_if(self, prefix: str) -> bool:
        """Move past prefix when it comes next; True when it did."""
        if self.pattern.startswith(prefix, self.pos):
            self.pos += len(prefix)
            return True
        return False

    def bump_space(self) -> None:
        """In whitespace mode, skip whitespace and `#` comments up to the end of their line."""
        if not self.ignore_whitespace:
            return
        while not self.eof():
            c = self.char()
            if c in WHITE_SPACE:
                self.pos += 1
            elif c == "#":
                newline = self.pattern.find("\n", self.pos)
                self.pos = len(self.pattern) if newline < 0 else newline + 1
            else:
                return

    def bump_and_bump_space(self) -> bool:
        """Move one character on, then over whitespace mode's spacing; True when a character follows."""
        if not self.bump():
            return False
        self.bump_space()
        return not self.eof()

    def peek(self) -> str | None:
        """The character after the current one, spacing included."""
        return self.pattern[self.pos + 1] if self.pos + 1 < len(self.pattern) else None

    def peek_space(self) -> str | None:
        """The next character after the current one, past whitespace mode's spacing.

        As in regex-syntax: past a `#`, the first non-space character counts even inside the comment,
        and when only spacing follows, the character right after the current one is returned.
        """
        if not self.ignore_whitespace:
            return self.peek()
        if self.eof():
            return None
        start = self.pos + 1
        seen_hash = False
        for offset, c in enumerate(self.pattern[start:]):
            if c in WHITE_SPACE:
                continue
            if not seen_hash and c == "#":
                seen_hash = True
                continue
            start += offset
            break
        return self.pattern[start] if start < len(self.pattern) else None
