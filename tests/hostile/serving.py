"""A packls language server for hostile-input, fuzz and security tests, watched by an audit hook.

Every server started here runs `packls serve` under a Python audit hook that records any
attempt to start a process or open a network connection. After each test the record must
be empty: whatever the workspace holds, the server never executes anything or calls out.

Test modules import the `server` fixture (and `h`) and define `folders` (and optionally
`settings`).
"""

from __future__ import annotations

import atexit
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

import pytest
import pytest_lsp
from pytest_lsp import ClientServerConfig, LanguageClient

from tests.lsp.conftest import DEFAULT_SETTINGS, start, stop
from tests.lsp.harness import CLIENTS, Harness, make_client, server_env

WATCHED_EVENTS = (
    "subprocess.Popen", "os.system", "os.exec", "os.posix_spawn", "os.spawn", "os.fork", "os.forkpty",
    "socket.connect", "socket.getaddrinfo", "socket.sendto", "pty.spawn",
)
AUDIT_DIR = Path(tempfile.mkdtemp(prefix="packls-audit-"))
atexit.register(shutil.rmtree, AUDIT_DIR, True)
AUDIT_LOG = AUDIT_DIR / "events.log"
DATA_HOME = AUDIT_DIR / "no-data-home"  # never created: no synced registry facts

# `packls serve`, with an audit hook installed before packls is imported.
BOOT = f"""
import os, sys
_log = os.environ.get("PACKLS_TEST_AUDIT_LOG")
if _log:
    def _hook(event, args, _open=open, _watched={WATCHED_EVENTS!r}):
        if event.startswith(_watched):
            with _open(_log, "a", encoding="utf-8") as out:
                out.write(f"{{event}} {{args!r}}\\n")
    sys.addaudithook(_hook)
from packls.cli import main
sys.exit(main(["serve"]))
"""


def audited_env() -> dict[str, str]:
    env = server_env(DATA_HOME)
    env["PACKLS_TEST_AUDIT_LOG"] = str(AUDIT_LOG)
    return env


CONFIG = ClientServerConfig(server_command=[sys.executable, "-c", BOOT], client_factory=make_client, server_env=audited_env())


def audit_events() -> list[str]:
    """What the audit hook recorded since the last reset."""
    return AUDIT_LOG.read_text(encoding="utf-8").splitlines() if AUDIT_LOG.exists() else []


def reset_audit() -> None:
    AUDIT_LOG.unlink(missing_ok=True)


@pytest.fixture
def settings() -> dict[str, Any]:
    """The `packls` settings the client answers with (override per module)."""
    return dict(DEFAULT_SETTINGS)


@pytest_lsp.fixture(params=CLIENTS, config=CONFIG)
async def server(request: pytest.FixtureRequest, lsp_client: LanguageClient, folders: list[Path], settings: dict[str, Any]):
    """A VS Code-like (UTF-16, pull) and a Neovim-like (UTF-8, push) session over `folders`."""
    reset_audit()
    lsp_client.harness = await start(lsp_client, request.param, folders, settings)  # type: ignore[attr-defined]
    yield
    process = lsp_client._server  # type: ignore[attr-defined]
    if process is None or process.returncode is None:  # a test may have ended the session itself
        await stop(lsp_client)
    if process is not None and process.returncode is None:  # a server that ignored exit must not hang the suite
        process.kill()
    assert audit_events() == [], "the language server started a process or opened a connection"


@pytest.fixture
def h(server: LanguageClient) -> Harness:
    """The harness of the `server` session."""
    return server.harness  # type: ignore[attr-defined,no-any-return]
