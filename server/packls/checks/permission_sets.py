"""Permission sets: grants as pack check deserializes them and as registration's permission plan admits them."""

from __future__ import annotations

import difflib
from typing import Iterator

from packls.checks.base import finding, is_null
from packls.checks.rules import (
    PERMISSION_SET_EMPTY_ACTIONS,
    PERMISSION_SET_INVALID_CACHE_GRANT,
    PERMISSION_SET_INVALID_GRANTS,
    PERMISSION_SET_INVALID_SCOPE,
    PERMISSION_SET_MISSING_GRANTS,
)
from packls.checks.serde import Any, Bool, Enum, FieldSpec, Int, Map, Opt, Seq, SerdeError, Str, Struct, first_error
from packls.findings import Finding
from packls.schema.others import ARTIFACT_VISIBILITIES, GRANT_ACTIONS, GRANT_RESOURCES, OWNER_TYPES
from packls.syntax.nodes import Mapping, Node, Scalar, Sequence, string_value
from packls.workspace import SourceFile, Workspace

# rbac.rs: Grant and GrantConstraints are deny_unknown_fields, so a misspelt key rejects the whole set.
_CONSTRAINTS = Struct("GrantConstraints", {
    "pack_refs": FieldSpec(Opt(Seq(Str))),
    "owner": FieldSpec(Opt(Enum("OwnerConstraint", ("self", "any", "none")))),
    "owner_types": FieldSpec(Opt(Seq(Enum("OwnerType", OWNER_TYPES)))),
    "owner_refs": FieldSpec(Opt(Seq(Str))),
    "visibility": FieldSpec(Opt(Seq(Enum("ArtifactVisibility", ARTIFACT_VISIBILITIES)))),
    "execution_scope": FieldSpec(Opt(Enum("ExecutionScopeConstraint", ("self", "descendants", "any")))),
    "refs": FieldSpec(Opt(Seq(Str))),
    "ids": FieldSpec(Opt(Seq(Int("i64")))),
    "encrypted": FieldSpec(Opt(Bool)),
    "attributes": FieldSpec(Opt(Map(Any))),
}, deny_unknown=True)
GRANTS = Seq(Struct("Grant", {
    "resource": FieldSpec(Enum("Resource", GRANT_RESOURCES), required=True),
    "actions": FieldSpec(Seq(Enum("Action", GRANT_ACTIONS)), required=True),
    "constraints": FieldSpec(Opt(_CONSTRAINTS)),
}, deny_unknown=True))
_REF_LISTS = ("pack_refs", "refs", "owner_refs")
_NAMESPACE_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789._-")


def check_permission_set(source: SourceFile, workspace: Workspace) -> Iterator[Finding]:
    """grants: present, deserializable, with actions, and consistent cache constraints."""
    component = source.component
    if component is None:
        return
    pair = component.node.get("grants")
    if pair is None:
        span = component.node.pairs[0].key.span if component.node.pairs else component.node.span
        yield finding(source, span, PERMISSION_SET_MISSING_GRANTS, "Missing required field 'grants'", data={"insert": "grants: []"})
        return
    error = first_error(GRANTS, pair.value)
    if error is not None:
        yield _invalid_grants(source, error)
        return
    assert isinstance(pair.value, Sequence)
    for grant in pair.value.items:
        assert isinstance(grant, Mapping)
        actions = grant.value("actions")
        if isinstance(actions, Sequence) and not actions.items:
            yield finding(source, actions.span, PERMISSION_SET_EMPTY_ACTIONS, "Grant actions cannot be empty")
        constraints = grant.value("constraints")
        if isinstance(constraints, Mapping):
            yield from _scope(source, constraints)
        if string_value(grant.value("resource")) == "caches" and isinstance(constraints, Mapping):
            problem = cache_grant_problem(constraints)
            if problem is not None:
                yield finding(source, constraints.span if constraints.flow else grant.get("constraints").key.span, PERMISSION_SET_INVALID_CACHE_GRANT, problem)  # type: ignore[union-attr]


