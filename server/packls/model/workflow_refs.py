"""The refs a workflow's tasks make: found task by task, and for a big task list kept with the list.

A task an edit only moved (`packls.syntax.shifted`) keeps the refs found on its base in the
base's notes. What the refs name, without where (`reference_keys`), is also kept for a whole
moved or spliced task list and patched for the one task a keystroke reparsed
(`packls.syntax.spliced`), so the edit's neighbours are found without walking 6,000 tasks.
"""

from __future__ import annotations

from packls.model.kinds import FileKind
from packls.model.refs import RefKey, Reference, scalar_refs
from packls.syntax.nodes import Mapping, Node, Sequence
from packls.syntax.shifted import shift, shifted
from packls.syntax.spliced import Splice, child, children, kept


def workflow_references(tasks: Node | None) -> list[Reference]:
    """Every ref of a task list, in the order `Workflow.tasks()` lists the tasks."""
    refs: list[Reference] = []
    if not isinstance(tasks, Sequence):
        return refs
    for index, item in enumerate(tasks.items):
        refs += workflow_task_references(item, index)
    return refs


def workflow_task_references(item: Node, index: int) -> list[Reference]:
    """The refs of the task at index of a workflow's `tasks` (kept in its base's notes when an edit only moved it)."""
    if not isinstance(item, Mapping):
        return []
    path = f"tasks[{index}]"
    moved = shifted(item)
    if moved is None:
        return _task_references(item, path)
    base, delta, notes = moved
    found = notes.get(("references", path))
    if found is None:
        found = notes[("references", path)] = _task_references(base, path)  # type: ignore[arg-type]
    return [Reference(ref.target, ref.text, shift(ref.node, delta), ref.field, ref.short_ok) for ref in found] if delta else found  # type: ignore[no-any-return]


Listed = tuple[list[tuple[RefKey, ...]], dict[RefKey, frozenset[int]]]  # each task's ref keys; the tasks naming each key
_LISTED = ("workflow reference keys",)


def listed_reference_keys(tasks: Node | None) -> frozenset[RefKey] | None:
    """What the refs of a moved or spliced task list name, kept with the list; None for any other list."""
    listed = _listed(tasks)
    return frozenset(listed[1]) if listed is not None else None


def listed_references(tasks: Node | None, keys: frozenset[RefKey]) -> list[Reference] | None:
    """The refs naming one of keys in a moved or spliced task list (only their tasks are read); None for any other list."""
    listed = _listed(tasks)
    if listed is None:
        return None
    indices = sorted(set().union(*(listed[1].get(key, ()) for key in keys)))
    return [ref for index in indices for ref in workflow_task_references(child(tasks, index), index) if ref.key in keys]


def _listed(tasks: Node | None) -> Listed | None:
    found = shifted(tasks) if tasks is not None else None
    if found is None or not isinstance(tasks, Sequence):
        return None

    def compute(base: Node) -> Listed:
        per_task = [_task_keys(task) for task in children(base)]
        where: dict[RefKey, frozenset[int]] = {}
        for index, keys in enumerate(per_task):
            for key in keys:
                where[key] = where.get(key, frozenset()) | {index}
        return per_task, where

    def patch(previous: Listed, splice: Splice, base: Node) -> Listed:
        index = splice.index
        per_task, where = list(previous[0]), dict(previous[1])
        for key in per_task[index]:
            where[key] = where[key] - {index}
            if not where[key]:
                del where[key]
        per_task[index] = _task_keys(child(base, index))
        for key in per_task[index]:
            where[key] = where.get(key, frozenset()) | {index}
        return per_task, where

    return kept(found[0], found[2], _LISTED, compute, patch)


def _task_keys(task: Node) -> tuple[RefKey, ...]:
    if not isinstance(task, Mapping):
        return ()
    return tuple(ref.key for ref in _task_references(task, ""))


def _task_references(task: Mapping, path: str) -> list[Reference]:
    """The refs of one task and its sub-tasks, in the order `tasks()` lists them."""
    found: list[tuple[str, Mapping]] = [(path, task)]
    collect_tasks(task.value("tasks"), f"{path}.tasks", found, 1)
    refs: list[Reference] = []
    for where, each in found:
        for ref in scalar_refs(each.value("action"), FileKind.ACTION, f"{where}.action"):
            if "{{" not in ref.text:
                refs.append(ref)
        for key in ("permission_set_refs", "permission_set_ref"):
            for ref in scalar_refs(each.value(key), FileKind.PERMISSION_SET, f"{where}.{key}", short_ok=False):
                if "{{" not in ref.text:
                    refs.append(ref)
    return refs


def collect_tasks(node: Node | None, path: str, found: list[tuple[str, Mapping]], depth: int) -> None:
    """Every task mapping below node with its path for messages (parallel sub-tasks included)."""
    if not isinstance(node, Sequence) or depth > 32:
        return
    for index, item in enumerate(node.items):
        if isinstance(item, Mapping):
            here = f"{path}[{index}]"
            found.append((here, item))
            collect_tasks(item.value("tasks"), f"{here}.tasks", found, depth + 1)
