"""Verification commands run as Attune's worker runs them, with real processes of this machine."""

from __future__ import annotations

import shutil
import sys
import time
from pathlib import Path

import pytest

from packls.registry.detect import (
    DEFAULT_MAX_OUTPUT,
    DEFAULT_PRIORITY,
    DEFAULT_TIMEOUT,
    DetectTarget,
    VerificationCommand,
    commands_from_distributions,
    detected_version,
    run_command,
    target_for,
    verify,
    verify_all,
)
from packls.registry.targets import targets_from_yaml

from .support import DATA

PYTHON = sys.executable


def test_the_worker_defaults_are_a_ten_second_timeout_priority_100_and_exit_code_0() -> None:
    (command,) = commands_from_distributions({"verification": {"commands": [{"binary": "python3"}]}})

    assert (command.exit_code, command.pattern, command.priority, command.args) == (0, None, DEFAULT_PRIORITY, ())
    assert DEFAULT_PRIORITY == 100
    assert DEFAULT_TIMEOUT == 10.0
    assert DEFAULT_MAX_OUTPUT == 1024 * 1024


def test_entries_without_a_binary_are_skipped() -> None:
    commands = commands_from_distributions(
        {"verification": {"commands": [{"args": ["--version"]}, "python3", {"binary": "sh", "priority": 3}]}}
    )

    assert commands == (VerificationCommand("sh", priority=3),)


def test_a_real_interpreter_passes_its_pattern_over_stdout_and_stderr() -> None:
    on_stdout = run_command(VerificationCommand(PYTHON, ("--version",), pattern=r"Python 3\."))
    on_stderr = run_command(VerificationCommand("sh", ("-c", "echo 'openjdk version \"21.0.2\"' >&2"),
                                                pattern=r'version "\d+'))

    assert on_stdout.ok and on_stdout.exit_code == 0
    assert on_stderr.ok


def test_the_pattern_is_an_unanchored_search() -> None:
    outcome = run_command(VerificationCommand("sh", ("-c", "echo 'This is perl 5, version 38 (v5.38.2)'"),
                                              pattern=r"v\d+\."))

    assert outcome.ok


def test_stdout_comes_before_stderr_in_the_matched_text() -> None:
    outcome = run_command(VerificationCommand("sh", ("-c", "echo err >&2; echo out"), pattern=r"out\nerr"))

    assert outcome.ok


def test_a_wrong_exit_code_fails_even_when_the_pattern_matches() -> None:
    outcome = run_command(VerificationCommand("sh", ("-c", "echo Python 3.12.1; exit 3"), pattern="Python"))

    assert not outcome.ok
    assert outcome.reason == "exit code 3, expected 0"


def test_an_expected_non_zero_exit_code_passes() -> None:
    assert run_command(VerificationCommand("sh", ("-c", "exit 2"), exit_code=2)).ok


def test_a_pattern_that_does_not_compile_fails_the_command_without_running_it(tmp_path: Path) -> None:
    marker = tmp_path / "ran"

    outcome = run_command(VerificationCommand("touch", (str(marker),), pattern="Python (3"))

    assert not outcome.ok and "invalid pattern" in outcome.reason
    assert not marker.exists()


def test_a_rust_only_pattern_is_not_called_invalid_but_unverified(tmp_path: Path) -> None:
    marker = tmp_path / "ran"

    outcome = run_command(VerificationCommand("touch", (str(marker),), pattern=r"\pL+ [[:digit:]]"))

    assert not outcome.ok and "valid for Rust's regex" in outcome.reason and "not verified" in outcome.reason
    assert not marker.exists()


def test_a_missing_binary_is_a_failed_command() -> None:
    outcome = run_command(VerificationCommand("packls-no-such-binary-xyz", ("--version",)))

    assert not outcome.ok
    assert outcome.reason == "packls-no-such-binary-xyz: not found"


def test_no_shell_is_involved() -> None:
    outcome = run_command(VerificationCommand("echo", ("$HOME", "*"), pattern=r"^\$HOME \*$"))

    assert outcome.ok, outcome.output


def test_a_hanging_command_is_killed_at_the_timeout() -> None:
    started = time.monotonic()

    outcome = run_command(VerificationCommand("sleep", ("30",)), timeout=0.5)

    assert not outcome.ok
    assert outcome.reason == "timed out after 0.5 s"
    assert time.monotonic() - started < 3


def test_children_that_keep_the_pipes_open_are_killed_too() -> None:
    started = time.monotonic()

    outcome = run_command(VerificationCommand("sh", ("-c", "sleep 30 & echo started")), timeout=0.5)

    assert not outcome.ok and outcome.reason.startswith("timed out")
    assert time.monotonic() - started < 3


