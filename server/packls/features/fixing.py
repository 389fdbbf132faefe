"""Fixing findings without an editor: the editor's own quick fixes, chosen, judged and applied.

One fix per finding (the preferred one, else the first the editor lists), only fixes that edit
the finding's own file, never in a file that does not parse. A fix is *safe* unless it changes
which runtime or version some action or sensor gets; unsafe fixes are applied only when asked.
Edits replace exact spans of the text, so everything outside them stays byte for byte; the
result must parse as well as the original did, or the file is left alone.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Sequence

from packls.features.code_actions import QuickFix, TextEdit, WorkspaceFiles, quick_fixes
from packls.findings import Finding
from packls.model import FileKind, Runnable, Runtime
from packls.resolve import Candidate, candidates_for, resolve, resolve_runner_type
from packls.syntax import parse_yaml
from packls.syntax.nodes import Mapping, Node, Pair, Span, string_value
from packls.versions import explain_selection
from packls.workspace import SourceFile, Workspace

MAX_ROUNDS = 10  # a fix can reveal another (a renamed key whose value is then checked); never loop forever
SELECTING_KINDS = frozenset({FileKind.RUNTIME})  # edits here can change other files' selections (a manifest cannot)
SELECTING_KEYS = ("runner_type", "runtime_version")  # the only keys of an action or sensor its selection reads

Check = Callable[[SourceFile], list[Finding]]  # a file's findings as configured (selection, severities)
Selection = tuple[str | None, str | None]  # (runtime ref, selected version) of one action or sensor


@dataclass(frozen=True)
class PlannedFix:
    """The fix --fix would apply for one finding, and whether it leaves every selection as it was."""

    finding: Finding
    fix: QuickFix
    safe: bool


@dataclass
class FixOutcome:
    """What fixing did: the new texts of changed files and the fixes applied to them."""

    texts: dict[Path, str] = field(default_factory=dict)  # path -> new text (only files that changed)
    originals: dict[Path, str] = field(default_factory=dict)  # path -> text before any fix
    applied: list[PlannedFix] = field(default_factory=list)
    refused: dict[Path, str] = field(default_factory=dict)  # path -> why it was left alone


def plan(workspace: Workspace, source: SourceFile, findings: Iterable[Finding], judge: SelectionJudge | None = None) -> list[PlannedFix]:
    """The fix for each fixable finding of one file, judged safe or unsafe."""
    if not parses(source):
        return []
    judge = judge or SelectionJudge(workspace)
    context = WorkspaceFiles(workspace)
    spans = selecting_spans(source)
    planned = []
    for finding in findings:
        fix = choose(quick_fixes(context, source, [finding]), source.path)
        if fix is not None:
            planned.append(PlannedFix(finding, fix, judge.keeps(source, fix.edits, spans)))
    return planned


def choose(fixes: Sequence[QuickFix], path: Path) -> QuickFix | None:
    """The editor's preferred fix, else its first; only fixes that edit the finding's own file."""
    local = [fix for fix in fixes if fix.edits and all(edit.path == path for edit in fix.edits)]
    preferred = [fix for fix in local if fix.preferred]
    return (preferred or local or [None])[0]


def parses(source: SourceFile) -> bool:
    """True for a readable file whose YAML parses (a broken file is never edited)."""
    return source.read_error is None and source.parsed.problem is None


def apply_edits(text: str, edits: Iterable[TextEdit]) -> str:
    """The text with non-overlapping span replacements made (code-point offsets)."""
    result = text
    for edit in sorted(edits, key=lambda e: (e.span.start, e.span.end), reverse=True):
        result = result[: edit.span.start] + edit.new_text + result[edit.span.end :]
    return result


class SelectionJudge:
    """Whether edits keep every selection: each action is resolved once, then only those an edit can move.

    An action's own edit moves only itself; a runtime edit that keeps its ref, name and aliases
    moves only the actions resolving to it (nothing else can start to); a manifest edit that keeps
    the pack ref moves at most that pack's actions. Anything else is checked workspace-wide.
    """

    def __init__(self, workspace: Workspace) -> None:
        self.workspace = workspace
        self._users: dict[Path, set[Path]] | None = None  # runtime file -> actions and sensors resolving to it

    def keeps(self, source: SourceFile, edits: Sequence[TextEdit], spans: list[tuple[int, int]] | None = None) -> bool:
        """True when applying the edits leaves every action's and sensor's runtime and version as they are."""
        if source.kind not in SELECTING_KINDS and not isinstance(source.component, Runnable):
            return True
        if isinstance(source.component, Runnable) and not _touches_selection(source, edits, spans):
            return True  # an action's selection depends only on its runner_type and runtime_version
        if isinstance(source.component, Runnable):
            before = _selection(source.component, self.workspace)
            quick = _value_edit_selection(source, edits, self.workspace)
            if quick is not None:
                return quick == before
            after = reparse(source, apply_edits(source.text, edits)).component
            return isinstance(after, Runnable) and _selection(after, self.workspace) == before
        edited = reparse(source, apply_edits(source.text, edits))
        affected = self._movable(source, edited)
        before = {runnable.path: _selection(runnable, self.workspace) for runnable in affected}
        self.workspace.replace_source(edited)
        try:
            return all(_selection(runnable, self.workspace) == before[runnable.path] for runnable in affected)
        finally:
            self.workspace.replace_source(source)

    def applied(self, before: SourceFile, after: SourceFile) -> None:
        """The workspace now holds `after` in place of `before`: keep the table of users current."""
        if self._users is None:
            return
        if isinstance(after.component, Runnable) or isinstance(before.component, Runnable):
            for users in self._users.values():
                users.discard(after.path)
            if isinstance(after.component, Runnable):
                self._add(after.component)
        elif _identity(before) != _identity(after):
            self._users = None

    def _movable(self, source: SourceFile, edited: SourceFile) -> list[Runnable]:
        if _identity(source) != _identity(edited):
            return list(self.workspace.runnables())
        if self._users is None:
            self._users = {}
            for runnable in self.workspace.runnables():
                self._add(runnable)
        wanted = self._users.get(source.path, set())
        return [c for c in self.workspace.runnables() if c.path in wanted] if wanted else []

    def _add(self, runnable: Runnable) -> None:
        assert self._users is not None
        runtime = resolve(runnable, self.workspace).runtime
        if runtime is not None:
            self._users.setdefault(runtime.path, set()).add(runnable.path)


def _identity(source: SourceFile) -> object:
    """What resolution looks a runtime up by: its ref, name and aliases."""
    component = source.component
    if isinstance(component, Runtime):
        return (component.ref, component.name, component.aliases)
    return (source.kind, component is None)


def _value_edit_selection(source: SourceFile, edits: Sequence[TextEdit], workspace: Workspace) -> Selection | None:
    """The selection after one edit inside the value of runtime_version or runner_type, or renaming a key to one
    of them, without parsing the file again (most quick fixes are such edits); None for any other edit."""
    runnable = source.component
    if len(edits) != 1 or not isinstance(runnable, Runnable) or runnable.is_workflow or not isinstance(runnable.node, Mapping):
        return None
    edit = edits[0]
    values = {"runtime_version": runnable.constraint, "runner_type": runnable.runner_type}
    pairs = {"runtime_version": runnable.runtime_version_pair, "runner_type": runnable.runner_type_pair}
    changed = next((k for k, pair in pairs.items() if pair is not None and pair.value.span.start <= edit.span.start
                    and edit.span.end <= pair.value.span.end), None)
    if changed is not None:
        span = pairs[changed].value.span  # type: ignore[union-attr]
        node = _scalar(apply_edits(source.text[span.start : span.end], [_shifted(edit, span.start)]))
        if node is None:
            return None
        values[changed] = string_value(node)
    else:
        renamed = _root_pair_at(runnable.node, edit.span)
        if renamed is None or edit.new_text not in values or pairs[edit.new_text] is not None or renamed.key_text in values:
            return None
        values[edit.new_text] = string_value(renamed.value)
    runtime = resolve_runner_type(values["runner_type"], runnable.kind, workspace, runnable.pack_root).runtime
    if runtime is None:
        return None, None
    candidates = candidates_for(runtime, workspace)
    selected = explain_selection(candidates, values["runtime_version"]).selected if candidates else None
    return runtime.ref, selected.version if isinstance(selected, Candidate) else None


def _shifted(edit: TextEdit, by: int) -> TextEdit:
    return TextEdit(edit.path, Span(edit.span.start - by, edit.span.end - by), edit.new_text)


def _scalar(text: str) -> Node | None:
    """The node a value text stands for (None when it is not one plain value)."""
    if "\n" in text or parse_yaml(text).problem is not None:
        return None
    root = parse_yaml(f"value: {text}\n").root_mapping
    return root.value("value") if root is not None else None


def _root_pair_at(root: Mapping, span: Span) -> Pair | None:
    """The top-level pair whose key is exactly span (pairs are in source order: a binary search)."""
    at = bisect_right(root.pairs, span.start, key=lambda pair: pair.key.span.start) - 1
    return root.pairs[at] if at >= 0 and root.pairs[at].key.span == span else None


def selecting_spans(source: SourceFile) -> list[tuple[int, int]]:
    """Where an action's runner_type and runtime_version are written (key to end of value)."""
    component = source.component
    if not isinstance(component, Runnable) or not isinstance(component.node, Mapping):
        return []
    pairs = (component.runtime_version_pair, component.node.get("runner_type"))
    return [(pair.key.span.start, max(pair.key.span.end, pair.value.span.end)) for pair in pairs if pair is not None]


