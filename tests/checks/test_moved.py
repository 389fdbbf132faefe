"""A big file edited again and again: findings reused from moved subtrees equal a fresh parse's, spans included."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from packls.checks import check_source
from packls.checks.moved import reuse
from packls.checks.rules import KEY_MISSPELLED, KEY_UNKNOWN
from packls.features.session import Session
from packls.findings import Finding
from packls.model import FileKind
from packls.syntax import incremental
from packls.syntax.fast import available
from packls.syntax.nodes import Span
from packls.syntax.shifted import shift, shifted
from packls.workspace import SourceFile, Workspace, load_pack
from tests.packbuilder import write_pack

pytestmark = pytest.mark.skipif(not available(), reason="PyYAML's C extension (libyaml) is not installed")

HEAD = """\
ref: demo.big
runner_type: python
entry_point: big.py
output_format: json
parameters:
"""
TAIL = """\
output:
  type: object
  properties:
    status: {type: integer}
tags: [a, 5]
"""
PARAMS = [
    "  p_{i}:\n    type: string\n    description: parameter {i}\n",
    "  p_{i}:\n    typee: integer\n    descripton: parameter {i}\n",  # misspelled keys, no type
    "  p_{i}:\n    type: {i}\n",  # a type that is no string
    "  p_{i}: {i}\n",  # no definition at all
    "  p_{i}:\n    type: boolean\n    secret: maybe\n",  # wrong type for secret
]


def big_text(count: int) -> str:
    return HEAD + "".join(PARAMS[i % len(PARAMS)].format(i=i) for i in range(count)) + TAIL


def fresh(source: SourceFile) -> SourceFile:
    """The same text parsed from scratch (no remembered parse, nothing shifted)."""
    saved = incremental.MIN_CHARS
    incremental.MIN_CHARS = 10**12
    try:
        return SourceFile.from_text(source.path, source.pack_root, source.relative, source.kind, source.text)
    finally:
        incremental.MIN_CHARS = saved


def assert_fresh_findings(session: Session, path: Path) -> SourceFile:
    """The session's findings for path (reused where moved) equal those of a fresh parse; its source."""
    source = session.source(path)
    assert source is not None
    got = check_source(source, session.workspace)
    reference = fresh(source)
    session.workspace.replace_source(reference)  # checks look their own file up by identity
    try:
        want = check_source(reference, session.workspace)
        want_reported = session.compute(reference)
    finally:
        session.workspace.replace_source(source)
    assert got == want
    assert [f.data for f in got] == [f.data for f in want]
    assert session.findings(path) == want_reported
    return source


def open_big(root: Path, path: Path, text: str) -> Session:
    """A session over the pack at root with path (written with text) open in it."""
    path.write_text(text)
    session = Session()
    session.add_pack(load_pack(root.resolve()))
    session.open(path, text, 1)
    return session


def change_checked(session: Session, path: Path, text: str, previous: str, version: int) -> tuple[SourceFile, str]:
    """Edit path to text and compare with a fresh parse; a broken version is checked, then undone (the chain goes on)."""
    session.change(path, text, version)
    source = assert_fresh_findings(session, path)
    if source.parsed.problem is not None or source.parsed.duplicates:
        text = previous
        session.change(path, text, version + 1000)
        source = assert_fresh_findings(session, path)
    return source, text


@pytest.fixture
def small_threshold(monkeypatch: pytest.MonkeyPatch) -> None:
    """Let small documents through, so the random-edit tests stay fast."""
    monkeypatch.setattr(incremental, "MIN_CHARS", 1000)
    incremental.forget()


def test_edits_anywhere_give_the_findings_of_a_fresh_parse(tmp_path: Path, small_threshold: None) -> None:
    root = write_pack(tmp_path / "demo", {"actions/big.py": ""})
    path = (root / "actions" / "big.yaml").resolve()
    text = big_text(60)
    session = open_big(root, path, text)
    rng = random.Random(5)
    reused = 0
    for version in range(2, 160):
        lines = text.split("\n")
        k = rng.randrange(len(lines)) if rng.random() < 0.5 else rng.randrange(4)  # often above `parameters`
        line = lines[k]
        i = rng.randrange(len(line) + 1)
        if rng.random() < 0.6:
            lines[k] = line[:i] + rng.choice("ax1 :-#") + line[i:]
        elif line:
            lines[k] = line[: max(0, i - 1)] + line[i:]
        source, text = change_checked(session, path, "\n".join(lines), text, version)
        params = source.parsed.root_mapping.value("parameters") if source.parsed.root_mapping else None
        found = shifted(params) if params is not None else None
        reused += bool(found and found[1] and found[2])
    assert reused > 20


def test_findings_reused_for_a_moved_subtree_move_with_it(tmp_path: Path, small_threshold: None) -> None:
    root = write_pack(tmp_path / "demo", {"actions/big.py": ""})
    path = root / "actions" / "big.yaml"
    text = big_text(40)
    path.write_text(text)
    workspace = Workspace.load([root])
    first = workspace.source(path)
    assert first is not None
    check_source(first, workspace)
    edited = text.replace("output_format: json", "output_format: jsonl", 1)
    second = SourceFile.from_text(path, root, "actions/big.yaml", FileKind.ACTION, edited)
    workspace = Workspace.load([root])
    workspace.replace_source(second)
    got = check_source(second, workspace)
    misspelled = [f for f in got if f.code in (KEY_MISSPELLED.code, KEY_UNKNOWN.code)]
    assert len(misspelled) == 16 and {edited[f.span.start : f.span.end] for f in misspelled} == {"typee", "descripton"}
    params = second.parsed.root_mapping.value("parameters") if second.parsed.root_mapping else None
    found = shifted(params) if params is not None else None
    assert found is not None and found[1] == 1 and found[2]  # reused from the first version's walk
    reference = fresh(second)
    workspace.replace_source(reference)
    assert got == check_source(reference, workspace)


