"""Workflow documents parsed as Attune's workflow parser reads them (serde, then structure checks)."""

from __future__ import annotations

import weakref
from dataclasses import dataclass
from typing import Iterator

from packls.checks.base import file_start, finding
from packls.checks.rules import WORKFLOW_INVALID_DEFINITION, WORKFLOW_INVALID_LEGACY
from packls.checks.serde import Any, Bool, Enum, FieldSpec, Int, Map, Opt, Seq, Str, Struct, Untagged, first_error
from packls.findings import Finding
from packls.model import FileKind
from packls.syntax.lines import LineIndex
from packls.syntax.nodes import Mapping, Node, Scalar, Sequence, Span, string_value
from packls.workspace import SourceFile, Workspace

_PUBLISH = Untagged("PublishDirective", (Map(Any), Str))
_TRANSITION = Struct("TaskTransition", {
    "when": FieldSpec(Opt(Str)),
    "publish": FieldSpec(Seq(_PUBLISH)),
    "do": FieldSpec(Opt(Seq(Str))),
    "__chart_meta__": FieldSpec(Opt(Any)),
})
TASK = Struct("Task", {
    "name": FieldSpec(Str, required=True),
    "type": FieldSpec(Enum("TaskType", ("action", "parallel", "workflow"))),
    "action": FieldSpec(Opt(Str)),
    "input": FieldSpec(Map(Any)),
    "permission_set_refs": FieldSpec(Any, aliases=("permission_set_ref",)),
    "trace_tag_template": FieldSpec(Opt(Str)),
    "worker_selector": FieldSpec(Opt(Any)),
    "worker_tolerations": FieldSpec(Opt(Any)),
    "worker_affinity": FieldSpec(Opt(Any)),
    "when": FieldSpec(Opt(Str)),
    "with_items": FieldSpec(Opt(Str)),
    "iterate_cache": FieldSpec(Opt(Struct("IterateCacheConfig", {
        "owner_type": FieldSpec(Opt(Str)),
        "owner_ref": FieldSpec(Opt(Str)),
        "namespace": FieldSpec(Str, required=True),
        "generation": FieldSpec(Str),
        "page_size": FieldSpec(Int("usize")),
        "require_fresh": FieldSpec(Bool),
    }, deny_unknown=True))),
    "batch_size": FieldSpec(Opt(Int("usize"))),
    "concurrency": FieldSpec(Opt(Int("usize"))),
    "retry": FieldSpec(Opt(Struct("RetryConfig", {
        "count": FieldSpec(Int("u32"), required=True),
        "delay": FieldSpec(Int("u32"), required=True),
        "backoff": FieldSpec(Enum("BackoffStrategy", ("constant", "linear", "exponential"))),
        "max_delay": FieldSpec(Opt(Int("u32"))),
        "on_error": FieldSpec(Opt(Str)),
    }))),
    "timeout": FieldSpec(Opt(Int("u32"))),
    "next": FieldSpec(Seq(_TRANSITION)),
    "on_success": FieldSpec(Opt(Str)),
    "on_failure": FieldSpec(Opt(Str)),
    "on_complete": FieldSpec(Opt(Str)),
    "on_timeout": FieldSpec(Opt(Str)),
    "decision": FieldSpec(Seq(Struct("DecisionBranch", {
        "when": FieldSpec(Opt(Str)),
        "next": FieldSpec(Str, required=True),
        "default": FieldSpec(Bool),
    }))),
    "publish": FieldSpec(Seq(_PUBLISH)),
    "join": FieldSpec(Opt(Int("usize"))),
    "__chart_meta__": FieldSpec(Opt(Any)),
})
TASK.fields["tasks"] = FieldSpec(Opt(Seq(TASK)))

WORKFLOW = Struct("WorkflowDefinition", {
    "ref": FieldSpec(Str),
    "label": FieldSpec(Str),
    "description": FieldSpec(Opt(Str)),
    "version": FieldSpec(Str, required=True),
    "parameters": FieldSpec(Opt(Any)),
    "output": FieldSpec(Opt(Any)),
    "vars": FieldSpec(Map(Any)),
    "tasks": FieldSpec(Seq(TASK), required=True),
    "output_map": FieldSpec(Opt(Map(Str))),
    "tags": FieldSpec(Seq(Str)),
    "cancellation_policy": FieldSpec(Enum("CancellationPolicy", ("allow_finish", "cancel_running"))),
})

_LEGACY_TRANSITIONS = ("on_success", "on_failure", "on_complete", "on_timeout")


@dataclass(frozen=True)
class WorkflowProblem:
    """Why Attune's workflow parser rejects a document: its error text and the node to underline."""

    message: str
    span: Span


_CACHE: "weakref.WeakKeyDictionary[SourceFile, WorkflowProblem | None]" = weakref.WeakKeyDictionary()


def workflow_problem(source: SourceFile) -> WorkflowProblem | None:
    """`parse_workflow_yaml` on a file: None when it parses (cached per file content)."""
    if source in _CACHE:
        return _CACHE[source]
    problem = _parse(source)
    _CACHE[source] = problem
    return problem


