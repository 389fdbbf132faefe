"""Go to definition and find references: runtimes, version entries and every component ref."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from packls.features.dependents import runtime_users, users_of, version_selectors
from packls.features.locate import locate
from packls.features.refs import site_at, target_of
from packls.features.session import Session
from packls.model import Component, FileKind, Runnable, Runtime, RuntimeVersion
from packls.resolve import resolve
from packls.syntax.nodes import Span
from packls.workspace import SourceFile


@dataclass(frozen=True)
class Target:
    """A place in a file (offsets in that file's current text)."""

    path: Path
    span: Span


def definition(session: Session, source: SourceFile, offset: int) -> list[Target]:
    """Where the thing under the cursor is defined."""
    cursor = locate(source.parsed.root, offset, source.text)
    component = source.component
    if cursor is not None and cursor.role == "value" and isinstance(component, Runnable):
        resolution = resolve(component, session.workspace)
        runtime = resolution.runtime
        if cursor.path == ("runner_type",) and runtime is not None:
            return [_declaration(runtime)]
        if cursor.path == ("runtime_version",) and runtime is not None:
            if resolution.selected is not None:
                return [_entry_target(resolution.selected.entry)]
            versions = runtime.node.get("versions")
            return [Target(runtime.path, versions.key.span if versions else _declaration(runtime).span)]
    if cursor is not None and cursor.role == "value" and component is not None and cursor.path == ("workflow_file",):
        value = component.string("workflow_file")
        if value:
            path = component.pack_root / "actions" / value
            if session.workspace.source(path) is not None or path.is_file():
                return [Target(path, Span(0, 0))]
    site = site_at(source, session.workspace, offset)
    if site is not None:
        target = target_of(site, session.workspace)
        if target is not None:
            return [_declaration(target)]
    return []


def references(session: Session, source: SourceFile, offset: int, include_declaration: bool = True) -> list[Target]:
    """Every use of the runtime, version entry or component under the cursor."""
    component = source.component
    cursor = locate(source.parsed.root, offset, source.text)
    subject: Component | RuntimeVersion | None = None
    if isinstance(component, Runtime) and cursor is not None and len(cursor.path) >= 2 and cursor.path[0] == "versions":
        index = cursor.path[1]
        if isinstance(index, int) and 0 <= index < len(component.versions):
            subject = component.versions[index]
    if subject is None and isinstance(component, Runnable) and cursor is not None and cursor.role == "value":
        resolution = resolve(component, session.workspace)
        if cursor.path == ("runner_type",):
            subject = resolution.runtime
        elif cursor.path == ("runtime_version",) and resolution.selected is not None:
            subject = resolution.selected.entry
    if subject is None:
        site = site_at(source, session.workspace, offset)
        if site is not None:
            subject = target_of(site, session.workspace)
    if subject is None and component is not None and component.kind is not FileKind.MANIFEST:
        subject = component
    if subject is None:
        return []
    found: list[Target] = []
    if isinstance(subject, RuntimeVersion):
        users = version_selectors(session.resolutions(), subject)
        if include_declaration:
            found.append(_entry_target(subject))
    elif isinstance(subject, Runtime):
        users = runtime_users(session.resolutions(), subject)
        if include_declaration:
            found.append(_declaration(subject))
    else:
        if include_declaration:
            found.append(_declaration(subject))
        sites = users_of(subject, session.workspace.sources(), session.workspace)
        return found + [Target(site.source.path, site.span) for site in sites]
    for user in users:
        runnable = user.resolution.component
        pair = runnable.runtime_version_pair if isinstance(subject, RuntimeVersion) else None
        pair = pair or runnable.runner_type_pair or runnable.runtime_version_pair
        span = pair.value.span if pair is not None else runnable.node.span
        found.append(Target(user.path, span))
    return found


def _declaration(component: Component) -> Target:
    pair = component.pair("ref")
    return Target(component.path, pair.value.span if pair is not None else Span(0, 0))


def _entry_target(entry: RuntimeVersion) -> Target:
    node = entry.version_node or entry.node
    return Target(entry.runtime.path, node.span)
