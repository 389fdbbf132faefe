"""Checking on several processes gives exactly the sequential answer, whoever parses which pack."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

from packls import parallel
from packls.checks import check_workspace
from packls.sources import DeferredSource
from packls.workspace import Workspace
from tests.hostile.workspace import hostile_pack
from tests.packbuilder import write_pack

ROOT = Path(__file__).resolve().parents[1]
CORPORA = {
    "example packs": ROOT / "packs",
    "attune corpus": ROOT / "tests" / "data" / "corpus" / "attune",
    "attune-packs corpus": ROOT / "tests" / "data" / "corpus" / "attune-packs",
}


def cross_pack_workspace(root: Path) -> Path:
    """Packs whose findings depend on other packs' files: visibility, broken targets, suggestions, runtimes."""
    write_pack(root / "lib", {
        "runtimes/python.yaml": """
            ref: lib.python
            name: Python
            versions:
              - version: "3.12"
        """,
        "actions/secret.yaml": "ref: lib.secret\nrunner_type: python\nentry_point: s.py\nreference_visibility: private\n",
        "actions/shared.yaml": (
            "ref: lib.shared\nrunner_type: python\nentry_point: s.py\nreference_visibility: restricted\n"
            "reference_allowed_pack_refs: [app]\n"
        ),
        "actions/broken.yaml": "ref: lib.broken\nrunner_type: python\n\tentry_point: b.py\n",
        "triggers/tick.yaml": "ref: lib.tick\n",
        "runtimes/bad.yaml": "ref: lib.ruby\nname: Ruby\nversions: [\n",
    }, ref="lib")
    write_pack(root / "app", {
        "rules/see.yaml": "ref: app.see\ntrigger_ref: lib.tick\naction_ref: lib.secret\n",
        "rules/typo.yaml": "ref: app.typo\ntrigger_ref: lib.tick\naction_ref: lib.shraed\n",
        "rules/broken.yaml": "ref: app.broken\ntrigger_ref: lib.tick\naction_ref: lib.broken\n",
        "actions/run.yaml": "ref: app.run\nrunner_type: python\nentry_point: r.py\nruntime_version: '>=3.13'\n",
        "actions/gem.yaml": "ref: app.gem\nrunner_type: lib.ruby\nentry_point: g.rb\n",
        "actions/flow.yaml": "ref: app.flow\nrunner_type: workflow\nentry_point: workflows/flow.yaml\n",
        "actions/workflows/flow.yaml": """
            version: "1"
            tasks:
              - name: one
                action: lib.shared
              - name: two
                action: lib.secret
              - name: three
                action: ops.nothing
        """,
    }, ref="app")
    write_pack(root / "ops", {
        "rules/other.yaml": "ref: ops.other\ntrigger_ref: lib.tick\naction_ref: lib.shared\n",
        "actions/act.yaml": "ref: ops.act\nrunner_type: Python\nentry_point: a.py\n",
    }, ref="ops")
    return root


def shared_run(where: Path, workers: int, monkeypatch: pytest.MonkeyPatch) -> parallel.SharedRun:
    """A run over a deferred workspace (as `packls validate` loads it), with every pack worth a process."""
    monkeypatch.setattr(parallel, "MIN_FILES_PER_WORKER", 1)
    return parallel.check_in_shares(Workspace.load([where], defer=True), workers=workers)


@pytest.mark.parametrize("workers", [2, 3])
@pytest.mark.parametrize("where", list(CORPORA.values()), ids=list(CORPORA))
def test_workers_parsing_their_own_packs_find_what_one_process_finds(where: Path, workers: int, monkeypatch: pytest.MonkeyPatch) -> None:
    expected = check_workspace(Workspace.load([where]))
    run = shared_run(where, workers, monkeypatch)
    assert run.processes == workers and run.failed_shares == 0
    assert list(run.found) == list(expected)  # same files, same order
    assert run.found == expected
    assert sum(map(len, expected.values())) > 10


@pytest.mark.parametrize("workers", [2, 3])
def test_findings_that_read_other_packs_are_the_same(tmp_path: Path, workers: int, monkeypatch: pytest.MonkeyPatch) -> None:
    where = cross_pack_workspace(tmp_path)
    expected = check_workspace(Workspace.load([where]))
    codes = {f.code for found in expected.values() for f in found}
    assert {"reference.not_visible", "reference.broken_target", "reference.unknown_target"} <= codes
    assert any("did you mean 'lib.shared'" in f.message for found in expected.values() for f in found)
    run = shared_run(where, workers, monkeypatch)
    assert run.found == expected
    assert run.parsed_elsewhere > 0  # a target's visibility is read from its tree, in whichever process needs it


