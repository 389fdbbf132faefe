"""pack check's field checks, word for word: required strings, optional strings, optional types."""

from __future__ import annotations

from typing import Iterator

from packls.checks.base import file_start, finding
from packls.checks.rules import METADATA_INVALID_FIELD, METADATA_INVALID_FIELD_TYPE, METADATA_MISSING_FIELD
from packls.findings import Finding
from packls.model import FileKind
from packls.syntax.nodes import Mapping, Node, Scalar, Sequence, Span
from packls.workspace import SourceFile

_IDENTITY_TYPES = {"label": "string", "description": "string"}

# Root keys pack check type-checks, per file kind (optional_type), after the ref checks.
OPTIONAL_TYPES: dict[FileKind, dict[str, str]] = {
    FileKind.MANIFEST: {
        "label": "string", "description": "string", "author": "string", "email": "string", "enabled": "boolean",
        "system": "boolean", "config": "object", "meta": "object", "tags": "array", "runtime_deps": "array",
        "dependencies": "array",
    },
    FileKind.ACTION: {**_IDENTITY_TYPES, "enabled": "boolean", "runner_type": "string", "default_execution_permission_set_refs": "array"},
    FileKind.SENSOR: dict(_IDENTITY_TYPES),
    FileKind.TRIGGER: dict(_IDENTITY_TYPES),
    FileKind.RULE: {
        **_IDENTITY_TYPES, "conditions": "object", "action_params": "object", "trigger_params": "object",
        "sensor_worker_selector": "object", "sensor_worker_tolerations": "array", "sensor_worker_affinity": "object",
    },
    FileKind.RUNTIME: {**_IDENTITY_TYPES, "execution_config": "object", "versions": "array"},
    FileKind.PERMISSION_SET: dict(_IDENTITY_TYPES),
    FileKind.POLICY: dict(_IDENTITY_TYPES),
    FileKind.DASHBOARD: dict(_IDENTITY_TYPES),
}

# Root keys read with required_string / optional_string (non-empty strings).
REQUIRED_STRINGS: dict[FileKind, tuple[str, ...]] = {
    FileKind.MANIFEST: ("ref", "version"),
    FileKind.ACTION: ("ref",),
    FileKind.SENSOR: ("ref", "entry_point"),
    FileKind.TRIGGER: ("ref",),
    FileKind.RULE: ("ref", "trigger_ref", "action_ref"),
    FileKind.RUNTIME: ("ref", "name"),
    FileKind.PERMISSION_SET: ("ref",),
    FileKind.POLICY: ("ref",),
    FileKind.DASHBOARD: ("ref",),
}
OPTIONAL_STRINGS: dict[FileKind, tuple[str, ...]] = {
    FileKind.ACTION: ("workflow_file",),
    FileKind.SENSOR: ("runner_type",),
    FileKind.POLICY: ("pack_ref", "action_ref"),
}

HANDLED: dict[FileKind, frozenset[str]] = {
    kind: frozenset(OPTIONAL_TYPES.get(kind, {})) | frozenset(REQUIRED_STRINGS.get(kind, ())) | frozenset(OPTIONAL_STRINGS.get(kind, ()))
    for kind in FileKind
}
HANDLED[FileKind.ACTION] |= {"entry_point"}


def non_empty_string(node: Node | None) -> str | None:
    """pack check's reading of a string field: trimmed, and only when not empty."""
    if isinstance(node, Scalar) and isinstance(node.value, str) and node.value.strip():
        return node.value.strip()
    return None


def required_string(source: SourceFile, root: Mapping, key: str) -> tuple[str | None, list[Finding]]:
    """`required_string`: the trimmed value, or a missing/invalid finding."""
    pair = root.get(key)
    if pair is None:
        return None, [finding(source, _missing_span(source, root), METADATA_MISSING_FIELD, f"Missing required field '{key}'", data={"field": key})]
    value = non_empty_string(pair.value)
    if value is None:
        return None, [_invalid(source, pair.value, key)]
    return value, []


def optional_string(source: SourceFile, root: Mapping, key: str) -> tuple[str | None, list[Finding]]:
    """`optional_string`: absent is fine; present must be a non-empty string."""
    pair = root.get(key)
    if pair is None:
        return None, []
    value = non_empty_string(pair.value)
    if value is None:
        return None, [_invalid(source, pair.value, key)]
    return value, []


def optional_type(source: SourceFile, root: Mapping, key: str, expected: str) -> Iterator[Finding]:
    """`optional_type`: present values (null included) must have the YAML type pack check expects."""
    pair = root.get(key)
    if pair is None:
        return
    value = pair.value
    ok = {
        "string": isinstance(value, Scalar) and isinstance(value.value, str),
        "boolean": isinstance(value, Scalar) and isinstance(value.value, bool),
        "array": isinstance(value, Sequence),
        "object": isinstance(value, Mapping),
    }.get(expected, True)
    if not ok:
        data = {"field": key, "expected": expected}
        if expected == "string" and isinstance(value, Scalar) and value.value is not None:
            data["replacement"] = '"' + value.text.replace('"', '\\"') + '"'
        yield finding(source, value.span, METADATA_INVALID_FIELD_TYPE, f"Field '{key}' must be an {expected}", data=data)


def check_declared_types(source: SourceFile, root: Mapping) -> Iterator[Finding]:
    """Every optional_type pack check applies to this kind of file."""
    for key, expected in OPTIONAL_TYPES.get(source.kind, {}).items():
        yield from optional_type(source, root, key, expected)


def _invalid(source: SourceFile, node: Node, key: str) -> Finding:
    data: dict[str, object] = {"field": key}
    if isinstance(node, Scalar) and node.value is not None and not isinstance(node.value, str):
        data["replacement"] = '"' + node.text.replace('"', '\\"') + '"'
    return finding(source, node.span, METADATA_INVALID_FIELD, f"Field '{key}' must be a non-empty string", data=data)


def _missing_span(source: SourceFile, root: Mapping) -> Span:
    """Missing keys are reported on the file's first key (the mapping itself would cover the file)."""
    if root.pairs:
        return root.pairs[0].key.span
    return file_start(source)
