"""Actions and sensors: entry points, workflow links, timeouts, trigger lists and extra worker runtimes."""

from __future__ import annotations

from pathlib import PurePosixPath
from typing import Iterator

from packls.checks.base import finding, is_null, pack_of, sub_span, type_word
from packls.checks.constraints import trap_finding
from packls.checks.pack_fields import non_empty_string, required_string
from packls.checks.rules import (
    ACTION_ENTRYPOINT,
    ACTION_ENTRYPOINT_MISSING,
    ACTION_INVALID_TIMEOUT,
    ACTION_INVALID_WORKFLOW,
    ACTION_RELEASE_LAUNCH,
    ACTION_WORKFLOW_MISSING,
    ACTION_WORKFLOW_PATH,
    REQUIRED_WORKER_RUNTIMES_INVALID,
    REQUIRED_WORKER_RUNTIMES_UNSATISFIABLE,
    SENSOR_ENTRYPOINT,
    SENSOR_ENTRYPOINT_MISSING,
    SENSOR_INVALID_TRIGGER_TYPES,
    SENSOR_MISSING_TRIGGER_TYPES,
    VALUE_WRONG_TYPE,
    Rule,
)
from packls.checks.traps import constraint_traps, wildcard_operator_trap
from packls.findings import Finding, Related
from packls.model import Action, Sensor
from packls.runtime_names import normalize_runtime_name
from packls.syntax.nodes import Mapping, Node, Scalar, Sequence
from packls.versions import ConstraintError, VersionError, parse_constraint, parse_version
from packls.workspace import Pack, SourceFile, Workspace

_NATIVE = frozenset({"native", "builtin", "standalone"})


def check_action(source: SourceFile, workspace: Workspace) -> Iterator[Finding]:
    """entry_point or workflow_file, timeout_seconds, launch and required_worker_runtimes of an action."""
    action = source.component
    if not isinstance(action, Action):
        return
    root = action.node
    pack = pack_of(source, workspace)
    workflow_file = non_empty_string(root.value("workflow_file"))
    if workflow_file is not None:
        yield from _workflow_link(source, pack, workflow_file, root.value("workflow_file"))  # type: ignore[arg-type]
    elif root.get("workflow_file") is None:
        entry = root.get("entry_point")
        if entry is None:
            if root.get("launch") is not None:
                yield finding(
                    source, root.get("launch").key.span, ACTION_RELEASE_LAUNCH,  # type: ignore[union-attr]
                    "`launch` is read only from release archives (attune.pack.release/v1); registering this folder "
                    "directly gives the action no entry point — add entry_point for directory installs",
                )
            else:
                # pack check requires it; the loader would register an action with an empty entry point.
                yield from required_string(source, root, "entry_point")[1]
        else:
            entrypoint = non_empty_string(entry.value)
            runner = action.runner_type
            if entrypoint is None:
                yield from required_string(source, root, "entry_point")[1]
            elif runner is None or runner.lower() not in _NATIVE:
                yield from _referenced_file(source, pack, "actions", entrypoint, entry.value, ACTION_ENTRYPOINT, ACTION_ENTRYPOINT_MISSING)
    yield from _timeout(source, root)
    yield from _worker_runtimes(source, root, workspace)


def check_sensor(source: SourceFile, workspace: Workspace) -> Iterator[Finding]:
    """entry_point and trigger_type(s) of a sensor (pack check's rules)."""
    sensor = source.component
    if not isinstance(sensor, Sensor):
        return
    root = sensor.node
    entry = root.get("entry_point")
    entrypoint = non_empty_string(entry.value) if entry is not None else None
    if entrypoint is None:
        yield from required_string(source, root, "entry_point")[1]
    runner = (non_empty_string(root.value("runner_type")) or "native").lower()
    if entrypoint is not None and runner not in _NATIVE:
        yield from _referenced_file(source, pack_of(source, workspace), "sensors", entrypoint, entry.value, SENSOR_ENTRYPOINT, SENSOR_ENTRYPOINT_MISSING)  # type: ignore[union-attr]
    pair = sensor.trigger_pair
    if pair is None:
        span = root.pairs[0].key.span if root.pairs else root.span
        yield finding(source, span, SENSOR_MISSING_TRIGGER_TYPES, "Sensor requires trigger_type or trigger_types")
        return
    value = pair.value
    if isinstance(value, Scalar) and isinstance(value.value, str):
        return
    if isinstance(value, Sequence):
        for item in value.items:
            if not (isinstance(item, Scalar) and isinstance(item.value, str)):
                yield finding(source, item.span, SENSOR_INVALID_TRIGGER_TYPES, "trigger_types must contain only strings")
        return
    yield finding(source, value.span, SENSOR_INVALID_TRIGGER_TYPES, "trigger_type(s) must be a string or array of strings")


