"""Work queues: the strict definition (`parse_work_queue_definition_yaml`) and its validation."""

from __future__ import annotations

import weakref
from dataclasses import dataclass
from typing import Iterator

from packls.checks.base import file_start, finding
from packls.checks.components import check_ref
from packls.checks.ref_grammar import component_ref_error, pack_ref_error, work_queue_ref_error
from packls.checks.rules import QUEUE_INVALID_DEFINITION, QUEUE_MULTI_SEGMENT_REF
from packls.checks.serde import Any, Bool, Enum, FieldSpec, Int, Opt, Seq, Str, Struct, first_error
from packls.findings import Finding
from packls.syntax.lines import LineIndex
from packls.syntax.nodes import Mapping, Node, Scalar, Sequence, Span, string_value
from packls.workspace import SourceFile, Workspace

QUEUE = Struct("WorkQueueDefinition", {
    "ref": FieldSpec(Str, required=True),
    "label": FieldSpec(Str, required=True),
    "description": FieldSpec(Opt(Str)),
    "enabled": FieldSpec(Bool),
    "accepting_new_items": FieldSpec(Bool),
    "dispatch_action": FieldSpec(Str, required=True),
    "default_priority": FieldSpec(Int("i32")),
    "allow_pending_update": FieldSpec(Bool),
    "update_strategy": FieldSpec(Enum("WorkQueueUpdateStrategy", ("immutable", "replace", "merge_patch"))),
    "batch_mode": FieldSpec(Enum("WorkQueueBatchMode", ("single", "batch"))),
    "item_schema": FieldSpec(Any),
    "action_params": FieldSpec(Any),
    "trace_tag_template": FieldSpec(Opt(Str)),
    "permission_set_refs": FieldSpec(Opt(Seq(Str))),
    "config": FieldSpec(Any),
    "reference_visibility": FieldSpec(Enum("ActionReferenceVisibility", ("public", "private", "restricted"))),
    "reference_allowed_pack_refs": FieldSpec(Seq(Str)),
}, deny_unknown=True)

_TUNABLE = Struct("WorkQueueTunableValue", {
    "source": FieldSpec(Enum("WorkQueueTunableSource", ("literal", "pack_config", "keystore")), required=True),
    "value": FieldSpec(Opt(Any)),
    "path": FieldSpec(Opt(Str)),
    "key_ref": FieldSpec(Opt(Str)),
})
CONFIG = Struct("WorkQueueConfig", {
    "dispatch": FieldSpec(Opt(Struct("WorkQueueDispatchConfig", {
        "concurrency": FieldSpec(Opt(_TUNABLE)),
        "batch_size": FieldSpec(Opt(_TUNABLE)),
        "coalescing": FieldSpec(Opt(Struct("WorkQueueCoalescingConfig", {
            "enabled": FieldSpec(Bool),
            "group_by_path": FieldSpec(Opt(Str)),
            "across_priorities": FieldSpec(Bool),
        }))),
        "retry_limit": FieldSpec(Opt(Int("u32"))),
        "inter_execution_delay_seconds": FieldSpec(Opt(Int("u64"))),
    }))),
    "ack_contract": FieldSpec(Opt(Struct("WorkQueueAckContract", {"version": FieldSpec(Int("i64"), required=True)}))),
}, deny_unknown=True)

_PREFIX = "Validation error: "


@dataclass(frozen=True)
class QueueProblem:
    """The first error Attune reports for a queue file, and the node to underline."""

    message: str
    span: Span


_CACHE: "weakref.WeakKeyDictionary[SourceFile, QueueProblem | None]" = weakref.WeakKeyDictionary()


def queue_problem(source: SourceFile) -> QueueProblem | None:
    """Parse and validate a queue file as Attune does (cached per file)."""
    if source not in _CACHE:
        _CACHE[source] = _problem(source)
    return _CACHE[source]


def check_queue(source: SourceFile, workspace: Workspace) -> Iterator[Finding]:
    """queue.invalid_definition, then (once it parses) the ref checks and the multi-segment warning."""
    if source.parsed.problem is not None or source.parsed.duplicates or source.component is None:
        return
    problem = queue_problem(source)
    if problem is not None:
        yield finding(source, problem.span, QUEUE_INVALID_DEFINITION, problem.message)
        return
    root = source.component.node
    ref = (string_value(root.value("ref")) or "").strip()
    yield from check_ref(source, workspace, ref, root)
    if ref.count(".") > 1:
        yield finding(
            source, root.value("ref").span, QUEUE_MULTI_SEGMENT_REF,  # type: ignore[union-attr]
            f"queue ref '{ref}' has more than two segments: the queue grammar accepts it, but registration checks "
            "component refs as exactly `<pack>.<name>` and rejects it",
        )


def _problem(source: SourceFile) -> QueueProblem | None:
    root = source.parsed.root
    if root is None:
        return QueueProblem(_PREFIX + "Failed to parse work queue YAML definition: missing field `ref`", file_start(source))
    error = first_error(QUEUE, root)
    if error is not None:
        node = error.key_node or error.node
        where = "" if node is root else _location(source, node.span.start)
        return QueueProblem(_PREFIX + f"Failed to parse work queue YAML definition: {error.text()}{where}", _short(node, source.text))
    assert isinstance(root, Mapping)
    return _validate(root)


