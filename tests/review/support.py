"""Two versions of a small pack on disk, resolved and compared; real git repositories for revisions."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from packls.facts import NO_FACTS, RegistryFacts
from packls.selection_diff import SelectionDiff, compare, resolve_side
from packls.workspace import Workspace
from tests.packbuilder import write_pack

RUNTIME = """\
ref: demo.python
name: DemoPython
versions:
  - version: "3.11"
  - version: "3.12"
    is_default: true
  - version: "3.13"
"""

FILES = {
    "runtimes/python.yaml": RUNTIME,
    "actions/newest.yaml": 'ref: demo.newest\nrunner_type: demo.python\nruntime_version: ">=3.11,<4.0"\nentry_point: newest.py\n',
    "actions/defaulted.yaml": "ref: demo.defaulted\nrunner_type: DemoPython\nentry_point: defaulted.py\n",
    "actions/pinned.yaml": 'ref: demo.pinned\nrunner_type: demo.python\nruntime_version: "3.11"\nentry_point: pinned.py\n',
    "sensors/watch.yaml": 'ref: demo.watch\nrunner_type: demo.python\nruntime_version: "~3.12"\nentry_point: watch.py\ntrigger_types: [x]\n',
}


def diff_of(tmp: Path, before: dict[str, str], after: dict[str, str], facts: RegistryFacts = NO_FACTS,
            after_facts: RegistryFacts | None = None) -> SelectionDiff:
    """Write both versions of the pack, resolve each, compare."""
    sides = []
    for name, files, side_facts in (("before", before, facts), ("after", after, after_facts or facts)):
        root = tmp / name
        write_pack(root / "demo", files)
        sides.append(resolve_side(Workspace.load([root], side_facts), root))
    return compare(sides[0], sides[1])


def edited(path: str, old: str, new: str, files: dict[str, str] = FILES) -> dict[str, str]:
    """The files with one replacement in one of them (the replaced text must be there)."""
    assert old in files[path], old
    return {**files, path: files[path].replace(old, new)}


GIT_ENV = {
    "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.invalid", "GIT_COMMITTER_NAME": "t",
    "GIT_COMMITTER_EMAIL": "t@example.invalid", "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_AUTHOR_DATE": "2026-01-01T12:00:00Z", "GIT_COMMITTER_DATE": "2026-01-01T12:00:00Z",  # same content, same ids
}


def git(repo: Path, *args: str, input_text: str | None = None) -> str:
    """Run git in repo (no user or system configuration), failing the test on error."""
    result = subprocess.run(
        ["git", "-C", str(repo), *args], capture_output=True, text=True, env={**os.environ, **GIT_ENV}, check=False,
        input=input_text,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def commit_all(repo: Path, message: str) -> str:
    """Stage everything and commit; the new commit's id."""
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message)
    return git(repo, "rev-parse", "HEAD").strip()


def new_repository(path: Path) -> Path:
    """An empty repository with a main branch."""
    path.mkdir(parents=True, exist_ok=True)
    git(path, "init", "-q", "-b", "main")
    return path
