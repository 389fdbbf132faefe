"""Model, checks and resolution on broken pack files: never raise, same findings twice, spans inside.

Each case takes a real file of the example packs or the Attune corpus, breaks it (text edits,
or a value swapped for a value of another type or shape), puts it into a loaded workspace
in place of the original, and checks that file, every other file of its pack (cross-file
rules see the broken one) and the resolution of every action and sensor.
"""

from __future__ import annotations

import functools
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from packls.checks import check_source
from packls.findings import Finding
from packls.model import FileKind
from packls.resolve import resolve
from packls.syntax.nodes import Mapping, Node, Sequence
from packls.workspace import SourceFile, Workspace
from tests.fuzz.conftest import count, fuzz_settings
from tests.fuzz.support import CORPUS, PACKS, walk

# Values of every type and shape, and the strings rules look at (refs, versions, paths, patterns).
SNIPPETS = (
    "[]", "{}", "[1, 2]", "{a: 1}", "null", "~", "123", "-1", "0", "1.5", ".nan", ".inf", "true", "false", '""', "''",
    "x", "[[[]]]", "{a: {b: [c]}}", "[null]", "[{}]", "'>=3.0'", "'^3.12'", "3.12", "'3.x'", "'*'", "'>= 1, < 2'",
    "'core.python'", "'a.b.c'", "'../../etc/passwd'", "'/abs/path'", "'é😀'", '"\\u0000"', "'{{ x }}'", "'" + "a" * 300 + "'",
    "99999999999999999999999999", "-0", "0x10", "'.'", "'{{'", "'(?P<'", "'['", "'(a+)+$'", "1e400", "'  '",
    "{type: object, properties: {a: {type: string}}}", "{type: [string, integer]}", "[{version: '3.12'}]", "{version: 1}",
    "{binary: python3}", "{commands: [{binary: x, args: [1], pattern: '('}]}", "2024-01-01", "'1.0.0'", "'v1'", "'python'",
    "'shell'", "'core.shell'", "'nodejs'", "[{name: t, action: core.echo, next: [{do: [t]}]}]", "{a: &x [1], b: *x}",
)


@functools.lru_cache(maxsize=1)
def _workspace() -> Workspace:
    return Workspace.load([PACKS, CORPUS])


@functools.lru_cache(maxsize=1)
def _sources() -> tuple[SourceFile, ...]:
    return tuple(s for s in _workspace().sources() if s.text and s.kind is not FileKind.PYTHON_REQUIREMENTS)


@st.composite
def broken_file(draw: st.DrawFn) -> tuple[SourceFile, str]:
    """A workspace file and a broken text for it."""
    source = draw(st.sampled_from(_sources()))
    text = source.text
    for _ in range(draw(st.integers(1, 3))):
        if draw(st.booleans()):
            text = _swap_value(draw, text)
        else:
            i = draw(st.integers(0, len(text)))
            j = min(len(text), i + draw(st.integers(0, 20)))
            piece = draw(st.sampled_from(["", "\n", ": ", "- ", "  ", "'", "[", "{", "\t", "x", "\n  - y\n", "#"]))
            text = text[:i] + piece + text[j:]
    return source, text


def _swap_value(draw: st.DrawFn, text: str) -> str:
    from packls.syntax.parse import parse_yaml

    parsed = parse_yaml(text)
    nodes: list[Node] = [n for root in parsed.documents for n in walk(root) if n.span.end > n.span.start]
    if not nodes:
        return text
    node = draw(st.sampled_from(nodes))
    snippet = draw(st.sampled_from(SNIPPETS))
    if isinstance(node, (Mapping, Sequence)) and not node.flow and draw(st.booleans()):
        # keep the block shape: drop in one block entry instead of a flow value
        line = text.rfind("\n", 0, node.span.start) + 1
        indent = " " * (node.span.start - line)
        snippet = ("- " + snippet) if isinstance(node, Sequence) else ("key: " + snippet)
        return text[: node.span.start] + snippet + "\n" + indent + text[node.span.start :]
    return text[: node.span.start] + snippet + text[node.span.end :]


def _assert_findings_inside(findings: list[Finding], workspace: Workspace, path: Path, text: str) -> None:
    for finding in findings:
        assert finding.path == path
        assert 0 <= finding.span.start <= finding.span.end <= len(text), finding
        assert finding.message.strip() and finding.code
        for related in finding.related:
            other = workspace.source(related.path)
            size = len(text) if related.path == path else len(other.text) if other is not None else None
            if size is not None:
                assert 0 <= related.span.start <= related.span.end <= size, related


def _key(findings: list[Finding]) -> list[tuple[object, ...]]:
    return [(f.span, f.severity, f.code, f.message, f.related) for f in findings]


@fuzz_settings(250)
@given(broken_file())
def test_checks_on_broken_files_never_raise_and_stay_inside_the_text(case: tuple[SourceFile, str]) -> None:
    count("checks")
    original, text = case
    workspace = _workspace()
    broken = SourceFile.from_text(original.path, original.pack_root, original.relative, original.kind, text)
    workspace.set_source(broken)
    try:
        findings = check_source(broken, workspace)
        _assert_findings_inside(findings, workspace, broken.path, text)
        assert _key(check_source(broken, workspace)) == _key(findings)  # deterministic
        pack = workspace.pack_at(broken.pack_root)
        assert pack is not None
        for other in pack.files.values():
            if other is not broken:
                _assert_findings_inside(check_source(other, workspace), workspace, other.path, other.text)
        for runnable in workspace.runnables():
            if runnable.pack_root == broken.pack_root:
                resolve(runnable, workspace, "/opt/attune/runtime_envs")
    finally:
        workspace.set_source(original)


KINDS = sorted(FileKind, key=lambda k: k.name)


@fuzz_settings(200)
@given(st.sampled_from(KINDS), st.text(max_size=120) | st.sampled_from(SNIPPETS) | st.sampled_from(SNIPPETS).map(lambda s: f"ref: {s}\nversion: {s}\nrunner_type: {s}\n"))
def test_any_text_as_any_kind_of_file_never_raises(kind: FileKind, text: str) -> None:
    count("checks")
    workspace = _workspace()
    pack_root = PACKS / "data_tools"
    path = pack_root / "fuzz" / f"{kind.name.lower()}.yaml"
    source = SourceFile.from_text(path, pack_root, path.relative_to(pack_root).as_posix(), kind, text)
    workspace.set_source(source)
    try:
        findings = check_source(source, workspace)
        _assert_findings_inside(findings, workspace, path, text)
    finally:
        workspace.remove_source(path)
