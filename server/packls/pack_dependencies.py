"""A manifest's `dependencies` entries against the workspace and the synced pack indexes."""

from __future__ import annotations

from dataclasses import dataclass

from packls.facts import IndexedPack
from packls.versions import ConstraintError, matches_constraint, parse_constraint
from packls.workspace import Pack, Workspace


@dataclass(frozen=True)
class Dependency:
    """One `dependencies` entry: a pack ref, optionally `ref@version`."""

    text: str
    ref: str
    version: str | None  # what follows '@', as written
    version_start: int  # offset of the version inside text (len(text) when absent)


@dataclass(frozen=True)
class DependencyStatus:
    """Where a dependency would come from, and what is wrong with it, if anything."""

    dependency: Dependency
    workspace_pack: Pack | None
    indexed: IndexedPack | None
    problem: str | None = None  # "unknown", "version", "invalid"
    message: str | None = None


def parse_dependency(text: str) -> Dependency:
    """Split `ref@version`; a bare ref depends on whatever version is installed."""
    ref, at, version = text.partition("@")
    if not at:
        return Dependency(text, text.strip(), None, len(text))
    return Dependency(text, ref.strip(), version.strip(), len(ref) + 1 + (len(version) - len(version.lstrip())))


def check_dependency(text: str, workspace: Workspace) -> DependencyStatus:
    """Find the pack in the workspace or the synced indexes and match its version with the shared core."""
    dependency = parse_dependency(text)
    pack = next((p for p in workspace.all_packs() if not p.is_catalog and p.ref == dependency.ref), None)
    facts = workspace.facts
    indexed = facts.packs.get(dependency.ref)
    if dependency.version is not None and dependency.version != "latest":
        try:
            parse_constraint(dependency.version)
        except ConstraintError as error:
            return DependencyStatus(dependency, pack, indexed, "invalid", f"'{dependency.version}' is not a version constraint: {error.reason}")
    if pack is None and indexed is None:
        if dependency.ref == "core" or not facts.indexes_synced:
            return DependencyStatus(dependency, None, None)
        return DependencyStatus(dependency, None, None, "unknown", _unknown_message(dependency.ref, facts.unusable_indexes))
    version = _version_of(pack) if pack is not None else indexed.version if indexed is not None else None
    if dependency.version in (None, "latest") or version is None:
        return DependencyStatus(dependency, pack, indexed)
    if not _satisfies(version, dependency.version):
        where = "the workspace has" if pack is not None else f"the index {indexed.index_url} has"  # type: ignore[union-attr]
        return DependencyStatus(
            dependency, pack, indexed, "version",
            f"{where} {dependency.ref} {version}, which does not satisfy '{dependency.version}'",
        )
    return DependencyStatus(dependency, pack, indexed)


def _unknown_message(ref: str, unusable: tuple[str, ...]) -> str:
    if unusable:
        return (
            f"pack '{ref}' is not in the workspace nor in the usable pack indexes; {unusable[0]} has no good snapshot, "
            "so lower-priority indexes are not consulted (Attune fails closed) — run `packls sync` again"
        )
    return f"pack '{ref}' is not in the workspace nor in any synced pack index; installing this pack would fail"


def _version_of(pack: Pack) -> str | None:
    manifest = pack.manifest
    return manifest.string("version") if manifest is not None else None


def _satisfies(version: str, constraint: str) -> bool:
    try:
        return matches_constraint(version, constraint)
    except ValueError:
        return False
