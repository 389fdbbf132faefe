"""Shapes several file kinds share: flat parameter schemas, placement, visibility, retention."""

from __future__ import annotations

from packls.model.kinds import FileKind
from packls.schema.spec import Field, ignore, item, key, mapping, sequence_of

# Further JSON Schema keywords the jsonschema crate reads (or keeps as annotations) in a field definition.
_MORE_KEYWORDS = {
    "exclusiveMinimum": "Numbers must be greater than this.",
    "exclusiveMaximum": "Numbers must be less than this.",
    "multipleOf": "Numbers must be a multiple of this.",
    "uniqueItems": "Array items must all differ.",
    "contains": "At least one array item must match this schema.",
    "minContains": "Fewest array items that must match `contains`.",
    "maxContains": "Most array items that may match `contains`.",
    "prefixItems": "Schemas of the first array items, in order.",
    "additionalItems": "Schema of array items past `items` (older drafts).",
    "unevaluatedItems": "Schema of array items no other keyword checked.",
    "minProperties": "Fewest keys an object field may have.",
    "maxProperties": "Most keys an object field may have.",
    "patternProperties": "Schemas of object keys matching a regular expression.",
    "propertyNames": "Schema every object key must match.",
    "unevaluatedProperties": "Schema of object keys no other keyword checked.",
    "dependentRequired": "Keys required when another key is present.",
    "dependentSchemas": "Schemas applied when a key is present.",
    "dependencies": "Keys or schemas required when a key is present (older drafts).",
    "not": "The value must not match this schema.",
    "if": "Condition schema for `then` / `else`.",
    "then": "Schema applied when `if` matches.",
    "else": "Schema applied when `if` does not match.",
    "$ref": "Reference to another schema.",
    "$defs": "Schemas referenced with $ref.",
    "definitions": "Schemas referenced with $ref (older drafts).",
    "$id": "Identifier of this schema.",
    "$anchor": "Anchor name for $ref.",
    "$comment": "A comment for schema authors (no effect).",
    "$schema": "JSON Schema dialect of this schema.",
    "contentEncoding": "Encoding of string content, e.g. base64 (annotation).",
    "contentMediaType": "Media type of string content (annotation).",
    "contentSchema": "Schema of decoded string content (annotation).",
    "readOnly": "Annotation: the value is managed by the owner.",
    "writeOnly": "Annotation: the value is never returned.",
    "deprecated": "Annotation: the field should no longer be used.",
}

# A flat parameter/output schema: field name → property object.
SCHEMA_PROPERTY = mapping(
    key("type", "string", critical=True, doc="JSON Schema type of the field (string, integer, number, boolean, object, array). pack check requires it."),
    key("description", "string", doc="What the field means; shown in the UI."),
    key("required", "boolean", default="false", critical=True, doc="Attune-only: the field must be supplied. Collected into the schema's top-level required list."),
    key("secret", "boolean", default="false", critical=True, doc="Attune-only: the value is masked in logs and the UI."),
    key("position", "integer", doc="Attune-only: ordering of the field in the UI."),
    key("default", "any", critical=True, doc="Value used when the field is not supplied."),
    key("enum", "sequence", critical=True, doc="The only values the field may take."),
    key("const", "any", doc="The single value the field must have."),
    key("format", "string", doc="JSON Schema format hint, e.g. date-time, uri, email."),
    key("minimum", "number", doc="Smallest allowed number."),
    key("maximum", "number", doc="Largest allowed number."),
    key("minLength", "integer", doc="Shortest allowed string."),
    key("maxLength", "integer", doc="Longest allowed string."),
    key("pattern", "string", doc="Regular expression a string must match."),
    key("minItems", "integer", doc="Fewest allowed array items."),
    key("maxItems", "integer", doc="Most allowed array items."),
    key("items", "mapping", "sequence", "boolean", doc="Standard (nested) JSON Schema for array items."),
    key("properties", "mapping", doc="Standard (nested) JSON Schema properties of an object field."),
    key("additionalProperties", "boolean", "mapping", doc="Whether an object field accepts other keys."),
    key("anyOf", "sequence", doc="The value must match at least one of these schemas."),
    key("oneOf", "sequence", doc="The value must match exactly one of these schemas."),
    key("allOf", "sequence", doc="The value must match all of these schemas."),
    key("title", "string", doc="Short title of the field."),
    key("examples", "sequence", doc="Example values (documentation only)."),
    *(key(name, "any", doc=doc) for name, doc in _MORE_KEYWORDS.items()),
    ignored=(
        ignore(
            "immutable", None,
            "StackStorm marks a field it never lets callers change with it; Attune's parameter validation and UI "
            "ignore it, so a caller can still pass another value",
        ),
    ),
)

FLAT_SCHEMA = mapping(any_value=SCHEMA_PROPERTY)

FLAT_SCHEMA_SNIPPET = "\n  ${1:name}:\n    type: ${2|string,integer,number,boolean,object,array|}\n    description: ${3}\n"


def flat_schema(name: str, doc: str) -> Field:
    """A key holding a flat per-field schema."""
    return key(name, "mapping", critical=True, doc=doc, snippet=FLAT_SCHEMA_SNIPPET, shape=FLAT_SCHEMA)


