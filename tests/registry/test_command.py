"""The `packls sync` command: what it asks for, where it stores, what it prints, how it exits."""

from __future__ import annotations

import argparse
import io
import json
import os
import pty
import subprocess
from pathlib import Path

import pytest

from packls.registry import load_facts
from packls.registry.command import add_sync_arguments, run_sync

from .support import DATA, IndexServer, index_bytes, make_index, run_cli, standard_index


def test_nothing_to_do_is_a_usage_error() -> None:
    result = run_cli()

    assert result.code == 2
    assert result.err == "packls sync: error: nothing to do: give --index, --detect, --workers or --status, or list `indexes` in packls.toml\n"


def test_detect_and_workers_together_are_refused() -> None:
    result = run_cli("--detect", "--workers", str(DATA / "workers.json"))

    assert result.code == 2 and "run them separately" in result.err


def test_the_default_store_is_a_file_in_the_user_data_directory(tmp_path: Path) -> None:
    result = run_cli("--workers", str(DATA / "workers.json"))

    assert result.code == 0
    assert (tmp_path / "xdg-data" / "packls" / "registry.sqlite3").is_file()
    assert load_facts(None).is_available("core.python", "3.12")


def test_packls_database_overrides_the_default(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PACKLS_DATABASE", str(tmp_path / "team.db"))

    run_cli("--workers", str(DATA / "workers.json"))

    assert (tmp_path / "team.db").is_file()
    assert not (tmp_path / "xdg-data" / "packls" / "registry.sqlite3").exists()


def test_status_before_any_sync_is_empty_and_creates_nothing(tmp_path: Path) -> None:
    result = run_cli("--status")

    assert result.code == 0
    assert "indexes: none synced" in result.out and "runtime versions: none verified" in result.out
    assert not (tmp_path / "xdg-data").exists()


def test_status_shows_indexes_and_runtime_versions(http_server: IndexServer, tmp_path: Path) -> None:
    database = str(tmp_path / "r.db")
    http_server.serve_json("/index.json", index_bytes(standard_index()))
    run_cli("--index", http_server.url("/index.json"), "--database", database)
    run_cli("--detect", str(DATA / "workspace"), "--database", database)
    http_server.serve_status("/index.json", 500)
    run_cli("--index", http_server.url("/index.json"), "--database", database, "--refresh")

    text = run_cli("--status", "--database", database).out

    assert f"  [0] {http_server.url('/index.json')}: 2 packs, fetched " in text
    assert "      last error at " in text and "HTTP 500 Internal Server Error" in text
    assert "  toolbox.tool 1.2: available (verified " in text and "source detect, detected 1.2.7)" in text
    assert "  toolbox.tool 2.0: unavailable" in text


def test_status_json_has_one_entry_per_index_and_version(http_server: IndexServer, tmp_path: Path) -> None:
    database = str(tmp_path / "r.db")
    http_server.serve_json("/index.json", index_bytes(standard_index()))
    run_cli("--index", http_server.url("/index.json"), "--detect", str(DATA / "workspace"), "--database", database)

    status = json.loads(run_cli("--status", "--format", "json", "--database", database).out)

    assert set(status) == {"database", "mode", "indexes", "unusable_indexes", "runtime_versions"}
    assert status["indexes"][0]["packs"] == 2
    tool = next(v for v in status["runtime_versions"] if (v["ref"], v["version"]) == ("toolbox.tool", "1.2"))
    assert tool["available"] and tool["source"] == "detect" and tool["verified_at"].endswith("Z")


def test_a_sync_report_can_be_json(http_server: IndexServer, tmp_path: Path) -> None:
    http_server.serve_status("/index.json", 404)

    result = run_cli("--index", http_server.url("/index.json"), "--format", "json", "--database",
                     str(tmp_path / "r.db"))

    report = json.loads(result.out)
    assert result.code == 1
    assert report["indexes"] == [{"url": http_server.url("/index.json"), "priority": 0, "status": "failed",
                                  "packs": None, "error": f"{http_server.url('/index.json')}: HTTP 404 Not Found",
                                  "snapshot_in_use": False}]


def test_one_failing_index_among_good_ones_exits_1(http_server: IndexServer, tmp_path: Path) -> None:
    http_server.serve_json("/good.json", index_bytes(make_index(("slack", "1.0.0"))))
    http_server.serve_status("/bad.json", 500)

    result = run_cli("--index", http_server.url("/good.json"), "--index", http_server.url("/bad.json"),
                     "--database", str(tmp_path / "r.db"))

    assert result.code == 1
    assert list(load_facts(str(tmp_path / "r.db")).packs) == ["slack"]


def test_passwords_in_index_urls_never_reach_the_output(http_server: IndexServer, tmp_path: Path) -> None:
    database = str(tmp_path / "r.db")
    http_server.serve_json("/index.json", index_bytes(standard_index()))
    url = f"http://reader:hunter2@127.0.0.1:{http_server.port}/index.json"

    sync = run_cli("--index", url, "--database", database)
    status_text = run_cli("--status", "--database", database).out
    status_json = run_cli("--status", "--format", "json", "--database", database).out

    assert sync.code == 0
    for output in (sync.out, status_text, status_json, str(load_facts(database).packs["slack"])):
        assert "hunter2" not in output
    assert "reader:***@127.0.0.1" in status_text


def test_progress_bars_only_on_a_terminal(http_server: IndexServer, tmp_path: Path) -> None:
    http_server.serve_json("/index.json", index_bytes(standard_index()))
    parser = argparse.ArgumentParser()
    add_sync_arguments(parser)
    args = parser.parse_args(["--index", http_server.url("/index.json"), "--database", str(tmp_path / "r.db"),
                              "--refresh"])
    leader, follower = pty.openpty()
    terminal = os.fdopen(follower, "w", encoding="utf-8")
    pipe = io.StringIO()

    assert run_sync(args, stdout=terminal) == 0
    terminal.flush()
    drawn = os.read(leader, 65536).decode("utf-8", "replace")
    assert run_sync(args, stdout=pipe) == 0

    assert "pack indexes" in drawn and "\x1b[" in drawn
    assert "\x1b[" not in pipe.getvalue() and "pack indexes" not in pipe.getvalue()
    terminal.close()
    os.close(leader)


def test_reading_facts_never_runs_a_command(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    database = str(tmp_path / "r.db")
    run_cli("--detect", str(DATA / "workspace"), "--database", database)

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("a command was run while reading facts")

    monkeypatch.setattr(subprocess, "Popen", refuse)
    facts = load_facts(database)

    assert facts.is_available("toolbox.tool", "1.2")


def test_the_module_entry_point_runs_the_same_command(tmp_path: Path) -> None:
    import sys

    completed = subprocess.run(
        [sys.executable, "-m", "packls.registry", "--workers", str(DATA / "workers.json"), "--database",
         str(tmp_path / "r.db")],
        capture_output=True, text=True, timeout=60,
    )

    assert completed.returncode == 0, completed.stderr
    assert "runtime core.python 3.12: available (3.12) - worker worker-py advertises 3.12" in completed.stdout
