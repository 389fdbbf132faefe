"""Runtime files: the versions[] list Attune stores and selects from."""

from __future__ import annotations

from typing import Iterator

from packls.checks.base import finding
from packls.checks.rules import RUNTIME_DUPLICATE_VERSION, RUNTIME_INVALID_VERSION, RUNTIME_MULTIPLE_DEFAULTS
from packls.findings import Finding, Related, Severity
from packls.model import Runtime, RuntimeVersion
from packls.syntax.nodes import Mapping, node_type_name
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
