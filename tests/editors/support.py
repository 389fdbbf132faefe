"""Shared helpers for the editor integration tests (Neovim, VS Code).

A missing tool skips a test on a developer's machine, but fails it in CI (`CI=true`), where
`scripts/install-editor-deps.sh` must have installed everything.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
EDITORS = REPO / "editors"
VSCODE = EDITORS / "vscode"
NVIM_PLUGIN = EDITORS / "nvim"
PACKS = REPO / "packs"
INSTALL_HINT = "run `bash scripts/install-editor-deps.sh`"


def in_ci() -> bool:
    """True in CI, where a missing editor tool is a failure, not a skip."""
    return os.environ.get("CI", "").lower() in ("true", "1", "yes")


def missing(what: str) -> None:
    """Skip locally, fail in CI."""
    message = f"{what} is missing: {INSTALL_HINT}"
    if in_ci():
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


def venv_bin() -> Path:
    """The folder of the interpreter running the tests (the project venv's bin)."""
    return Path(sys.executable).parent


def nvim_version(binary: Path | str) -> str | None:
    """'0.7.2' for an nvim binary, or None when it does not run."""
    try:
        out = subprocess.run([str(binary), "--version"], capture_output=True, text=True, timeout=20).stdout
    except (OSError, subprocess.TimeoutExpired):
        return None
    first = out.splitlines()[0] if out else ""
    return first.removeprefix("NVIM v").split("-")[0] if first.startswith("NVIM v") else None


def find_nvim(series: str) -> Path | None:
    """The nvim binary of a release series: 0.7 from Debian (/usr/bin), 0.11 from the venv wheel."""
    candidates = {
        "0.7": [Path("/usr/bin/nvim")],
        "0.11": [venv_bin() / "nvim", REPO / ".venv" / "bin" / "nvim"],
    }[series]
    for candidate in candidates:
        version = nvim_version(candidate) if candidate.exists() else None
        if version is not None and version.startswith(series + "."):
            return candidate
    return None


def tool_env() -> dict[str, str]:
    """The environment for tools that start the server: the venv's bin first on PATH."""
    env = dict(os.environ)
    env["PATH"] = os.pathsep.join([str(venv_bin()), env.get("PATH", "")])
    env["PACKLS_PYTHON"] = sys.executable
    return env


def npm() -> str | None:
    return shutil.which("npm")


def npm_run(*args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    """npm in editors/vscode, with the venv's python first on PATH (the bundle is built by it)."""
    tool = npm()
    if tool is None:
        missing("npm")
    if not (VSCODE / "node_modules" / ".bin" / "tsc").exists():
        missing("editors/vscode/node_modules")
    return subprocess.run(
        [tool, *args], cwd=VSCODE, env=tool_env(), capture_output=True, text=True, timeout=timeout,
        stdin=subprocess.DEVNULL,
    )