def _workflow_link(source: SourceFile, pack: Pack | None, workflow_file: str, node: Node) -> Iterator[Finding]:
    path = PurePosixPath(workflow_file)
    if path.is_absolute() or ".." in path.parts or workflow_file.startswith("\\"):
        yield finding(source, node.span, ACTION_WORKFLOW_PATH, f"Referenced path '{workflow_file}' must remain inside the pack")
        return
    parts = [p for p in path.parts if p != "."]
    if not parts or parts[0] != "workflows":
        yield finding(
            source, node.span, ACTION_WORKFLOW_PATH, f"Workflow file '{workflow_file}' must be located under actions/workflows/",
            data={"replacement": "workflows/" + "/".join(parts)},
        )
        return
    if pack is None:
        return
    relative = "actions/" + "/".join(parts)
    exists = pack.has_file(relative)
    target = pack.files.get(pack.root / relative)
    if exists is False and target is None:
        yield finding(source, node.span, ACTION_WORKFLOW_MISSING, f"Workflow file '{workflow_file}' does not exist")
        return
    if target is None or target.read_error is not None:
        return
    from packls.checks.workflows import workflow_problem  # (the workflow checks load with the first workflow)

    problem = workflow_problem(target)
    if problem is not None:
        yield finding(
            source, node.span, ACTION_INVALID_WORKFLOW, f"Invalid workflow file '{workflow_file}': {problem.message}",
            related=(Related(target.path, problem.span, "where the workflow parser stops"),),
        )


def _referenced_file(
    source: SourceFile, pack: Pack | None, folder: str, referenced: str, node: Node, path_rule: Rule, missing_rule: Rule
) -> Iterator[Finding]:
    """pack check's safe_join + is_file for an entry point under actions/ or sensors/."""
    path = PurePosixPath(referenced)
    if path.is_absolute() or ".." in path.parts or referenced.startswith("\\"):
        yield finding(source, node.span, path_rule, f"Referenced path '{referenced}' must remain inside the pack")
        return
    if pack is None:
        return
    relative = folder + "/" + "/".join(p for p in path.parts if p != ".")
    if pack.has_file(relative) is False:
        yield finding(source, node.span, missing_rule, f"Referenced file '{referenced}' does not exist", data={"relative": relative})


def _timeout(source: SourceFile, root: Mapping) -> Iterator[Finding]:
    node = root.value("timeout_seconds")
    if node is None or is_null(node):
        return
    if not (isinstance(node, Scalar) and isinstance(node.value, int) and not isinstance(node.value, bool)):
        shown = node.text if isinstance(node, Scalar) else type_word(node)
        yield finding(source, node.span, ACTION_INVALID_TIMEOUT, f"Invalid timeout_seconds value: {shown} — it must be a whole number of seconds; registration fails")
    elif node.value <= 0:
        yield finding(source, node.span, ACTION_INVALID_TIMEOUT, "timeout_seconds must be greater than zero — registration fails")


def _worker_runtimes(source: SourceFile, root: Mapping, workspace: Workspace) -> Iterator[Finding]:
    """required_worker_runtimes: name → constraint ("*" = presence), parsed as the action API does."""
    node = root.value("required_worker_runtimes")
    if node is None or is_null(node):
        return
    if not isinstance(node, Mapping):
        yield finding(source, node.span, VALUE_WRONG_TYPE, f"required_worker_runtimes is {type_word(node)}; it must map runtime names to constraint strings")
        return
    for pair in node.pairs:
        value = pair.value
        name = pair.key_text or ""
        if not (isinstance(value, Scalar) and isinstance(value.value, str)):
            replacement = f'"{value.text}"' if isinstance(value, Scalar) and value.value is not None else None
            yield finding(
                source, value.span, VALUE_WRONG_TYPE,
                f"required_worker_runtimes.{name} is {type_word(value)}; write the constraint as a quoted string"
                + (f" ({replacement})" if replacement else ""),
                data={"replacement": replacement} if replacement else None,
            )
            continue
        text = value.value
        if text.strip() == "*":
            continue
        try:
            parsed = parse_constraint(text)
        except ConstraintError as error:
            trap = wildcard_operator_trap(error)
            if trap is not None:
                yield trap_finding(source, value, trap)
            else:
                yield finding(
                    source, sub_span(value, source.text, error.start, error.end), REQUIRED_WORKER_RUNTIMES_INVALID,
                    f"required_worker_runtimes.{name} '{text}' is not a valid constraint: {error.reason}; "
                    "no worker can be matched against it",
                )
            continue
        for trap in constraint_traps(parsed):
            yield trap_finding(source, value, trap)
        versions = _declared_versions(normalize_runtime_name(name), workspace)
        if versions and not any(_matches(parsed, v) for v in versions):
            yield finding(
                source, value.span, REQUIRED_WORKER_RUNTIMES_UNSATISFIABLE,
                f"no declared version of the '{normalize_runtime_name(name)}' runtime satisfies '{text}' "
                f"(declared: {', '.join(versions)}); only workers that advertise other versions could run this action",
                data={"declared": versions},
            )


def _declared_versions(worker_name: str, workspace: Workspace) -> list[str]:
    for runtime in workspace.runtimes():
        names = {normalize_runtime_name(runtime.display_name), normalize_runtime_name((runtime.ref or "").rsplit(".", 1)[-1])}
        if worker_name in names:
            return [v.version for v in runtime.versions if v.version is not None]
    return []


def _matches(constraint: object, version: str) -> bool:
    try:
        return constraint.matches(parse_version(version))  # type: ignore[attr-defined]
    except VersionError:
        return False
