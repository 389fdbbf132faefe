"""Flat parameter / output schemas (`name: {type: …}`), checked as pack check's check_flat_schema does."""

from __future__ import annotations

import difflib
from typing import Iterable, Iterator

from packls.checks.base import finding
from packls.checks.moved import reuse, reuse_each
from packls.checks.per_source import own_content
from packls.checks.rules import SCHEMA_INVALID_FIELD, SCHEMA_MISSING_TYPE, SCHEMA_NOT_OBJECT, SCHEMA_UNKNOWN_TYPE
from packls.findings import Finding, Related
from packls.model import FileKind
from packls.syntax.nodes import Mapping, Node, Pair, Scalar, Sequence
from packls.syntax.shifted import SHIFTED, shifted
from packls.workspace import SourceFile, Workspace

SCHEMA_FIELDS: dict[FileKind, tuple[str, ...]] = {
    FileKind.MANIFEST: ("conf_schema", "config_schema"),
    FileKind.ACTION: ("parameters", "output", "output_schema"),
    FileKind.SENSOR: ("parameters",),
    FileKind.TRIGGER: ("parameters", "output"),
}
# Schemas Attune's API compiles with the jsonschema crate, and what fails when the crate rejects one.
# Output schemas (action and trigger `output`) are only searched for `secret: true` fields, whatever
# their types say; nothing on Attune's main line compiles them (docs/attune-parity.md).
_VALIDATED: dict[FileKind, dict[str, str]] = {
    FileKind.ACTION: {"parameters": "creating a rule for this action through the API fails, and so does an update that "
                                    "sets such a rule's action or action parameters"},
    FileKind.TRIGGER: {"parameters": "creating a rule on this trigger through the API fails, and so does an update that "
                                     "sets such a rule's trigger or trigger parameters"},
}
_WRAPPER_KEYS = frozenset({"type", "properties", "required", "additionalProperties", "$schema", "title"})


def check_flat_schemas(source: SourceFile, workspace: Workspace) -> Iterable[Finding]:
    """Every flat schema field of the file (its own content decides them)."""
    return _own_findings(source)


@own_content
def _own_findings(source: SourceFile) -> Iterator[Finding]:
    component = source.component
    if component is None:
        return
    for field in SCHEMA_FIELDS.get(source.kind, ()):
        pair = component.node.get(field)
        if pair is not None:
            value = pair.value
            if value.__class__ in SHIFTED:  # moved by an edit above it: reuse what was found on its base, field by field
                each = None
                if isinstance(value, Mapping) and legacy_wrapper(shifted(value)[0]) is None:  # type: ignore[index,arg-type]
                    each = reuse_each(value, ("flat_schema each", source.path, field), (), lambda pair: _field_findings(source, field, pair))
                yield from each if each is not None else reuse(
                    value, ("flat_schema", source.path, field), (), lambda base: check_flat_schema(source, field, base))
            else:
                yield from check_flat_schema(source, field, value)


def check_flat_schema(source: SourceFile, field: str, schema: object) -> Iterator[Finding]:
    """One schema: a mapping of field name → definition with a string `type`."""
    if not isinstance(schema, Mapping):
        yield finding(source, schema.span, SCHEMA_NOT_OBJECT, f"Field '{field}' must use Attune's flat per-field object format")  # type: ignore[attr-defined]
        return
    wrapper = legacy_wrapper(schema)
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
        if wrapper is None or pair.key_text not in _WRAPPER_KEYS:
            yield from _field_findings(source, field, pair)


def _field_findings(source: SourceFile, field: str, pair: Pair) -> Iterator[Finding]:
    """One field of a flat schema: a string name and an object definition."""
    name = pair.key_text
    key = pair.key
    if not (isinstance(key, Scalar) and isinstance(key.value, str)) or not isinstance(pair.value, Mapping):
        yield finding(source, key.span, SCHEMA_INVALID_FIELD, f"Each '{field}' entry must have a string name and object definition")
        return
    if pair.value.__class__ in SHIFTED:  # an entry an edit only moved: reuse what was found on its base
        yield from reuse(
            pair.value, ("flat_schema_entry", source.path, field, name), (),
            lambda definition: _entry_findings(source, field, name, key, definition),
        )
    else:
        yield from _entry_findings(source, field, name, key, pair.value)


def _entry_findings(source: SourceFile, field: str, name: str | None, key: Scalar, definition: Mapping) -> Iterator[Finding]:
    """One entry's definition needs a string `type` (reported on the key when there is none) that JSON Schema knows."""
    type_node = definition.value("type")
    if not (isinstance(type_node, Scalar) and isinstance(type_node.value, str)):
        span = type_node.span if type_node is not None else key.span
        yield finding(
            source, span, SCHEMA_MISSING_TYPE, f"Schema field '{field}.{name}' requires string 'type'",
            data={"insert": "type: string"} if type_node is None else None,
        )
    consequence = _VALIDATED.get(source.kind, {}).get(field)
    if consequence is not None:
        yield from _unknown_types(source, f"{field}.{name}", definition, consequence, top=True, depth=0)


