"""A registry store a repository names is read in bounded time and memory, or refused with one warning.

A packls.toml may name a SQLite file of the repository's own making. Its `runtime_version`
could be a recursive view: the read never ended and SQLite's temp file filled the disk.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

import packls.registry.sqlite_store as sqlite_store
from packls.registry.load import load_facts_checked
from packls.registry.sql_store import MAX_VERSION_ROWS
from packls.registry.sqlite_store import SqliteStore
from packls.registry.store import SyncBatch
from tests.hostile.workspace import write

ENDLESS = (
    "CREATE VIEW runtime_version AS WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n)"
    " SELECT 'core.python' AS runtime_ref, printf('%d.%0500d', i, i) AS version, 1 AS available,"
    " NULL AS verified_at, 0 AS is_default, NULL AS detected, NULL AS detail, NULL AS source FROM n"
)


def packls_store(path: Path, *statements: str) -> Path:
    """A real packls store (migrated by an empty sync), then `statements` run against it."""
    store = SqliteStore.open(path)
    store.apply(SyncBatch())
    store.close()
    with sqlite3.connect(path) as connection:
        for statement in statements:
            connection.execute(statement)
    return path


def test_a_recursive_view_named_by_packls_toml_is_refused_at_once(tmp_path: Path) -> None:
    packls_store(tmp_path / "store.sqlite3", "DROP TABLE runtime_version", ENDLESS)
    write(tmp_path / "p" / "pack.yaml", 'ref: pp\nversion: "1.0.0"\n')
    write(tmp_path / "packls.toml", 'database = "store.sqlite3"\n')

    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-m", "packls", "validate", "p"], cwd=tmp_path, capture_output=True, text=True, timeout=60,
        env={**os.environ, "XDG_DATA_HOME": str(tmp_path / "d"), "SQLITE_TMPDIR": str(tmp_path / "tmp")},
    )

    assert time.monotonic() - started < 30
    assert done.returncode == 0
    assert "not a packls database: it holds the view 'runtime_version'" in done.stderr


@pytest.mark.parametrize("statement", [
    "CREATE TRIGGER t AFTER INSERT ON runtime BEGIN SELECT 1; END",
    "CREATE VIEW extra AS SELECT 1",
])
def test_any_view_or_trigger_packls_did_not_create_is_refused(tmp_path: Path, statement: str) -> None:
    path = packls_store(tmp_path / "store.sqlite3", statement)

    loaded = load_facts_checked(str(path), named_by=tmp_path / "packls.toml")

    assert loaded.warning is not None and "not a packls database" in loaded.warning


def _many_versions(path: Path, count: int) -> Path:
    packls_store(path, "INSERT INTO runtime (ref, name, created, updated) VALUES ('x.py', 'py', '', '')")
    with sqlite3.connect(path) as connection:
        connection.executemany(
            "INSERT INTO runtime_version (runtime, runtime_ref, version, available, created, updated)"
            " VALUES (1, 'x.py', ?, 1, '', '')",
            ((f"1.{i}",) for i in range(count)),
        )
    return path


def test_a_read_that_outlives_its_deadline_is_interrupted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = _many_versions(tmp_path / "store.sqlite3", 50_000)
    monkeypatch.setattr(sqlite_store, "READ_SECONDS", 0.0)

    loaded = load_facts_checked(str(path), named_by=tmp_path / "packls.toml")

    assert loaded.warning is not None and "reading took longer than" in loaded.warning


def test_rows_are_capped(tmp_path: Path) -> None:
    path = _many_versions(tmp_path / "store.sqlite3", MAX_VERSION_ROWS + 10)

    store = SqliteStore.open(path, create=False, read_only=True)
    try:
        state = store.read_state()
    finally:
        store.close()

    assert len(state.versions) == MAX_VERSION_ROWS
