"""Workflow documents parsed as Attune's workflow parser reads them (serde, then structure checks)."""

from __future__ import annotations

import weakref
from typing import Iterator

from packls.checks.base import file_start, finding
from packls.checks.rules import WORKFLOW_INVALID_DEFINITION, WORKFLOW_INVALID_LEGACY
from packls.checks.environment import environment_problems
from packls.checks.json_keys import first_bad_key
from packls.checks.serde import Any, Bool, Checked, Enum, FieldSpec, Int, Map, Opt, Seq, Str, Struct, Untagged, first_error
from packls.checks.workflow_tasks import WorkflowProblem, validate_tasks, wait_target_problem
from packls.findings import Finding
from packls.model import FileKind
from packls.syntax.nodes import Mapping, Node, Scalar, Sequence, Span
from packls.workspace import SourceFile, Workspace

WAIT_TARGETS = ("inquiry", "execution", "work_queue_item")


def _wait_target(node: Node) -> tuple[str, Node] | None:
    """The custom check TaskWaitFor runs once one of its three forms matched."""
    assert isinstance(node, Mapping) and len(node.pairs) == 1
    pair = node.pairs[0]
    problem = wait_target_problem(pair.value)
    return (f"wait_for.{pair.key_text} {problem}", pair.value) if problem is not None else None


_PUBLISH = Untagged("PublishDirective", (Map(Any), Str))
_TRANSITION = Struct("TaskTransition", {
    "when": FieldSpec(Opt(Str)),
    "publish": FieldSpec(Seq(_PUBLISH)),
    "do": FieldSpec(Opt(Seq(Str))),
    "__chart_meta__": FieldSpec(Opt(Any)),
})
_WAIT_FOR = Checked(Untagged("Repr", tuple(
    Struct(target, {target: FieldSpec(Any, required=True)}, deny_unknown=True) for target in WAIT_TARGETS
)), _wait_target)
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
    "wait_for": FieldSpec(Opt(_WAIT_FOR)),
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
    "timeout": FieldSpec(Opt(Any)),  # a number or a template rendered at run time
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
    if isinstance(root, Mapping):
        bad_key = first_bad_key(root, source.text)
        if bad_key is not None:  # the parser's JSON conversion fails first (reported by environment.invalid)
            return WorkflowProblem(f"Validation error: {bad_key.reason}", bad_key.node.span, environment=True)
        environment = environment_problems(FileKind.WORKFLOW, root)
        if environment:
            text = "; ".join(problem.text() for problem in environment)
            return WorkflowProblem(f"Validation error: {text}", environment[0].span, environment=True)
    error = first_error(WORKFLOW, root)
    if error is not None:
        # The parser deserializes an already-read value, so its message has neither path nor position;
        # packls keeps the path, and the finding's span shows the position.
        node = error.key_node or error.node
        where = f" (at {error.path})" if error.path else ""
        return WorkflowProblem(f"YAML parsing error: {error.message}{where}", _short(node, source))
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
    return validate_tasks(tasks)


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
    if problem is None or problem.environment:
        return  # environment problems are reported, more precisely, by environment.invalid
    if source.kind is FileKind.LEGACY_WORKFLOW:
        yield finding(source, problem.span, WORKFLOW_INVALID_LEGACY, f"Legacy top-level workflow will be skipped: {problem.message}")
    else:
        yield finding(source, problem.span, WORKFLOW_INVALID_DEFINITION, problem.message)
