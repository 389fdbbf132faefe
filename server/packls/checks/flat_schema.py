"""Flat parameter / output schemas (`name: {type: …}`), checked as pack check's check_flat_schema does."""

from __future__ import annotations

from typing import Iterator

from packls.checks.base import finding
from packls.checks.moved import reuse
from packls.checks.rules import SCHEMA_INVALID_FIELD, SCHEMA_MISSING_TYPE, SCHEMA_NOT_OBJECT
from packls.findings import Finding, Related
from packls.model import FileKind
from packls.syntax.nodes import Mapping, Scalar
from packls.syntax.shifted import SHIFTED
from packls.workspace import SourceFile, Workspace

SCHEMA_FIELDS: dict[FileKind, tuple[str, ...]] = {
    FileKind.MANIFEST: ("conf_schema", "config_schema"),
    FileKind.ACTION: ("parameters", "output", "output_schema"),
    FileKind.SENSOR: ("parameters",),
    FileKind.TRIGGER: ("parameters", "output"),
}
_WRAPPER_KEYS = frozenset({"type", "properties", "required", "additionalProperties", "$schema", "title"})


def check_flat_schemas(source: SourceFile, workspace: Workspace) -> Iterator[Finding]:
    """Every flat schema field of the file."""
    component = source.component
    if component is None:
        return
    for field in SCHEMA_FIELDS.get(source.kind, ()):
        pair = component.node.get(field)
        if pair is not None:
            value = pair.value
            if value.__class__ in SHIFTED:  # moved by an edit above it: reuse what was found on its base
                yield from reuse(value, ("flat_schema", source.path, field), (), lambda base: check_flat_schema(source, field, base))
            else:
                yield from check_flat_schema(source, field, value)


def check_flat_schema(source: SourceFile, field: str, schema: object) -> Iterator[Finding]:
    """One schema: a mapping of field name → definition with a string `type`."""
    if not isinstance(schema, Mapping):
        yield finding(source, schema.span, SCHEMA_NOT_OBJECT, f"Field '{field}' must use Attune's flat per-field object format")  # type: ignore[attr-defined]
        return
    wrapper = _legacy_wrapper(schema)
    if wrapper is not None:
        type_pair = schema.get("type")
        yield finding(
            source, type_pair.key.span, SCHEMA_INVALID_FIELD,  # type: ignore[union-attr]
            f"Each '{field}' entry must have a string name and object definition",
            related=(Related(
                source.path, type_pair.key.span,  # type: ignore[union-attr]
                "this is the retired JSON-Schema wrapper (type: object + properties); Attune now reads the fields "
                "directly: move each entry of `properties` up one level and mark required ones with `required: true`",
            ),),
            data={"legacy_wrapper": True},
        )
    for pair in schema.pairs:
        name = pair.key_text
        if wrapper is not None and name in _WRAPPER_KEYS:
            continue
        key = pair.key
        if not (isinstance(key, Scalar) and isinstance(key.value, str)) or not isinstance(pair.value, Mapping):
            yield finding(source, key.span, SCHEMA_INVALID_FIELD, f"Each '{field}' entry must have a string name and object definition")
            continue
        if pair.value.__class__ in SHIFTED:  # an entry an edit only moved: reuse what was found on its base
            yield from reuse(
                pair.value, ("flat_schema_entry", source.path, field, name), (),
                lambda definition, key=key, name=name: _entry_findings(source, field, name, key, definition),
            )
        else:
            yield from _entry_findings(source, field, name, key, pair.value)


def _entry_findings(source: SourceFile, field: str, name: str | None, key: Scalar, definition: Mapping) -> Iterator[Finding]:
    """One entry's definition needs a string `type` (reported on the key when there is none)."""
    type_node = definition.value("type")
    if not (isinstance(type_node, Scalar) and isinstance(type_node.value, str)):
        span = type_node.span if type_node is not None else key.span
        yield finding(
            source, span, SCHEMA_MISSING_TYPE, f"Schema field '{field}.{name}' requires string 'type'",
            data={"insert": "type: string"} if type_node is None else None,
        )


def _legacy_wrapper(schema: Mapping) -> Mapping | None:
    """`type: object` with `properties`: the nested JSON-Schema form Attune retired in 2026-02."""
    type_node = schema.value("type")
    properties = schema.value("properties")
    if isinstance(type_node, Scalar) and type_node.value == "object" and isinstance(properties, Mapping):
        return properties
    return None
