"""Actions and sensors: does runner_type resolve, and can runtime_version select anything?"""

from __future__ import annotations

import difflib
from typing import Iterator

from packls.checks.base import describe_versions, finding, sub_span
from packls.checks.traps import Trap, constraint_traps, wildcard_operator_trap
from packls.broken import blocking_note
from packls.checks.rules import (
    REFERENCE_BROKEN_TARGET,
    RUNNER_TYPE_NO_INTERPRETER,
    RUNNER_TYPE_UNKNOWN,
    RUNTIME_VERSION_INVALID,
    RUNTIME_VERSION_NO_VERSIONS,
    RUNTIME_VERSION_NOT_STRING,
    RUNTIME_VERSION_UNAVAILABLE,
    RUNTIME_VERSION_UNSATISFIABLE,
)
from packls.findings import Finding, Severity
from packls.model import FileKind, Runnable
from packls.resolve import Candidate, RunnerResolution, fallback_sentence, resolve
from packls.runtime_names import LOADER_ALIASES, normalize_runtime_name
from packls.syntax.nodes import Node, Scalar, node_type_name
from packls.versions import ConstraintError, VersionError, parse_constraint, parse_version
from packls.workspace import SourceFile, Workspace


def check_runnable(source: SourceFile, workspace: Workspace) -> Iterator[Finding]:
    """runner_type resolution and every runtime_version problem of one action or sensor."""
    component = source.component
    if not isinstance(component, Runnable) or component.is_workflow:
        return
    yield from _not_string(source, component)
    resolution = resolve(component, workspace)
    runner = resolution.runner
    if runner is not None and runner.runtime is None:
        yield _unknown_runner(source, component, runner, workspace)
    elif runner is not None and component.kind is FileKind.SENSOR:
        yield from _sensor_interpreter(source, component, runner)
    constraint = component.constraint
    if constraint is None:
        return
    value_node = component.runtime_version_pair.value  # type: ignore[union-attr]
    try:
        parsed = parse_constraint(constraint)
    except ConstraintError as error:
        trap = wildcard_operator_trap(error)
        if trap is not None:
            yield trap_finding(source, value_node, trap)
        else:
            yield finding(
                source, sub_span(value_node, source.text, error.start, error.end), RUNTIME_VERSION_INVALID,
                f"runtime_version '{constraint}' is not a valid constraint: {error.reason}",
            )
        return
    for trap in constraint_traps(parsed):
        yield trap_finding(source, value_node, trap)
    runtime = resolution.runtime
    if runtime is None:
        return
    sensor = component.kind is FileKind.SENSOR
    if not resolution.candidates:
        yield finding(
            source, value_node.span, RUNTIME_VERSION_NO_VERSIONS,
            f"{runtime.ref} declares no versions, so runtime_version '{constraint}' selects nothing; "
            f"{fallback_sentence(component)}",
            severity=Severity.ERROR if sensor else None,
        )
        return
    matching = [c for c in resolution.candidates if _matches(parsed, c)]
    declared = describe_versions([c.version for c in resolution.candidates])
    if not matching:
        yield finding(
            source, value_node.span, RUNTIME_VERSION_UNSATISFIABLE,
            f"no declared version of {runtime.ref} satisfies '{constraint}' (declared: {declared}); "
            f"{fallback_sentence(component)}",
            data={"runtime": runtime.ref, "declared": [c.version for c in resolution.candidates]},
        )
    elif resolution.selected is None and not any(c.available for c in matching):
        yield finding(
            source, value_node.span, RUNTIME_VERSION_UNAVAILABLE,
            f"'{constraint}' matches only {describe_versions([c.version for c in matching])} of {runtime.ref}, "
            f"which no synced worker has; {fallback_sentence(component)}",
            severity=Severity.ERROR if sensor else None,
        )


