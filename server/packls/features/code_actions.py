"""Quick fixes: text edits (possibly in other files) for the findings under the cursor."""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator, Protocol

from packls.findings import Finding
from packls.model import Runnable, Runtime
from packls.resolve import Candidate, candidates_for, resolve
from packls.features.offsets import line_index
from packls.syntax.lines import LineIndex
from packls.syntax.nodes import Mapping, Node, Pair, Scalar, Sequence, Span
from packls.versions import ConstraintError, VersionError, explain_selection, parse_constraint, parse_version
from packls.workspace import SourceFile, Workspace

_PART = re.compile(r"^(?P<op>[<>=~^]*\s*)(?P<v>[vV]?)(?P<ver>\d+(?:\.\d+){0,2})(?P<rest>.*)$")


class FixContext(Protocol):
    """What quick fixes read: the workspace and each file's current source (an editor Session or `WorkspaceFiles`)."""

    @property
    def workspace(self) -> Workspace: ...

    def source(self, path: Path) -> SourceFile | None: ...


@dataclass(frozen=True)
class WorkspaceFiles:
    """A loaded workspace as a FixContext: `packls validate --fix` asks for the very fixes the editor offers."""

    workspace: Workspace

    def source(self, path: Path) -> SourceFile | None:
        """The file's source as loaded."""
        return self.workspace.source(path)


@dataclass(frozen=True)
class TextEdit:
    """Replace a span of a file's current text."""

    path: Path
    span: Span
    new_text: str


@dataclass(frozen=True)
class QuickFix:
    """A titled set of edits and the finding it fixes."""

    title: str
    edits: tuple[TextEdit, ...]
    finding: Finding
    preferred: bool = False


def quick_fixes(session: FixContext, source: SourceFile, findings: Iterable[Finding]) -> list[QuickFix]:
    """Every fix for the given findings of one file."""
    fixes: list[QuickFix] = []
    for finding in findings:
        fixes.extend(_fixes_for(session, source, finding))
    return fixes


def _fixes_for(session: FixContext, source: SourceFile, finding: Finding) -> Iterator[QuickFix]:
    data = finding.data or {}
    text = source.text
    if isinstance(data.get("meant"), str):
        part = text[finding.span.start : finding.span.end]
        yield QuickFix(f"Change '{part}' to '{data['meant']}'", (TextEdit(source.path, finding.span, data["meant"]),), finding, True)
    if isinstance(data.get("replacement"), str):
        replacement = data["replacement"]
        title = f"Quote it: {replacement}" if replacement.strip("\"'") == text[finding.span.start : finding.span.end] else f"Replace with {replacement}"
        yield QuickFix(title, (TextEdit(source.path, finding.span, replacement),), finding, True)
    if isinstance(data.get("suggestion"), str):
        suggestion = data["suggestion"]
        yield QuickFix(f"Change to '{suggestion}'", (TextEdit(source.path, finding.span, suggestion),), finding, True)
    if isinstance(data.get("rename_to"), str):
        old = text[finding.span.start : finding.span.end]
        yield QuickFix(f"Rename '{old}' to '{data['rename_to']}'", (TextEdit(source.path, finding.span, data["rename_to"]),), finding, True)
    if data.get("delete") is True:
        pair = _pair_with_key_at(source.parsed.root, finding.span)
        if pair is not None:
            yield QuickFix(f"Remove '{pair.key_text}'", (TextEdit(source.path, _pair_lines(text, pair), ""),), finding)
    if data.get("quote") is True:
        written = text[finding.span.start : finding.span.end]
        yield QuickFix(f'Quote it: "{written}"', (TextEdit(source.path, finding.span, f'"{written}"'),), finding, True)
    if data.get("remove_default") is True:
        fix = _remove_default(source, finding)
        if fix is not None:
            yield fix
    if finding.code == "runtime_version.unsatisfiable":
        yield from _unsatisfiable(session, source, finding)


# -- runtime_version: nearest satisfiable constraint, or a new version entry -----------------------


