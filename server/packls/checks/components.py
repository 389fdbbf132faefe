"""Every component's ref: grammar, ownership by the pack, uniqueness; plus pack check's field checks."""

from __future__ import annotations

from typing import Iterator

from packls.checks.base import finding, manifest_pack_ref, pack_of
from packls.checks.pack_fields import (
    OPTIONAL_STRINGS,
    REQUIRED_STRINGS,
    check_declared_types,
    non_empty_string,
    optional_string,
    required_string,
)
from packls.checks.ref_grammar import component_ref_error, qualify, work_queue_ref_error
from packls.checks.rules import COMPONENT_DUPLICATE_REF, COMPONENT_INVALID_REF, COMPONENT_REF_PACK_MISMATCH
from packls.findings import Finding, Related
from packls.model import FileKind
from packls.syntax.nodes import Mapping
from packls.workspace import Pack, SourceFile, Workspace

# pack check's kind word (used in messages) and whether a short ref gets the pack prefix.
KIND_WORDS: dict[FileKind, tuple[str, bool]] = {
    FileKind.PERMISSION_SET: ("permission_set", False),
    FileKind.RUNTIME: ("runtime", False),
    FileKind.TRIGGER: ("trigger", False),
    FileKind.ACTION: ("action", False),
    FileKind.DASHBOARD: ("dashboard", True),
    FileKind.POLICY: ("policy", True),
    FileKind.RULE: ("rule", True),
    FileKind.SENSOR: ("sensor", False),
    FileKind.QUEUE: ("queue", True),
    FileKind.CACHE: ("cache", False),
    FileKind.WORKFLOW: ("workflow", False),
    FileKind.LEGACY_WORKFLOW: ("workflow", False),
}
# Kinds whose ref comes out of a serde parse (checked once the parse succeeds) or is optional.
_PARSED_REF = frozenset({FileKind.QUEUE, FileKind.CACHE, FileKind.WORKFLOW, FileKind.LEGACY_WORKFLOW})


def check_component(source: SourceFile, workspace: Workspace) -> Iterator[Finding]:
    """ref checks, required and optional strings, and declared field types for one component file."""
    component = source.component
    if component is None or source.kind not in KIND_WORDS or source.kind in _PARSED_REF:
        return
    root = component.node
    ref, problems = required_string(source, root, "ref")
    yield from problems
    for key in REQUIRED_STRINGS.get(source.kind, ())[1:]:
        if source.kind is FileKind.RULE:
            continue  # the rules module reports trigger_ref / action_ref with their grammar
        yield from required_string(source, root, key)[1]
    for key in OPTIONAL_STRINGS.get(source.kind, ()):
        yield from optional_string(source, root, key)[1]
    if ref is None:
        return
    yield from check_ref(source, workspace, ref, root)
    yield from check_declared_types(source, root)


def check_ref(source: SourceFile, workspace: Workspace, ref: str, root: Mapping) -> Iterator[Finding]:
    """pack check's record_ref: grammar, ownership and duplicates of one ref (already trimmed)."""
    pack = pack_of(source, workspace)
    pack_ref = manifest_pack_ref(pack)
    word, short_ok = KIND_WORDS[source.kind]
    qualified = qualify(ref, pack_ref) if short_ok else ref
    node = root.value("ref") or root
    error = work_queue_ref_error(qualified) if source.kind is FileKind.QUEUE else component_ref_error(qualified)
    if error is not None:
        yield finding(source, node.span, COMPONENT_INVALID_REF, error)
        return
    if pack_ref is not None and not qualified.startswith(f"{pack_ref}."):
        name = qualified.rsplit(".", 1)[-1]
        yield finding(
            source, node.span, COMPONENT_REF_PACK_MISMATCH, f"Ref '{qualified}' must belong to pack '{pack_ref}'",
            data={"replacement": f"{pack_ref}.{name}"},
        )
    first = first_definition(pack, source, word, qualified, workspace)
    if first is not None:
        first_source, first_span = first
        yield finding(
            source, node.span, COMPONENT_DUPLICATE_REF,
            f"Duplicate {word} ref '{qualified}' (first defined in {first_source.relative})",
            related=(Related(first_source.path, first_span, "first defined here"),),
        )


def component_ref(source: SourceFile, pack_ref: str | None) -> str | None:
    """The qualified ref a component file declares, as pack check records it (None if it has none)."""
    component = source.component
    if component is None or source.kind not in KIND_WORDS:
        return None
    ref = non_empty_string(component.node.value("ref"))
    if ref is None:
        return None
    word, short_ok = KIND_WORDS[source.kind]
    return qualify(ref, pack_ref) if short_ok else ref


def first_definition(pack: Pack | None, source: SourceFile, word: str, qualified: str, workspace: Workspace):
    """The earlier file (in registration order) of the same pack declaring the same kind of ref."""
    if pack is None:
        return None
    first = _first_by_ref(pack, workspace).get((word, qualified))
    if first is None or first is source:
        return None
    node = first.component.node.value("ref") if first.component is not None else None
    return first, (node.span if node is not None else first.component.node.span)  # type: ignore[union-attr]


def _first_by_ref(pack: Pack, workspace: Workspace) -> dict[tuple[str, str], SourceFile]:
    """(kind word, qualified ref) → the first file declaring it, built once per workspace version."""
    key = ("first_by_ref", pack.root)
    cached = workspace.index.memo.get(key)
    if cached is None:
        pack_ref = manifest_pack_ref(pack)
        first: dict[tuple[str, str], SourceFile] = {}
        for other in pack.files.values():
            if other.kind in KIND_WORDS:
                ref = component_ref(other, pack_ref)
                if ref is not None:
                    first.setdefault((KIND_WORDS[other.kind][0], ref), other)
        workspace.index.memo[key] = cached = first
    return cached  # type: ignore[return-value]