def trap_finding(source: SourceFile, node: Node, trap: Trap) -> Finding:
    """A constraint trap at the comma part it comes from, with the constraint probably meant."""
    return finding(
        source, sub_span(node, source.text, trap.start, trap.end), trap.rule, trap.message,
        data={"meant": trap.meant} if trap.meant else None,
    )


_NATIVE_WORDS = frozenset({"native", "builtin", "standalone"})


def _sensor_interpreter(source: SourceFile, component: Runnable, runner: RunnerResolution) -> Iterator[Finding]:
    """The loader's warning for a sensor on a runtime that has no interpreter to start it with."""
    runtime = runner.runtime
    if runtime is None or runner.runner_type.lower() in _NATIVE_WORDS or runtime.ref == "core.native":
        return
    binary = (runtime.interpreter_binary or "").strip().lower()
    if binary and binary not in ("native", "none"):
        return
    pair = component.runner_type_pair
    span = pair.value.span if pair is not None else component.node.span
    yield finding(
        source, span, RUNNER_TYPE_NO_INTERPRETER,
        f"runner_type '{runner.runner_type}' resolves to {runtime.ref}, whose execution_config has no interpreter, "
        "so the sensor cannot start; give the runtime an interpreter.binary or use runner_type: native",
    )


def _matches(constraint: object, candidate: Candidate) -> bool:
    try:
        return constraint.matches(parse_version(candidate.version))  # type: ignore[attr-defined]
    except VersionError:
        return False


def _not_string(source: SourceFile, component: Runnable) -> Iterator[Finding]:
    pair = component.runtime_version_pair
    if pair is None or component.constraint is not None:
        return
    value = pair.value
    if isinstance(value, Scalar) and value.value is None:
        return  # an empty value is an explicit "no constraint"
    text = value.text if isinstance(value, Scalar) else None
    hint = f'; quote it: runtime_version: "{text}"' if text else "; write the constraint as a quoted string"
    yield finding(
        source, value.span, RUNTIME_VERSION_NOT_STRING,
        f"runtime_version is a {node_type_name(value)}, and Attune ignores values that are not strings, "
        f"so no constraint applies{hint}",
        data={"replacement": f'"{text}"'} if text else None,
    )


def _unknown_runner(source: SourceFile, component: Runnable, runner: RunnerResolution, workspace: Workspace) -> Finding:
    pair = component.runner_type_pair
    span = pair.value.span if pair is not None else component.node.span
    word = runner.runner_type
    if runner.blocked_by is not None:  # the runtime may be in a file that does not parse: say that, not "unknown"
        return finding(
            source, span, REFERENCE_BROKEN_TARGET, runner.description,
            related=(blocking_note(runner.blocked_by),),
            data={"broken": str(runner.blocked_by.path)},
        )
    suggestion = _suggest_runner(word, workspace)
    hint = f"; did you mean '{suggestion}'?" if suggestion else "; use a runtime ref such as core.python"
    consequence = "the sensor will not start" if component.kind is FileKind.SENSOR else "the action gets no runtime"
    return finding(
        source, span, RUNNER_TYPE_UNKNOWN,
        f"runner_type '{word}' resolves to no runtime (Attune accepts its built-in aliases, a runtime ref or a "
        f"runtime name, never declared aliases), so {consequence}{hint}",
        data={"suggestion": suggestion} if suggestion else None,
    )


def _suggest_runner(word: str, workspace: Workspace) -> str | None:
    """A runner_type that would resolve: the worker-name family first, then the nearest spelling."""
    normalized = normalize_runtime_name(word)
    for runtime in workspace.runtimes():
        if runtime.display_name.lower() == normalized or (runtime.ref or "").rsplit(".", 1)[-1] == normalized:
            return runtime.ref
    words = sorted(set(LOADER_ALIASES) | {r.ref for r in workspace.runtimes() if r.ref})
    close = difflib.get_close_matches(word.lower(), words, n=1, cutoff=0.75)
    return close[0] if close else None