def _unsatisfiable(session: FixContext, source: SourceFile, finding: Finding) -> Iterator[QuickFix]:
    component = source.component
    if not isinstance(component, Runnable) or component.constraint is None:
        return
    pair = component.runtime_version_pair
    if pair is None or not isinstance(pair.value, Scalar):
        return
    runtime = resolve(component, session.workspace).runtime
    if runtime is None:
        return
    candidates = candidates_for(runtime, session.workspace)
    quote = pair.value.style if pair.value.style in ('"', "'") else '"'
    for rewritten, chosen in nearest_constraints(component.constraint, candidates)[:2]:
        edit = TextEdit(source.path, pair.value.span, f"{quote}{rewritten}{quote}")
        yield QuickFix(f"Change to \"{rewritten}\" (selects {chosen})", (edit,), finding, preferred=False)
    added = _add_version(session, runtime, component.constraint)
    if added is not None:
        version, edit = added
        where = edit.path.name
        yield QuickFix(f"Add version \"{version}\" to {runtime.ref} ({where})", (edit,), finding)


def nearest_constraints(constraint: str, candidates: tuple[Candidate, ...]) -> list[tuple[str, str]]:
    """Rewrites of one comma part that select a declared version, nearest first, operators kept."""
    parts = constraint.split(",")
    declared = []
    for candidate in candidates:
        try:
            version = parse_version(candidate.version)
        except VersionError:
            continue
        if not version.pre:
            declared.append(version)
    options: dict[str, tuple[float, str]] = {}
    for index, raw in enumerate(parts):
        match = _PART.match(raw.strip())
        if match is None:
            continue
        written = match["ver"]
        precision = written.count(".") + 1
        try:
            original = parse_version(written)
        except VersionError:
            continue
        for version in declared:
            numbers = (version.major, version.minor, version.patch)[:precision]
            replacement = ".".join(str(n) for n in numbers)
            if replacement == written:
                continue
            lead = raw[: len(raw) - len(raw.lstrip())]
            new_part = f"{lead}{match['op']}{match['v']}{replacement}{match['rest']}"
            rewritten = ",".join(parts[:index] + [new_part] + parts[index + 1 :])
            try:
                parse_constraint(rewritten)
            except ConstraintError:
                continue
            selected = explain_selection(candidates, rewritten).selected
            if not isinstance(selected, Candidate):
                continue
            distance = abs(_number(version) - _number(original))
            if rewritten not in options or distance < options[rewritten][0]:
                options[rewritten] = (distance, selected.version)
    ranked = sorted(options.items(), key=lambda item: (item[1][0], item[0]))
    return [(text, chosen) for text, (_, chosen) in ranked]


def _number(version: object) -> float:
    return version.major * 1e12 + version.minor * 1e6 + version.patch  # type: ignore[attr-defined]


def _add_version(session: FixContext, runtime: Runtime, constraint: str) -> tuple[str, TextEdit] | None:
    """A new `versions` entry that satisfies the constraint, in the runtime's own file and style."""
    catalog = session.workspace.catalog
    if catalog is not None and runtime.path in catalog.files:
        return None
    source = session.source(runtime.path)
    if source is None or not isinstance(source.component, Runtime):
        return None
    version = _satisfying_version(constraint)
    if version is None:
        return None
    versions = source.component.node.get("versions")
    text = source.text
    if versions is None:
        prefix = "" if text.endswith("\n") or not text else "\n"
        return version, TextEdit(source.path, Span(len(text), len(text)), f'{prefix}versions:\n  - version: "{version}"\n')
    sequence = versions.value
    if not isinstance(sequence, Sequence) or sequence.flow or not sequence.items:
        return None
    index = line_index(text)
    last = sequence.items[-1]
    dash_line = index.line_of(sequence.span.start)
    dash_column = sequence.span.start - index.starts[dash_line]
    entry = _entry_text(text, index, sequence, last, version, dash_column)
    end_line = index.line_of(last.span.end)
    insert_at = index.starts[end_line + 1] if end_line + 1 < len(index.starts) else len(text)
    lead = "" if insert_at == len(text) and text.endswith("\n") or insert_at < len(text) else "\n"
    return version, TextEdit(source.path, Span(insert_at, insert_at), lead + entry)


def _entry_text(text: str, index: LineIndex, sequence: Sequence, last: Node, version: str, column: int) -> str:
    """The last entry copied with the new version (and without is_default), or a minimal entry."""
    if isinstance(last, Mapping) and not last.flow and isinstance(last.value("version"), Scalar):
        start = index.starts[index.line_of(last.span.start)]
        end_line = index.line_of(last.span.end)
        end = index.starts[end_line + 1] if end_line + 1 < len(index.starts) else len(text)
        version_node = last.value("version")
        assert version_node is not None
        quote = version_node.style if isinstance(version_node, Scalar) and version_node.style in ('"', "'") else '"'  # type: ignore[union-attr]
        block = text[start : version_node.span.start] + f"{quote}{version}{quote}" + text[version_node.span.end : end]
        block = re.sub(r"(?m)^[ \t]*is_default:[^\n]*\n", "", block)
        if "- " in block.split("\n", 1)[0] and "is_default" not in block.split("\n", 1)[0]:
            return block if block.endswith("\n") else block + "\n"
    return " " * column + f'- version: "{version}"\n'


