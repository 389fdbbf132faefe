"""Cross-file refs: rule, sensor, workflow, queue, policy and permission-set refs against the workspace."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Iterator

from packls.broken import blocking_note, blocking_target, cannot_check
from packls.checks.base import finding, manifest_pack_ref, pack_of
from packls.checks.pack_fields import non_empty_string, required_string
from packls.checks.ref_grammar import component_ref_error, qualify
from packls.checks.rules import (
    REFERENCE_BROKEN_TARGET,
    REFERENCE_MISSING_LOCAL_TARGET,
    REFERENCE_NOT_VISIBLE,
    REFERENCE_UNKNOWN_CORE,
    REFERENCE_UNKNOWN_TARGET,
    RULE_INVALID_REFERENCE,
)
from packls.findings import Finding, Related, Severity
from packls.model import Component, FileKind, Reference
from packls.model.refs import RefKey
from packls.syntax.nodes import Scalar, Span
from packls.workspace import BUILTIN_PERMISSION_SETS, SourceFile, Workspace, core_pack_refs

_KIND_WORD = {
    FileKind.ACTION: "action", FileKind.SENSOR: "sensor", FileKind.RULE: "rule", FileKind.WORKFLOW: "workflow",
    FileKind.LEGACY_WORKFLOW: "workflow", FileKind.QUEUE: "queue", FileKind.POLICY: "policy",
    FileKind.TRIGGER: "trigger", FileKind.PERMISSION_SET: "permission_set",
}
_TARGET_KINDS = {
    FileKind.ACTION: (FileKind.ACTION, FileKind.WORKFLOW, FileKind.LEGACY_WORKFLOW),
    FileKind.TRIGGER: (FileKind.TRIGGER,),
    FileKind.PERMISSION_SET: (FileKind.PERMISSION_SET,),
}
# Who checks visibility (action_visibility.rs): rules, workflows and queues referencing actions / triggers.
_VISIBILITY_SOURCES = frozenset({FileKind.RULE, FileKind.WORKFLOW, FileKind.LEGACY_WORKFLOW, FileKind.QUEUE})


def check_rule_refs(source: SourceFile, workspace: Workspace) -> Iterator[Finding]:
    """A rule's trigger_ref and action_ref: required, and valid refs once qualified (pack check)."""
    component = source.component
    if component is None:
        return
    pack_ref = manifest_pack_ref(pack_of(source, workspace))
    for field in ("trigger_ref", "action_ref"):
        target, problems = required_string(source, component.node, field)
        yield from problems
        if target is None:
            continue
        error = component_ref_error(qualify(target, pack_ref))
        if error is not None:
            yield finding(source, component.node.value(field).span, RULE_INVALID_REFERENCE, f"Invalid {field}: {error}")  # type: ignore[union-attr]


def check_references(source: SourceFile, workspace: Workspace) -> Iterator[Finding]:
    """Every ref the file makes: does its target exist in scope, and may this pack reference it?"""
    component = source.component
    if component is None:
        return
    if source.kind in (FileKind.WORKFLOW, FileKind.LEGACY_WORKFLOW):
        from packls.checks.workflows import workflow_problem  # (the workflow checks load with the first workflow)

        if workflow_problem(source) is not None:
            return  # Attune reads no refs from a workflow it cannot parse
    if source.kind is FileKind.QUEUE:
        from packls.checks.queues import queue_problem

        if queue_problem(source) is not None:
            return
    pack = pack_of(source, workspace)
    pack_ref = manifest_pack_ref(pack) or (pack.ref if pack is not None else "")
    # A ref's findings depend on what it names, and on where it is written only for where they are
    # reported: each name is checked once, and only names with findings are looked for in the file.
    keys = component.reference_keys()
    suggested: dict[tuple[str, tuple[FileKind, ...]], str | None] = {}  # a broken ref's suggestion, looked for once
    clean = {key for key in keys if not any(_check_reference(source, component, _nowhere(key), pack_ref, workspace, suggested))}
    for ref in component.references_naming(keys - clean) if len(clean) < len(keys) else ():
        yield from _check_reference(source, component, ref, pack_ref, workspace, suggested)


def _nowhere(key: RefKey) -> Reference:
    """A ref naming key, written nowhere (to learn whether a ref naming it has findings at all)."""
    target, text, short_ok = key
    return Reference(target, text, Scalar(Span(0, 0), text, text), "", short_ok)


