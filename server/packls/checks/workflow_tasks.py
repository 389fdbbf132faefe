"""What Attune's workflow parser checks once a document deserialized: tasks, transitions, retries, waits.

Mirrors `validate_workflow_structure` of the newest parser: per task (in order) the action field, the
`wait_for` placement rules, parallel sub-tasks, transition targets and retry counts, recursing into
sub-tasks; then no top-level task with `wait_for` may reach itself through its transitions.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any, Iterator

from packls.syntax.nodes import Mapping, Node, Scalar, Sequence, Span, string_value
from packls.syntax.shifted import shifted
from packls.syntax.spliced import child, kept

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
    listed = _listed(tasks)
    if listed is not None:  # a moved or spliced big list: only the tasks that may break a rule are looked at
        for index in sorted(listed.suspects()):
            problem = _validate_task(child(tasks, index), listed.names.keys(), False, 0)  # type: ignore[arg-type]
            if problem is not None:
                return problem
        return _wait_in_cycle(tasks) if listed.waiting else None
    problem = _validate_list(tasks, nested=False, depth=0)
    if problem is not None:
        return problem
    return _wait_in_cycle(tasks)


@dataclass(frozen=True)
class _Listed:
    """The summaries of a whole top-level task list, kept with the list and patched for one spliced task."""

    summaries: list[_Summary]
    names: Counter[str | None]  # how many tasks have each name
    invalid: frozenset[int]  # tasks that break a rule on their own
    targets: dict[str, frozenset[int]]  # task name → the tasks whose transitions start it
    waiting: frozenset[int]  # tasks with a `wait_for`

    def suspects(self) -> set[int]:
        """Tasks that may break a rule: on their own, or by starting a task no task is named."""
        found = set(self.invalid)
        for missing in self.targets.keys() - self.names.keys():
            found |= self.targets[missing]
        return found

    @staticmethod
    def of(tasks: Node) -> _Listed | None:
        summaries = [_summary(task, False, 0) for task in tasks.items]  # type: ignore[attr-defined]
        if any(summary is None for summary in summaries):
            return None
        targets: dict[str, frozenset[int]] = {}
        for index, summary in enumerate(summaries):
            for target in summary.targets:  # type: ignore[union-attr]
                targets[target] = targets.get(target, frozenset()) | {index}
        return _Listed(
            summaries, Counter(s.name for s in summaries),  # type: ignore[arg-type,union-attr]
            frozenset(i for i, s in enumerate(summaries) if not s.locally_valid), targets,  # type: ignore[union-attr]
            frozenset(i for i, s in enumerate(summaries) if s.waits),  # type: ignore[union-attr]
        )

    def patched(self, index: int, task: Node) -> _Listed | None:
        """This list with the task at index replaced."""
        new = _summary(task, False, 0)
        if new is None:
            return None
        old = self.summaries[index]
        summaries = list(self.summaries)
        summaries[index] = new
        names = Counter(self.names)
        names[old.name] -= 1
        if not names[old.name]:
            del names[old.name]
        names[new.name] += 1
        targets = dict(self.targets)
        for target in old.targets:
            targets[target] = targets[target] - {index}
            if not targets[target]:
                del targets[target]
        for target in new.targets:
            targets[target] = targets.get(target, frozenset()) | {index}
        return _Listed(summaries, names, _with(self.invalid, index, not new.locally_valid), targets, _with(self.waiting, index, new.waits))


def _with(indices: frozenset[int], index: int, present: bool) -> frozenset[int]:
    return indices | {index} if present else indices - {index}


_LISTED = ("workflow tasks listed",)
_UNLISTED: Any = object()  # kept for a list that has a task which is not a mapping (the full walk reports it)


def _listed(tasks: Sequence) -> _Listed | None:
    """The whole-list summary of a moved (or spliced) task list, kept in its notes; None for any other list."""
    found = shifted(tasks)
    if found is None:
        return None
    listed = kept(found[0], found[2], _LISTED, lambda base: _Listed.of(base) or _UNLISTED,
                  lambda previous, splice, base: previous.patched(splice.index, child(base, splice.index)) if previous is not _UNLISTED else None)
    return None if listed is _UNLISTED else listed


def _validate_list(tasks: Sequence, *, nested: bool, depth: int) -> WorkflowProblem | None:
    if depth > _MAX_DEPTH:
        return None
    summaries = [_summary(t, nested, depth) for t in tasks.items]
    names = {s.name for s in summaries if s is not None}
    for task, summary in zip(tasks.items, summaries):
        assert isinstance(task, Mapping) and summary is not None
        if summary.locally_valid and all(target in names for target in summary.targets):
            continue
        problem = _validate_task(task, names, nested, depth)
        if problem is not None:
            return problem
    return None


@dataclass(frozen=True)
class _Summary:
    """What the list-wide rules need of one task: its name, where it goes, and whether it alone is valid."""

    name: str | None
    targets: tuple[str, ...]
    waits: bool  # a `wait_for` is set
    locally_valid: bool  # every rule but "the targets exist" holds


def _summary(task: Node, nested: bool, depth: int) -> _Summary | None:
    """task's summary; for a task an edit only moved, the one kept in its base's notes (no task is walked again)."""
    if not isinstance(task, Mapping):
        return None
    moved = shifted(task)
    if moved is None:
        return _summarize(task, nested, depth)
    base, _, notes = moved
    key = ("workflow task", nested, depth)
    summary = notes.get(key)
    if summary is None:
        summary = notes[key] = _summarize(base, nested, depth)  # type: ignore[arg-type]
    return summary  # type: ignore[no-any-return]


def _summarize(task: Mapping, nested: bool, depth: int) -> _Summary:
    wait = task.get("wait_for")
    return _Summary(
        string_value(task.value("name")), tuple(target for target, _ in targets(task)),
        wait is not None and not _absent(wait.value), _validate_task(task, None, nested, depth) is None,
    )


def _validate_task(task: Mapping, names: set[str | None] | None, nested: bool, depth: int) -> WorkflowProblem | None:
    """The first rule one task breaks (names None: all but whether its targets exist)."""
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
    for target, node in targets(task) if names is not None else ():
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
    summaries = [_summary(t, False, 0) for t in tasks.items]
    graph: dict[str, list[str]] = {}
    for summary in summaries:
        if summary is not None:
            graph[summary.name or ""] = list(summary.targets)
    for task, summary in zip(tasks.items, summaries):
        if summary is None or not summary.waits:
            continue
        name = summary.name or ""
        if _reaches(name, graph):
            pair = task.get("wait_for")  # type: ignore[union-attr]
            assert pair is not None
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
