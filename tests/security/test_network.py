"""Network rules: a workspace file never makes packls connect to another machine, nor hang it.

`packls sync`'s own fetch rules (https anywhere, plain http only to loopback, redirects only
to the same origin and refused before connecting, size and time limits) are pinned by
tests/registry/test_fetch.py; this module pins what holds for validate, resolve and the
language server, which read a store a workspace file may name.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

import packls.registry.load as load_module
from packls.registry.load import load_facts_checked, remote_host
from tests.hostile.serving import h, server  # noqa: F401 (fixtures)
from tests.lsp.harness import Harness, wait_for

REMOTE = "postgresql://victim:pw@db.attacker.invalid:5432/packls"


@pytest.mark.parametrize(
    "dsn, host",
    [
        ("postgresql://u@127.0.0.1:5432/db", None),
        ("postgresql://u@localhost/db", None),
        ("postgresql://u@[::1]/db", None),
        ("postgresql:///db?host=/var/run/postgresql", None),
        ("postgresql://u@db.example.com/db", "db.example.com"),
        ("postgresql://u@127.0.0.1,db.example.com/db", "db.example.com"),
        ("postgresql://u@localhost/db?hostaddr=192.0.2.7", "192.0.2.7"),
    ],
)
def test_remote_hosts_are_recognised_in_every_spelling(dsn: str, host: str | None) -> None:
    assert remote_host(dsn) == host


def test_a_remote_database_named_by_a_workspace_file_is_never_contacted(monkeypatch: pytest.MonkeyPatch) -> None:
    import psycopg

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("packls tried to connect")

    monkeypatch.setattr(psycopg, "connect", refuse)
    monkeypatch.setattr(psycopg.Connection, "connect", refuse)
    loaded = load_facts_checked(REMOTE, named_by=Path("/repo/packls.toml"))
    assert not loaded.facts.availability and loaded.warning is not None
    assert "packls.toml names the database" in loaded.warning and "db.attacker.invalid" in loaded.warning
    assert ":pw@" not in loaded.warning  # the password is masked


def test_a_database_the_user_names_is_still_used(monkeypatch: pytest.MonkeyPatch) -> None:
    tried: list[str] = []
    monkeypatch.setattr(load_module, "_read_state", lambda kind, target: tried.append(target))
    load_facts_checked(REMOTE)  # --database or $PACKLS_DATABASE: the user's own choice
    assert tried == [REMOTE]


def test_a_pipe_named_as_the_database_does_not_hang(tmp_path: Path) -> None:
    pipe = tmp_path / "registry.sqlite3"
    os.mkfifo(pipe)
    started = time.perf_counter()
    loaded = load_facts_checked(str(pipe))
    assert time.perf_counter() - started < 5
    assert loaded.warning is not None and "not a database file" in loaded.warning


def _listener() -> tuple[socket.socket, list[bytes]]:
    """A TCP port on loopback that records whether anything connected."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(4)
    listener.settimeout(0.2)
    seen: list[bytes] = []

    def accept() -> None:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                connection, _ = listener.accept()
            except OSError:
                continue
            seen.append(connection.recv(64))
            connection.close()

    threading.Thread(target=accept, daemon=True).start()
    return listener, seen


def test_validate_never_connects_to_a_remote_database_a_packls_toml_names(tmp_path: Path) -> None:
    (tmp_path / "p").mkdir()
    (tmp_path / "p" / "pack.yaml").write_text('ref: pp\nversion: "1.0.0"\n')
    (tmp_path / "packls.toml").write_text(f'database = "{REMOTE}"\n')
    done = subprocess.run(
        [sys.executable, "-m", "packls", "validate", "p"], cwd=tmp_path, capture_output=True, text=True, timeout=60,
        env={**os.environ, "XDG_DATA_HOME": str(tmp_path / "data"), "PGCONNECT_TIMEOUT": "2"},
    )
    assert done.returncode == 0
    assert "names the database" in done.stderr and "only when you name it yourself" in done.stderr


def test_validate_still_reads_a_loopback_database_a_packls_toml_names(tmp_path: Path) -> None:
    listener, seen = _listener()
    port = listener.getsockname()[1]
    (tmp_path / "p").mkdir()
    (tmp_path / "p" / "pack.yaml").write_text('ref: pp\nversion: "1.0.0"\n')
    (tmp_path / "packls.toml").write_text(f'database = "postgresql://u@127.0.0.1:{port}/db"\n')
    done = subprocess.run(
        [sys.executable, "-m", "packls", "validate", "p"], cwd=tmp_path, capture_output=True, text=True, timeout=60,
        env={**os.environ, "XDG_DATA_HOME": str(tmp_path / "data")},
    )
    listener.close()
    assert done.returncode == 0 and "registry facts not loaded" in done.stderr  # tried, failed, said so once
    assert seen  # a loopback database is this machine's: allowed


# --- the language server ----------------------------------------------------------------------------


@pytest.fixture
def folders(tmp_path: Path) -> list[Path]:
    root = tmp_path / "ws"
    (root / "p").mkdir(parents=True)
    (root / "p" / "pack.yaml").write_text('ref: pp\nversion: "1.0.0"\n')
    (root / "packls.toml").write_text(f'database = "{REMOTE}"\n')
    return [root]


@pytest.fixture
def settings() -> dict[str, object]:
    return {"debounceMs": 20, "pollIntervalMs": 150}


async def test_the_server_refuses_a_remote_database_from_the_workspace_and_says_so(h: Harness, folders: list[Path]) -> None:
    doc = h.open(folders[0] / "p" / "pack.yaml")
    await h.diagnostics(doc)
    await wait_for(lambda: any("only when you name it yourself" in m.message for m in h.client.messages), "the warning")
    h.close(doc)