JSON_TYPES = ("array", "boolean", "integer", "null", "number", "object", "string")
# Type names from other languages and StackStorm, and the JSON Schema type they mean.
_TYPE_ALIASES = {
    "str": "string", "text": "string", "int": "integer", "long": "integer", "bool": "boolean",
    "float": "number", "double": "number", "decimal": "number", "dict": "object", "map": "object",
    "hash": "object", "list": "array", "tuple": "array", "none": "null",
}
# Keywords whose value is a schema, a list of schemas, or a map of name → schema.
_SUBSCHEMA = (
    "items", "additionalProperties", "additionalItems", "contains", "not", "if", "then", "else", "propertyNames",
    "unevaluatedItems", "unevaluatedProperties", "contentSchema",
)
_SUBSCHEMA_LISTS = ("anyOf", "oneOf", "allOf", "prefixItems", "items")
_SUBSCHEMA_MAPS = ("properties", "patternProperties", "$defs", "definitions", "dependentSchemas")
_MAX_DEPTH = 32
_KEYWORDS = frozenset({"type", *_SUBSCHEMA, *_SUBSCHEMA_LISTS, *_SUBSCHEMA_MAPS})


def _unknown_types(source: SourceFile, where: str, schema: Mapping, consequence: str, *, top: bool, depth: int) -> Iterator[Finding]:
    """`type` values the jsonschema crate rejects, in a definition and every schema nested in it."""
    if depth > _MAX_DEPTH:
        return
    found = _keywords(schema)
    type_node = found.get("type")
    values = type_node.items if isinstance(type_node, Sequence) else [type_node] if type_node is not None else []
    for value in values:
        if isinstance(value, Scalar) and isinstance(value.value, str) and value.value not in JSON_TYPES:
            yield _unknown_type(source, where, value, consequence, top=top)
    if len(found) == (type_node is not None):
        return  # no nested schema (the common case)
    for keyword in _SUBSCHEMA:
        nested = found.get(keyword)
        if isinstance(nested, Mapping):
            yield from _unknown_types(source, f"{where}.{keyword}", nested, consequence, top=False, depth=depth + 1)
    for keyword in _SUBSCHEMA_LISTS:
        nested = found.get(keyword)
        for item in nested.items if isinstance(nested, Sequence) else ():
            if isinstance(item, Mapping):
                yield from _unknown_types(source, f"{where}.{keyword}", item, consequence, top=False, depth=depth + 1)
    for keyword in _SUBSCHEMA_MAPS:
        nested = found.get(keyword)
        for pair in nested.pairs if isinstance(nested, Mapping) else ():
            if isinstance(pair.value, Mapping):
                yield from _unknown_types(source, f"{where}.{keyword}.{pair.key_text}", pair.value, consequence, top=False, depth=depth + 1)


def _keywords(schema: Mapping) -> dict[str, Node]:
    """The values of `type` and the subschema keywords a schema sets (the first of duplicates), in one pass over its pairs."""
    found: dict[str, Node] = {}
    for pair in schema.pairs:
        key = pair.key
        if isinstance(key, Scalar) and key.text in _KEYWORDS and key.text not in found:
            found[key.text] = pair.value
    return found


def _unknown_type(source: SourceFile, where: str, value: Scalar, effect: str, *, top: bool) -> Finding:
    word = str(value.value)
    consequence = (
        f"'{word}' is not a JSON Schema type; the jsonschema crate Attune's API validates with rejects the whole "
        f"schema ('Invalid parameter schema'), so {effect}"
    )
    if word.strip().lower() == "any":
        fix = "write the type callers pass (pack check needs one here)" if top else "remove `type` to accept any value"
        return finding(source, value.span, SCHEMA_UNKNOWN_TYPE, f"{where}: {consequence}; {fix}", data={"type": word})
    meant = _type_meant(word)
    hint = f"; did you mean '{meant}'?" if meant else ""
    return finding(
        source, value.span, SCHEMA_UNKNOWN_TYPE, f"{where}: {consequence}{hint}",
        data={"type": word, **({"replacement": meant} if meant else {})},
    )


def _type_meant(word: str) -> str | None:
    """The JSON Schema type an unknown type name most likely means."""
    lowered = word.strip().lower()
    close = difflib.get_close_matches(lowered, JSON_TYPES, n=1, cutoff=0.6)
    return _TYPE_ALIASES.get(lowered) or (close[0] if close else None)


def legacy_wrapper(schema: Mapping) -> Mapping | None:
    """`type: object` with `properties`: the nested JSON-Schema form Attune retired in 2026-02."""
    type_node = schema.value("type")
    properties = schema.value("properties")
    if isinstance(type_node, Scalar) and type_node.value == "object" and isinstance(properties, Mapping):
        return properties
    return None