def _satisfying_version(constraint: str) -> str | None:
    try:
        parsed = parse_constraint(constraint)
    except ConstraintError:
        return None
    for part in constraint.split(","):
        match = _PART.match(part.strip())
        if match is None:
            continue
        written = match["ver"]
        try:
            if parsed.matches(parse_version(written)):
                return written
        except VersionError:
            continue
    return None


# -- keys ------------------------------------------------------------------------------------------


def _remove_default(source: SourceFile, finding: Finding) -> QuickFix | None:
    pair = _pair_with_node_at(source.parsed.root, finding.span)
    if pair is None:
        return None
    text = source.text
    index = line_index(text)
    line = index.line_of(pair.key.span.start)
    before = text[index.starts[line] : pair.key.span.start]
    if before.strip() == "":
        edit = TextEdit(source.path, _pair_lines(text, pair), "")
    else:
        edit = TextEdit(source.path, pair.value.span, "false")
    return QuickFix("Remove the extra is_default", (edit,), finding, True)


def _pair_lines(text: str, pair: Pair) -> Span:
    """The whole lines a block pair occupies, or just the pair when it shares its line."""
    index = line_index(text)
    line = index.line_of(pair.key.span.start)
    line_start = index.starts[line]
    if text[line_start : pair.key.span.start].strip() != "":
        return _inline_pair(text, pair)
    end_line = index.line_of(max(pair.value.span.end, pair.key.span.end))
    end = index.starts[end_line + 1] if end_line + 1 < len(index.starts) else len(text)
    return Span(line_start, end)


def _inline_pair(text: str, pair: Pair) -> Span:
    """A pair sharing its line (flow style), with the comma that separates it from a neighbour."""
    start, end = pair.key.span.start, pair.value.span.end
    after = end
    while after < len(text) and text[after] in " \t":
        after += 1
    if after < len(text) and text[after] == ",":
        after += 1
        while after < len(text) and text[after] in " \t":
            after += 1
        return Span(start, after)
    before = start
    while before > 0 and text[before - 1] in " \t":
        before -= 1
    if before > 0 and text[before - 1] == ",":
        return Span(before - 1, end)
    return Span(start, end)


def _pair_with_key_at(node: Node | None, span: Span) -> Pair | None:
    def holds(pair: Pair) -> bool:
        return pair.key.span.start <= span.start and span.end <= pair.key.span.end

    return next((p for p in _pairs_around(node, span) if holds(p)), None) or next((p for p in _pairs(node) if holds(p)), None)


def _pair_with_node_at(node: Node | None, span: Span) -> Pair | None:
    def holds(pair: Pair) -> bool:
        return pair.value.span == span or pair.key.span == span

    return next((p for p in _pairs_around(node, span) if holds(p)), None) or next((p for p in _pairs(node) if holds(p)), None)


def _pairs_around(node: Node | None, span: Span) -> Iterator[Pair]:
    """The pairs on the way down to span, found by position (a big file's fixes stay linear, not quadratic).

    Pairs and items are in source order, so each level is a binary search; what an alias points
    at lies elsewhere, and callers fall back to a full walk when this finds nothing.
    """
    for _ in range(64):
        if isinstance(node, Mapping) and node.pairs:
            at = bisect_right(node.pairs, span.start, key=lambda pair: pair.key.span.start) - 1
            if at < 0:
                return
            pair = node.pairs[at]
            yield pair
            node = pair.value
        elif isinstance(node, Sequence) and node.items:
            at = bisect_right(node.items, span.start, key=lambda item: item.span.start) - 1
            if at < 0:
                return
            node = node.items[at]
        else:
            return
        if not (node.span.start <= span.start and span.end <= node.span.end):
            return


def _pairs(node: Node | None, depth: int = 0) -> Iterator[Pair]:
    if node is None or depth > 64:
        return
    if isinstance(node, Mapping):
        for pair in node.pairs:
            yield pair
            yield from _pairs(pair.value, depth + 1)
    elif isinstance(node, Sequence):
        for item in node.items:
            yield from _pairs(item, depth + 1)
