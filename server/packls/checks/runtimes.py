"""Runtime files: the versions[] list Attune stores and selects from."""

from __future__ import annotations

from typing import Iterator

from packls.checks.base import finding, head_span, sub_span
from packls.checks.execution_config import check_execution_config
from packls.checks.rules import (
    RUNTIME_SHARED_INTERPRETER,
    RUNTIME_DUPLICATE_VERSION,
    RUNTIME_INVALID_VERSION,
    RUNTIME_MULTIPLE_DEFAULTS,
    RUNTIME_VERSION_NO_CONFIG,
    VERIFICATION_INVALID_PATTERN,
    VERIFICATION_MISSING_BINARY,
)
from packls.checks.rust_regex import rust_regex_problem
from packls.findings import Finding, Related, Severity
from packls.model import Runtime, RuntimeVersion
from packls.model.components import interpreter_binary
from packls.syntax.nodes import Mapping, Sequence, node_type_name, string_value
from packls.versions import VersionError, parse_version
from packls.workspace import SourceFile, Workspace


def check_runtime_versions(source: SourceFile, workspace: Workspace) -> Iterator[Finding]:
    """Invalid, duplicate and multiply-default version entries."""
    runtime = source.component
    if not isinstance(runtime, Runtime):
        return
    yield from _invalid_entries(source, runtime)
    yield from _duplicates(source, runtime)
    yield from _defaults(source, runtime)


def _invalid_entries(source: SourceFile, runtime: Runtime) -> Iterator[Finding]:
    for entry in runtime.versions:
        if not isinstance(entry.node, Mapping):
            yield finding(
                source, entry.node.span, RUNTIME_INVALID_VERSION,
                f"Runtime versions must be objects; this entry is a {node_type_name(entry.node)}",
            )
            continue
        version_node = entry.version_node
        if version_node is None:
            yield finding(
                source, entry.node.span, RUNTIME_INVALID_VERSION,
                "Runtime versions must be objects with a 'version' field; Attune skips this entry",
            )
        elif entry.version is None:
            yield finding(
                source, version_node.span, RUNTIME_INVALID_VERSION,
                f"version is a {node_type_name(version_node)}, not a string, so Attune skips this entry; "
                "quote it",
                data={"quote": True},
            )
        else:
            try:
                parse_version(entry.version)
            except VersionError as error:
                yield finding(
                    source, version_node.span, RUNTIME_INVALID_VERSION,
                    f"version '{entry.version}' is not a version Attune can compare ({error}); "
                    "no runtime_version constraint can ever select it",
                    severity=Severity.WARNING,
                )


def _duplicates(source: SourceFile, runtime: Runtime) -> Iterator[Finding]:
    first: dict[str, RuntimeVersion] = {}
    for entry in runtime.versions:
        if entry.version is None:
            continue
        earlier = first.get(entry.version)
        if earlier is None:
            first[entry.version] = entry
            continue
        span = (entry.version_node or entry.node).span
        related = (Related(source.path, (earlier.version_node or earlier.node).span, "first declared here"),)
        yield finding(
            source, span, RUNTIME_DUPLICATE_VERSION, f"Duplicate runtime version '{entry.version}'", related=related
        )


def _defaults(source: SourceFile, runtime: Runtime) -> Iterator[Finding]:
    defaults = [entry for entry in runtime.versions if entry.is_default and entry.version is not None]
    for extra in defaults[1:]:
        node = extra.node.value("is_default") if isinstance(extra.node, Mapping) else None
        span = (node or extra.node).span
        first = defaults[0]
        first_node = first.node.value("is_default") if isinstance(first.node, Mapping) else None
        related = (Related(source.path, (first_node or first.node).span, f"'{first.version}' is already the default"),)
        yield finding(
            source, span, RUNTIME_MULTIPLE_DEFAULTS, "Only one runtime version may be the default",
            related=related, data={"remove_default": True},
        )