def _invalid_grants(source: SourceFile, error: SerdeError) -> Finding:
    """serde's error; an unknown key close to a known one gets a rename fix (`constraint` → `constraints`)."""
    node = error.key_node or error.node
    message = f"Invalid grants: {error.message}"
    data = None
    if error.key_node is not None and isinstance(error.key_node, Scalar) and isinstance(error.key_node.value, str):
        known = list(_CONSTRAINTS.fields) if error.message.endswith(_expected(_CONSTRAINTS)) else ["resource", "actions", "constraints"]
        close = difflib.get_close_matches(error.key_node.value, known, n=1, cutoff=0.75)
        if close:
            message += f"; did you mean '{close[0]}'? (grants reject unknown keys, so the pack fails to load)"
            data = {"rename_to": close[0]}
    return finding(source, node.span, PERMISSION_SET_INVALID_GRANTS, message, data=data)


def _expected(shape: Struct) -> str:
    return ", ".join(f"`{name}`" for name in shape.fields)


def _scope(source: SourceFile, constraints: Mapping) -> Iterator[Finding]:
    """The permission plan's rules (permissions.rs validate_grants): refs, never ids; never pack_refs with refs."""
    ids = constraints.get("ids")
    if ids is not None and not is_null(ids.value):
        yield finding(
            source, ids.key.span, PERMISSION_SET_INVALID_SCOPE,
            "registration rejects grants that name database ids: a pack's permission set must use refs "
            "(refs, pack_refs, owner_refs) instead",
        )
    pack_refs, refs = constraints.get("pack_refs"), constraints.get("refs")
    if pack_refs is not None and refs is not None and not is_null(pack_refs.value) and not is_null(refs.value):
        yield finding(
            source, refs.key.span, PERMISSION_SET_INVALID_SCOPE,
            "registration rejects a grant that combines pack_refs and refs; split it into two grants",
        )
    for key in _REF_LISTS:
        value = constraints.value(key)
        if not isinstance(value, Sequence):
            continue
        blank = next((item for item in value.items if isinstance(item, Scalar) and isinstance(item.value, str) and not item.value.strip()), None)
        if not value.items or blank is not None:
            yield finding(
                source, (blank or value).span, PERMISSION_SET_INVALID_SCOPE,
                f"registration rejects an empty {key} list or an empty ref in it; name at least one ref, or drop {key}",
            )


def cache_grant_problem(constraints: Mapping) -> str | None:
    """`validate_cache_grant_constraints`, word for word."""
    owner_types = _strings(constraints.value("owner_types"))
    if owner_types is not None and not owner_types:
        return "Cache owner_types cannot be empty"
    owner_refs = _strings(constraints.value("owner_refs"))
    if owner_refs is not None:
        if not owner_refs or any(not r.strip() for r in owner_refs):
            return "Cache owner_refs must contain non-empty references"
        if owner_types is None:
            return "Cache owner_refs require exactly one matching owner_type"
        if len(owner_types) != 1 or owner_types[0] not in ("pack", "action", "sensor"):
            return "Cache owner_refs require exactly one pack, action, or sensor owner_type"
    refs = _strings(constraints.value("refs"))
    if refs is not None:
        if not refs or any(not _namespace_ref(r) for r in refs):
            return "Cache namespace refs must match ^[a-z0-9][a-z0-9._-]{0,127}$"
        if owner_types is None or len(owner_types) != 1:
            return "Cache namespace refs require exactly one owner_type"
        if owner_types[0] in ("pack", "action", "sensor") and owner_refs is None:
            return "Cache namespace refs for pack, action, or sensor owners require owner_refs"
    return None


def _namespace_ref(value: str) -> bool:
    return bool(value) and len(value) <= 128 and (value[0].islower() or value[0].isdigit()) and value[0].isascii() and set(value) <= _NAMESPACE_CHARS


def _strings(node: Node | None) -> list[str] | None:
    if node is None or (isinstance(node, Scalar) and node.value is None):
        return None
    if isinstance(node, Sequence):
        return [str(i.value) for i in node.items if isinstance(i, Scalar)]
    return None
