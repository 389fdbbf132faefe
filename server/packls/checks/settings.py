"""Settings the loader validates hard: retention, reference visibility, worker placement, rule permission sets."""

from __future__ import annotations

from typing import Iterator

from packls.checks.base import finding, is_null, type_word
from packls.checks.rules import (
    MANIFEST_INVALID_WORKER_PLACEMENT,
    PLACEMENT_INVALID,
    RULE_INVALID_PERMISSION_SET_REFS,
    VALUE_NOT_ALLOWED,
    VISIBILITY_ALLOWED_PACKS_INVALID,
    VISIBILITY_ALLOWED_PACKS_UNUSED,
)
from packls.findings import Finding
from packls.model import FileKind
from packls.schema.common import RETENTION_POLICIES, VISIBILITIES
from packls.syntax.nodes import Mapping, Node, Scalar, Sequence
from packls.workspace import SourceFile, Workspace

# Worker placement keys; their serde shapes (`placement_shapes`) load with the first file that sets one.
PLACEMENT_KEYS = ("worker_selector", "worker_tolerations", "worker_affinity")
_PLACEMENT_PREFIX = {
    FileKind.ACTION: "", FileKind.SENSOR: "", FileKind.MANIFEST: "", FileKind.RULE: "sensor_",
}
_RETENTION_KINDS = frozenset({FileKind.ACTION, FileKind.SENSOR})
_VISIBILITY_KINDS = frozenset({FileKind.ACTION, FileKind.TRIGGER})


def check_settings(source: SourceFile, workspace: Workspace) -> Iterator[Finding]:
    """Every hard-validated setting the file's kind has."""
    component = source.component
    if component is None:
        return
    root = component.node
    if source.kind in _PLACEMENT_PREFIX:
        yield from _placement(source, root, _PLACEMENT_PREFIX[source.kind])
    if source.kind in _RETENTION_KINDS:
        yield from _retention(source, root)
    if source.kind in _VISIBILITY_KINDS:
        yield from _visibility(source, root)
    if source.kind is FileKind.RULE:
        yield from _rule_permission_sets(source, root)


def _placement(source: SourceFile, root: Mapping, prefix: str) -> Iterator[Finding]:
    # pack check reports pack-level placement under its own code; rules' top-level types under metadata codes
    manifest = source.kind is FileKind.MANIFEST
    rule = MANIFEST_INVALID_WORKER_PLACEMENT if manifest else PLACEMENT_INVALID
    who = "pack check" if manifest else "registration"
    for name in PLACEMENT_KEYS:
        key = prefix + name
        node = root.value(key)
        if node is None or is_null(node):
            continue
        if prefix and not isinstance(node, Sequence if name == "worker_tolerations" else Mapping):
            continue  # pack check's type check of sensor_worker_* reports this (metadata.invalid_field_type)
        from packls.checks.placement_shapes import PLACEMENT_SHAPES
        from packls.checks.serde import first_error

        error = first_error(PLACEMENT_SHAPES[name], node)
        if error is not None:
            span = (error.key_node or error.node).span
            yield finding(source, span, rule, f"{key}: {error.text()}; {who} rejects this placement")
            continue
        if name == "worker_affinity" and isinstance(node, Mapping):
            preferred = node.value("preferred")
            for item in preferred.items if isinstance(preferred, Sequence) else ():
                weight = item.value("weight") if isinstance(item, Mapping) else None
                if isinstance(weight, Scalar) and isinstance(weight.value, int) and not 1 <= weight.value <= 100:
                    yield finding(source, weight.span, rule, f"{key} preferred weights must be between 1 and 100")


