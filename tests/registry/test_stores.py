"""Both stores: Attune-shaped tables, versioned migrations, one transaction per sync, kill -9, concurrency."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path


from packls.facts import NO_FACTS
from packls.registry import load_facts, load_facts_checked
from packls.registry.store import PAUSE_MARKER_ENV, PAUSE_SECONDS_ENV, open_store

from .support import DATA, PostgresServer, index_bytes, make_index, run_cli, wait_for


def _query(database: str, sql: str) -> list[tuple]:
    if database.startswith("postgresql://"):
        import psycopg

        with psycopg.connect(database) as connection:
            return [tuple(row) for row in connection.execute(sql).fetchall()]
    with sqlite3.connect(database) as connection:
        return connection.execute(sql).fetchall()


def _workspace_detect(database: str) -> None:
    result = run_cli("--detect", str(DATA / "workspace"), "--database", database)
    assert result.code == 0, result.err


def test_detection_rows_mirror_attunes_runtime_version_columns(database: str) -> None:
    _workspace_detect(database)

    rows = _query(database, "SELECT version, version_major, version_minor, version_patch, is_default, available,"
                            " verified_at IS NOT NULL, source, detected FROM runtime_version"
                            " WHERE runtime_ref = 'toolbox.tool' ORDER BY version")
    assert [tuple(bool(v) if i in (4, 5, 6) else v for i, v in enumerate(r)) for r in rows] == [
        ("1.2", 1, 2, None, True, True, True, "detect", "1.2.7"),
        ("2.0", 2, 0, None, False, False, True, "detect", None),
        ("3.0", 3, 0, None, False, True, True, "detect", _query_python_version()),
        ("4.0", 4, 0, None, False, True, True, "detect", None),
    ]
    node20 = _query(database, "SELECT version_major, version_minor, meta, execution_config FROM runtime_version"
                              " WHERE runtime_ref = 'core.nodejs' AND version = '20'")[0]
    assert (node20[0], node20[1]) == (20, None)
    assert _json(node20[2]) == {"lts_codename": "iron", "eol": "2026-04-30"}
    assert _json(node20[3])["interpreter"]["binary"] == "node20"
    assert _query(database, "SELECT ref, pack_ref, name FROM runtime WHERE ref = 'toolbox.tool'") == [
        ("toolbox.tool", "toolbox", "Tool")]


def _query_python_version() -> str:
    out = subprocess.run(["python3", "--version"], capture_output=True, text=True).stdout
    return out.split()[1]


def _json(value: object) -> object:
    return json.loads(value) if isinstance(value, str) else value


def test_detection_facts_reach_the_core(database: str) -> None:
    _workspace_detect(database)

    facts = load_facts(database)

    fact = facts.availability_of("toolbox.tool", "1.2")
    assert fact is not None and fact.available and fact.detected == "1.2.7" and fact.source == "detect"
    assert fact.verified_at is not None and fact.verified_at.tzinfo is not None
    assert not facts.is_available("toolbox.tool", "2.0")


def test_migrations_are_recorded_once_and_not_reapplied(database: str) -> None:
    _workspace_detect(database)
    _workspace_detect(database)

    assert [row[:2] for row in _query(database, "SELECT version, name FROM schema_migrations")] == [(1, "initial")]
    assert _query(database, "SELECT COUNT(*) FROM runtime_version WHERE runtime_ref = 'toolbox.tool'") == [(4,)]


def test_postgres_columns_have_attunes_types(postgres_dsn: str) -> None:
    _workspace_detect(postgres_dsn)

    types = dict(_query(postgres_dsn, "SELECT column_name, data_type FROM information_schema.columns"
                                      " WHERE table_name = 'runtime_version'"))
    assert types["execution_config"] == types["distributions"] == types["meta"] == "jsonb"
    assert types["version_major"] == "integer" and types["available"] == "boolean"
    assert types["verified_at"] == "timestamp with time zone"
    constraints = _query(postgres_dsn, "SELECT pg_get_constraintdef(oid) FROM pg_constraint"
                                       " WHERE conrelid = 'runtime_version'::regclass AND contype = 'u'")
    assert constraints == [("UNIQUE (runtime, version)",)]


def test_a_store_from_a_newer_packls_is_refused(database: str) -> None:
    _workspace_detect(database)
    store = open_store(database)
    try:
        store._execute("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",  # type: ignore[attr-defined]
                       (99, "future", "2030-01-01"))
    finally:
        if database.startswith("postgresql://"):
            store._connection.commit()  # type: ignore[attr-defined]
        store.close()

    result = run_cli("--detect", "--database", database)

    assert result.code == 2
    assert "schema version 99 is newer than this packls supports (1); upgrade packls" in result.err


def test_a_corrupt_sqlite_file_gives_no_facts_and_a_clear_error(tmp_path: Path) -> None:
    database = tmp_path / "r.db"
    database.write_bytes(b"this is not sqlite" * 100)

    loaded = load_facts_checked(str(database))
    result = run_cli("--detect", "--database", str(database))

    assert loaded.facts == NO_FACTS and "not a valid packls database" in (loaded.warning or "")
    assert result.code == 2
    assert result.err.count("\n") == 1 and "not a valid packls database" in result.err


def test_an_unopenable_database_path_is_a_one_line_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")

    result = run_cli("--detect", "--database", str(blocker / "sub" / "r.db"))

    assert result.code == 2
    assert result.err.startswith("packls sync: error: ") and result.err.count("\n") == 1


def test_an_unreachable_postgres_is_a_one_line_error_without_the_password(postgres_server: PostgresServer) -> None:
    from .support import free_port

    dsn = f"postgresql://packls:{postgres_server.password}@127.0.0.1:{free_port()}/postgres"

    result = run_cli("--detect", "--database", dsn)
    loaded = load_facts_checked(dsn)

    assert result.code == 2 and result.err.count("\n") == 1
    assert postgres_server.password not in result.err and "packls:***@" in result.err
    assert loaded.facts == NO_FACTS and postgres_server.password not in (loaded.warning or "")


def test_a_wrong_postgres_password_is_reported_masked(postgres_server: PostgresServer) -> None:
    dsn = f"postgresql://packls:wrong-pw-42@127.0.0.1:{postgres_server.port}/postgres"

    result = run_cli("--status", "--database", dsn)

    assert result.code == 2
    assert "password authentication failed" in result.err and "wrong-pw-42" not in result.err


# --- one transaction per sync: kill -9 and concurrency --------------------------------------


def _spawn_sync(*args: str, pause: float | None = None, marker: Path | None = None) -> subprocess.Popen[bytes]:
    env = dict(os.environ)
    env.pop(PAUSE_MARKER_ENV, None)
    env.pop(PAUSE_SECONDS_ENV, None)
    if marker is not None:
        env[PAUSE_MARKER_ENV] = str(marker)
    if pause is not None:
        env[PAUSE_SECONDS_ENV] = str(pause)
    return subprocess.Popen([sys.executable, "-m", "packls.registry", *args], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def _write(path: Path, document: object) -> str:
    path.write_bytes(index_bytes(document) if isinstance(document, dict) else json.dumps(document).encode())
    return str(path)


def _workers(*python_versions: str) -> list[dict]:
    return [{"name": "w", "status": "active", "capabilities": {"runtime_versions": {"python": list(python_versions)}}}]


def test_a_sync_killed_mid_transaction_leaves_the_previous_state(tmp_path: Path, database: str) -> None:
    index = tmp_path / "index.json"
    workers = tmp_path / "workers.json"
    _write(index, make_index(("slack", "1.0.0")))
    _write(workers, _workers("3.12"))
    assert run_cli("--index", str(index), "--workers", str(workers), "--database", database).code == 0
    _write(index, make_index(("slack", "2.0.0"), ("jira", "1.0.0")))
    _write(workers, _workers("3.13"))
    marker = tmp_path / "in-transaction"

    sync = _spawn_sync("--index", str(index), "--workers", str(workers), "--refresh", "--database", database,
                       pause=60, marker=marker)
    wait_for(marker.exists)
    sync.send_signal(signal.SIGKILL)
    sync.wait(10)

    facts = load_facts(database)
    assert {ref: p.version for ref, p in facts.packs.items()} == {"slack": "1.0.0"}
    assert facts.is_available("core.python", "3.12") and not facts.is_available("core.python", "3.13")

    again = run_cli("--index", str(index), "--workers", str(workers), "--refresh", "--database", database)
    assert again.code == 0, again.err
    facts = load_facts(database)
    assert {ref: p.version for ref, p in facts.packs.items()} == {"slack": "2.0.0", "jira": "1.0.0"}
    assert facts.is_available("core.python", "3.13") and not facts.is_available("core.python", "3.12")


def test_a_sync_killed_during_the_first_migration_leaves_an_empty_store(tmp_path: Path, database: str) -> None:
    index = _write(tmp_path / "index.json", make_index(("slack", "1.0.0")))
    marker = tmp_path / "in-transaction"

    sync = _spawn_sync("--index", index, "--database", database, pause=60, marker=marker)
    wait_for(marker.exists)
    sync.send_signal(signal.SIGKILL)
    sync.wait(10)

    loaded = load_facts_checked(database)
    assert loaded.facts.packs == {} and not loaded.facts.indexes_synced and loaded.warning is None
    assert run_cli("--index", index, "--database", database).code == 0
    assert list(load_facts(database).packs) == ["slack"]


def test_two_syncs_at_once_run_one_after_the_other(tmp_path: Path, database: str) -> None:
    first = _write(tmp_path / "first.json", make_index(("slack", "1.0.0")))
    second = _write(tmp_path / "second.json", make_index(("jira", "2.0.0")))
    marker = tmp_path / "first-in-transaction"

    slow = _spawn_sync("--index", first, "--database", database, pause=1.5, marker=marker)
    wait_for(marker.exists)
    started = time.monotonic()
    fast = _spawn_sync("--index", second, "--database", database)
    fast_out, fast_err = fast.communicate(timeout=60)
    waited = time.monotonic() - started
    slow_out, slow_err = slow.communicate(timeout=60)

    assert slow.returncode == 0, slow_err.decode()
    assert fast.returncode == 0, fast_err.decode()
    assert waited >= 0.5  # it queued behind the first transaction instead of interleaving
    assert list(load_facts(database).packs) == ["jira"]
    assert [row[0] for row in _query(database, "SELECT version FROM schema_migrations")] == [1]
    assert [(row[0], bool(row[1])) for row in _query(database, "SELECT url, active FROM index_snapshot ORDER BY url")
            ] == [(first, False), (second, True)]


def test_reading_facts_during_a_sync_sees_the_last_committed_state(tmp_path: Path, database: str) -> None:
    index = _write(tmp_path / "index.json", make_index(("slack", "1.0.0")))
    run_cli("--index", index, "--database", database)
    _write(tmp_path / "index.json", make_index(("slack", "2.0.0")))
    marker = tmp_path / "in-transaction"

    sync = _spawn_sync("--index", index, "--refresh", "--database", database, pause=1.0, marker=marker)
    wait_for(marker.exists)
    during = load_facts_checked(database)
    sync.communicate(timeout=60)

    assert during.warning is None
    assert during.facts.packs["slack"].version == "1.0.0"
    assert load_facts(database).packs["slack"].version == "2.0.0"
