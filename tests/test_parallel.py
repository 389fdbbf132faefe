"""Checking on several processes gives exactly the sequential answer."""

from __future__ import annotations

from pathlib import Path

import pytest

from packls import parallel
from packls.checks import check_workspace
from packls.workspace import Workspace

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("where", [ROOT / "packs", ROOT / "tests" / "data" / "corpus" / "attune"], ids=["example packs", "attune corpus"])
def test_forked_workers_find_what_one_process_finds(where: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    workspace = Workspace.load([where])
    expected = check_workspace(workspace)
    monkeypatch.setattr(parallel, "MIN_FILES_PER_WORKER", 1)
    found = parallel.check_parallel(workspace, workers=2)
    assert list(found) == list(expected)  # same files, same order
    assert found == expected
    assert sum(map(len, found.values())) > 10


def test_named_files_only(monkeypatch: pytest.MonkeyPatch) -> None:
    workspace = Workspace.load([ROOT / "packs"])
    only = [s.path for s in workspace.sources()][::3]
    monkeypatch.setattr(parallel, "MIN_FILES_PER_WORKER", 1)
    assert parallel.check_parallel(workspace, only, workers=2) == check_workspace(workspace, only)


def test_small_workspaces_are_checked_in_process(monkeypatch: pytest.MonkeyPatch) -> None:
    workspace = Workspace.load([ROOT / "packs"])
    monkeypatch.setattr("concurrent.futures.ProcessPoolExecutor", lambda *a, **k: pytest.fail("forked for a small workspace"))
    assert parallel.check_parallel(workspace, workers=2) == check_workspace(workspace)
