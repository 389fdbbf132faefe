"""`packls resolve --since/--base/--assume-…` on real git history: formats, gates and clear errors."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from packls.cli import main
from tests.packbuilder import write_pack
from tests.review.support import FILES, commit_all, git, new_repository

ADD_314 = ('  - version: "3.13"\n', '  - version: "3.13"\n  - version: "3.14"\n')
DROP_311 = ('  - version: "3.11"\n', "")


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A repository holding the demo pack in one commit; the current folder is its top."""
    repo = new_repository(tmp_path / "repo")
    write_pack(repo / "packs" / "demo", FILES)
    commit_all(repo, "demo pack")
    monkeypatch.chdir(repo)
    return repo


def change_runtime(repo: Path, *replacements: tuple[str, str]) -> None:
    path = repo / "packs/demo/runtimes/python.yaml"
    text = path.read_text()
    for old, new in replacements:
        assert old in text
        text = text.replace(old, new)
    path.write_text(text)


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["resolve", *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_since_a_commit_reports_the_working_tree_changes(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    change_runtime(repo, ADD_314)
    code, out, _ = run(capsys, "--since", "HEAD")
    commit = git(repo, "rev-parse", "HEAD")[:12]
    assert code == 0
    assert out.splitlines()[:5] == [
        f"packls resolve: HEAD ({commit}) -> the working tree: 1 of 4 actions and sensors change selection"
        " (0 added, 0 removed, 3 unchanged)",
        "",
        "demo.python",
        "  demo.newest (action)  packs/demo/actions/newest.yaml",
        "    3.13 -> 3.14  (version 3.14 added)",
    ]
    assert run(capsys, "--since", "HEAD", "--fail-on-change")[0] == 1
    assert run(capsys, "--since", "HEAD", "--fail-on-unsatisfied")[0] == 0


def test_a_committed_change_against_its_parent_in_every_format(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    change_runtime(repo, ADD_314, DROP_311)
    commit_all(repo, "3.14 in, 3.11 out")
    code, out, _ = run(capsys, "packs", "--since", "HEAD~1", "--format", "json", "--fail-on-unsatisfied")
    document = json.loads(out)
    assert code == 1
    assert document["summary"] == {"changed": 2, "unsatisfied": 1, "added": 0, "removed": 0, "unchanged": 2}
    assert [(c["ref"], c["before"]["selected"], c["after"]["selected"]) for c in document["changed"]] == [
        ("demo.newest", "3.13", "3.14"), ("demo.pinned", "3.11", None),
    ]
    code, out, _ = run(capsys, "packs", "--since", "HEAD~1", "--format", "markdown")
    assert code == 0 and out.startswith("**packls resolve** `HEAD~1` (`")
    assert "| `demo.pinned` | action | `3.11` | **none** | version `3.11` removed; nothing matches any more" in out
    code, out, _ = run(capsys, "--since", "HEAD")  # the working tree is the commit: nothing moved
    assert code == 0 and "no selection changes among 4 actions and sensors (0 added, 0 removed, 4 unchanged)" in out


def test_a_named_file_reports_only_that_component(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    change_runtime(repo, ADD_314, DROP_311)
    code, out, _ = run(capsys, "packs/demo/actions/pinned.yaml", "--since", "HEAD", "--format", "json")
    document = json.loads(out)
    assert [c["ref"] for c in document["changed"]] == ["demo.pinned"] and document["summary"]["unchanged"] == 0


def test_base_compares_two_checkouts_without_git(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    write_pack(tmp_path / "old" / "demo", FILES)
    new = {**FILES, "actions/fresh.yaml": 'ref: demo.fresh\nrunner_type: demo.python\nentry_point: f.py\n'}
    write_pack(tmp_path / "new" / "demo", new)
    monkeypatch.chdir(tmp_path / "new")
    code, out, _ = run(capsys, "--base", "../old", "--format", "json")
    document = json.loads(out)
    assert code == 0 and document["base"] == "../old" and document["commit"] is None
    assert [(p["ref"], p["path"], p["outcome"]["selected"]) for p in document["added"]] == [
        ("demo.fresh", "demo/actions/fresh.yaml", "3.12"),
    ]


def test_what_if_flags_change_only_what_is_assumed(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--assume-unavailable", "demo.python@3.13", "--assume-unavailable", "demo.python@3.12.0",
                       "--format", "json", "--fail-on-unsatisfied")
    document = json.loads(out)
    assert code == 1  # the sensor asked for ~3.12 and gets nothing
    assert document["assumptions"] == [
        {"runtime": "demo.python", "version": "3.13", "available": False},
        {"runtime": "demo.python", "version": "3.12.0", "available": False},
    ]
    assert {c["ref"]: c["after"]["selected"] for c in document["changed"]} == {
        "demo.defaulted": "3.11", "demo.newest": "3.11", "demo.watch": None,
    }
    assert document["changed"][0]["causes"][0]["message"] == "3.12 no longer available"
    assert not (Path(os.environ["XDG_DATA_HOME"]) / "packls").exists()  # no store was created or written
    code, out, _ = run(capsys, "--assume-available", "demo.python@3.13")
    assert code == 0 and "no selection changes" in out


def test_bad_requests_are_usage_errors_with_one_clear_sentence(repo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cases = [
        (["--since=--output=/tmp/x"], "not a git revision: '--output=/tmp/x'"),
        (["--since", "v9.9"], "unknown revision 'v9.9'"),
        (["--assume-unavailable", "demo.python@2.7"], "demo.python declares no version '2.7' (declared: 3.11, 3.12, 3.13)"),
        (["--assume-unavailable", "nope.python@3.12"], "no runtime 'nope.python'"),
        (["--assume-unavailable", "demo.python@3.12", "--assume-available", "demo.python@3.12"], "assumed both available"),
        (["--format", "markdown"], "need a comparison"),
        (["--fail-on-change"], "need a comparison"),
        (["--base", str(tmp_path / "missing")], "no such folder"),
    ]
    for args, message in cases:
        code, out, err = run(capsys, *args)
        assert (code, out) == (2, ""), args
        assert err.startswith("packls: ") and message in err, err


def test_a_shallow_clone_without_the_revision_is_a_clear_error(repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    change_runtime(repo, ADD_314)
    commit_all(repo, "3.14")
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", "--depth", "1", f"file://{repo}", str(clone))
    monkeypatch.chdir(clone)
    code, out, err = run(capsys, "--since", "HEAD~1")
    assert code == 2 and out == ""
    assert "revision 'HEAD~1' is not in this shallow clone" in err and "git fetch --deepen=N" in err
    git(clone, "fetch", "-q", "--deepen=1")
    code, out, _ = run(capsys, "--since", "HEAD~1", "--fail-on-change")
    assert code == 1 and "3.13 -> 3.14  (version 3.14 added)" in out


def test_the_command_leaves_no_temporary_folder_behind(repo: Path, tmp_path: Path) -> None:
    change_runtime(repo, ADD_314)
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    env = {**os.environ, "TMPDIR": str(temporary)}
    outputs = {}
    for revision in ("HEAD", "no-such-revision"):
        result = subprocess.run(
            [sys.executable, "-m", "packls", "resolve", "--since", revision, "--format", "markdown"],
            cwd=repo, env=env, capture_output=True, text=True, timeout=120, check=False,
        )
        outputs[revision] = (result.returncode, result.stdout)
        assert list(temporary.iterdir()) == []
    assert outputs["no-such-revision"] == (2, "")
    code, markdown = outputs["HEAD"]
    assert code == 0 and "| `demo.newest` | action | `3.13` | **`3.14`** | version `3.14` added |" in markdown


def test_paths_through_a_symbolic_link_to_the_repository(repo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    change_runtime(repo, ADD_314)
    link = tmp_path / "link"
    link.symlink_to(repo)
    code, out, _ = run(capsys, str(link / "packs/demo/actions/newest.yaml"), "--since", "HEAD", "--format", "json")
    document = json.loads(out)
    assert code == 0 and [(c["ref"], c["after"]["selected"]) for c in document["changed"]] == [("demo.newest", "3.14")]
    assert document["summary"]["unchanged"] == 0 and not document["added"] and not document["removed"]