def _check_reference(
    source: SourceFile, component: Component, ref: Reference, pack_ref: str, workspace: Workspace,
    suggested: dict[tuple[str, tuple[FileKind, ...]], str | None],
) -> Iterator[Finding]:
    text = ref.text.strip()
    if ref.target is FileKind.PERMISSION_SET and text in BUILTIN_PERMISSION_SETS:
        return
    qualified = ref.qualified(pack_ref)
    if component_ref_error(qualified) is not None:
        return  # grammar problems are reported by the field's own check
    kinds = _TARGET_KINDS.get(ref.target, (ref.target,))
    targets = [c for c in workspace.components_by_ref(qualified) if c.kind in kinds]
    target_pack = qualified.split(".", 1)[0]
    source_word = _KIND_WORD.get(source.kind, source.kind.value)
    target_word = _KIND_WORD.get(ref.target, ref.target.value)
    if targets:
        if source.kind in _VISIBILITY_SOURCES and target_pack != pack_ref:
            yield from _visibility(source, ref, qualified, pack_ref, targets[0], workspace)
        return
    broken = blocking_target(workspace, qualified, kinds)
    if broken is not None:  # the target may be in a file that does not parse: say that, not "missing"
        yield finding(
            source, ref.node.span, REFERENCE_BROKEN_TARGET,
            cannot_check(f"{ref.field} '{qualified}'", broken, source.pack_root),
            related=(blocking_note(broken),),
            data={"ref": qualified, "broken": str(broken.path)},
        )
        return
    if (qualified, kinds) not in suggested:
        suggested[qualified, kinds] = _suggest(qualified, kinds, workspace)
    suggestion = suggested[qualified, kinds]
    data = {"ref": qualified, **({"suggestion": suggestion} if suggestion else {})}
    hint = f"; did you mean '{suggestion}'?" if suggestion else ""
    if target_pack == pack_ref:
        yield finding(
            source, ref.node.span, REFERENCE_MISSING_LOCAL_TARGET,
            f"{source_word} references missing local {target_word} '{qualified}'", data=data,
        )
        return
    outcome = unresolved_outcome(source.kind, ref.target)
    core_pack_present = bool(workspace.packs_by_ref("core"))
    if target_pack == "core":
        if qualified in _core_refs(kinds):
            return  # shipped by the core pack: present wherever the core pack is installed
        if not core_pack_present:
            yield finding(
                source, ref.node.span, REFERENCE_UNKNOWN_CORE,
                f"'{qualified}' is neither a platform {target_word} nor one the core pack is known to ship; "
                f"if the installed core pack lacks it, {outcome.text}{hint}",
                data=data,
            )
            return
    if workspace.packs_by_ref(target_pack):
        yield finding(
            source, ref.node.span, REFERENCE_UNKNOWN_TARGET,
            f"pack '{target_pack}' in this workspace defines no {target_word} '{qualified}'; unless the installed copy "
            f"has it, {outcome.text}{hint}",
            severity=Severity.ERROR if outcome.fatal else None,
            data=data,
        )


@dataclass(frozen=True)
class Outcome:
    """What registration does when a ref finds no component: the words for it, and whether it fails."""

    text: str
    fatal: bool = False


_RULE_SKIPPED = Outcome(
    "registration fails: the loader skips a rule whose trigger or action it cannot find, and a pack with a "
    "skipped rule is refused (HTTP 422, 'Pack rule validation failed')", True,
)
_NO_PERMISSION_SET = Outcome(
    "registration fails: the permission plan finds no such set ('Pack references unavailable execution "
    "permission sets')", True,
)
_BY_SOURCE = {
    FileKind.SENSOR: Outcome("the sensor is registered without a link to that trigger"),
    FileKind.WORKFLOW: Outcome("the action that runs this workflow is registered without it (the workflow fails to load)"),
    FileKind.QUEUE: Outcome("registration skips the work queue"),
    FileKind.POLICY: Outcome("registration skips the policy"),
}


def unresolved_outcome(source: FileKind, target: FileKind) -> Outcome:
    """What Attune does with a component whose ref it cannot resolve (loader.rs, permissions.rs)."""
    if target is FileKind.PERMISSION_SET:
        return _NO_PERMISSION_SET
    if source is FileKind.RULE:
        return _RULE_SKIPPED
    return _BY_SOURCE.get(source, Outcome("Attune cannot resolve the ref"))


def _visibility(source: SourceFile, ref: Reference, qualified: str, pack_ref: str, target: Component, workspace: Workspace) -> Iterator[Finding]:
    visibility = (target.string("reference_visibility") or "public").strip().lower()
    if visibility == "public":
        return
    owner = workspace.pack_ref_for(target)
    if visibility == "restricted":
        allowed = target.node.value("reference_allowed_pack_refs")
        items = getattr(allowed, "items", [])
        if any(non_empty_string(item) == pack_ref for item in items):
            return
    elif visibility != "private":
        return
    verb = "subscribe to trigger" if ref.target is FileKind.TRIGGER else "reference action"
    kind = "trigger" if ref.target is FileKind.TRIGGER else "action"
    word = _KIND_WORD.get(source.kind, source.kind.value).capitalize()
    own_ref = non_empty_string(source.component.node.value("ref")) if source.component is not None else None  # type: ignore[union-attr]
    yield finding(
        source, ref.node.span, REFERENCE_NOT_VISIBLE,
        f"{word} '{own_ref or source.relative}' in pack '{pack_ref}' cannot {verb} '{qualified}' because the {kind} "
        f"is {visibility.capitalize()} to pack '{owner}'",
        related=(Related(target.path, (target.node.value("reference_visibility") or target.node).span, f"{kind} visibility"),),
    )


def _core_refs(kinds: tuple[FileKind, ...]) -> frozenset[str]:
    known = core_pack_refs()
    refs: frozenset[str] = frozenset()
    for kind in kinds:
        refs |= known.get(kind, frozenset())
    return refs


def _suggest(qualified: str, kinds: tuple[FileKind, ...], workspace: Workspace) -> str | None:
    close = difflib.get_close_matches(qualified, sorted(workspace.refs_of_kinds(kinds)), n=1, cutoff=0.8)
    return close[0] if close else None
