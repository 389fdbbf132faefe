"""Nothing outside the workspace is read: not through a linked component folder, not through a linked packls.toml.

`O_NOFOLLOW` alone guards only a path's last component; a folder link on the way
(`actions -> /somewhere/else`) must stop the read too. A secret outside the workspace is
planted behind every link; it must never show up in any output.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from packls.config import load_config, load_config_file
from packls.config_files import find_config_root
from packls.pack_files import PackFolders, read_file
from packls.workspace import load_pack, read_source
from tests.security.injection import write

SECRET = "7c1e-secret-outside-the-workspace"


def packls(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "packls", *args], cwd=cwd, capture_output=True, text=True, timeout=120,
        env={**os.environ, "XDG_DATA_HOME": str(cwd / ".data")},
    )


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    """A folder next to the workspace, full of YAML and TOML that quote the secret."""
    folder = tmp_path / "outside"
    write(folder / f"{SECRET}.yaml", f"ref: outside.a\nrunner_type: {SECRET}\nentry_point: x.py\n")
    write(folder / "workflows" / "w.yaml", f"version: 1.0.0\ntasks: [{SECRET}]\n")
    write(folder / "secret.toml", f'first = "{SECRET}"\n[[broken]\n{SECRET} = 1\n')
    return folder


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    root = tmp_path / "ws"
    write(root / "p" / "pack.yaml", 'ref: pp\nversion: "1.0.0"\n')
    return root


@pytest.mark.parametrize("folder", ["sensors", "actions", "actions/workflows", "runtimes"])
def test_a_component_folder_linked_out_of_the_pack_is_one_finding_and_never_read(
    workspace: Path, outside: Path, folder: str
) -> None:
    link = workspace / "p" / folder
    link.parent.mkdir(parents=True, exist_ok=True)
    os.symlink(outside, link)

    done = packls("validate", "--no-config", "--format", "json", "p", cwd=workspace)

    assert SECRET not in done.stdout + done.stderr
    found = [(d["path"], d["code"]) for d in json.loads(done.stdout)["diagnostics"]]
    assert found == [(f"p/{folder}", "metadata.unreadable")]
    text = packls("validate", "--no-config", "p", cwd=workspace).stdout
    assert f"the folder {folder} is a symbolic link" in text and SECRET not in text


def test_a_file_reached_through_a_linked_folder_is_refused_even_when_asked_for_directly(workspace: Path, outside: Path) -> None:
    """What the language server's watcher does when a client reports a file behind a link."""
    root = workspace / "p"
    os.symlink(outside, root / "actions")

    source = read_source(root / "actions" / f"{SECRET}.yaml", root)

    assert source.text == "" and source.component is None
    assert source.read_error is not None and "the folder actions is a symbolic link" in source.read_error


def test_a_link_inside_the_pack_is_refused_too(workspace: Path) -> None:
    """Attune rejects links in packs wherever they point; packls reads nothing through any of them."""
    root = workspace / "p"
    write(root / "shared" / "a.yaml", "ref: pp.a\nrunner_type: python\nentry_point: a.py\n")
    os.symlink(root / "shared", root / "actions")

    pack = load_pack(root)

    assert [s.relative for s in pack.files.values() if s.read_error] == ["actions"]


def test_a_linked_packls_toml_is_reported_and_not_read(workspace: Path, outside: Path) -> None:
    os.symlink(outside / "secret.toml", workspace / "packls.toml")

    done = packls("validate", "p", cwd=workspace)

    assert SECRET not in done.stdout + done.stderr
    assert "config.invalid packls.toml is not read: it is a symbolic link" in done.stdout
    config, problems = load_config(workspace)
    assert config.database is None and [p.code for p in problems] == ["config.invalid"]


def test_a_linked_pyproject_toml_is_not_a_configuration(workspace: Path, outside: Path) -> None:
    write(outside / "pyproject.toml", f'[tool.packls]\ndatabase = "/tmp/{SECRET}.sqlite3"\n')
    os.symlink(outside / "pyproject.toml", workspace / "pyproject.toml")

    assert find_config_root(workspace / "p") is None


def test_a_packls_toml_that_is_a_pipe_or_huge_is_refused_without_blocking(workspace: Path) -> None:
    os.mkfifo(workspace / "packls.toml")
    _, problems = load_config_file(workspace / "packls.toml")  # e.g. named by --config
    assert "not a regular file" in problems[0].message

    (workspace / "packls.toml").unlink()
    write(workspace / "packls.toml", "# padding\n" * 200_000)
    _, problems = load_config(workspace)
    assert "larger than" in problems[0].message


def test_a_folder_swapped_for_a_link_after_its_handle_was_opened_still_reads_nothing_outside(workspace: Path, outside: Path) -> None:
    """A pack's folders are opened once per read of the pack; a link put in a folder's place later leads nowhere."""
    root = workspace / "p"
    write(root / "actions" / "a.yaml", "ref: pp.a\n")
    write(root / "actions" / f"{SECRET}.yaml", "ref: pp.b\n")
    with PackFolders(root) as folders:
        assert read_file(root / "actions" / "a.yaml", root, folders).text == "ref: pp.a\n"
        os.rename(root / "actions", root / "moved")
        os.symlink(outside, root / "actions")
        behind = read_file(root / "actions" / f"{SECRET}.yaml", root, folders)
        assert behind.text == "ref: pp.b\n"  # the folder the handle opened, not what the link points to
    with PackFolders(root) as again:
        fresh = read_file(root / "actions" / f"{SECRET}.yaml", root, again)
    assert fresh.text is None and "the folder actions is a symbolic link" in (fresh.error or "")


def test_a_pack_with_more_folders_than_kept_handles_is_read_whole_and_leaks_no_handle(tmp_path: Path) -> None:
    root = tmp_path / "p"
    write(root / "pack.yaml", 'ref: pp\nversion: "1.0.0"\n')
    for n in range(PackFolders.MAX_HANDLES + 20):
        write(root / "docs" / f"d{n}" / "notes.yaml", f"n: {n}\n")
    before = len(os.listdir("/proc/self/fd"))
    pack = load_pack(root)
    assert len(os.listdir("/proc/self/fd")) == before
    read = sorted(s.text for s in pack.files.values() if s.relative.startswith("docs/"))
    assert read == sorted(f"n: {n}\n" for n in range(PackFolders.MAX_HANDLES + 20))
