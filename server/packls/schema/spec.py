"""The vocabulary of the key schema: what a key is, what a mapping holds, what Attune ignores."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Union

from packls.model.kinds import FileKind

# YAML types a key may hold, in the words messages and the language server use.
YAML_TYPES = ("string", "boolean", "integer", "number", "mapping", "sequence", "null", "any")


@dataclass(frozen=True)
class KeySpec:
    """One key Attune reads: its YAML type(s), whether it is required, its default and its values."""

    name: str
    types: tuple[str, ...]
    required: bool = False
    default: str | None = None
    enum: tuple[str, ...] = ()
    doc: str = ""
    snippet: str | None = None  # LSP snippet text for the value (or block) of this key
    ref_kind: FileKind | None = None  # the value names a component of this kind
    case_sensitive: bool = False  # enum values compared exactly (serde enums) rather than lower-cased
    critical: bool = False  # leaving it out changes what Attune does, so a misspelling of it is an error

    def accepts(self, type_name: str) -> bool:
        """True when a value of this YAML type is one Attune reads (integers count as numbers)."""
        if "any" in self.types or type_name in self.types:
            return True
        return type_name == "integer" and "number" in self.types

    def allows(self, value: str) -> bool:
        """True when value is one of the enum values (or there is no enum)."""
        if not self.enum:
            return True
        if self.case_sensitive:
            return value in self.enum
        return value.lower() in self.enum


@dataclass(frozen=True)
class IgnoredKey:
    """A key authors write that Attune never reads, and the key it reads instead (if any)."""

    name: str
    reads_instead: str | None
    why: str
    report: bool = True  # False for harmless leftovers (documentation only, no finding)
    harmless_as_own_pack: bool = False  # no finding when the value is the installing pack's ref


@dataclass(frozen=True)
class MapShape:
    """The keys of one mapping, the shapes of their values, and what happens to unknown keys."""

    keys: dict[str, KeySpec] = field(default_factory=dict)
    nested: dict[str, Shape] = field(default_factory=dict)
    ignored: dict[str, IgnoredKey] = field(default_factory=dict)
    any_value: Shape | None = None  # every other key's value has this shape (name → definition maps)
    any_spec: KeySpec | None = None  # every other key's value is described by this spec
    closed: bool = False  # unknown keys are an error (serde deny_unknown_fields)
    free: bool = False  # other keys are normal here (metadata blocks): never suggest a spelling


@dataclass(frozen=True)
class SeqShape:
    """A sequence whose items are mappings of one shape, or scalars described by one spec."""

    item: Shape | None = None
    item_spec: KeySpec | None = None


Shape = Union[MapShape, SeqShape]


@dataclass(frozen=True)
class Field:
    """A key together with the shape of its value; the building block of the tables."""

    spec: KeySpec
    shape: Shape | None = None


def key(
    name: str,
    *types: str,
    required: bool = False,
    default: str | None = None,
    enum: tuple[str, ...] = (),
    doc: str = "",
    snippet: str | None = None,
    ref: FileKind | None = None,
    exact: bool = False,
    critical: bool = False,
    shape: Shape | None = None,
) -> Field:
    """Declare a key compactly."""
    unknown = set(types) - set(YAML_TYPES)
    if unknown:
        raise ValueError(f"unknown YAML type(s) {sorted(unknown)} for key {name}")
    spec = KeySpec(name, tuple(types), required, default, tuple(enum), doc, snippet, ref, exact, critical)
    return Field(spec, shape)


def mapping(
    *fields: Field,
    ignored: tuple[IgnoredKey, ...] = (),
    any_value: Shape | None = None,
    any_spec: KeySpec | None = None,
    closed: bool = False,
    free: bool = False,
) -> MapShape:
    """A mapping shape from its fields."""
    keys = {f.spec.name: f.spec for f in fields}
    nested = {f.spec.name: f.shape for f in fields if f.shape is not None}
    return MapShape(keys, nested, {i.name: i for i in ignored}, any_value, any_spec, closed, free)


def sequence_of(item: Shape | None = None, item_spec: KeySpec | None = None) -> SeqShape:
    """A sequence shape."""
    return SeqShape(item, item_spec)


def item(*types: str, doc: str = "", ref: FileKind | None = None, enum: tuple[str, ...] = (), exact: bool = False) -> KeySpec:
    """The spec of a scalar sequence item (or of a free map's values)."""
    return KeySpec("", tuple(types), doc=doc, ref_kind=ref, enum=tuple(enum), case_sensitive=exact)


def ignore(
    name: str, reads_instead: str | None, why: str, *, report: bool = True, harmless_as_own_pack: bool = False
) -> IgnoredKey:
    """Declare an ignored key."""
    return IgnoredKey(name, reads_instead, why, report, harmless_as_own_pack)