def _touches_selection(source: SourceFile, edits: Sequence[TextEdit], spans: list[tuple[int, int]] | None) -> bool:
    """True when an edit may change an action's runner_type or runtime_version (or write either key)."""
    spans = selecting_spans(source) if spans is None else spans
    for edit in edits:
        written = edit.new_text + source.text[edit.span.start : edit.span.end]
        if any(key in written for key in SELECTING_KEYS):
            return True
        if any(edit.span.start <= end and start <= edit.span.end for start, end in spans):
            return True
    return False


def _selection(runnable: Runnable, workspace: Workspace) -> Selection:
    resolution = resolve(runnable, workspace)
    runtime = resolution.runtime.ref if resolution.runtime is not None else None
    return runtime, resolution.selected.version if resolution.selected is not None else None


def reparse(source: SourceFile, text: str) -> SourceFile:
    """The same file with another text."""
    return SourceFile.from_text(source.path, source.pack_root, source.relative, source.kind, text)


def fix_workspace(workspace: Workspace, paths: Iterable[Path], check: Check, *, unsafe: bool = False) -> FixOutcome:
    """Apply fixes to the given files until none is left (or MAX_ROUNDS), updating the workspace as it goes."""
    outcome = FixOutcome()
    judge = SelectionJudge(workspace)
    pending = sorted(set(paths), key=str)
    for _ in range(MAX_ROUNDS):
        changed = []
        for path in pending:
            source = workspace.source(path)
            if source is None or path in outcome.refused:
                continue
            chosen = [p for p in plan(workspace, source, check(source), judge) if p.safe or unsafe]
            applied = _non_overlapping(chosen)
            if not applied:
                continue
            edited = reparse(source, apply_edits(source.text, (e for p in applied for e in p.fix.edits)))
            problem = _worse(source, edited)
            if problem is not None:
                outcome.refused[path] = problem
                continue
            outcome.originals.setdefault(path, source.text)
            workspace.replace_source(edited)
            judge.applied(source, edited)
            outcome.texts[path] = edited.text
            outcome.applied.extend(applied)
            changed.append(path)
        if not changed:
            break
        pending = sorted(set(pending) | set(changed), key=str)
    for path, text in list(outcome.texts.items()):
        if text == outcome.originals[path]:
            del outcome.texts[path]  # fixes that cancelled out
    return outcome


def _non_overlapping(planned: Sequence[PlannedFix]) -> list[PlannedFix]:
    """Fixes whose edits touch disjoint spans, in file order (the rest wait for the next round)."""
    taken: list[PlannedFix] = []
    spans: list[tuple[int, int]] = []
    for item in sorted(planned, key=lambda p: min(e.span.start for e in p.fix.edits)):
        mine = [(e.span.start, e.span.end) for e in item.fix.edits]
        if any(s < end and start < e or (s == e == start == end) for s, e in mine for start, end in spans):
            continue
        taken.append(item)
        spans.extend(mine)
    return taken


def _worse(before: SourceFile, after: SourceFile) -> str | None:
    """Why an edited text must not be written: it no longer parses, or parses into more trouble."""
    if after.parsed.problem is not None:
        return f"the fixes would make the file invalid YAML ({after.parsed.problem.message}); left as it was"
    if len(after.parsed.duplicates) > len(before.parsed.duplicates) or len(after.parsed.documents) != len(before.parsed.documents):
        return "the fixes would repeat a key or change the documents of the file; left as it was"
    if (before.component is None) != (after.component is None):
        return "the fixes would change what the file declares; left as it was"
    return None
