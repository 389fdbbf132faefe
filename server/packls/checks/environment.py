"""Environment metadata Attune refuses to load: env_vars outside runtimes, reserved ATTUNE_ variables.

Attune's pack check inspects these places only (never inputs, schemas or payloads), and registration
and the loader stop on any problem it finds here, so each one makes the whole pack fail to load.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator

from packls.checks.base import finding
from packls.checks.rules import ENVIRONMENT_INVALID
from packls.findings import Finding
from packls.model import FileKind
from packls.syntax.nodes import Mapping, Node, Scalar, Sequence, Span
from packls.syntax.shifted import shifted
from packls.syntax.spliced import child, flagged
from packls.workspace import SourceFile, Workspace

RESERVED_PREFIX = "ATTUNE_"
FORBIDDEN_KEY = "env_vars"
_WORKFLOWS = frozenset({FileKind.WORKFLOW, FileKind.LEGACY_WORKFLOW})
# Components where env_vars is not allowed at all (the word used in messages).
_FORBIDDEN_IN = {
    FileKind.ACTION: "an action",
    FileKind.RULE: "a rule",
    FileKind.QUEUE: "a work queue",
    FileKind.WORKFLOW: "a workflow",
    FileKind.LEGACY_WORKFLOW: "a workflow",
}
FORBIDDEN_KINDS = frozenset(_FORBIDDEN_IN)  # env_vars anywhere in these files is this check's (not an unknown key)
_MAX_TASK_DEPTH = 64


@dataclass(frozen=True)
class EnvironmentProblem:
    """One environment error: where it is, the metadata path Attune names, and why it is refused."""

    span: Span
    path: str
    reason: str
    removable: bool = False  # the span is the key of a pair whose removal fixes the problem

    def text(self) -> str:
        """`path: reason`, the short form a workflow parse error lists."""
        return f"{self.path}: {self.reason}"


def environment_problems(kind: FileKind, root: Mapping) -> list[EnvironmentProblem]:
    """Every environment problem of one file, in the order Attune lists them."""
    problems: list[EnvironmentProblem] = []
    if kind is FileKind.RUNTIME:
        _runtime_config(root.value("execution_config"), "execution_config", problems)
        versions = root.value("versions")
        if isinstance(versions, Sequence):
            for index, entry in enumerate(versions.items):
                if isinstance(entry, Mapping):
                    _runtime_config(entry.value("execution_config"), f"versions[{index}].execution_config", problems)
    elif kind in _FORBIDDEN_IN:
        _forbidden(root, "", _FORBIDDEN_IN[kind], problems)
        if kind in _WORKFLOWS:
            _tasks(root.value("tasks"), "tasks", problems, 0)
    return problems


def check_environment(source: SourceFile, workspace: Workspace) -> Iterator[Finding]:
    """env_vars in actions, rules, queues, workflows and their tasks; ATTUNE_ names in runtime env_vars."""
    root = source.parsed.root_mapping
    if root is None or source.parsed.problem is not None or source.parsed.duplicates:
        return  # Attune cannot read the file at all; the syntax checks say why
    for problem in environment_problems(source.kind, root):
        yield finding(
            source, problem.span, ENVIRONMENT_INVALID, _message(problem),
            data={"delete": True} if problem.removable else None,
        )


def _message(problem: EnvironmentProblem) -> str:
    return f"{problem.path}: {problem.reason}, so Attune refuses to load the pack{_advice(problem)}"


def _advice(problem: EnvironmentProblem) -> str:
    if problem.removable:
        return " — set variables in a runtime's execution_config.env_vars or pass them with the execution request"
    if problem.reason.startswith("the ATTUNE_ prefix"):
        return " — rename the variable"
    return ""


def _runtime_config(config: Node | None, path: str, problems: list[EnvironmentProblem]) -> None:
    if isinstance(config, Mapping):
        pair = config.get("env_vars")
        if pair is not None:
            _variable_names(pair.value, f"{path}.env_vars", problems)


def _forbidden(node: Mapping, path: str, where: str, problems: list[EnvironmentProblem]) -> None:
    pair = node.get(FORBIDDEN_KEY)
    if pair is None:
        return
    field = f"{path}.env_vars" if path else "env_vars"
    _variable_names(pair.value, field, problems)
    problems.append(EnvironmentProblem(pair.key.span, field, f"environment variables cannot be set in {where}", removable=True))


def _variable_names(node: Node, path: str, problems: list[EnvironmentProblem]) -> None:
    if isinstance(node, Scalar) and node.value is None:
        return
    if not isinstance(node, Mapping):
        problems.append(EnvironmentProblem(node.span, path, "must map variable names to values"))
        return
    named = sorted((pair for pair in node.pairs if pair.key_text is not None), key=lambda pair: pair.key_text or "")
    for pair in named:
        name = pair.key_text or ""
        if name.startswith(RESERVED_PREFIX):
            problems.append(EnvironmentProblem(
                pair.key.span, f'{path}["{name}"]', "the ATTUNE_ prefix is reserved for the variables Attune sets itself",
            ))


def _tasks(node: Node | None, path: str, problems: list[EnvironmentProblem], depth: int) -> None:
    if not isinstance(node, Sequence) or depth > _MAX_TASK_DEPTH:
        return
    dirty = flagged(node, ("environment dirty", depth), lambda task: isinstance(task, Mapping) and not _clean(task, depth))
    for index in dirty if dirty is not None else range(len(node.items)):  # a moved list: only its tasks with problems
        task = child(node, index)
        if isinstance(task, Mapping) and not _known_clean(task, depth):
            here = f"{path}[{index}]"
            _forbidden(task, here, "a workflow task", problems)
            _tasks(task.value("tasks"), f"{here}.tasks", problems, depth + 1)


def _known_clean(task: Mapping, depth: int) -> bool:
    """True when an edit only moved task and its base (sub-tasks included) has no problem (kept in the base's notes)."""
    moved = shifted(task)
    if moved is None:
        return False
    base, _, notes = moved
    key = ("environment clean", depth)
    clean = notes.get(key)
    if clean is None:
        clean = notes[key] = not _task_problems(base, depth)  # type: ignore[arg-type]
    return clean  # type: ignore[no-any-return]


def _clean(task: Mapping, depth: int) -> bool:
    """No problem in task (sub-tasks included): from its base's notes when an edit only moved it."""
    return _known_clean(task, depth) if shifted(task) is not None else not _task_problems(task, depth)


def _task_problems(task: Mapping, depth: int) -> list[EnvironmentProblem]:
    found: list[EnvironmentProblem] = []
    _forbidden(task, "", "a workflow task", found)
    _tasks(task.value("tasks"), "tasks", found, depth + 1)
    return found
