"""Incremental re-checking equals checking from scratch, after any sequence of edits.

The editor session caches findings per file and re-checks only the files an edit may affect
(`Impact`). This test drives a session with random sequences of buffer opens, edits (broken
YAML, swapped values, renamed refs), closes and changes on disk, keeps what an editor would be
showing (updated only for the files each `Impact` names, as the language server does), and
then compares, for every file, what is shown with a fresh session over the same buffers.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from packls.features.session import Impact, Session, normalize
from packls.findings import Finding
from packls.workspace import load_pack
from tests.fuzz.conftest import count, fuzz_settings
from tests.fuzz.support import PACKS

PACK_NAMES = ("data_tools", "version_traps", "broken_pack")
# Edits that change what other files see: refs, runtime names and versions, defaults, whole files.
REPLACEMENTS = (
    ('"3.12"', '"2.7"'), ('"3.11"', '"3.99"'), ("is_default: true", "is_default: false"), ("python", "pyhton"),
    ("ref: ", "ref: x"), ("name: ", "name: Other"), ("version", "versoin"), (">=", "<"), ("runner_type", "runner"),
    ("entry_point: ", "entry_point: missing/"), ("\n", "\n\t"), (": ", ": ["), ("- ", "- &a x\n- *a\n"), ("versions:", "versions: []\nx:"),
)


@pytest.fixture(scope="module")
def packs(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    root = tmp_path_factory.mktemp("session-fuzz")
    for name in PACK_NAMES:
        shutil.copytree(PACKS / name, root / name)
    return [normalize(root / name) for name in PACK_NAMES]


def _session(roots: list[Path]) -> Session:
    session = Session()
    for root in roots:
        session.add_pack(load_pack(root))
    return session


@st.composite
def operations(draw: st.DrawFn, files: list[Path]) -> list[tuple[str, Path, int, int]]:
    """(action, file, which replacement, which occurrence) steps."""
    steps = []
    for _ in range(draw(st.integers(1, 8))):
        action = draw(st.sampled_from(["edit", "edit", "edit", "open", "close", "disk"]))
        steps.append((action, draw(st.sampled_from(files)), draw(st.integers(0, len(REPLACEMENTS))), draw(st.integers(0, 3))))
    return steps


def _replace(text: str, which: int, occurrence: int) -> str:
    if which == len(REPLACEMENTS):
        return text[: len(text) // 2]  # a file cut in half (a paste gone wrong, a save mid-write)
    old, new = REPLACEMENTS[which]
    at = -1
    for _ in range(occurrence + 1):
        found = text.find(old, at + 1)
        if found < 0:
            break
        at = found
    return text if at < 0 else text[:at] + new + text[at + len(old) :]


def test_incremental_findings_equal_fresh_findings(packs: list[Path]) -> None:
    files = sorted(p for root in packs for p in root.rglob("*.yaml"))
    originals = {path: path.read_text(encoding="utf-8") for path in files}

    @fuzz_settings(25)
    @given(operations(files))
    def run(steps: list[tuple[str, Path, int, int]]) -> None:
        count("session", len(steps))
        session = _session(packs)
        shown: dict[Path, list[Finding]] = {path: session.findings(path) for path in session.tracked_paths()}
        buffers: dict[Path, str] = {}
        version = 1
        try:
            for action, path, which, occurrence in steps:
                version += 1
                if action == "open":
                    buffers[path] = path.read_text(encoding="utf-8")
                    impact = session.open(path, buffers[path], version)
                elif action == "edit":
                    buffers[path] = _replace(buffers.get(path, path.read_text(encoding="utf-8")), which, occurrence)
                    impact = session.change(path, buffers[path], version)
                elif action == "close":
                    if path not in buffers:
                        continue
                    del buffers[path]
                    impact = session.close(path)
                else:
                    path.write_text(_replace(path.read_text(encoding="utf-8"), which, occurrence), encoding="utf-8")
                    impact = session.disk_changed(path)
                _show(session, shown, impact)
            fresh = _session(packs)
            for path, text in buffers.items():
                fresh.open(path, text, 1)
            expected = {path: fresh.findings(path) for path in fresh.tracked_paths()}
            assert set(session.tracked_paths()) == set(expected)
            for path, findings in expected.items():
                assert session.findings(path) == findings, f"cached findings of {path.name} are stale"
                assert shown.get(path, []) == findings, f"the editor would show stale findings for {path.name}"
        finally:
            for path, text in originals.items():
                if path.read_text(encoding="utf-8") != text:
                    path.write_text(text, encoding="utf-8")

    run()


def _show(session: Session, shown: dict[Path, list[Finding]], impact: Impact) -> None:
    """What the language server publishes after a mutation: the files the impact names, re-checked."""
    for path in impact.removed:
        shown.pop(path, None)
    paths = session.tracked_paths() if impact.affected is None else impact.affected | impact.changed
    for path in paths:
        if session.source(path) is not None:
            shown[path] = session.findings(path)
        else:
            shown.pop(path, None)
