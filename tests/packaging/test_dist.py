"""What a user installs without cloning: the wheel and sdist `make dist` builds, in a fresh venv.

The sdist is built first and the wheel from it (python -m build), so a file missing from the
sdist is missing from the wheel too. The venv lives outside the source tree and every command
runs from there, so nothing can be imported from the checkout.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tarfile
import venv
import zipfile
from pathlib import Path

import pytest

from tests.rpc import frame, messages

REPO = Path(__file__).resolve().parents[2]
PACKS = REPO / "packs"


def _run(*args: str | Path, cwd: Path, env: dict[str, str], timeout: float = 300, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([str(a) for a in args], cwd=cwd, env=env, capture_output=True, timeout=timeout, input=stdin)


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """dist/ with one sdist and one wheel, as `make dist` builds them."""
    pytest.importorskip("build", reason="`build` comes with the test extra: run make setup")
    out = tmp_path_factory.mktemp("dist")
    proc = subprocess.run([sys.executable, "-m", "build", "--outdir", str(out), str(REPO)], capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    return out


@pytest.fixture(scope="module")
def installed(dist: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    """A fresh venv, outside the checkout, with only the wheel (and its dependencies) installed."""
    home = tmp_path_factory.mktemp("user")
    target = home / "venv"
    venv.create(target, with_pip=True)
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV", "PACKLS_DATABASE")}
    env.update(HOME=str(home), XDG_DATA_HOME=str(home / "data"), XDG_CACHE_HOME=str(home / "cache"), PYTHONSAFEPATH="1")
    env["PIP_CACHE_DIR"] = os.environ.get("PIP_CACHE_DIR", str(Path.home() / ".cache" / "pip"))  # re-use downloads between runs
    wheel = next(dist.glob("packls-*.whl"))
    proc = _run(target / "bin" / "python", "-m", "pip", "install", "--quiet", "--disable-pip-version-check", wheel, cwd=home, env=env, timeout=600)
    assert proc.returncode == 0, proc.stderr.decode()[-3000:]
    return target, env


def test_the_sdist_and_the_wheel_carry_every_file_of_the_package(dist: Path) -> None:
    tracked = subprocess.run(["git", "ls-files", "server/packls"], cwd=REPO, capture_output=True, text=True, check=True).stdout.split()
    assert any(f.endswith(".sql") for f in tracked) and any("/catalog/" in f and f.endswith(".yaml") for f in tracked)
    wheel = zipfile.ZipFile(next(dist.glob("packls-*.whl")))
    in_wheel = set(wheel.namelist())
    sources = [f for f in tracked if f.endswith(".c")]  # compiled into the wheel, not carried
    assert sources == ["server/packls/syntax/_compose.c"]
    assert [f for f in tracked if f.removeprefix("server/") not in in_wheel and f not in sources] == []
    assert any(n.startswith("packls/syntax/_compose.") and n.endswith(".so") for n in in_wheel)
    with tarfile.open(next(dist.glob("packls-*.tar.gz"))) as sdist:
        in_sdist = {name.split("/", 1)[1] for name in sdist.getnames() if "/" in name}
    assert [f for f in tracked if f not in in_sdist] == []
    assert {"README.md", "pyproject.toml", "setup.py"} <= in_sdist
    entry_points = wheel.read(next(n for n in in_wheel if n.endswith("entry_points.txt"))).decode()
    assert "packls = packls.cli:run" in entry_points


def test_validate_from_the_installed_wheel_matches_the_checkout(installed: tuple[Path, dict[str, str]], tmp_path: Path) -> None:
    target, env = installed
    packs = tmp_path / "packs"
    shutil.copytree(PACKS, packs)
    where = _run(target / "bin" / "python", "-c", "import packls; print(packls.__file__)", cwd=tmp_path, env=env)
    assert Path(where.stdout.decode().strip()).is_relative_to(target), where
    compiled = _run(target / "bin" / "python", "-c", "from packls.syntax import fast; print(fast.compiled_builder().__file__)", cwd=tmp_path, env=env)
    assert Path(compiled.stdout.decode().strip()).is_relative_to(target), compiled  # the wheel's C tree builder is used
    ours = _run(target / "bin" / "packls", "validate", packs, "--format", "json", "--fail-on", "never", cwd=tmp_path, env=env)
    assert ours.returncode == 0, ours.stderr.decode()
    checkout = subprocess.run(
        [sys.executable, "-m", "packls", "validate", str(packs), "--format", "json", "--fail-on", "never"],
        capture_output=True, cwd=tmp_path, timeout=300,
    )
    assert json.loads(ours.stdout) == json.loads(checkout.stdout)
    codes = {d["code"] for d in json.loads(ours.stdout)["diagnostics"]}
    assert "runtime_version.not_string" in codes  # the built-in catalog and rules came along


def test_sync_from_the_installed_wheel_creates_its_store_and_reports_status(installed: tuple[Path, dict[str, str]], tmp_path: Path) -> None:
    """A new SQLite store is made by the packaged migrations; --status reads it back."""
    target, env = installed
    database = tmp_path / "registry.sqlite"
    workers = REPO / "tests/registry/data/workers.json"  # Attune's GET /api/v1/workers, saved
    imported = _run(target / "bin" / "packls", "sync", "--workers", workers, "--database", database, cwd=tmp_path, env=env)
    assert imported.returncode == 0, imported.stderr.decode()
    status = _run(target / "bin" / "packls", "sync", "--status", "--database", database, cwd=tmp_path, env=env)
    assert status.returncode == 0, status.stderr.decode()
    text = status.stdout.decode()
    assert f"database: {database} (packls)" in text
    assert "core.python 3.12: available" in text and "core.nodejs 18: unavailable" in text


def test_serve_from_the_installed_wheel_initializes_and_shuts_down(installed: tuple[Path, dict[str, str]], tmp_path: Path) -> None:
    target, env = installed
    folder = tmp_path / "packs"
    shutil.copytree(PACKS / "data_tools", folder / "data_tools")
    session = b"".join(frame(m) for m in (
        {"jsonrpc": "2.0", "id": 1, "method": "initialize",
         "params": {"processId": None, "rootUri": folder.as_uri(), "capabilities": {},
                    "workspaceFolders": [{"uri": folder.as_uri(), "name": "packs"}]}},
        {"jsonrpc": "2.0", "method": "initialized", "params": {}},
        {"jsonrpc": "2.0", "id": 2, "method": "shutdown"},
        {"jsonrpc": "2.0", "method": "exit"},
    ))
    proc = _run(target / "bin" / "packls", "serve", cwd=tmp_path, env=env, stdin=session, timeout=60)
    assert proc.returncode == 0, proc.stderr.decode()[-3000:]
    answers = {m.get("id"): m for m in messages(proc.stdout) if "id" in m and "method" not in m}
    init = answers[1]["result"]
    assert init["serverInfo"] == {"name": "packls", "version": "0.1.0"}  # type: ignore[index]
    assert init["capabilities"]["hoverProvider"]  # type: ignore[index]
    assert answers[2] == {"jsonrpc": "2.0", "id": 2, "result": None}
