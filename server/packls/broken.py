"""Pack files that declare nothing because they do not parse, and the refs they would have declared.

A runtime file with a bad indent makes every action on it look like it names no runtime; a tab
in an action file makes every rule calling it look like it names a missing action. The checks
ask here first: when a broken file of the right kind could be the target, they report one
finding that names the broken file ("cannot be checked: runtimes/python.yaml does not parse
(line 7)") instead of a wrong one. What a broken file would declare is read from its top-level
`ref:` and `name:` lines, as far as they can be read at all.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Iterable, Union

from packls.findings import Related
from packls.model import FileKind
from packls.runtime_names import LOADER_ALIASES
from packls.sources import DeferredSource, FileSummary
from packls.syntax.lines import LineIndex
from packls.syntax.nodes import Span
from packls.workspace import SourceFile, Workspace


class Unread(Enum):
    """What a broken file's identity line gives when it gives no text."""

    ABSENT = "no such line"
    UNKNOWN = "a line that cannot be read"


ABSENT, UNKNOWN = Unread.ABSENT, Unread.UNKNOWN
Written = Union[str, Unread]  # a value read from a broken file's line

_TOP_LEVEL = re.compile(r"^(ref|name)[ \t]*:(?:[ \t]+(.*?))?[ \t]*$")
_PLAIN = re.compile(r"""^(?:"([^"\\]*)"|'([^']*)'|([^\s"'#&*!|>\[\]{},][^#]*?))(?:[ \t]+#.*)?$""")
_MAX_LINES = 5_000  # identity lines sit at the top; never scan a huge file to its end


@dataclass(frozen=True)
class BrokenFile:
    """A component file that declares nothing, why, and the ref and name its text shows."""

    source: SourceFile
    reason: str  # "does not parse (line 7)", "is not a YAML mapping", "cannot be read"
    line: int | None  # 1-based line of the problem, when there is one
    ref: Written  # the `ref:` line's value
    name: Written  # the `name:` line's value

    @property
    def path(self) -> Path:
        """Where the broken file is."""
        return self.source.path

    @property
    def kind(self) -> FileKind:
        """What the file would have declared."""
        return self.source.kind

    def described(self, from_pack: Path | None = None) -> str:
        """"runtimes/python.yaml does not parse (line 7)", with the pack folder when it is another pack's file."""
        where = self.source.relative
        if from_pack is not None and from_pack != self.source.pack_root:
            where = f"{self.source.pack_root.name}/{where}"
        return f"{where} {self.reason}"

    @property
    def consequence(self) -> str:
        """What Attune does with the file: legacy workflows are skipped, every other file fails registration."""
        if self.kind is FileKind.LEGACY_WORKFLOW:
            return "so Attune skips that file"
        return "and registration fails until it does" if self.line is not None else "so registration fails"


def broken_file(source: SourceFile) -> BrokenFile | None:
    """The file as a broken declaration, or None when it parsed into a component (or declares none)."""
    if isinstance(source, DeferredSource) and source.summary is not None:  # another process parsed it
        broken = source.summary.broken
        return None if broken is None else BrokenFile(source, *broken)  # type: ignore[arg-type]
    if source.component is not None or source.kind in (FileKind.IGNORED, FileKind.PYTHON_REQUIREMENTS):
        return None
    if source.read_error is not None:
        return BrokenFile(source, "cannot be read", None, UNKNOWN, UNKNOWN)
    problem = source.parsed.problem
    if problem is not None:
        line = LineIndex.of(source.text).line_of(problem.span.start) + 1
        ref, name = identity_lines(source.text)
        return BrokenFile(source, f"does not parse (line {line})", line, ref, name)
    if source.parsed.root_mapping is None:
        return BrokenFile(source, "is not a YAML mapping", None, ABSENT, ABSENT)
    return None


def summarize(source: SourceFile) -> FileSummary:
    """What a process checking other packs needs to know of this file without parsing it."""
    component = source.component
    broken = broken_file(source)
    return FileSummary(component is not None, component.ref if component is not None else None,
                       None if broken is None else (broken.reason, broken.line, broken.ref, broken.name))


def identity_lines(text: str) -> tuple[Written, Written]:
    """The `ref:` and `name:` values of a text's top-level lines (ABSENT when none, UNKNOWN when unreadable)."""
    found: dict[str, Written] = {"ref": ABSENT, "name": ABSENT}
    for number, line in enumerate(text.splitlines()):
        if number >= _MAX_LINES:
            break
        match = _TOP_LEVEL.match(line)
        if match is None or found[match.group(1)] is not ABSENT:
            continue
        value = _PLAIN.match(match.group(2) or "")
        found[match.group(1)] = next((g for g in value.groups() if g is not None), UNKNOWN).strip() if value else UNKNOWN
    return found["ref"], found["name"]


def broken_files(workspace: Workspace) -> tuple[BrokenFile, ...]:
    """Every broken component file in scope (workspace, extra-catalog packs), computed once per workspace version."""
    memo = workspace.index.memo
    key = ("broken_files",)
    cached = memo.get(key)
    if cached is None:
        cached = memo[key] = tuple(
            broken for source in workspace.sources(include_catalog=True) if (broken := broken_file(source)) is not None
        )
    return cached  # type: ignore[return-value]


def blocking_runtime(workspace: Workspace, runner_type: str) -> BrokenFile | None:
    """A broken runtime file that could be the runtime a runner_type names (by ref or by name)."""
    word = runner_type.strip().lower()
    candidate = LOADER_ALIASES.get(word, word)
    for broken in broken_files(workspace):
        if broken.kind is not FileKind.RUNTIME:
            continue
        if broken.ref is UNKNOWN or broken.ref == candidate:
            return broken
        name = broken.name
        if name is ABSENT and isinstance(broken.ref, str):
            name = broken.ref.rsplit(".", 1)[-1]  # the loader's default name: the ref's last segment
        if name is UNKNOWN or (isinstance(name, str) and name.lower() == word):
            return broken
    return None


def blocking_target(workspace: Workspace, qualified: str, kinds: Iterable[FileKind]) -> BrokenFile | None:
    """A broken file of one of kinds, in the target's pack, that could declare the ref qualified."""
    wanted = frozenset(kinds)
    target_pack = qualified.split(".", 1)[0]
    for broken in broken_files(workspace):
        if broken.kind not in wanted:
            continue
        pack = workspace.pack_at(broken.source.pack_root)
        if pack is None or pack.ref != target_pack:
            continue
        declared = broken.ref
        if declared is UNKNOWN:
            return broken
        if not isinstance(declared, str):
            continue
        if declared == qualified or (broken.kind is FileKind.RULE and "." not in declared and f"{target_pack}.{declared}" == qualified):
            return broken
    return None


def blocking_note(broken: BrokenFile) -> Related:
    """The related location of a replaced finding: the broken file's start (the message names the line).

    Not the problem's offset: the file may be edited on while it stays broken, and a finding in
    another file must not point into text that has moved.
    """
    return Related(broken.path, Span(0, 0), f"{broken.source.relative} {broken.reason}: nothing in it is declared")


def broken_identity(source: SourceFile) -> tuple[object, ...] | None:
    """What other files' findings can say about a broken file (its reason, ref and name); None when not broken."""
    broken = broken_file(source)
    return None if broken is None else (broken.reason, broken.ref, broken.name)


def cannot_check(what: str, broken: BrokenFile, from_pack: Path | None) -> str:
    """The one-sentence message replacing a cascade: what cannot be checked, and which file is to blame."""
    return f"{what} cannot be checked: {broken.described(from_pack)}, {broken.consequence}"