@pytest.mark.parametrize("workers", [2, 3])
def test_hostile_files_of_another_pack_give_the_same_findings(tmp_path: Path, workers: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """Alias bombs, links, pipes, binary and deep files in one pack, named by the refs of others."""
    hostile_pack(tmp_path / "hostile")
    for name in ("aa", "bb", "cc"):
        write_pack(tmp_path / name, {
            "rules/r.yaml": f"ref: {name}.r\ntrigger_ref: hostile.t\naction_ref: hostile.bomb\n",
            "actions/w.yaml": f"ref: {name}.w\nrunner_type: workflow\nentry_point: workflows/w.yaml\n",
            "actions/workflows/w.yaml": "version: '1'\ntasks:\n  - name: one\n    action: hostile.deep\n  - name: two\n    action: hostile.tabs\n",
        }, ref=name)
    expected = check_workspace(Workspace.load([tmp_path]))
    assert "reference.broken_target" in {f.code for found in expected.values() for f in found}
    run = shared_run(tmp_path, workers, monkeypatch)
    assert run.failed_shares == 0 and run.found == expected


def test_a_worker_parses_no_other_pack_when_no_check_reads_one(monkeypatch: pytest.MonkeyPatch) -> None:
    run = shared_run(ROOT / "packs", 2, monkeypatch)
    assert run.processes == 2 and run.parsed_elsewhere == 0


def test_the_parent_checks_the_share_of_a_worker_that_dies(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    where = cross_pack_workspace(tmp_path)
    expected = check_workspace(Workspace.load([where]))
    parent = os.getpid()
    check = parallel._Share.check

    def dies_in_a_child(share: parallel._Share) -> object:
        if os.getpid() != parent:
            os._exit(3)
        return check(share)

    monkeypatch.setattr(parallel._Share, "check", dies_in_a_child)
    run = shared_run(where, 2, monkeypatch)
    assert run.failed_shares == 1
    assert run.found == expected


def test_a_failure_in_the_parent_ends_the_run_instead_of_waiting_on_its_workers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A worker waiting for the parent's summaries must see the parent's end close (it holds no copy of that end)."""
    where = cross_pack_workspace(tmp_path)
    parent = os.getpid()
    parse = parallel._Share.parse

    def fails_in_the_parent(share: parallel._Share) -> object:
        if os.getpid() == parent:
            raise RuntimeError("the parent's own share failed")
        return parse(share)

    monkeypatch.setattr(parallel._Share, "parse", fails_in_the_parent)
    outcome: list[BaseException] = []

    def run() -> None:
        try:
            shared_run(where, 3, monkeypatch)
        except BaseException as error:  # noqa: BLE001 - handed to the test thread
            outcome.append(error)

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join(timeout=60)
    assert not worker.is_alive(), "the run waited forever on its workers"
    assert [str(e) for e in outcome] == ["the parent's own share failed"]


def test_named_files_only(monkeypatch: pytest.MonkeyPatch) -> None:
    workspace = Workspace.load([ROOT / "packs"], defer=True)
    only = [s.path for s in workspace.sources()][::3]
    monkeypatch.setattr(parallel, "MIN_FILES_PER_WORKER", 1)
    assert parallel.check_parallel(workspace, only, workers=2) == check_workspace(Workspace.load([ROOT / "packs"]), only)


def test_small_workspaces_are_checked_in_process(monkeypatch: pytest.MonkeyPatch) -> None:
    workspace = Workspace.load([ROOT / "packs"], defer=True)
    monkeypatch.setattr("multiprocessing.context.ForkProcess.start", lambda self: pytest.fail("forked for a small workspace"))
    run = parallel.check_in_shares(workspace, workers=2)
    assert run.processes == 1
    assert run.found == check_workspace(Workspace.load([ROOT / "packs"]))
    assert not any(isinstance(s, DeferredSource) for s in workspace.sources())  # parsed as a load parses


def test_packs_are_dealt_by_size(tmp_path: Path) -> None:
    sizes = {"a": 9000, "b": 5000, "c": 3000, "d": 500}
    for name, size in sizes.items():
        write_pack(tmp_path / name, {"actions/x.yaml": f"ref: {name}.x\ndescription: {'x' * size}\n"}, ref=name)
    workspace = Workspace.load([tmp_path], defer=True)
    shares = parallel.deal(list(workspace.packs.values()), 2)
    assert sorted(sorted(p.root.name for p in share) for share in shares) == [["a"], ["b", "c", "d"]]


def test_fix_through_workers_writes_what_one_process_writes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """`--fix` checks twice (before and after fixing) on a workspace whose packs other processes parsed."""
    from packls.cli import main

    for copy in ("one", "shared"):
        cross_pack_workspace(tmp_path / copy)
    monkeypatch.setattr(parallel, "MIN_FILES_PER_WORKER", 1)
    outputs = {}
    for copy, jobs in (("one", "1"), ("shared", "2")):
        monkeypatch.chdir(tmp_path / copy)
        code = main(["validate", "--no-config", "--no-registry", ".", "--fix", "--format", "json", "--jobs", jobs])
        outputs[copy] = (code, capsys.readouterr())
    assert outputs["one"] == outputs["shared"]
    assert "fixed" in outputs["one"][1].err
    files = {copy: {p.relative_to(tmp_path / copy): p.read_bytes() for p in sorted((tmp_path / copy).rglob("*")) if p.is_file()}
             for copy in ("one", "shared")}
    assert files["one"] == files["shared"]
    assert b"action_ref: lib.shared" in files["one"][Path("app/rules/typo.yaml")]  # the suggestion from another pack, applied
