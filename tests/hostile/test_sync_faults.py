"""Sync faults the registry tests leave out: the database going away mid-sync, and garbage payloads.

Already pinned in tests/registry (not repeated here): garbage, truncated, oversized, hanging
and off-host-redirecting index servers (test_index_sync.py::BREAKAGES, test_fetch.py), kill -9
mid-transaction and mid-migration on SQLite and PostgreSQL, two syncs at once, readers during
a sync (test_stores.py), verification commands that hang, flood output, spawn children or do
not exist (test_detect.py).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest

from packls.registry import load_facts, load_facts_checked
from packls.registry.index_format import IndexFormatError, parse_index
from packls.registry.store import PAUSE_MARKER_ENV, PAUSE_SECONDS_ENV
from packls.registry.workers import WorkersFormatError, parse_workers
from tests.registry.conftest import _private_user_dirs, connections, postgres_dsn, postgres_server  # noqa: F401 (fixtures)
from tests.registry.support import index_bytes, make_index, run_cli, wait_for


def _spawn(*args: str, marker: Path, pause: float = 60) -> subprocess.Popen[str]:
    env = {**os.environ, PAUSE_MARKER_ENV: str(marker), PAUSE_SECONDS_ENV: str(pause)}
    return subprocess.Popen([sys.executable, "-m", "packls.registry", *args], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _index(path: Path, *packs: tuple[str, str]) -> str:
    path.write_bytes(index_bytes(make_index(*packs)))
    return str(path)


def _sqlite_sync_inside_its_transaction(tmp_path: Path, pause: float = 60) -> tuple[Path, str, subprocess.Popen[str]]:
    """A SQLite store synced once, and a refresh of it paused inside its write transaction."""
    database = tmp_path / "registry.sqlite3"
    index = _index(tmp_path / "index.json", ("slack", "1.0.0"))
    assert run_cli("--index", index, "--database", str(database)).code == 0
    marker = tmp_path / "in-transaction"
    sync = _spawn("--index", index, "--refresh", "--database", str(database), marker=marker, pause=pause)
    wait_for(marker.exists)
    return database, index, sync


def test_postgres_going_away_mid_sync_fails_cleanly_and_keeps_the_previous_state(tmp_path: Path, postgres_dsn: str) -> None:
    index = _index(tmp_path / "index.json", ("slack", "1.0.0"))
    assert run_cli("--index", index, "--database", postgres_dsn).code == 0
    _index(tmp_path / "index.json", ("slack", "2.0.0"), ("jira", "1.0.0"))
    marker = tmp_path / "in-transaction"
    sync = _spawn("--index", index, "--refresh", "--database", postgres_dsn, marker=marker, pause=3)
    wait_for(marker.exists)

    database = postgres_dsn.rsplit("/", 1)[1]
    with psycopg.connect(postgres_dsn, autocommit=True) as admin:  # the server drops the sync's connection
        killed = admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()", (database,)
        ).fetchall()
    assert killed and all(row[0] for row in killed)
    out, err = sync.communicate(timeout=120)

    assert sync.returncode == 2, (out, err)
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1 and "packls sync: error:" in err
    assert "s3cret" not in err  # the password never shows
    assert {ref: p.version for ref, p in load_facts(postgres_dsn).packs.items()} == {"slack": "1.0.0"}
    again = run_cli("--index", index, "--refresh", "--database", postgres_dsn)
    assert again.code == 0, again.err
    assert {ref: p.version for ref, p in load_facts(postgres_dsn).packs.items()} == {"slack": "2.0.0", "jira": "1.0.0"}


def test_a_sqlite_store_deleted_mid_sync_is_recreated_by_the_next_sync(tmp_path: Path) -> None:
    database, index, sync = _sqlite_sync_inside_its_transaction(tmp_path, pause=1)
    for leftover in tmp_path.glob("registry.sqlite3*"):
        leftover.unlink()  # the store (and its journal) vanish under the running sync
    out, err = sync.communicate(timeout=120)

    assert "Traceback" not in err, err
    assert sync.returncode in (0, 2) and len(err.strip().splitlines()) <= 1
    loaded = load_facts_checked(str(database))  # never a crash, whatever is (not) there now
    assert loaded.warning is None or "registry facts not loaded" in loaded.warning
    assert run_cli("--index", index, "--refresh", "--database", str(database)).code == 0
    assert list(load_facts(str(database)).packs) == ["slack"]


def test_a_sqlite_store_overwritten_with_garbage_mid_sync(tmp_path: Path) -> None:
    database, index, sync = _sqlite_sync_inside_its_transaction(tmp_path, pause=1)
    replacement = tmp_path / "garbage"
    replacement.write_bytes(os.urandom(8192))
    os.replace(replacement, database)  # another program puts something else at the path
    out, err = sync.communicate(timeout=120)

    assert "Traceback" not in err, err
    loaded = load_facts_checked(str(database))
    assert loaded.facts.packs == {} and loaded.warning is not None and "registry facts not loaded" in loaded.warning
    after = run_cli("--index", index, "--database", str(database))
    assert after.code == 2 and "Traceback" not in after.err and len(after.err.strip().splitlines()) == 1


def test_a_sync_killed_while_a_reader_holds_the_store_leaves_it_readable(tmp_path: Path) -> None:
    database, index, sync = _sqlite_sync_inside_its_transaction(tmp_path)
    during = load_facts_checked(str(database))
    sync.send_signal(signal.SIGKILL)
    sync.wait(30)
    assert during.warning is None and list(during.facts.packs) == ["slack"]
    assert list(load_facts(str(database)).packs) == ["slack"]


# --- payloads no parser should choke on (random ones: tests/fuzz/test_payloads_fuzz.py) ---------------


@pytest.mark.parametrize("payload", [b"[" * 100_000, b'{"a":' * 100_000, b"1" * 5_000_000, b'"' + b"\\u0000" * 100_000 + b'"'])
def test_deep_or_huge_json_is_refused_without_a_recursion_error(payload: bytes) -> None:
    with pytest.raises(IndexFormatError):
        parse_index(payload)
    with pytest.raises(WorkersFormatError):
        parse_workers(payload)
