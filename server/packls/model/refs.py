"""Refs one component makes to another: what they name, where they are written, how they qualify."""

from __future__ import annotations

from dataclasses import dataclass

from packls.model.kinds import FileKind
from packls.syntax.nodes import Node, Scalar, Sequence, string_value


@dataclass(frozen=True)
class Reference:
    """A ref written in a file: the target kind, the text as written and its node."""

    target: FileKind
    text: str
    node: Scalar
    field: str  # the key it is written under, for messages ("trigger_ref", "tasks[2].action")
    short_ok: bool = True  # a ref without a dot gets the pack prefix

    def qualified(self, pack_ref: str) -> str:
        """The ref Attune looks up: short refs get the installing pack's prefix."""
        return qualified(self.text, self.short_ok, pack_ref)

    @property
    def key(self) -> RefKey:
        """What it names, not where it is written."""
        return self.target, self.text, self.short_ok


RefKey = tuple[FileKind, str, bool]  # what a ref names, not where: (target kind, text as written, short refs allowed)


def qualified(text: str, short_ok: bool, pack_ref: str) -> str:
    """The ref Attune looks up for a ref written as text: short refs get the installing pack's prefix."""
    text = text.strip()
    if short_ok and "." not in text and pack_ref:
        return f"{pack_ref}.{text}"
    return text


def scalar_refs(node: Node | None, target: FileKind, field: str, *, short_ok: bool = True) -> list[Reference]:
    """Refs from a string or a list of strings (non-strings are left to the type checks)."""
    found: list[Reference] = []
    if isinstance(node, Scalar):
        text = string_value(node)
        if text is not None and text.strip():
            found.append(Reference(target, text, node, field, short_ok))
    elif isinstance(node, Sequence):
        for index, item in enumerate(node.items):
            text = string_value(item)
            if isinstance(item, Scalar) and text is not None and text.strip():
                found.append(Reference(target, text, item, f"{field}[{index}]", short_ok))
    return found