def _parse(source: SourceFile) -> WorkflowProblem | None:
    parsed = source.parsed
    if parsed.problem is not None:
        return WorkflowProblem(f"YAML parsing error: {parsed.problem.message}", parsed.problem.span)
    if parsed.duplicates:
        dup = parsed.duplicates[0]
        return WorkflowProblem(f"YAML parsing error: duplicate entry with key \"{dup.key}\"", dup.again)
    root = parsed.root
    if root is None:
        return WorkflowProblem("YAML parsing error: missing field `version`", file_start(source))
    error = first_error(WORKFLOW, root)
    if error is not None:
        node = error.key_node or error.node
        where = "" if node is root else _location(source, node.span.start)
        return WorkflowProblem(f"YAML parsing error: {error.text()}{where}", _short(node, source))
    assert isinstance(root, Mapping)
    return _validate(source, root)


def _validate(source: SourceFile, root: Mapping) -> WorkflowProblem | None:
    """The validator attributes and validate_workflow_structure, after serde succeeded."""
    version = root.value("version")
    assert isinstance(version, Scalar)
    if not 1 <= len(str(version.value)) <= 50:
        return WorkflowProblem("Validation error: version: must be 1 to 50 characters long", version.span)
    for key in ("ref", "label"):
        node = root.value(key)
        if isinstance(node, Scalar) and len(str(node.value)) > 255:
            return WorkflowProblem(f"Validation error: {key}: must be at most 255 characters long", node.span)
    tasks = root.value("tasks")
    assert isinstance(tasks, Sequence)
    if not tasks.items:
        return WorkflowProblem("Validation error: tasks: a workflow needs at least one task", tasks.span)
    return _validate_tasks(tasks)


def _validate_tasks(tasks: Sequence) -> WorkflowProblem | None:
    names = {string_value(t.value("name")) for t in tasks.items if isinstance(t, Mapping)}
    for task in tasks.items:
        assert isinstance(task, Mapping)
        problem = _validate_task(task, names)
        if problem is not None:
            return problem
    return None


def _validate_task(task: Mapping, names: set[str | None]) -> WorkflowProblem | None:
    name = string_value(task.value("name")) or ""
    kind = string_value(task.value("type")) or "action"
    name_span = (task.value("name") or task).span
    if kind == "action" and _absent(task.value("action")):
        return WorkflowProblem(f"Missing required field: Task '{name}' of type 'action' must have an 'action' field", name_span)
    sub = task.value("tasks")
    if kind == "parallel":
        if _absent(sub):
            return WorkflowProblem(f"Missing required field: Task '{name}' of type 'parallel' must have a 'tasks' field", name_span)
        if isinstance(sub, Sequence) and not sub.items:
            return WorkflowProblem(f"Invalid field value: Task '{name}' - Parallel task must contain at least one sub-task", sub.span)
    for target, node in _targets(task):
        if target not in names:
            return WorkflowProblem(f"Invalid task reference: Task '{name}' references non-existent task '{target}'", node.span)
    retry = task.value("retry")
    if isinstance(retry, Mapping):
        count = retry.value("count")
        if isinstance(count, Scalar) and isinstance(count.value, int) and not 1 <= count.value <= 100:
            return WorkflowProblem("Validation error: count: a retry count must be between 1 and 100", count.span)
    if isinstance(sub, Sequence) and sub.items:
        return _validate_tasks(sub)
    return None


def _targets(task: Mapping) -> Iterator[tuple[str, Node]]:
    """Every task name a task's transitions start (next[].do, legacy on_* and decision)."""
    next_node = task.value("next")
    if isinstance(next_node, Sequence):
        for transition in next_node.items:
            do = transition.value("do") if isinstance(transition, Mapping) else None
            if isinstance(do, Sequence):
                for item in do.items:
                    if (text := string_value(item)) is not None:
                        yield text, item
    has_next = isinstance(next_node, Sequence) and bool(next_node.items)
    if not has_next:
        for key in _LEGACY_TRANSITIONS:
            node = task.value(key)
            if (text := string_value(node)) is not None:
                yield text, node  # type: ignore[misc]
        decision = task.value("decision")
        if isinstance(decision, Sequence):
            for branch in decision.items:
                target = branch.value("next") if isinstance(branch, Mapping) else None
                if (text := string_value(target)) is not None:
                    yield text, target  # type: ignore[misc]


def _absent(node: Node | None) -> bool:
    return node is None or (isinstance(node, Scalar) and node.value is None)


def _location(source: SourceFile, offset: int) -> str:
    line, column = LineIndex.of(source.text).position(offset, "utf-32")
    return f" at line {line + 1} column {column + 1}"


def _short(node: Node, source: SourceFile) -> Span:
    if isinstance(node, (Mapping, Sequence)):
        end = source.text.find("\n", node.span.start)
        return Span(node.span.start, node.span.end if end < 0 else min(end, node.span.end))
    return node.span


def check_workflow_file(source: SourceFile, workspace: Workspace) -> Iterator[Finding]:
    """actions/workflows/*.yaml must parse (error); legacy workflows/*.yaml are skipped when not (warning)."""
    if source.read_error is not None or source.parsed.problem is not None or source.parsed.duplicates:
        return  # the syntax checks already said why nothing can be read
    problem = workflow_problem(source)
    if problem is None:
        return
    if source.kind is FileKind.LEGACY_WORKFLOW:
        yield finding(source, problem.span, WORKFLOW_INVALID_LEGACY, f"Legacy top-level workflow will be skipped: {problem.message}")
    else:
        yield finding(source, problem.span, WORKFLOW_INVALID_DEFINITION, problem.message)
