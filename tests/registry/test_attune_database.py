"""Against Attune's own database, a sync behaves like Attune's worker: availability only."""

from __future__ import annotations

import json
from pathlib import Path

import psycopg
import pytest

from packls.registry import load_facts

from .support import DATA, run_cli


@pytest.fixture
def attune_dsn(postgres_dsn: str) -> str:
    with psycopg.connect(postgres_dsn, autocommit=True) as connection:
        connection.execute((DATA / "attune_schema.sql").read_text())
    return postgres_dsn


def _rows(dsn: str) -> dict[str, tuple]:
    with psycopg.connect(dsn) as connection:
        rows = connection.execute(
            "SELECT version, available, verified_at IS NOT NULL, execution_config, updated > created"
            " FROM runtime_version ORDER BY version"
        ).fetchall()
    return {row[0]: tuple(row[1:]) for row in rows}


def _has_table(dsn: str, name: str) -> bool:
    with psycopg.connect(dsn) as connection:
        return connection.execute("SELECT to_regclass(%s) IS NOT NULL", (name,)).fetchone()[0]


def test_detect_verifies_the_registered_versions_and_sets_only_availability(attune_dsn: str) -> None:
    before = _rows(attune_dsn)

    result = run_cli("--detect", str(DATA / "workspace"), "--database", attune_dsn)

    assert result.code == 0, result.err
    after = _rows(attune_dsn)
    assert after["3.12"][:2] == (True, True)  # verified by its own registered command
    assert after["3.11"][:2] == (False, True)  # its binary does not exist
    assert after["9.9"][:2] == (True, True)  # no commands, no interpreter: assumed available
    assert after["3.10"] == before["3.10"]  # retired: untouched
    assert all(after[v][2] == before[v][2] for v in after)  # execution_config never written
    assert "toolbox.tool 1.2" not in result.out  # workspace versions are not Attune's to add


def test_an_attune_database_is_never_migrated(attune_dsn: str) -> None:
    run_cli("--detect", "--database", attune_dsn)

    assert not _has_table(attune_dsn, "schema_migrations")
    assert not _has_table(attune_dsn, "index_snapshot")


def test_facts_read_from_an_attune_database_follow_its_flags(attune_dsn: str) -> None:
    run_cli("--detect", "--database", attune_dsn)

    facts = load_facts(attune_dsn)

    assert facts.is_available("core.python", "3.12") and not facts.is_available("core.python", "3.11")
    assert facts.availability_of("core.python", "3.10") is None  # retired rows are not facts
    assert facts.availability_of("core.python", "3.12").source == "attune-db"


def test_worker_payloads_update_availability_in_attune_too(attune_dsn: str, tmp_path: Path) -> None:
    payload = tmp_path / "workers.json"
    payload.write_text(json.dumps([{"name": "w", "capabilities": {"runtime_versions": {"python": ["3.11.4"]}}}]))

    result = run_cli("--workers", str(payload), "--database", attune_dsn)

    assert result.code == 0, result.err
    rows = _rows(attune_dsn)
    assert rows["3.11"][:2] == (True, True) and rows["3.12"][:2] == (False, True)


def test_index_snapshots_are_refused_for_an_attune_database(attune_dsn: str, tmp_path: Path) -> None:
    index = tmp_path / "index.json"
    index.write_text((DATA / "index_standard.json").read_text())

    result = run_cli("--index", str(index), "--database", attune_dsn)

    assert result.code == 2
    assert "is an Attune database: index snapshots cannot be stored there" in result.err
    assert "s3cret" not in result.err


def test_status_of_an_attune_database_lists_its_versions(attune_dsn: str) -> None:
    status = json.loads(run_cli("--status", "--format", "json", "--database", attune_dsn).out)

    assert status["mode"] == "attune"
    assert [(v["ref"], v["version"]) for v in status["runtime_versions"]] == [
        ("core.python", "3.11"), ("core.python", "3.12"), ("toolbox.tool", "9.9")]
