"""Nothing a repository, an index server or a workers payload controls reaches a terminal or CI log raw.

Every output is checked on the bytes the real command wrote: text, github, json and sarif
from `validate`, text and json from `resolve`, stderr, and `packls sync` reports and status
replaying what an index server said. `tests/security/inert.py` says what "inert" means.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from packls.report.escape import markdown_code, markdown_text, output_line, printable
from tests.hostile.raw_http import RawServer, respond
from tests.security.inert import assert_inert, decoded
from tests.security.injection import FORGED, FORGED_NAME, injection_pack, write


def packls(*args: str, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[bytes]:
    """The real command in a child process; output kept as bytes."""
    return subprocess.run(
        [sys.executable, "-m", "packls", *args], cwd=cwd, capture_output=True, timeout=120,
        env={**os.environ, "XDG_DATA_HOME": str(cwd / ".data"), **(env or {})},
    )


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("inject")
    injection_pack(root / "forge")
    return root


@pytest.mark.parametrize("fmt", ["text", "github", "json", "sarif"])
def test_validate_output_is_inert_in_every_format(workspace: Path, fmt: str) -> None:
    done = packls("validate", "--no-config", "--format", fmt, "forge", cwd=workspace)

    assert done.returncode == 1, done.stderr
    assert_inert(done.stdout, annotations=fmt == "github")
    assert_inert(done.stderr)
    assert b"forged-by-source-line" in done.stdout  # the findings are there, only defused


def test_json_output_still_carries_the_exact_values(workspace: Path) -> None:
    done = packls("validate", "--no-config", "--format", "json", "forge", cwd=workspace)
    report = json.loads(done.stdout)

    paths = {item["path"] for item in report["diagnostics"]}
    messages = " ".join(item["message"] for item in report["diagnostics"])
    assert f"forge/actions/{FORGED_NAME}" in paths  # escaped in the bytes, exact once decoded
    assert FORGED in messages


def test_text_output_shows_control_characters_as_visible_escapes(workspace: Path) -> None:
    done = packls("validate", "--no-config", "forge", cwd=workspace)
    out = decoded(done.stdout)

    assert "\\x1b]52;c;cHduZWQ=\\x07" in out and "\\n::error file=README.md" in out
    assert "    \\x3a:error::forged-by-source-line" in out  # the quoted line cannot start a command


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_resolve_output_is_inert(workspace: Path, fmt: str) -> None:
    # --fail-on never: the forged runner_type and the file with a raw ESC are real errors (exit 1 otherwise)
    done = packls("resolve", "--no-config", "--fail-on", "never", "--format", fmt, "forge", cwd=workspace)

    assert done.returncode == 0, done.stderr
    assert_inert(done.stdout)
    assert b"forged-version" in done.stdout


def test_a_database_path_from_packls_toml_is_printed_inertly(tmp_path: Path) -> None:
    write(tmp_path / "p" / "pack.yaml", 'ref: pp\nversion: "1.0.0"\n')
    basic_string = json.dumps(f"/nowhere/{FORGED}.sqlite3")  # JSON's escapes are TOML's for BMP text
    write(tmp_path / "packls.toml", f"database = {basic_string}\n")

    done = packls("validate", "p", cwd=tmp_path)

    assert b"registry facts not loaded" in done.stderr
    assert_inert(done.stderr)


def test_a_usage_error_naming_a_hostile_path_is_printed_inertly(tmp_path: Path) -> None:
    write(tmp_path / f"{FORGED_NAME}" / "x.txt", "not a pack")

    done = packls("validate", FORGED_NAME, cwd=tmp_path)

    assert done.returncode == 2 and b"no pack found" in done.stderr
    assert_inert(done.stderr)


REASON = b"Oops\x1b]52;c;cHduZWQ=\x07 ##[error]forged\r::error::cr \x9b31m"


def test_an_index_servers_reason_phrase_is_inert_when_reported_and_replayed(tmp_path: Path) -> None:
    database = str(tmp_path / "registry.sqlite3")
    with RawServer(respond(b"HTTP/1.1 500 " + REASON + b"\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")) as server:
        synced = packls("sync", "--database", database, "--index", server.url(), cwd=tmp_path)
    status = packls("sync", "--database", database, "--status", cwd=tmp_path)
    status_json = packls("sync", "--database", database, "--status", "--format", "json", cwd=tmp_path)

    assert synced.returncode == 1 and b"HTTP 500 Oops" in synced.stdout
    assert b"HTTP 500 Oops" in status.stdout
    for output in (synced.stdout, synced.stderr, status.stdout, status_json.stdout):
        assert_inert(output)
    stored = json.loads(status_json.stdout)["indexes"][0]["last_error"]
    assert "Oops\x1b]52" in stored  # stored as said, escaped when shown


def test_a_worker_name_is_printed_inertly(tmp_path: Path) -> None:
    payload = [{"name": "w" + FORGED, "status": "active", "capabilities": {"runtime_versions": {"python": ["3.12"]}}}]
    workers = write(tmp_path / "workers.json", json.dumps(payload))

    done = packls("sync", "--database", str(tmp_path / "r.sqlite3"), "--workers", str(workers), cwd=tmp_path)

    assert done.returncode == 0, done.stderr
    assert b"advertises 3.12" in done.stdout
    assert_inert(done.stdout)
    assert_inert(done.stderr)


# --- the escaping functions themselves ------------------------------------------------------------


def test_printable_keeps_ordinary_text_and_tabs_and_shows_everything_else() -> None:
    assert printable("runtime_version: '>=3.12'\tcafé 😀") == "runtime_version: '>=3.12'\tcafé 😀"
    assert printable("a\nb\rc\x1b\x7f\x9b\u2028\u202e\udcff") == "a\\nb\\rc\\x1b\\x7f\\x9b\\u2028\\u202e\\xff"


def test_output_line_defuses_workflow_commands_at_the_start_and_anywhere() -> None:
    assert output_line("  ::error::x") == "  \\x3a:error::x"
    assert output_line("a ##[error]b ##vso[task.setvariable]c ##TeamCity[x]") == (
        "a #\\x23[error]b #\\x23vso[task.setvariable]c #\\x23TeamCity[x]"
    )
    assert output_line("path:1:2: error code message with :: inside") == "path:1:2: error code message with :: inside"


def test_markdown_escaping_makes_links_html_and_code_fences_literal() -> None:
    assert markdown_text("[click](https://evil.example) <img src=x onerror=alert(1)> **b** www.x.org a@b.org") == (
        "\\[click\\](https\\://evil.example) \\<img src=x onerror=alert(1)> \\*\\*b\\*\\* www\\.x.org a\\@b.org"
    )
    assert markdown_text("data_tools.python >=3.11,<4.0 | x") == "data_tools.python >=3.11,\\<4.0 \\| x"
    assert markdown_code("a`b") == "``a`b``"
    assert markdown_code("`x") == "`` `x ``"
    assert markdown_code("x\n\n<b>") == "`x\\n\\n<b>`"  # one line: a blank line cannot end the code span