def check_runtime_configs(source: SourceFile, workspace: Workspace) -> Iterator[Finding]:
    """execution_config shapes, verification commands and versions that would run without an interpreter."""
    runtime = source.component
    if not isinstance(runtime, Runtime):
        return
    base = runtime.node.value("execution_config")
    if base is not None:
        yield from check_execution_config(source, base, "execution_config")
    yield from _verification(source, runtime.node.value("distributions"), "distributions")
    base_binary = runtime.interpreter_binary
    for entry in runtime.versions:
        if not isinstance(entry.node, Mapping):
            continue
        where = f"versions[{entry.index}]"
        config = entry.node.get("execution_config")
        if config is not None:
            yield from check_execution_config(source, config.value, f"{where}.execution_config")
        yield from _verification(source, entry.node.value("distributions"), f"{where}.distributions")
        if not base_binary or entry.version is None:
            continue
        if config is None:
            yield finding(
                source, (entry.version_node or entry.node).span, RUNTIME_VERSION_NO_CONFIG,
                f"version '{entry.version}' has no execution_config; a version's config replaces the runtime's "
                "(it is not merged), so this version would run with an empty interpreter — give it a complete "
                "execution_config with this version's own interpreter",
                data={"insert": "execution_config"},
            )
        elif isinstance(config.value, Mapping) and interpreter_binary(config.value) is None and config.value.get("interpreter") is None:
            yield finding(
                source, config.key.span, RUNTIME_VERSION_NO_CONFIG,
                f"version '{entry.version}' has an execution_config without an interpreter, and a version's config "
                f"replaces the runtime's, so '{base_binary}' is not used — add interpreter.binary",
            )


def check_shared_interpreters(source: SourceFile, workspace: Workspace) -> Iterator[Finding]:
    """Versions whose configs name the same interpreter (a shared YAML anchor, say) run the same program."""
    runtime = source.component
    if not isinstance(runtime, Runtime):
        return
    first: dict[tuple[str, tuple[str, ...]], str] = {}
    for entry in runtime.versions:
        binary = entry.interpreter_binary
        if entry.version is None or not binary or not isinstance(entry.node, Mapping):
            continue
        key = (binary, _interpreter_args(entry.execution_config))
        earlier = first.setdefault(key, entry.version)
        if earlier != entry.version:
            yield finding(
                source, (entry.version_node or entry.node).span, RUNTIME_SHARED_INTERPRETER,
                f"versions '{earlier}' and '{entry.version}' both run the interpreter '{binary}', so they are one "
                "program whatever their numbers say, and `packls sync --detect` verifies both with it; give each "
                f"version its own interpreter binary",
            )


def _interpreter_args(config: Mapping | None) -> tuple[str, ...]:
    interpreter = config.value("interpreter") if isinstance(config, Mapping) else None
    args = interpreter.value("args") if isinstance(interpreter, Mapping) else None
    if not isinstance(args, Sequence):
        return ()
    return tuple(string_value(item) or "" for item in args.items)


def _verification(source: SourceFile, distributions: object, where: str) -> Iterator[Finding]:
    if not isinstance(distributions, Mapping):
        return
    verification = distributions.value("verification")
    if not isinstance(verification, Mapping):
        return
    commands = verification.value("commands")
    if not isinstance(commands, Sequence):
        return
    for index, command in enumerate(commands.items):
        if not isinstance(command, Mapping):
            continue
        binary = command.get("binary")
        if binary is None or string_value(binary.value) is None:
            span = binary.value.span if binary is not None else head_span(command, source.text)
            yield finding(
                source, span, VERIFICATION_MISSING_BINARY,
                f"{where}.verification.commands[{index}] has no string 'binary', so workers skip this command",
            )
        pattern_node = command.value("pattern")
        pattern = string_value(pattern_node)
        if pattern is None or pattern_node is None:
            continue
        problem = rust_regex_problem(pattern)
        if problem is not None:
            shown = pattern if len(pattern) <= 60 else pattern[:57] + "..."  # the span shows where; a huge one stays short
            yield finding(
                source, sub_span(pattern_node, source.text, problem.start, problem.end), VERIFICATION_INVALID_PATTERN,
                f"pattern '{shown}' is not a valid Rust regular expression: {problem.reason}; the command always "
                "fails, so the runtime or version is never marked available",
            )
