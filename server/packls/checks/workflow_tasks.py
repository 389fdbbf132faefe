"""What Attune's workflow parser checks once a document deserialized: tasks, transitions, retries, waits.

Mirrors `validate_workflow_structure` of the newest parser: per task (in order) the action field, the
`wait_for` placement rules, parallel sub-tasks, transition targets and retry counts, recursing into
sub-tasks; then no top-level task with `wait_for` may reach itself through its transitions.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator

from packls.syntax.nodes import Mapping, Node, Scalar, Sequence, Span, string_value

_LEGACY_TRANSITIONS = ("on_success", "on_failure", "on_complete", "on_timeout")
_MAX_DEPTH = 64
_MAX_GRAPH_STEPS = 100_000  # a workflow with more transition edges than this is not searched for cycles


@dataclass(frozen=True)
class WorkflowProblem:
    """Why Attune's workflow parser rejects a document: its error text and the node to underline."""

    message: str
    span: Span
    environment: bool = False  # the problem is environment metadata (reported by its own rule)


def wait_target_problem(node: Node) -> str | None:
    """A `wait_for` target must be a positive integer id or one whole `{{ }}` template (None: accepted)."""
    if isinstance(node, Scalar):
        value = node.value
        if isinstance(value, int) and not isinstance(value, bool) and 0 < value < 2**63:
            return None
        if isinstance(value, str):
            text = value.strip()
            if text.startswith("{{") and text.endswith("}}") and len(text) >= 4 and text[2:-2].strip():
                return None
    return "must be a positive integer id or a single {{ }} template expression"


def validate_tasks(tasks: Sequence) -> WorkflowProblem | None:
    """The structure checks of a deserialized workflow's task list, then the wait-in-cycle rule."""
    problem = _validate_list(tasks, nested=False, depth=0)
    if problem is not None:
        return problem
    return _wait_in_cycle(tasks)


def _validate_list(tasks: Sequence, *, nested: bool, depth: int) -> WorkflowProblem | None:
    if depth > _MAX_DEPTH:
        return None
    names = {string_value(t.value("name")) for t in tasks.items if isinstance(t, Mapping)}
    for task in tasks.items:
        assert isinstance(task, Mapping)
        problem = _validate_task(task, names, nested, depth)
        if problem is not None:
            return problem
    return None


def _validate_task(task: Mapping, names: set[str | None], nested: bool, depth: int) -> WorkflowProblem | None:
    name = string_value(task.value("name")) or ""
    kind = string_value(task.value("type")) or "action"
    name_span = (task.value("name") or task).span
    if kind == "action" and _absent(task.value("action")):
        return WorkflowProblem(f"Missing required field: Task '{name}' of type 'action' must have an 'action' field", name_span)
    problem = _wait_for_placement(task, name, kind, nested)
    if problem is not None:
        return problem
    sub = task.value("tasks")
    if kind == "parallel":
        if _absent(sub):
            return WorkflowProblem(f"Missing required field: Task '{name}' of type 'parallel' must have a 'tasks' field", name_span)
        if isinstance(sub, Sequence) and not sub.items:
            return WorkflowProblem(f"Invalid field value: Task '{name}' - Parallel task must contain at least one sub-task", sub.span)
    for target, node in targets(task):
        if target not in names:
            return WorkflowProblem(f"Invalid task reference: Task '{name}' references non-existent task '{target}'", node.span)
    retry = task.value("retry")
    if isinstance(retry, Mapping):
        count = retry.value("count")
        if isinstance(count, Scalar) and isinstance(count.value, int) and not 1 <= count.value <= 100:
            return WorkflowProblem("Validation error: count: a retry count must be between 1 and 100", count.span)
    if isinstance(sub, Sequence) and sub.items:
        return _validate_list(sub, nested=True, depth=depth + 1)
    return None


def _wait_for_placement(task: Mapping, name: str, kind: str, nested: bool) -> WorkflowProblem | None:
    """`wait_for` only on action tasks, not inside another task's sub-tasks, never with iteration."""
    pair = task.get("wait_for")
    if pair is None or _absent(pair.value):
        return None
    if kind != "action":
        reason = f"wait_for works only on action tasks, not on a '{kind}' task"
    elif nested:
        reason = "wait_for cannot be used on a sub-task of a parallel task"
    elif not _absent(task.value("with_items")) or not _absent(task.value("iterate_cache")):
        reason = "wait_for cannot be combined with with_items or iterate_cache"
    else:
        return None
    return WorkflowProblem(f"Invalid field value: Task '{name}' wait_for - {reason}", pair.key.span)


def _wait_in_cycle(tasks: Sequence) -> WorkflowProblem | None:
    """A top-level task with `wait_for` must not be reachable again from its own transitions."""
    graph: dict[str, list[str]] = {}
    for task in tasks.items:
        if isinstance(task, Mapping):
            graph[string_value(task.value("name")) or ""] = [target for target, _ in targets(task)]
    for task in tasks.items:
        if not isinstance(task, Mapping):
            continue
        pair = task.get("wait_for")
        if pair is None or _absent(pair.value):
            continue
        name = string_value(task.value("name")) or ""
        if _reaches(name, graph):
            return WorkflowProblem(
                f"Invalid field value: Task '{name}' wait_for - wait_for cannot be used on a task that its own "
                "transitions can lead back to (a cycle)",
                pair.key.span,
            )
    return None


def _reaches(start: str, graph: dict[str, list[str]]) -> bool:
    stack = list(graph.get(start, ()))
    visited: set[str] = set()
    steps = 0
    while stack and steps < _MAX_GRAPH_STEPS:
        steps += 1
        candidate = stack.pop()
        if candidate == start:
            return True
        if candidate not in visited:
            visited.add(candidate)
            stack.extend(graph.get(candidate, ()))
    return False


def targets(task: Mapping) -> Iterator[tuple[str, Node]]:
    """Every task name a task's transitions start (next[].do; legacy on_* and decision without next)."""
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
