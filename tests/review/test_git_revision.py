"""Reading a revision with git itself: real repositories, shallow clones, hostile revisions and repositories."""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path

import pytest

from packls.git_revision import RevisionError, revision_checkout
from packls.workspace import HARD_FILE_BYTES
from tests.packbuilder import write_pack
from tests.review.support import FILES, commit_all, git, new_repository


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A repository with two commits: the demo pack, then a 3.14 version added."""
    repo = new_repository(tmp_path / "repo")
    write_pack(repo / "packs" / "demo", FILES)
    (repo / "packs" / "demo" / "actions" / "newest.py").write_text("print('hi')\n")
    (repo / "README.md").write_text("not a pack\n")
    commit_all(repo, "demo pack")
    runtime = repo / "packs/demo/runtimes/python.yaml"
    runtime.write_text(runtime.read_text() + '  - version: "3.14"\n')
    commit_all(repo, "add 3.14")
    return repo


def test_a_revision_is_laid_out_like_the_repository_and_removed_afterwards(repo: Path) -> None:
    with revision_checkout(repo, "HEAD~1", [repo / "packs"]) as checkout:
        root = checkout.root
        assert checkout.top == repo.resolve()
        assert len(checkout.commit) == 40 and checkout.files == 7
        runtime = (root / "packs/demo/runtimes/python.yaml").read_text()
        assert "3.13" in runtime and "3.14" not in runtime
        # Other files exist (checks ask for entry points) but their content is never read.
        assert (root / "packs/demo/actions/newest.py").read_bytes() == b""
        assert not (root / "README.md").exists()  # outside the requested path
    assert not root.exists()


def test_the_temporary_folder_is_removed_when_the_comparison_fails(repo: Path) -> None:
    with pytest.raises(ZeroDivisionError):
        with revision_checkout(repo, "HEAD", [repo]) as checkout:
            root = checkout.root
            assert (root / "packs/demo/pack.yaml").is_file()
            raise ZeroDivisionError
    assert not root.exists()


def test_unknown_revisions_and_paths_outside_the_repository_are_clear_errors(repo: Path, tmp_path: Path) -> None:
    with pytest.raises(RevisionError, match="unknown revision 'nope'"):
        with revision_checkout(repo, "nope", [repo]):
            pass
    with pytest.raises(RevisionError, match="is outside the git repository"):
        with revision_checkout(repo, "HEAD", [tmp_path]):
            pass
    with pytest.raises(RevisionError, match="is not inside a git work tree"):
        with revision_checkout(tmp_path / "elsewhere", "HEAD", [tmp_path]):
            pass


@pytest.mark.parametrize("revision", ["--output=/tmp/packls-pwned", "-h", "HEAD\n--all", "", "HEAD\x00x"])
def test_a_revision_is_never_taken_as_a_git_option(repo: Path, revision: str, tmp_path: Path) -> None:
    with pytest.raises(RevisionError, match="not a git revision"):
        with revision_checkout(repo, revision, [repo]):
            pass


def test_option_like_names_reach_git_only_as_revisions(repo: Path) -> None:
    # A ref literally named like an option is fine: it is checked as a revision after --end-of-options.
    with pytest.raises(RevisionError, match="unknown revision 'HEAD --output=x'"):
        with revision_checkout(repo, "HEAD --output=x", [repo]):
            pass


def test_a_shallow_clone_without_the_revision_says_how_to_fetch_it(repo: Path, tmp_path: Path) -> None:
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", "--depth", "1", f"file://{repo}", str(clone))
    with pytest.raises(RevisionError, match=r"not in this shallow clone .*git fetch --deepen"):
        with revision_checkout(clone, "HEAD~1", [clone]):
            pass
    with revision_checkout(clone, "HEAD", [clone]) as checkout:  # what it holds can still be read
        assert "3.14" in (checkout.root / "packs/demo/runtimes/python.yaml").read_text()


def test_nothing_of_the_repository_runs_filters_hooks_or_fsmonitor(repo: Path, tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    script = tmp_path / "evil.sh"
    script.write_text(f"#!/bin/sh\ntouch {marker}\ncat\n")
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    (repo / ".gitattributes").write_text("*.yaml filter=evil diff=evil export-subst\n")
    for key, value in (
        ("filter.evil.smudge", str(script)), ("filter.evil.clean", "cat"), ("filter.evil.required", "true"),
        ("diff.evil.textconv", str(script)), ("core.fsmonitor", str(script)), ("core.hooksPath", str(tmp_path)),
    ):
        git(repo, "config", key, value)
    for hook in ("post-checkout", "reference-transaction", "pre-auto-gc"):
        (tmp_path / hook).write_text(f"#!/bin/sh\ntouch {marker}\n")
        (tmp_path / hook).chmod(0o755)
    runtime = repo / "packs/demo/runtimes/python.yaml"
    runtime.write_text(runtime.read_text() + "# $Format:%H$\n")
    commit_all(repo, "attributes")
    assert marker.exists()  # the traps are live: plain git commands in this repository run them
    marker.unlink()
    with revision_checkout(repo, "HEAD", [repo / "packs"]) as checkout:
        text = (checkout.root / "packs/demo/runtimes/python.yaml").read_text()
    assert "# $Format:%H$" in text  # raw blob: no export-subst
    assert not marker.exists()


def test_large_files_links_and_submodules_are_stand_ins_or_left_out(repo: Path) -> None:
    big = repo / "packs/demo/actions/huge.yaml"
    big.write_bytes(b"#" * (HARD_FILE_BYTES + 10))
    os.symlink("newest.py", repo / "packs/demo/actions/link.yaml")
    commit_all(repo, "odd files")
    with revision_checkout(repo, "HEAD", [repo / "packs/demo"]) as checkout:
        actions = checkout.root / "packs/demo/actions"
        assert (actions / "huge.yaml").stat().st_size == HARD_FILE_BYTES + 10  # sparse: reads as too large
        assert not (actions / "link.yaml").exists() and not (actions / "link.yaml").is_symlink()


@pytest.mark.parametrize("name", ["..", ".git", ".GIT"])
def test_tree_entries_git_would_never_check_out_are_refused(
    repo: Path, name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    blob = git(repo, "hash-object", "-w", "--stdin", input_text="ref: x\n").strip()
    inner = git(repo, "mktree", input_text=f"100644 blob {blob}\tpack.yaml\n").strip()
    tree = git(repo, "mktree", input_text=f"040000 tree {inner}\t{name}\n100644 blob {blob}\tpack.yaml\n").strip()
    commit = git(repo, "commit-tree", tree, "-m", "hostile").strip()
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temporary))
    with pytest.raises(RevisionError, match="a path git refuses to check out"):
        with revision_checkout(repo, commit, [repo]):
            pass
    assert list(temporary.iterdir()) == []  # the half-written folder is gone too
