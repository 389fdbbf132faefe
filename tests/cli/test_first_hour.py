"""What a new user met in a first hour with packls: registry facts made visible, and each bug, fixed."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.cli.support import run

INDEX = Path(__file__).resolve().parents[1] / "registry" / "data" / "index_standard.json"
WORKERS = [{"status": "active", "capabilities": {"runtime_versions": {"python": ["3.12"]}}}]


@pytest.fixture
def pack(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("PACKLS_DATABASE", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    root = tmp_path / "demo"
    (root / "actions").mkdir(parents=True)
    (root / "pack.yaml").write_text('ref: demo\nversion: "1.0.0"\n')
    (root / "actions/run.sh").write_text("")
    (root / "actions/run.yaml").write_text("ref: demo.run\nrunner_type: python\nentry_point: run.sh\n")
    return root


# -- registry facts are visible --------------------------------------------------------------------


def synced_store(capsys, tmp_path: Path) -> str:
    database = str(tmp_path / "registry.db")
    (tmp_path / "workers.json").write_text(json.dumps(WORKERS))
    code, _, err = run(capsys, "sync", "--workers", str(tmp_path / "workers.json"), "--database", database)
    assert code == 0, err
    return database


def test_validate_and_resolve_say_which_store_shaped_the_results(pack, tmp_path, capsys):
    database = synced_store(capsys, tmp_path)
    code, out, err = run(capsys, "validate", "demo", "--database", database)
    assert err == f"packls: availability from {database}, synced just now (--no-registry ignores it)\n"
    _, out, err = run(capsys, "validate", "demo", "--database", database, "--format", "json")
    record = json.loads(out)["registry"]
    _, status, _ = run(capsys, "sync", "--status", "--format", "json", "--database", database)
    assert (record["store"], record["runtime_versions"]) == (database, len(json.loads(status)["runtime_versions"]))
    assert record["synced_at"].endswith("Z")
    assert err == ""  # machine formats carry it as a field instead
    _, out, _ = run(capsys, "validate", "demo", "--database", database, "--format", "sarif")
    assert json.loads(out)["runs"][0]["properties"]["registry"]["store"] == database
    _, out, err = run(capsys, "resolve", "demo", "--database", database)
    assert "availability from" in err and "3.12" in out
    _, out, _ = run(capsys, "resolve", "demo", "--database", database, "--format", "json")
    assert json.loads(out)["registry"]["store"] == database


def test_no_registry_ignores_synced_availability(pack, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("PACKLS_DATABASE", synced_store(capsys, tmp_path))
    (pack / "actions/run.yaml").write_text('ref: demo.run\nrunner_type: python\nentry_point: run.sh\nruntime_version: ">=3.13"\n')
    _, out, _ = run(capsys, "validate", "demo", "--format", "json")
    assert [d["code"] for d in json.loads(out)["diagnostics"]] == ["runtime_version.unavailable"]
    _, out, err = run(capsys, "validate", "demo", "--no-registry", "--format", "json")
    assert json.loads(out) == {"files": 2, "diagnostics": [], "registry": None} and err == ""
    code, _, err = run(capsys, "validate", "demo", "--no-registry", "--database", "x.db")
    assert code == 2 and "not allowed with argument" in err


def test_a_never_synced_machine_says_nothing(pack, capsys):
    code, out, err = run(capsys, "validate", "demo")
    assert (code, err) == (0, "")


# -- sync reads its store and indexes from the configuration ----------------------------------------


def test_sync_uses_the_configured_database_and_indexes(pack, tmp_path, capsys):
    database = tmp_path / "team.db"
    (tmp_path / "packls.toml").write_text(f'database = "{database}"\nindexes = ["{INDEX}"]\n')
    code, out, err = run(capsys, "sync")
    assert code == 0, err
    assert f"index {INDEX}: " in out and database.is_file()
    code, out, _ = run(capsys, "sync", "--status", "--format", "json")
    status = json.loads(out)
    assert status["database"] == str(database)
    assert [(i["usable"], i["packs"]) for i in status["indexes"]] == [(True, 2)]
    assert status["unusable_indexes"] == []  # a good snapshot is usable, and not listed as unusable too
    _, out, _ = run(capsys, "sync", "--status")
    assert "not consulted past an unusable one" not in out


def test_sync_refuses_a_remote_database_named_by_a_repository_file(pack, tmp_path, capsys):
    (tmp_path / "packls.toml").write_text('database = "postgresql://u:secret@db.example.org/attune"\n')
    code, _, err = run(capsys, "sync", "--status")
    assert code == 2 and "db.example.org" in err and "secret" not in err


def test_bare_sync_without_configured_indexes_says_how_to_configure_them(pack, capsys):
    code, _, err = run(capsys, "sync")
    assert code == 2 and "list `indexes` in packls.toml" in err


# -- serve --tcp ----------------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["127.0.0.1", "host:abc", ":2087", "127.0.0.1:70000"])
def test_a_bad_tcp_address_is_a_usage_error(capsys, value):
    code, _, err = run(capsys, "serve", "--tcp", value)
    assert code == 2 and "--tcp" in err and "Traceback" not in err


def test_port_zero_prints_the_port_chosen(tmp_path):
    process = subprocess.Popen(
        [sys.executable, "-m", "packls", "serve", "--tcp", "127.0.0.1:0"], stderr=subprocess.PIPE, text=True, cwd=tmp_path
    )
    try:
        line = process.stderr.readline()  # type: ignore[union-attr]
        match = re.fullmatch(r"packls: listening on 127\.0\.0\.1:(\d+)\n", line)
        assert match and int(match.group(1)) > 0
        import socket

        with socket.create_connection(("127.0.0.1", int(match.group(1))), timeout=5):
            pass
    finally:
        process.kill()
        process.wait(timeout=10)


# -- clearer messages ------------------------------------------------------------------------------


def test_resolve_columns_never_run_together(pack, capsys):
    (pack / "runtimes").mkdir()
    (pack / "runtimes/py.yaml").write_text(
        'ref: demo.py\nname: Py\nversions:\n  - version: "3.11"\n  - version: "3.12"\n    is_default: true\n'
    )
    (pack / "actions/run.yaml").write_text("ref: demo.run\nrunner_type: demo.py\nentry_point: run.sh\n")
    _, out, _ = run(capsys, "resolve", "demo")
    row = next(line for line in out.splitlines() if "not_default" in line)
    assert re.search(r"not_default {2,}a default exists", row), row


def test_a_latin1_file_is_reported_at_its_line_and_column(pack, capsys):
    (pack / "actions/run.yaml").write_bytes(b"ref: demo.run\nrunner_type: python\ndescription: caf\xe9 au lait\n")
    _, out, _ = run(capsys, "validate", "demo")
    assert out.splitlines()[0] == (
        "demo/actions/run.yaml:3:17: error metadata.unreadable the file is not UTF-8 text: byte 0xe9 on line 3, "
        "column 17 cannot be read (saved as Latin-1 or another encoding?); save it as UTF-8"
    )


def test_an_empty_file_is_said_to_be_empty(pack, capsys):
    (pack / "actions/empty.yaml").write_text("# nothing yet\n")
    _, out, _ = run(capsys, "validate", "demo")
    assert "component.not_object actions metadata must be a YAML object; the file is empty" in out


def test_validating_a_file_packls_does_not_read_says_why(pack, capsys):
    (pack / "actions/run.py").write_text("print(1)\n")
    code, out, err = run(capsys, "validate", "demo/actions/run.py")
    assert err == "packls: skipped demo/actions/run.py: Attune does not read it (pack files are .yaml/.yml metadata and requirements.txt)\n"
    assert out == "0 files checked: no problems\n"


@pytest.mark.parametrize("name", ["pack.yml", "Pack.yaml"])
def test_a_misnamed_manifest_is_reported(tmp_path, monkeypatch, capsys, name):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "good").mkdir()
    (tmp_path / "good/pack.yaml").write_text('ref: good\nversion: "1.0.0"\n')
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / name).write_text('ref: other\nversion: "1.0.0"\n')
    code, _, err = run(capsys, "validate", ".")
    assert code == 0
    assert f"packls: other/{name} is not read: Attune reads only a file named exactly pack.yaml" in err
    code, _, err = run(capsys, "validate", "other")
    assert code == 2 and "no pack found in other" in err and f"other/{name} is not read" in err


def test_versions_sharing_one_interpreter_are_flagged_by_validate_and_by_detect(pack, tmp_path, capsys):
    (pack / "runtimes").mkdir()
    (pack / "runtimes/py.yaml").write_text(
        f"ref: demo.py\nname: DemoPy\nexecution_config: &py\n  interpreter: {{binary: {sys.executable}}}\n"
        'versions:\n  - version: "3.10"\n    execution_config: *py\n'
        f'  - version: "{sys.version_info.major}.{sys.version_info.minor}"\n    execution_config: *py\n'
    )
    _, out, _ = run(capsys, "validate", "demo", "--no-registry")
    assert "warning runtime.shared_interpreter versions '3.10' and" in out
    code, out, err = run(capsys, "sync", "--detect", "demo", "--database", str(tmp_path / "r.db"))
    assert code == 0, err
    running = f"{sys.version_info.major}.{sys.version_info.minor}.{sys.version_info.micro}"
    assert f"runtime demo.py 3.10: available ({running})" in out
    assert f"  warning: the interpreter that verified 3.10 reports {running}" in out
    assert f"verified {sys.version_info.major}.{sys.version_info.minor} reports" not in out
