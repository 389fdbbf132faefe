"""What regex-syntax's translator refuses after parsing, in its order: Unicode classes, and bytes in UTF-8 mode.

`regex::Regex` matches only valid UTF-8, so with Unicode off (`(?-u)`) anything that could match a
byte above 0x7F is refused (`InvalidUtf8`): `.`, `\\xFF`, negated classes, `\\W \\D \\S`; `\\p{…}`
and non-ASCII class members are refused outright (`UnicodeNotAllowed`). Unknown `\\p{…}` names are
`UnicodePropertyNotFound` / `UnicodePropertyValueNotFound`.
"""

from __future__ import annotations

from packls.rustregex.cursor import RegexSyntaxError
from packls.rustregex.syntax_tree import (
    Alternation, AsciiClass, Bracketed, ClassBinaryOp, ClassRange, ClassUnion, Concat, Dot, Flags, Group, Literal,
    Node, PerlClass, Repetition, SetFlags, UnicodeClass,
)
from packls.rustregex.unicode import resolve


class FlagState:
    """The flags in force at a point of the pattern (regex-syntax's defaults: only `u` on)."""

    def __init__(self) -> None:
        self.on: dict[str, bool] = {}

    def get(self, letter: str) -> bool:
        """Whether a flag is on here."""
        return self.on.get(letter, letter == "u")

    def apply(self, flags: Flags) -> dict[str, bool]:
        """Set what `flags` sets; the previous state is returned for restoring."""
        before = dict(self.on)
        enabled = True
        for item in flags.items:
            if item.letter == "-":
                enabled = False
            elif item.letter != "x":
                self.on[item.letter] = enabled
        return before


def check_translation(node: Node) -> None:
    """Raise the first translation error regex-syntax would raise, walking in its order."""
    _Walk().visit(node)


class _Walk:
    """Walks the tree in pattern order, as regex-syntax's translator visits it."""

    def __init__(self) -> None:
        self.flags = FlagState()

    def visit(self, node: Node) -> None:
        """Check one node, with the flags in force where it stands."""
        if isinstance(node, SetFlags):
            self.flags.apply(node.flags)
        elif isinstance(node, Group):
            before = self.flags.apply(node.flags) if node.flags is not None else dict(self.flags.on)
            self.visit(node.node)
            self.flags.on = before  # a group's flags, and any `(?i)` inside it, end with it
        elif isinstance(node, (Concat, Alternation)):
            for child in node.nodes:
                self.visit(child)
        elif isinstance(node, Repetition):
            self.visit(node.node)
        elif isinstance(node, Literal):
            if not self.flags.get("u") and node.hex_byte and ord(node.char) > 0x7F:
                raise RegexSyntaxError("InvalidUtf8", node.span)
        elif isinstance(node, Dot):
            if not self.flags.get("u"):
                raise RegexSyntaxError("InvalidUtf8", node.span)
        elif isinstance(node, (PerlClass, UnicodeClass)):
            self.class_item(node)
        elif isinstance(node, Bracketed):
            self.class_set(node.kind)
            if node.negated and not self.flags.get("u"):
                raise RegexSyntaxError("InvalidUtf8", node.span)

    def class_set(self, item: object) -> None:
        """Check a bracketed class body, children before the class itself (regex-syntax's order)."""
        if isinstance(item, ClassBinaryOp):
            self.class_set(item.lhs)
            self.class_set(item.rhs)
        elif isinstance(item, ClassUnion):
            for child in item.items:
                self.class_set(child)
        elif isinstance(item, Bracketed):
            self.class_set(item.kind)
            if item.negated and not self.flags.get("u"):
                raise RegexSyntaxError("InvalidUtf8", item.span)
        else:
            self.class_item(item)

    def class_item(self, item: object) -> None:
        """Check one class member: Unicode names resolve, and with Unicode off nothing matches non-UTF-8 bytes."""
        unicode = self.flags.get("u")
        if isinstance(item, UnicodeClass):
            if not unicode:
                raise RegexSyntaxError("UnicodeNotAllowed", item.span)
            found = resolve(item.name, item.value)
            if isinstance(found, str):
                raise RegexSyntaxError(found, item.span)
        elif isinstance(item, PerlClass):
            if not unicode and item.negated:
                raise RegexSyntaxError("InvalidUtf8", item.span)
        elif isinstance(item, AsciiClass):
            if not unicode and item.negated:
                raise RegexSyntaxError("InvalidUtf8", item.span)
        elif isinstance(item, ClassRange):
            self.class_byte(item.start)
            self.class_byte(item.end)
        elif isinstance(item, Literal):
            self.class_byte(item)

    def class_byte(self, literal: Literal) -> None:
        """With Unicode off, a class member must be an ASCII character."""
        if self.flags.get("u") or ord(literal.char) <= 0x7F:
            return
        raise RegexSyntaxError("InvalidUtf8" if literal.hex_byte else "UnicodeNotAllowed", literal.span)
