"""Verification patterns Rust's regex refuses for size are findings, never crashes: validate, the server, --detect.

A repetition count must fit in 32 bits, groups nest at most 250 deep, and the compiled NFA
may take at most 10 MiB (Rust's defaults). Python's `re` raised OverflowError on huge
counts, which ended validate in a traceback, kept the server from publishing and crashed
`sync --detect`.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from packls.checks.rust_regex import rust_regex_problem
from packls.registry.detect import VerificationCommand, run_command
from tests.hostile.serving import h, server, settings  # noqa: F401 (fixtures)
from tests.hostile.workspace import write
from tests.lsp.harness import Harness

HUGE_COUNT = "a{4294967296}"
TOO_BIG = "(?:a{1000}){1000}"
TOO_DEEP = "(" * 251 + "a" + ")" * 251


def runtime(pattern: str) -> str:
    return (
        "ref: rx.tool\nname: Tool\nversions:\n  - version: \"1.0\"\n    distributions:\n      verification:\n"
        f"        commands: [{{binary: tool, args: [\"--version\"], pattern: '{pattern}'}}]\n"
    )


@pytest.fixture
def folders(tmp_path: Path) -> list[Path]:
    root = tmp_path / "ws"
    write(root / "rx" / "pack.yaml", 'ref: rx\nversion: "1.0.0"\n')
    write(root / "rx" / "runtimes" / "tool.yaml", runtime(HUGE_COUNT))
    return [root]


@pytest.mark.parametrize(
    "pattern, reason",
    [
        (HUGE_COUNT, "repetition count 4294967296 is too large"),
        ("a{1,99999999999999999999}", "repetition count 99999999999999999999 is too large"),
        (TOO_BIG, "Rust's size limit"),
        ("a{4294967295}", "Rust's size limit"),
        (r"\w{600}", "Rust's size limit"),  # each \w is a UTF-8 automaton of about 20 KB (50 KB reversed)
        ('[^"]{25000}', "Rust's size limit"),
        (TOO_DEEP, "nested more than 250 deep"),
    ],
)
def test_patterns_rust_refuses_for_size_are_reported_like_rust(pattern: str, reason: str) -> None:
    problem = rust_regex_problem(pattern)

    assert problem is not None and reason in problem.reason


@pytest.mark.parametrize(
    "pattern",
    [
        r"Python 3\.1[0-3]\.", "a{100000}", "(?:ab){1000}", "(" * 250 + "a" + ")" * 250, r"\w{100}", '[^"]{1000}',
        "(?:" * 80 + "q" + r"\d|\dc)" * 80,  # 80 nested alternations: each level is looked at once, not 2**80 times
    ],
)
def test_patterns_within_rusts_limits_stay_silent(pattern: str) -> None:
    assert rust_regex_problem(pattern) is None


@pytest.mark.parametrize("pattern", [HUGE_COUNT, TOO_BIG, TOO_DEEP])
def test_validate_reports_the_pattern_and_does_not_crash(tmp_path: Path, pattern: str) -> None:
    write(tmp_path / "rx" / "pack.yaml", 'ref: rx\nversion: "1.0.0"\n')
    write(tmp_path / "rx" / "runtimes" / "tool.yaml", runtime(pattern))

    done = subprocess.run(
        [sys.executable, "-m", "packls", "validate", "--no-config", "--format", "json", "rx"], cwd=tmp_path,
        capture_output=True, text=True, timeout=120, env={**os.environ, "XDG_DATA_HOME": str(tmp_path / "d")},
    )

    assert done.returncode == 1 and "Traceback" not in done.stderr, done.stderr
    codes = [d["code"] for d in json.loads(done.stdout)["diagnostics"]]
    assert codes == ["verification.invalid_pattern"]


def test_detect_fails_the_command_without_running_it(tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    command = VerificationCommand(sys.executable, ("-c", f"open({str(marker)!r}, 'w')"), pattern=HUGE_COUNT)

    outcome = run_command(command)

    assert not outcome.ok and "too large" in outcome.reason and not marker.exists()


def test_sync_detect_reports_the_version_unavailable_and_exits_normally(tmp_path: Path) -> None:
    write(tmp_path / "rx" / "pack.yaml", 'ref: rx\nversion: "1.0.0"\n')
    write(tmp_path / "rx" / "runtimes" / "tool.yaml", runtime(TOO_BIG))

    done = subprocess.run(
        [sys.executable, "-m", "packls", "sync", "--detect", "rx", "--database", str(tmp_path / "r.sqlite3"),
         "--format", "json"], cwd=tmp_path, capture_output=True, text=True, timeout=300,
        env={**os.environ, "XDG_DATA_HOME": str(tmp_path / "d")},
    )

    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr
    rows = {(r["ref"], r["version"]): r for r in json.loads(done.stdout)["runtime_versions"]}
    assert not rows["rx.tool", "1.0"]["available"] and "size limit" in rows["rx.tool", "1.0"]["detail"]


async def test_the_server_publishes_the_finding_for_that_file(h: Harness, folders: list[Path]) -> None:
    path = folders[0] / "rx" / "runtimes" / "tool.yaml"

    found = await h.closed_diagnostics(path, lambda d: any(x.code == "verification.invalid_pattern" for x in d))

    assert [x.code for x in found] == ["verification.invalid_pattern"]
    doc = h.open(path)
    assert [x.code for x in await h.diagnostics(doc)] == ["verification.invalid_pattern"]
