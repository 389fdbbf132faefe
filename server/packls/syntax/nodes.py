"""The node tree every later layer reads: mappings, sequences and typed scalars with spans."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterator, Union


@dataclass(frozen=True, slots=True)
class Span:
    """A half-open range of code-point offsets into a document's text."""

    start: int
    end: int

    def contains(self, offset: int) -> bool:
        """True when offset lies inside the span or touches its end (a cursor after the last char)."""
        return self.start <= offset <= self.end


@dataclass(eq=False, slots=True)
class Scalar:
    """A scalar typed the YAML 1.2 way (as serde reads it): str, int, float, bool or None."""

    span: Span
    value: object
    text: str  # the scalar's content before typing
    style: str | None = None  # None (plain), '"', "'", '|', '>'

    @property
    def is_string(self) -> bool:
        """True for values Attune's `as_str` accepts."""
        return isinstance(self.value, str)

    @property
    def type_name(self) -> str:
        """The YAML type a user would recognise, for messages."""
        return _type_name(self.value)


_SCAN_UP_TO = 8  # pairs; a bigger mapping answers lookups from its key texts, gathered on first use:
_DICT_FROM = 33  # a tuple searched in C below this many pairs (a file's root gets no dict), a dict from here


@dataclass(eq=False, slots=True)
class Pair:
    """One key/value entry of a mapping; key and value each keep their own span."""

    key: Node
    value: Node

    @property
    def key_text(self) -> str | None:
        """The key as a string when it is a scalar (Attune keys are strings)."""
        return self.key.text if isinstance(self.key, Scalar) else None


@dataclass(eq=False, slots=True)
class Mapping:
    """A YAML mapping in source order; duplicate keys are kept and reported by the parser."""

    span: Span
    pairs: list[Pair] = field(default_factory=list)
    flow: bool = False
    # (pairs seen, each pair's key text or None) up to _DICT_FROM pairs, else (pairs seen, key text → first pair)
    _index: tuple[int, tuple[str | None, ...] | dict[str, Pair]] | None = field(default=None, repr=False, compare=False)

    def get(self, key: str) -> Pair | None:
        """The first entry with this key, as a serde map lookup would see it."""
        pairs = self.pairs
        if len(pairs) <= _SCAN_UP_TO:
            for pair in pairs:
                found = pair.key
                if found.__class__ is Scalar and found.text == key:  # type: ignore[union-attr]
                    return pair
            return None
        known = getattr(self, "_index", None)  # unset on shifted mappings, which skip __init__
        if known is None or known[0] != len(pairs):  # pairs are only ever appended while parsing
            known = self._index = (len(pairs), _key_index(pairs))
        index = known[1]
        if index.__class__ is dict:
            return index.get(key)  # type: ignore[union-attr]
        return pairs[index.index(key)] if key in index else None  # type: ignore[union-attr,arg-type]

    def value(self, key: str) -> Node | None:
        """The value node for key, or None when the key is absent."""
        pair = self.get(key)
        return pair.value if pair is not None else None

    def keys(self) -> Iterator[str]:
        """Scalar keys in source order."""
        for pair in self.pairs:
            if isinstance(pair.key, Scalar):
                yield pair.key.text


def _key_index(pairs: list[Pair]) -> tuple[str | None, ...] | dict[str, Pair]:
    """The key texts of a mapping's pairs, in order (None for a key that is not a scalar), or by text when there are many."""
    if len(pairs) < _DICT_FROM:
        return tuple(pair.key.text if pair.key.__class__ is Scalar else None for pair in pairs)  # type: ignore[union-attr]
    index: dict[str, Pair] = {}
    for pair in pairs:
        if pair.key.__class__ is Scalar:
            index.setdefault(pair.key.text, pair)  # type: ignore[union-attr]
    return index


@dataclass(eq=False, slots=True)
class Sequence:
    """A YAML sequence in source order."""

    span: Span
    items: list[Node] = field(default_factory=list)
    flow: bool = False


Node = Union[Scalar, Mapping, Sequence]


def _type_name(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    return "string"


def node_type_name(node: Node) -> str:
    """Name of a node's YAML type for messages ("mapping", "sequence", "number", ...)."""
    if isinstance(node, Mapping):
        return "mapping"
    if isinstance(node, Sequence):
        return "sequence"
    return node.type_name


def string_value(node: Node | None) -> str | None:
    """The node's value when it is a string scalar, as Attune's `as_str` would return it."""
    if isinstance(node, Scalar) and isinstance(node.value, str):
        return node.value
    return None
