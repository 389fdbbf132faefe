"""`packls sync --workers`: availability from Attune's GET /api/v1/workers payload."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from packls.registry import load_facts
from packls.registry.detect import target_for
from packls.registry.workers import WorkersFormatError, match_workers, parse_workers

from .support import DATA, IndexServer, run_cli


def _target(ref: str, name: str, version: str):
    return target_for(ref, name, version)


def test_both_capability_shapes_are_read_and_names_normalised() -> None:
    adverts = parse_workers((DATA / "workers.json").read_bytes())

    assert [(a.worker, dict(a.runtime_versions)) for a in adverts] == [
        ("worker-py", {"python": ("3.13", "3.12"), "shell": ("5.2",)}),
        ("worker-node", {"node": ("20.11.1",)}),
    ]  # worker-retired is inactive and serves nothing


def test_a_bare_list_is_accepted_as_well_as_a_data_envelope() -> None:
    payload = [{"name": "w", "capabilities": {"runtime_versions": {"golang": ["1.22"]}}}]

    (advert,) = parse_workers(json.dumps(payload))

    assert advert.runtime_versions == {"go": ("1.22",)}


@pytest.mark.parametrize("payload", ['{"workers": []}', '"x"', "[1]", "{nope"])
def test_anything_else_is_a_format_error(payload: str) -> None:
    with pytest.raises(WorkersFormatError):
        parse_workers(payload)


def test_versions_match_with_the_precision_aware_worker_rule() -> None:
    adverts = parse_workers((DATA / "workers.json").read_bytes())
    targets = [
        _target("core.python", "Python", "3.12"),
        _target("core.python", "Python", "3.11"),
        _target("core.nodejs", "Node.js", "20"),
        _target("core.nodejs", "Node.js", "18"),
        _target("core.shell", "Shell", "5.2"),
        _target("team.py", "python3", "3.13"),
    ]

    matches = {(m.target.runtime_ref, m.target.version): m for m in match_workers(targets, adverts)}

    assert matches["core.python", "3.12"].available and matches["core.python", "3.12"].worker == "worker-py"
    assert not matches["core.python", "3.11"].available  # only the inactive worker had it
    assert matches["core.nodejs", "20"].available and matches["core.nodejs", "20"].advertised == "20.11.1"
    assert not matches["core.nodejs", "18"].available
    assert matches["core.shell", "5.2"].available
    assert matches["team.py", "3.13"].available  # runtime name "python3" normalises to python


def test_a_workers_import_marks_declared_versions(tmp_path: Path, database: str) -> None:
    result = run_cli("--workers", str(DATA / "workers.json"), "--database", database)

    assert result.code == 0, result.err
    facts = load_facts(database)
    python312 = facts.availability_of("core.python", "3.12")
    assert python312 is not None and python312.available and python312.source == "workers"
    assert python312.detected == "3.12"
    assert facts.is_available("core.nodejs", "20")
    assert not facts.is_available("core.nodejs", "22")
    assert not facts.is_available("core.python", "3.11")


def test_workers_can_be_fetched_from_an_api_url_with_a_token(
    http_server: IndexServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    http_server.serve_json("/api/v1/workers", (DATA / "workers.json").read_bytes())
    monkeypatch.setenv("PACKLS_ATTUNE_TOKEN", "tok-123")

    result = run_cli("--workers", http_server.url("/api/v1/workers"), "--database", str(tmp_path / "r.db"))

    assert result.code == 0
    assert http_server.requests_to("/api/v1/workers")[0].headers["Authorization"] == "Bearer tok-123"
    assert "tok-123" not in result.out + result.err


def test_a_broken_workers_payload_is_reported_and_changes_nothing(tmp_path: Path) -> None:
    database = str(tmp_path / "r.db")
    run_cli("--workers", str(DATA / "workers.json"), "--database", database)
    broken = tmp_path / "workers.json"
    broken.write_text('{"data": 3}')

    result = run_cli("--workers", str(broken), "--database", database)

    assert result.code == 1
    assert "workers: expected a JSON list of workers" in result.out
    assert load_facts(database).is_available("core.python", "3.12")


def test_workspace_runtimes_are_matched_too(tmp_path: Path) -> None:
    payload = tmp_path / "workers.json"
    payload.write_text(json.dumps([{"name": "w", "capabilities": {"runtime_versions": {"tool": ["1.2.9"]}}}]))

    run_cli("--workers", str(payload), str(DATA / "workspace"), "--database", str(tmp_path / "r.db"))

    facts = load_facts(str(tmp_path / "r.db"))
    assert facts.is_available("toolbox.tool", "1.2")
    assert not facts.is_available("toolbox.tool", "2.0")