def _retention(source: SourceFile, root: Mapping) -> Iterator[Finding]:
    for prefix in ("log", "artifact"):
        policy = root.value(f"{prefix}_retention_policy")
        if policy is not None and not is_null(policy):
            text = policy.value if isinstance(policy, Scalar) and isinstance(policy.value, str) else None
            if text is None or text.lower() not in RETENTION_POLICIES:
                shown = text if text is not None else (policy.text if isinstance(policy, Scalar) else type_word(policy))
                yield finding(
                    source, policy.span, VALUE_NOT_ALLOWED,
                    f"Invalid {prefix}_retention_policy value: {shown} — use one of {', '.join(RETENTION_POLICIES)}; registration fails",
                    data={"allowed": list(RETENTION_POLICIES)},
                )
        limit = root.value(f"{prefix}_retention_limit")
        if limit is not None and not is_null(limit):
            ok = isinstance(limit, Scalar) and isinstance(limit.value, int) and not isinstance(limit.value, bool) and -(2**31) <= limit.value < 2**31
            if not ok:
                shown = limit.text if isinstance(limit, Scalar) else type_word(limit)
                yield finding(
                    source, limit.span, VALUE_NOT_ALLOWED,
                    f"Invalid {prefix}_retention_limit value: {shown} — it must be a whole number; registration fails",
                )


def _visibility(source: SourceFile, root: Mapping) -> Iterator[Finding]:
    visibility = root.value("reference_visibility")
    effective = "public"
    if visibility is not None and not is_null(visibility):
        if not (isinstance(visibility, Scalar) and isinstance(visibility.value, str)):
            yield finding(source, visibility.span, VALUE_NOT_ALLOWED, "reference_visibility must be one of public, private, or restricted")
            effective = "?"
        elif visibility.value.strip().lower() not in VISIBILITIES:
            yield finding(
                source, visibility.span, VALUE_NOT_ALLOWED,
                f"invalid reference_visibility '{visibility.value}'; expected public, private, or restricted",
                data={"allowed": list(VISIBILITIES)},
            )
            effective = "?"
        else:
            effective = visibility.value.strip().lower()
    allowed = root.get("reference_allowed_pack_refs")
    if allowed is None or is_null(allowed.value):
        return
    node = allowed.value
    if not isinstance(node, Sequence):
        yield finding(source, node.span, VISIBILITY_ALLOWED_PACKS_INVALID, "reference_allowed_pack_refs must be an array of pack refs")
        return
    for item in node.items:
        if not (isinstance(item, Scalar) and isinstance(item.value, str) and item.value.strip()):
            yield finding(source, item.span, VISIBILITY_ALLOWED_PACKS_INVALID, "reference_allowed_pack_refs entries must be non-empty strings")
    if node.items and effective in ("public", "private"):
        yield finding(
            source, allowed.key.span, VISIBILITY_ALLOWED_PACKS_UNUSED,
            f"reference_allowed_pack_refs has no effect while reference_visibility is {effective}; "
            "set reference_visibility: restricted to let only these packs reference this component",
            data={"set": {"reference_visibility": "restricted"}},
        )


def _rule_permission_sets(source: SourceFile, root: Mapping) -> Iterator[Finding]:
    pair = root.get("permission_set_refs") or root.get("permission_set_ref")
    if pair is None:
        return
    node: Node = pair.value
    if is_null(node) or isinstance(node, Scalar) and isinstance(node.value, str):
        if isinstance(node, Scalar) and isinstance(node.value, str) and not node.value.strip():
            yield finding(source, node.span, RULE_INVALID_PERMISSION_SET_REFS, "permission_set_refs cannot contain empty refs")
        return
    if not isinstance(node, Sequence):
        yield finding(source, node.span, RULE_INVALID_PERMISSION_SET_REFS, "permission_set_refs must be a string, an array of strings, or null")
        return
    for item in node.items:
        if not (isinstance(item, Scalar) and isinstance(item.value, str)):
            yield finding(source, item.span, RULE_INVALID_PERMISSION_SET_REFS, "permission_set_refs entries must be strings")
        elif not item.value.strip():
            yield finding(source, item.span, RULE_INVALID_PERMISSION_SET_REFS, "permission_set_refs cannot contain empty refs")