def _validate(root: Mapping) -> QueueProblem | None:
    """`validate_work_queue_definition`, in Attune's order."""

    def fail(message: str, node: Node | None) -> QueueProblem:
        return QueueProblem(_PREFIX + message, (node or root).span)

    ref = root.value("ref")
    if (error := work_queue_ref_error(str(ref.value))) is not None:  # type: ignore[union-attr]
        return QueueProblem(error, ref.span)  # type: ignore[union-attr]
    action = root.value("dispatch_action")
    if (error := component_ref_error(str(action.value))) is not None:  # type: ignore[union-attr]
        return QueueProblem(error, action.span)  # type: ignore[union-attr]
    item_schema = root.value("item_schema")
    if item_schema is not None and not isinstance(item_schema, Mapping):
        return fail("item_schema must be a JSON object using the flat trigger-style schema format", item_schema)
    params = root.value("action_params")
    if params is not None and not isinstance(params, Mapping):
        return fail("action_params must be a JSON object mapping action parameter names to values", params)
    refs = root.value("permission_set_refs")
    for item in refs.items if isinstance(refs, Sequence) else ():
        if not str(getattr(item, "value", "")).strip():
            return fail("permission_set_refs cannot contain empty refs", item)
    template = root.value("trace_tag_template")
    if isinstance(template, Scalar) and isinstance(template.value, str) and not template.value.strip():
        return fail("trace_tag_template cannot be empty", template)
    allowed = root.value("reference_allowed_pack_refs")
    allowed_items = allowed.items if isinstance(allowed, Sequence) else []
    for item in allowed_items:
        if (error := pack_ref_error(str(item.value))) is not None:  # type: ignore[union-attr]
            return QueueProblem(error, item.span)
    visibility = string_value(root.value("reference_visibility")) or "public"
    if visibility != "restricted" and allowed_items:
        return fail("reference_allowed_pack_refs may only be set when reference_visibility is restricted", allowed)
    label = root.value("label")
    if not str(label.value).strip():  # type: ignore[union-attr]
        return fail("Work queue label cannot be empty", label)
    description = root.value("description")
    if isinstance(description, Scalar) and isinstance(description.value, str) and not description.value.strip():
        return fail("Work queue description cannot be an empty string", description)
    return _validate_config(root, fail)


def _validate_config(root: Mapping, fail) -> QueueProblem | None:  # type: ignore[no-untyped-def]
    config = root.value("config")
    if config is None:
        return None
    error = first_error(CONFIG, config)
    if error is not None:
        return fail(f"Invalid work queue config structure: {error.message}", error.key_node or error.node)
    assert isinstance(config, Mapping)
    dispatch = config.value("dispatch")
    if isinstance(dispatch, Mapping):
        for name in ("concurrency", "batch_size"):
            tunable = dispatch.value(name)
            if isinstance(tunable, Mapping):
                message = _tunable_problem(f"config.dispatch.{name}", tunable)
                if message:
                    return fail(message, tunable)
    ack = config.value("ack_contract")
    version = ack.value("version") if isinstance(ack, Mapping) else None
    if isinstance(version, Scalar) and isinstance(version.value, int) and version.value < 1:
        return fail("config.ack_contract.version must be >= 1", version)
    coalescing = dispatch.value("coalescing") if isinstance(dispatch, Mapping) else None
    if isinstance(coalescing, Mapping):
        if (string_value(root.value("batch_mode")) or "single") != "batch":
            return fail("config.dispatch.coalescing is only supported when batch_mode is 'batch'", coalescing)
        path = string_value(coalescing.value("group_by_path"))
        if path is not None:
            if not path.strip():
                return fail("config.dispatch.coalescing.group_by_path cannot be empty", coalescing.value("group_by_path"))
            if any(not s.strip() for s in path.split(".")):
                return fail("config.dispatch.coalescing.group_by_path must use non-empty dot-separated segments", coalescing.value("group_by_path"))
        enabled = coalescing.value("enabled")
        if isinstance(enabled, Scalar) and enabled.value is True and (path is None or not path.strip()):
            return fail("config.dispatch.coalescing.group_by_path is required when coalescing is enabled", coalescing)
    return None


def _tunable_problem(path: str, tunable: Mapping) -> str | None:
    source = string_value(tunable.value("source"))
    has = {k: tunable.value(k) is not None and getattr(tunable.value(k), "value", 0) is not None for k in ("value", "path", "key_ref")}
    if source == "literal":
        if not has["value"]:
            return f"{path} requires a literal value"
        if has["path"]:
            return f"{path} cannot set 'path' when source=literal"
        if has["key_ref"]:
            return f"{path} cannot set 'key_ref' when source=literal"
    elif source == "pack_config":
        if has["value"]:
            return f"{path} cannot set 'value' when source=pack_config"
        if has["key_ref"]:
            return f"{path} cannot set 'key_ref' when source=pack_config"
        if not (string_value(tunable.value("path")) or "").strip():
            return f"{path} requires a non-empty 'path' when source=pack_config"
    elif source == "keystore":
        if has["value"]:
            return f"{path} cannot set 'value' when source=keystore"
        if not (string_value(tunable.value("key_ref")) or "").strip():
            return f"{path} requires a non-empty 'key_ref' when source=keystore"
        value = string_value(tunable.value("path"))
        if value is not None and not value.strip():
            return f"{path}.path cannot be an empty string"
    return None


def _location(source: SourceFile, offset: int) -> str:
    line, column = LineIndex.of(source.text).position(offset, "utf-32")
    return f" at line {line + 1} column {column + 1}"


def _short(node: Node, text: str) -> Span:
    if isinstance(node, (Mapping, Sequence)):
        end = text.find("\n", node.span.start)
        return Span(node.span.start, node.span.end if end < 0 else min(end, node.span.end))
    return node.span
