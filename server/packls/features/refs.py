"""Where a file names another component (the model's `references()`), and what each name means."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator

from packls.model import Component, FileKind
from packls.model.refs import qualified
from packls.syntax.nodes import Span
from packls.workspace import SourceFile, Workspace

# An action ref may name a workflow that declares its own ref.
_ALSO = {FileKind.ACTION: (FileKind.WORKFLOW, FileKind.LEGACY_WORKFLOW)}


@dataclass(frozen=True)
class RefSite:
    """One place a file names a component: the scalar, what it names, and of which kind."""

    source: SourceFile
    field: str  # where it is written, e.g. "trigger_ref", "tasks[2].action"
    span: Span
    written: str
    target_kind: FileKind
    ref: str  # as Attune looks it up (short refs qualified with the pack ref)


def ref_sites(source: SourceFile, workspace: Workspace) -> Iterator[RefSite]:
    """Every ref a file makes (runner_type excluded: it resolves by its own rules)."""
    component = source.component
    if component is None:
        return
    pack = workspace.pack_at(source.pack_root) or workspace.pack_of(source.path)
    pack_ref = pack.ref if pack is not None else ""
    for reference in component.references():
        yield RefSite(
            source, reference.field, reference.node.span, reference.text.strip(), reference.target,
            reference.qualified(pack_ref),
        )


def named_refs(source: SourceFile, workspace: Workspace) -> set[tuple[str, str]]:
    """(as Attune looks it up, as written) of every ref a file makes: what it names, not where (cheap for a big workflow)."""
    component = source.component
    if component is None:
        return set()
    pack = workspace.pack_at(source.pack_root) or workspace.pack_of(source.path)
    pack_ref = pack.ref if pack is not None else ""
    return {(qualified(text, short_ok, pack_ref), text.strip()) for _, text, short_ok in component.reference_keys()}


def target_of(site: RefSite, workspace: Workspace) -> Component | None:
    """The component a ref site names, if the workspace (or a catalog) has it."""
    if site.target_kind is FileKind.MANIFEST:
        for pack in workspace.all_packs():
            if pack.ref == site.ref and pack.manifest is not None:
                return pack.manifest
        return None
    kinds = (site.target_kind, *_ALSO.get(site.target_kind, ()))
    for component in workspace.components_by_ref(site.ref):
        if component.kind in kinds:
            return component
    return None


def site_at(source: SourceFile, workspace: Workspace, offset: int) -> RefSite | None:
    """The ref site under the cursor."""
    for site in ref_sites(source, workspace):
        if site.span.contains(offset):
            return site
    return None


def components_of(workspace: Workspace, kind: FileKind) -> list[Component]:
    """Every component of a kind in scope (workspace packs, extra catalogs, platform catalog)."""
    found: list[Component] = []
    for pack in workspace.all_packs():
        found.extend(pack.components(kind))
    return found
