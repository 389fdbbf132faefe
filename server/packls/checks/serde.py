"""Typed shapes checked the way Rust's serde reads them, so packls reports what Attune's parser would.

A shape describes a Rust type: `Str`, `Bool`, `Int("u32")`, `Seq(...)`, `Map(...)`, `Struct(...)`,
`Enum(...)`, `Opt(...)`, `Untagged(...)`, `Checked(...)`, `Any`. `first_error(shape, node)` walks the YAML nodes in
document order and returns the first problem serde would stop at, with its node and path.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from packls.syntax.nodes import Mapping, Node, Scalar, Sequence
from packls.syntax.shifted import shifted
from packls.syntax.spliced import child, flagged

_INT_RANGES = {
    "u32": (0, 2**32 - 1),
    "u64": (0, 2**64 - 1),
    "usize": (0, 2**64 - 1),
    "i32": (-(2**31), 2**31 - 1),
    "i64": (-(2**63), 2**63 - 1),
}


class Shape:
    """A Rust type as serde deserializes it."""

    expecting = "a value"


@dataclass(frozen=True)
class StrShape(Shape):
    expecting: str = "a string"


@dataclass(frozen=True)
class BoolShape(Shape):
    expecting: str = "a boolean"


@dataclass(frozen=True)
class Int(Shape):
    rust: str = "i64"

    @property
    def expecting(self) -> str:  # type: ignore[override]
        return self.rust


@dataclass(frozen=True)
class AnyShape(Shape):
    expecting: str = "any value"


@dataclass(frozen=True)
class Seq(Shape):
    item: Shape
    expecting: str = "a sequence"


@dataclass(frozen=True)
class Map(Shape):
    value: Shape
    expecting: str = "a map"


@dataclass(frozen=True)
class Opt(Shape):
    """`Option<T>`: null or absent is fine."""

    inner: Shape

    @property
    def expecting(self) -> str:  # type: ignore[override]
        return self.inner.expecting


@dataclass(frozen=True)
class Enum(Shape):
    name: str
    variants: tuple[str, ...]

    @property
    def expecting(self) -> str:  # type: ignore[override]
        return f"enum {self.name}"


@dataclass(frozen=True)
class Untagged(Shape):
    name: str
    options: tuple[Shape, ...]


@dataclass(frozen=True)
class Checked(Shape):
    """A type whose Deserialize impl checks the value further once it matched (serde's custom errors)."""

    inner: Shape
    check: Callable[[Node], tuple[str, Node] | None]  # the custom error and the node it is about, or None

    @property
    def expecting(self) -> str:  # type: ignore[override]
        return self.inner.expecting


@dataclass(frozen=True)
class FieldSpec:
    """One struct field: its shape and whether serde needs it present."""

    shape: Shape
    required: bool = False  # no #[serde(default)] and not an Option
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Struct(Shape):
    name: str
    fields: dict[str, FieldSpec] = field(default_factory=dict)
    deny_unknown: bool = False

    @property
    def expecting(self) -> str:  # type: ignore[override]
        return f"struct {self.name}"


Str = StrShape()
Bool = BoolShape()
Any = AnyShape()


@dataclass(frozen=True)
class SerdeError:
    """The first thing serde rejects: message (serde's wording), where, and the path to it."""

    message: str
    node: Node
    path: str  # serde_yaml style: `tasks[0].on_success`, "" at the root
    key_node: Node | None = None  # the offending key for unknown fields

    def text(self) -> str:
        """`path: message`, as serde_yaml prints it (without its line/column suffix)."""
        return f"{self.path}: {self.message}" if self.path else self.message


def first_error(shape: Shape, node: Node | None, path: str = "") -> SerdeError | None:
    """The first error serde would report for node read as shape (None: it deserializes)."""
    if node is None:
        return None
    return _check(shape, node, path)


def describe(node: Node) -> str:
    """serde's `Unexpected` wording for a YAML value."""
    if isinstance(node, Mapping):
        return "map"
    if isinstance(node, Sequence):
        return "sequence"
    value = node.value
    if value is None:
        return "unit value"
    if isinstance(value, bool):
        return f"boolean `{'true' if value else 'false'}`"
    if isinstance(value, int):
        return f"integer `{value}`"
    if isinstance(value, float):
        return f"floating point `{node.text}`"
    return f"string {_quote(str(value))}"


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _invalid_type(node: Node, shape: Shape, path: str) -> SerdeError:
    return SerdeError(f"invalid type: {describe(node)}, expected {shape.expecting}", node, path)


def _check(shape: Shape, node: Node, path: str) -> SerdeError | None:
    if isinstance(shape, AnyShape):
        return None
    if isinstance(shape, Opt):
        if isinstance(node, Scalar) and node.value is None:
            return None
        return _check(shape.inner, node, path)
    if isinstance(shape, StrShape):
        if isinstance(node, Scalar) and isinstance(node.value, str):
            return None
        return _invalid_type(node, shape, path)
    if isinstance(shape, BoolShape):
        if isinstance(node, Scalar) and isinstance(node.value, bool):
            return None
        return _invalid_type(node, shape, path)
    if isinstance(shape, Int):
        if isinstance(node, Scalar) and isinstance(node.value, int) and not isinstance(node.value, bool):
            low, high = _INT_RANGES[shape.rust]
            if low <= node.value <= high:
                return None
            return SerdeError(f"invalid value: integer `{node.value}`, expected {shape.rust}", node, path)
        return _invalid_type(node, shape, path)
    if isinstance(shape, Enum):
        if isinstance(node, Scalar) and isinstance(node.value, str):
            if node.value in shape.variants:
                return None
            expected = _one_of(shape.variants)
            return SerdeError(f"unknown variant `{node.value}`, expected {expected}", node, path)
        return _invalid_type(node, shape, path)
    if isinstance(shape, Seq):
        if not isinstance(node, Sequence):
            return _invalid_type(node, shape, path)
        failing = flagged(node, ("serde failing", id(shape)), lambda item: _moved_check(shape.item, item, "") is not None)
        for index in failing if failing is not None else range(len(node.items)):  # a moved list: only its failing items
            error = _moved_check(shape.item, child(node, index), f"{path}[{index}]")
            if error is not None:
                return error
        return None
    if isinstance(shape, Map):
        if not isinstance(node, Mapping):
            return _invalid_type(node, shape, path)
        for pair in node.pairs:
            key = pair.key_text if isinstance(pair.key, Scalar) else None
            error = _moved_check(shape.value, pair.value, _join(path, key or "?"))
            if error is not None:
                return error
        return None
    if isinstance(shape, Struct):
        return _check_struct(shape, node, path)
    if isinstance(shape, Checked):
        error = _check(shape.inner, node, path)
        if error is not None:
            return error
        problem = shape.check(node)
        return SerdeError(problem[0], problem[1], path) if problem is not None else None
    if isinstance(shape, Untagged):
        if all(_check(option, node, path) is not None for option in shape.options):
            return SerdeError(f"data did not match any variant of untagged enum {shape.name}", node, path)
        return None
    return None


def _moved_check(shape: Shape, node: Node, path: str) -> SerdeError | None:
    """_check, answered from the notes of node's base when an edit only moved node and its base deserialized."""
    moved = shifted(node)
    if moved is None:
        return _check(shape, node, path)
    base, _, notes = moved
    key = ("serde", id(shape))
    if notes.get(key) is not shape:
        if _check(shape, base, path) is not None:
            return _check(shape, node, path)  # the error's nodes must be the moved ones
        notes[key] = shape
    return None


def _check_struct(shape: Struct, node: Node, path: str) -> SerdeError | None:
    if not isinstance(node, Mapping):
        return _invalid_type(node, shape, path)
    names = {alias: name for name, spec in shape.fields.items() for alias in (name, *spec.aliases)}
    seen: set[str] = set()
    for pair in node.pairs:
        key = pair.key_text
        name = names.get(key) if key is not None else None
        if name is None:
            if shape.deny_unknown:
                expected = _one_of(tuple(shape.fields))
                return SerdeError(f"unknown field `{key}`, expected {expected}", pair.key, path, pair.key)
            continue
        seen.add(name)
        error = _check(shape.fields[name].shape, pair.value, _join(path, key or name))
        if error is not None:
            return error
    for name, spec in shape.fields.items():
        if spec.required and name not in seen:
            return SerdeError(f"missing field `{name}`", node, path)
    return None


def _one_of(names: tuple[str, ...]) -> str:
    """serde's list of expected names: "`a`", "`a` or `b`", "one of `a`, `b`, `c`"."""
    quoted = [f"`{n}`" for n in names]
    if not quoted:
        return "nothing"
    if len(quoted) == 1:
        return quoted[0]
    if len(quoted) == 2:
        return f"{quoted[0]} or {quoted[1]}"
    return "one of " + ", ".join(quoted)