# Worker placement (`scheduling.rs`): selectors, tolerations and affinity.
_MATCH_EXPRESSION = mapping(
    key("key", "string", required=True, doc="Worker label name."),
    key("operator", "string", required=True, enum=("in", "not_in", "exists", "does_not_exist"), exact=True, doc="How the label is compared."),
    key("values", "sequence", doc="Label values for `in` / `not_in`.", shape=sequence_of(item_spec=item("string"))),
)
_TERM = mapping(
    key("match_labels", "mapping", doc="Labels the worker must carry with exactly these values.", shape=mapping(any_spec=item("string"))),
    key("match_expressions", "sequence", doc="Label expressions the worker must satisfy.", shape=sequence_of(_MATCH_EXPRESSION)),
)
_TOLERATION = mapping(
    key("key", "string", doc="Taint key tolerated."),
    key("operator", "string", default="equal", enum=("equal", "exists"), exact=True, doc="`equal` compares value; `exists` ignores it."),
    key("value", "string", doc="Taint value tolerated with `equal`."),
    key("effect", "string", enum=("no_schedule", "prefer_no_schedule"), exact=True, doc="Taint effect tolerated; all effects when omitted."),
)
_AFFINITY = mapping(
    key("required", "sequence", doc="Terms a worker must match (any one of them).", shape=sequence_of(_TERM)),
    key(
        "preferred", "sequence", doc="Weighted terms that rank matching workers higher.",
        shape=sequence_of(mapping(
            key("weight", "integer", default="1", doc="Preference weight, 1 to 100."),
            key("preference", "mapping", required=True, doc="The term to prefer.", shape=_TERM),
        )),
    ),
    key("anti_affinity", "sequence", doc="Terms a worker must not match.", shape=sequence_of(_TERM)),
)


def placement(prefix: str = "", what: str = "this component") -> tuple[Field, ...]:
    """worker_selector / worker_tolerations / worker_affinity (optionally prefixed, as rules do)."""
    return (
        key(f"{prefix}worker_selector", "mapping", critical=True, doc=f"Worker labels (name → value) a worker must carry to run {what}.", shape=mapping(any_spec=item("string"))),
        key(f"{prefix}worker_tolerations", "sequence", critical=True, doc=f"Worker taints {what} tolerates.", shape=sequence_of(_TOLERATION)),
        key(f"{prefix}worker_affinity", "mapping", critical=True, doc=f"Required, preferred and anti-affinity worker label terms for {what}.", shape=_AFFINITY),
    )


RETENTION_POLICIES = ("versions", "days", "hours", "minutes")


def retention() -> tuple[Field, ...]:
    """Log and artifact retention keys of actions and sensors."""
    return (
        key("log_retention_policy", "string", enum=RETENTION_POLICIES, doc="Unit of log_retention_limit: keep logs for N versions, days, hours or minutes."),
        key("log_retention_limit", "integer", doc="How many units of log_retention_policy to keep."),
        key("artifact_retention_policy", "string", enum=RETENTION_POLICIES, doc="Unit of artifact_retention_limit: versions, days, hours or minutes."),
        key("artifact_retention_limit", "integer", doc="How many units of artifact_retention_policy to keep."),
    )


VISIBILITIES = ("public", "private", "restricted")


def visibility(what: str) -> tuple[Field, ...]:
    """reference_visibility and its allow-list."""
    return (
        key("reference_visibility", "string", default="public", enum=VISIBILITIES, critical=True, doc=f"Which other packs may reference {what}: public (all), private (none) or restricted (only reference_allowed_pack_refs)."),
        key("reference_allowed_pack_refs", "sequence", doc=f"Packs that may reference {what} when reference_visibility is restricted.", shape=sequence_of(item_spec=item("string", ref=FileKind.MANIFEST))),
    )


def identity(what: str, *, short_ok: bool = False) -> tuple[Field, ...]:
    """ref, label, description, enabled: the header every component shares."""
    ref_doc = (
        f"Unique ref of {what}: `<pack>.<name>`, or just `<name>` (the pack ref is added)."
        if short_ok
        else f"Unique ref of {what}, written in full as `<pack>.<name>` (lowercase letters, digits, `_`, `-`)."
    )
    return (
        key("ref", "string", required=True, critical=True, doc=ref_doc),
        key("label", "string", doc=f"Display name of {what}; generated from the ref's last segment when omitted."),
        key("description", "string", doc=f"What {what} does."),
        key("enabled", "boolean", default="true", critical=True, doc=f"Whether {what} is active after registration."),
    )


PERMISSION_SET_REFS_DOC = "Permission sets granted while this runs: one ref or a list of refs."


def permission_set_refs() -> tuple[Field, ...]:
    """permission_set_refs (string or list) and its singular alias."""
    refs = sequence_of(item_spec=item("string", ref=FileKind.PERMISSION_SET))
    return (
        key("permission_set_refs", "string", "sequence", "null", critical=True, doc=PERMISSION_SET_REFS_DOC, ref=FileKind.PERMISSION_SET, shape=refs),
        key("permission_set_ref", "string", "sequence", "null", doc="Alternative spelling of permission_set_refs.", ref=FileKind.PERMISSION_SET, shape=refs),
    )


__all__ = [
    "FLAT_SCHEMA",
    "RETENTION_POLICIES",
    "SCHEMA_PROPERTY",
    "VISIBILITIES",
    "flat_schema",
    "identity",
    "permission_set_refs",
    "placement",
    "retention",
    "visibility",
]
