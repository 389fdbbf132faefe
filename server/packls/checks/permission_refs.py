"""Permission-set refs as registration's permission plan reads them (pack_registry/permissions.rs).

Before anything is written, registration collects every execution permission-set ref a pack names —
an action's defaults, a rule's or queue's refs, a sensor's cache refs, the tasks of linked workflows —
and fails when one is not a literal string, is a template outside a workflow task, or names a
permission set that is neither in the pack nor installed. A bare ref other than `standard` can never
be installed: stored permission-set refs are always `<pack>.<name>`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator

from packls.checks.base import finding, is_null, pack_of
from packls.checks.rules import PERMISSION_REFS_INVALID, PERMISSION_REFS_UNAVAILABLE
from packls.findings import Finding
from packls.model import FileKind
from packls.syntax.nodes import Mapping, Node, Scalar, Sequence
from packls.workspace import Pack, SourceFile, Workspace

STANDARD = "standard"  # the one bare ref: every execution's baseline access, never looked up
_MAX_TASK_DEPTH = 64


@dataclass(frozen=True)
class _Place:
    """Where a ref list is read, what it is called, and what the plan allows there."""

    node: Node
    field: str
    where: str
    templates: bool  # workflow tasks may name refs with templates (rendered when the task runs)
    shapes: bool  # check strings and non-empty refs here (rules: their own rule does)


def check_permission_refs(source: SourceFile, workspace: Workspace) -> Iterator[Finding]:
    """Every permission-set ref list of the file, as the permission plan reads it."""
    root = source.parsed.root_mapping
    if root is None or source.component is None:
        return
    pack = pack_of(source, workspace)
    for place in _places(source.kind, root):
        yield from _check_place(source, place, pack)


def _places(kind: FileKind, root: Mapping) -> Iterator[_Place]:
    if kind is FileKind.ACTION:
        node = root.value("default_execution_permission_set_refs")
        if isinstance(node, Sequence):  # pack check's type check reports other shapes
            yield _Place(node, "default_execution_permission_set_refs", "an action's defaults", False, True)
    elif kind in (FileKind.RULE, FileKind.QUEUE):
        pair = root.get("permission_set_refs") or root.get("permission_set_ref")
        if pair is not None:
            what = "a rule" if kind is FileKind.RULE else "a work queue"
            yield _Place(pair.value, pair.key_text or "permission_set_refs", what, False, kind is FileKind.QUEUE)
    elif kind is FileKind.SENSOR:
        config = root.value("config")
        node = config.value("cache_permission_set_refs") if isinstance(config, Mapping) else None
        if node is not None:
            yield _Place(node, "config.cache_permission_set_refs", "a sensor's cache refs", False, True)
    elif kind is FileKind.WORKFLOW:
        yield from _task_places(root.value("tasks"), "tasks", 0)


def _task_places(tasks: Node | None, path: str, depth: int) -> Iterator[_Place]:
    if not isinstance(tasks, Sequence) or depth > _MAX_TASK_DEPTH:
        return
    for index, task in enumerate(tasks.items):
        if not isinstance(task, Mapping):
            continue
        here = f"{path}[{index}]"
        pair = task.get("permission_set_refs") or task.get("permission_set_ref")
        if pair is not None:
            yield _Place(pair.value, f"{here}.{pair.key_text}", "a workflow task", True, True)
        yield from _task_places(task.value("tasks"), f"{here}.tasks", depth + 1)


def _check_place(source: SourceFile, place: _Place, pack: Pack | None) -> Iterator[Finding]:
    node = place.node
    if is_null(node):
        return
    items: list[Node]
    if isinstance(node, Sequence):
        items = list(node.items)
    elif isinstance(node, Scalar) and isinstance(node.value, str):
        items = [node]
    else:
        if place.shapes:
            yield _invalid(source, node, f"{place.field} must be a permission-set ref or a list of them")
        return
    consequence = _consequence(source)
    for item in items:
        if not (isinstance(item, Scalar) and isinstance(item.value, str)):
            if place.shapes:
                yield _invalid(source, item, f"{place.field} entries must be strings")
            continue
        text = item.value
        if not text.strip():
            if place.shapes:
                yield _invalid(source, item, f"{place.field} cannot contain an empty ref")
            continue
        if "{{" in text:
            if not place.templates:
                yield _invalid(
                    source, item,
                    f"'{text}' is a template, and templates are rendered only in workflow tasks, not in {place.where}",
                )
            continue
        if text != STANDARD and "." not in text:
            yield _unavailable(source, item, text, pack, consequence)


def _consequence(source: SourceFile) -> str:
    if source.kind is FileKind.WORKFLOW:
        return "registration fails for a pack whose action links this workflow"
    return "registration fails"


def _invalid(source: SourceFile, node: Node, what: str) -> Finding:
    return finding(source, node.span, PERMISSION_REFS_INVALID, f"{what}; {_consequence(source)}")


def _unavailable(source: SourceFile, node: Scalar, text: str, pack: Pack | None, consequence: str) -> Finding:
    suggestion = _own_set(pack, text)
    hint = f"; did you mean '{suggestion}'?" if suggestion else f"; use '{STANDARD}' or a '<pack>.<name>' ref"
    return finding(
        source, node.span, PERMISSION_REFS_UNAVAILABLE,
        f"no permission set can be named '{text}': installed permission-set refs are always '<pack>.<name>' and "
        f"'{STANDARD}' is the only bare ref Attune knows, so {consequence}{hint}",
        data={"replacement": suggestion} if suggestion else None,
    )


def _own_set(pack: Pack | None, name: str) -> str | None:
    """The pack's own permission set with this name, when the author left out the pack prefix."""
    if pack is None:
        return None
    for component in pack.components(FileKind.PERMISSION_SET):
        if component.ref and component.ref.endswith(f".{name}") and component.ref.count(".") == 1:
            return component.ref
    return None