def test_a_finding_outside_the_subtree_is_never_kept(small_threshold: None) -> None:
    text = big_text(30)
    source = SourceFile.from_text(Path("/p/actions/big.yaml"), Path("/p"), "actions/big.yaml", FileKind.ACTION, text)
    root = source.parsed.root_mapping
    assert root is not None
    node = shift(root.value("parameters"), 3)
    far = Finding(source.path, Span(0, 1), KEY_MISSPELLED.severity, KEY_MISSPELLED.code, "far")
    calls: list[object] = []

    def find(subtree: object) -> list[Finding]:
        calls.append(subtree)
        return [far]

    assert reuse(node, ("test",), (), find) == [far]  # computed on the node itself: not moved
    assert reuse(node, ("test",), (), find) == [far]
    assert calls[-1] is node and ("test",) not in shifted(node)[2]


JSON_UNFRIENDLY = [
    "  p_{i}:\n    type: string\n    ~: no key\n",  # a null key
    "  p_{i}:\n    type: number\n    .inf: 1\n",  # a float key that is not finite
    "  p_{i}:\n    type: integer\n    3: three\n",  # an int key: fine
]


@pytest.mark.parametrize("limit", [10**9, 120, 700])
def test_the_first_key_json_cannot_hold_is_found_as_a_fresh_parse_finds_it(tmp_path: Path, small_threshold: None,
                                                                            monkeypatch: pytest.MonkeyPatch, limit: int) -> None:
    from packls.checks import json_keys

    monkeypatch.setattr(json_keys, "_MAX_NODES", limit)  # the walk's limit, crossed inside moved subtrees too
    root = write_pack(tmp_path / "demo", {"actions/big.py": ""})
    path = (root / "actions" / "big.yaml").resolve()
    body = "".join((JSON_UNFRIENDLY[i % 3] if i % 7 == 3 else PARAMS[0]).format(i=i) for i in range(80))
    text = HEAD + body + TAIL
    session = open_big(root, path, text)
    rng = random.Random(limit)
    edits = ("~: x", ".nan: 2", "a: b", "", "q")
    seen = set()
    for version in range(2, 120):
        lines = text.split("\n")
        k = rng.randrange(len(lines))
        if lines[k].startswith("    ") and rng.random() < 0.5:
            lines[k] = "    " + rng.choice(edits)  # a key JSON cannot hold appears or goes away
        else:
            i = rng.randrange(len(lines[k]) + 1)
            lines[k] = lines[k][:i] + rng.choice("ax1 ") + lines[k][i:]
        source, text = change_checked(session, path, "\n".join(lines), text, version)
        seen |= {f.code for f in session.findings(path) if f.code == "environment.invalid"}
    assert seen == {"environment.invalid"}


@pytest.fixture
def nested_threshold(monkeypatch: pytest.MonkeyPatch) -> None:
    """Small documents reparse one entry of a big nested mapping (sequence), as the 50,000-line file does."""
    monkeypatch.setattr(incremental, "MIN_CHARS", 1000)
    monkeypatch.setattr(incremental, "NESTED_MIN", 300)
    incremental.forget()


INSIDE_EDITS = ("type: 12", "type: string", "typee: integer", "descripton: x", "secret: maybe", "~: null key", ".nan: 2",
                "type: {a: [b]}", "position: 3", "required: yes", "")


@pytest.mark.parametrize("limit", [10**9, 900])
def test_edits_inside_a_big_mapping_patch_per_list_findings_equal_to_a_fresh_parse(
        tmp_path: Path, nested_threshold: None, monkeypatch: pytest.MonkeyPatch, limit: int) -> None:
    from packls.checks import json_keys
    from packls.syntax.spliced import splice_of

    monkeypatch.setattr(json_keys, "_MAX_NODES", limit)  # the JSON-key walk's limit, crossed inside the patched list too
    root = write_pack(tmp_path / "demo", {"actions/big.py": ""})
    path = (root / "actions" / "big.yaml").resolve()
    body = "".join((JSON_UNFRIENDLY[i % 3] if i % 11 == 5 else PARAMS[i % len(PARAMS)]).format(i=i) for i in range(90))
    text = HEAD + body + TAIL
    session = open_big(root, path, text)
    rng = random.Random(limit % 97)
    spliced = 0
    codes: set[str] = set()
    for version in range(2, 170):
        lines = text.split("\n")
        inside = [k for k, line in enumerate(lines) if line.startswith("  ") and k > 5][:-4]
        k = rng.choice(inside)
        line = lines[k]
        if line.startswith("    ") and rng.random() < 0.5:
            lines[k] = "    " + rng.choice(INSIDE_EDITS)  # a value made wrong or right, a key JSON cannot hold, ...
        else:
            i = rng.randrange(len(line) + 1)
            lines[k] = line[:i] + rng.choice("ax1 :-[") + line[i:] if rng.random() < 0.6 else line[: max(0, i - 1)] + line[i:]
        source, text = change_checked(session, path, "\n".join(lines), text, version)
        codes |= {f.code for f in session.findings(path)}
        params = source.parsed.root_mapping.value("parameters") if source.parsed.root_mapping else None
        spliced += params is not None and splice_of(params) is not None
    assert spliced > 50  # one parameter reparsed, every per-list result patched (broken versions are undone)
    assert {"key.unknown", "value.wrong_type", "environment.invalid"} <= codes, codes