def test_a_flood_of_output_is_capped_and_the_process_killed() -> None:
    started = time.monotonic()

    outcome = run_command(VerificationCommand("yes"), timeout=5.0, max_output=64 * 1024)

    assert not outcome.ok
    assert outcome.reason == "output exceeded 65536 bytes"
    assert len(outcome.output) <= 64 * 1024
    assert time.monotonic() - started < 3


def _target(*commands: VerificationCommand, interpreter: str | None = None) -> DetectTarget:
    config = {"interpreter": {"binary": interpreter}} if interpreter else {}
    return target_for("pack.rt", "Rt", "1.0", execution_config=config,
                      distributions={"verification": {"commands": [_entry(c) for c in commands]}})


def _entry(command: VerificationCommand) -> dict:
    return {"binary": command.binary, "args": list(command.args), "exit_code": command.exit_code,
            "pattern": command.pattern, "priority": command.priority}


def test_commands_run_in_ascending_priority_and_the_first_success_wins() -> None:
    ran: list[str] = []

    def runner(command: VerificationCommand):
        ran.append(command.binary)
        return run_command(command)

    target = _target(
        VerificationCommand("sh", ("-c", "echo second 2.0.0"), priority=20),
        VerificationCommand("packls-missing", priority=10),
        VerificationCommand("sh", ("-c", "echo never"), priority=30),
    )

    result = verify(target, runner)

    assert ran == ["packls-missing", "sh"]
    assert result.available and result.detected == "2.0.0"
    assert result.detail == "verified by `sh -c echo second 2.0.0`"


def test_when_every_command_fails_the_version_is_unavailable_with_each_reason() -> None:
    result = verify(_target(VerificationCommand("packls-missing"), VerificationCommand("sh", ("-c", "exit 1"))),
                    run_command)

    assert not result.available and result.detected is None
    assert result.detail == "`packls-missing`: packls-missing: not found; `sh -c exit 1`: exit code 1, expected 0"


def test_without_commands_the_interpreter_answers_version() -> None:
    result = verify(_target(interpreter=PYTHON), run_command)

    assert result.available
    assert result.detected == f"{sys.version_info.major}.{sys.version_info.minor}.{sys.version_info.micro}"
    assert result.detail == f"verified by `{PYTHON} --version`"


def test_without_commands_a_missing_interpreter_makes_the_version_unavailable() -> None:
    assert not verify(_target(interpreter="packls-missing-python"), run_command).available


def test_without_commands_or_interpreter_the_version_is_assumed_available() -> None:
    ran: list[VerificationCommand] = []

    result = verify(_target(), ran.append)  # type: ignore[arg-type]

    assert result.available and ran == []
    assert "assumed available" in result.detail


@pytest.mark.parametrize(
    ("output", "version"),
    [
        ("Python 3.12.4", "3.12.4"),
        ("v20.11.0", "20.11.0"),
        ("go version go1.22.1 linux/amd64", "1.22.1"),
        ('openjdk version "21.0.2" 2024-01-16', "21.0.2"),
        ("This is perl 5, version 38", "5"),
        ("Rscript (R) version 4.4.0.1", "4.4.0"),
        ("no digits", None),
    ],
)
def test_the_detected_version_is_the_first_version_looking_number(output: str, version: str | None) -> None:
    assert detected_version(output) == version


def test_targets_come_from_workspace_runtimes_then_the_catalog() -> None:
    targets = targets_from_yaml([DATA / "workspace"])
    keys = [t.key for t in targets]

    assert keys[:4] == [("toolbox.tool", "1.2"), ("toolbox.tool", "2.0"), ("toolbox.tool", "3.0"),
                        ("toolbox.tool", "4.0")]  # "5.0" is a YAML number: the loader skips it
    assert ("core.python", "3.12") in keys and ("core.nodejs", "20") in keys
    tool = targets[0]
    assert tool.runtime_name == "Tool" and tool.is_default and tool.meta == {"channel": "stable"}
    assert [c.binary for c in tool.commands] == ["definitely-not-installed-packls", "sh"]
    assert tool.interpreter_binary == "sh"


def test_verifying_the_workspace_uses_real_commands_in_parallel() -> None:
    targets = [t for t in targets_from_yaml([DATA / "workspace"]) if t.runtime_ref == "toolbox.tool"]
    seen = []

    results = {r.target.version: r for r in verify_all(targets, on_result=seen.append)}

    assert len(seen) == 4
    assert results["1.2"].available and results["1.2"].detected == "1.2.7"
    assert not results["2.0"].available
    assert results["3.0"].available == (shutil.which("python3") is not None)
    assert results["4.0"].available and results["4.0"].detected is None
