"""The key schema of every pack file kind, shared by the checks and the language server.

Paths name a place inside a file: mapping keys as strings, sequence items as an int or "*".
``keys_at(FileKind.RUNTIME, ("versions", 0, "execution_config"))`` lists the keys valid in a
version's execution_config; ``key_spec(kind, path)`` describes the key (or sequence item) at
the end of a path; ``ignored_keys`` lists keys Attune never reads there, with the key it reads
instead. Unknown or free-form places answer with an empty mapping / None.
"""

from __future__ import annotations

from dataclasses import replace
from types import MappingProxyType
from typing import Mapping as TypingMapping

from packls.model.kinds import FileKind
from packls.schema.components import ACTION, RULE, SENSOR, TRIGGER
from packls.schema.manifest import MANIFEST, REGISTERED_NAMES
from packls.schema.others import CACHE, DASHBOARD, PERMISSION_SET, POLICY, QUEUE
from packls.schema.runtime import EXECUTION_CONFIG, RUNTIME
from packls.schema.spec import IgnoredKey, KeySpec, MapShape, SeqShape, Shape
from packls.schema.workflow import WORKFLOW

Path = tuple["str | int", ...]

ROOTS: dict[FileKind, MapShape] = {
    FileKind.MANIFEST: MANIFEST,
    FileKind.RUNTIME: RUNTIME,
    FileKind.ACTION: ACTION,
    FileKind.SENSOR: SENSOR,
    FileKind.TRIGGER: TRIGGER,
    FileKind.RULE: RULE,
    FileKind.WORKFLOW: WORKFLOW,
    FileKind.LEGACY_WORKFLOW: WORKFLOW,
    FileKind.PERMISSION_SET: PERMISSION_SET,
    FileKind.POLICY: POLICY,
    FileKind.QUEUE: QUEUE,
    FileKind.CACHE: CACHE,
    FileKind.DASHBOARD: DASHBOARD,
}

_EMPTY_KEYS: TypingMapping[str, KeySpec] = MappingProxyType({})
_EMPTY_IGNORED: TypingMapping[str, IgnoredKey] = MappingProxyType({})


def shape_at(kind: FileKind, path: Path) -> Shape | None:
    """The shape of the value at path (the root mapping for an empty path), or None if unknown."""
    shape: Shape | None = ROOTS.get(kind)
    for step in path:
        if shape is None:
            return None
        if isinstance(shape, SeqShape):
            if not (isinstance(step, int) or step == "*"):
                return None
            shape = shape.item
        elif isinstance(step, str):
            nested = shape.nested.get(step)
            if nested is not None:
                shape = nested
            elif step in shape.keys:
                return None  # a known key with a scalar or free-form value
            else:
                shape = shape.any_value
        else:
            return None
    return shape


def keys_at(kind: FileKind, path: Path) -> TypingMapping[str, KeySpec]:
    """Keys valid in the mapping at path; empty when the place is unknown or free-form."""
    shape = shape_at(kind, path)
    if isinstance(shape, MapShape):
        return MappingProxyType(shape.keys)
    return _EMPTY_KEYS


def key_spec(kind: FileKind, path: Path) -> KeySpec | None:
    """The spec of the key (or scalar sequence item) at the end of path."""
    if not path:
        return None
    parent = shape_at(kind, path[:-1])
    last = path[-1]
    if isinstance(parent, MapShape) and isinstance(last, str):
        spec = parent.keys.get(last)
        if spec is not None:
            return spec
        if parent.any_spec is not None:
            return replace(parent.any_spec, name=last)
        return None
    if isinstance(parent, SeqShape) and (isinstance(last, int) or last == "*"):
        spec = parent.item_spec
        if spec is not None and not spec.name and len(path) >= 2 and isinstance(path[-2], str):
            return replace(spec, name=path[-2])
        return spec
    return None


def ignored_keys(kind: FileKind, path: Path) -> TypingMapping[str, IgnoredKey]:
    """Keys Attune never reads in the mapping at path, with what it reads instead."""
    shape = shape_at(kind, path)
    if isinstance(shape, MapShape):
        return MappingProxyType(shape.ignored)
    return _EMPTY_IGNORED


def is_closed(kind: FileKind, path: Path) -> bool:
    """True when Attune rejects unknown keys in the mapping at path (strict structs)."""
    shape = shape_at(kind, path)
    return isinstance(shape, MapShape) and shape.closed


__all__ = [
    "EXECUTION_CONFIG",
    "IgnoredKey",
    "KeySpec",
    "MapShape",
    "REGISTERED_NAMES",
    "ROOTS",
    "SeqShape",
    "Shape",
    "ignored_keys",
    "is_closed",
    "key_spec",
    "keys_at",
    "shape_at",
]
