"""Hover: the selection explained, availability facts with their age, runner_type, version entries, keys."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

from packls.facts import RegistryFacts, VersionAvailability
from packls.features.hover import explain, hover
from packls.features.session import Session
from tests.features.conftest import NEWEST, at, edit

NOW = datetime(2026, 1, 1, 12, 0, tzinfo=timezone.utc)


def show(session: Session, path: Path, needle: str, delta: int = 1, full: bool = False) -> str:
    source = session.source(path)
    assert source is not None
    found = (explain if full else hover)(session, source, at(source.text, needle, delta), now=NOW)
    assert found is not None, needle
    return found.markdown


def test_runtime_version_hover_has_a_verdict_per_version(session: Session, pack: Path) -> None:
    text = show(session, pack / "actions/newest.yaml", '">=3.11')
    assert "**runtime_version** `>=3.11,<4.0` on **demo.python** (DemoPython) → **3.13**" in text
    assert "Attune reads it as `>=3.11.0, <4.0.0`." in text
    assert "| **3.13** |  | **selected** — highest matching version |" in text
    assert "| 3.12 | yes | lower than 3.13 |" in text


def test_runtime_version_hover_is_the_answer_reading_and_table_only(session: Session, pack: Path) -> None:
    """An editor's hover has a height limit: the rest of the story is in the explanation."""
    text = show(session, pack / "actions/newest.yaml", '">=3.11')
    assert text.endswith("| 3.11 |  | lower than 3.13 |"), text
    assert "Environment directory" not in text and "When nothing matches" not in text
    assert len(text.splitlines()) <= 9  # title, reading, header, rule, one row per declared version
    full = show(session, pack / "actions/newest.yaml", '">=3.11', full=True)
    assert full.startswith(text.split("\n")[0])
    assert "3.13 is the highest" in full and "| 3.12 | yes | lower than 3.13 |" in full
    assert "Environment directory: `/opt/attune/runtime_envs/demo/demopython-3.13`" in full
    assert "When nothing matches, the action still runs" in full


def test_availability_facts_and_their_age(session: Session, pack: Path) -> None:
    session.set_facts(RegistryFacts(availability={
        ("demo.python", "3.13"): VersionAvailability("demo.python", "3.13", False, NOW - timedelta(hours=2)),
        ("demo.python", "3.12"): VersionAvailability("demo.python", "3.12", True, NOW - timedelta(minutes=5), "Python 3.12.4"),
        ("demo.python", "3.11"): VersionAvailability("demo.python", "3.11", True, NOW - timedelta(days=3)),
    }))
    text = show(session, pack / "actions/newest.yaml", '">=3.11')
    assert "→ **3.12**" in text
    assert "3.13 declared — not available on any synced worker (verified 2 h ago)" in text
    assert "available (verified 5 min ago), Python 3.12.4" in text
    assert "(verified 3 days ago)" in text


def test_a_runtime_never_synced_is_not_called_available(session: Session, pack: Path) -> None:
    # Facts exist for another runtime only: demo.python was never synced, so nothing is known of it.
    session.set_facts(RegistryFacts(availability={
        ("core.nodejs", "20"): VersionAvailability("core.nodejs", "20", True, NOW - timedelta(hours=1)),
    }))
    text = show(session, pack / "actions/newest.yaml", '">=3.11')
    assert "| **3.13** |  | **selected** — highest matching version | not synced (assumed available) |" in text
    assert "| available |" not in text


def test_sensor_hover_says_it_refuses_to_start(session: Session, pack: Path) -> None:
    text = show(session, pack / "sensors/watch.yaml", '"~3.12"', full=True)
    assert "**core.python** (Python) → **3.12**" in text and "the sensor refuses to start" in text


def test_non_string_constraint_is_explained(session: Session, pack: Path) -> None:
    path = pack / "actions/newest.yaml"
    edit(session, path, NEWEST.replace('">=3.11,<4.0"', "3.13"))
    text = show(session, path, "3.13", 0)
    assert "is a number, not a string: Attune ignores it" in text and "→ **3.12**" in text


def test_runner_type_hover_names_the_resolution_rule(session: Session, pack: Path) -> None:
    text = show(session, pack / "actions/defaulted.yaml", "DemoPython")
    assert "→ **demo.python** (DemoPython), resolved by runtime name" in text
    assert "Versions: 3.11, 3.12 (default), 3.13" in text
    text = show(session, pack / "sensors/watch.yaml", "python", 2)
    assert "resolved by built-in alias" in text and "(platform catalog)" in text


def test_version_entry_hover_lists_who_selects_it(session: Session, pack: Path) -> None:
    runtime = pack / "runtimes/python.yaml"
    assert "Selected by 1 action:\n- `demo.defaulted` (action) — no constraint" in show(session, runtime, '"3.12"')
    text = show(session, runtime, '"3.13"')
    assert "- `demo.newest` (action) — `>=3.11,<4.0`" in text
    assert "No action or sensor selects this version." in show(session, runtime, '"3.11"')


def test_key_and_ref_hovers(session: Session, pack: Path) -> None:
    text = show(session, pack / "actions/newest.yaml", "runner_type", 2)
    assert text.startswith("**runner_type** — string, optional, default `shell`")
    text = show(session, pack / "rules/on_new_file.yaml", "trigger_ref: new_file", 15)
    assert "**demo.new_file** (trigger) — New file" in text and "A file appeared." in text
    path = pack / "actions/newest.yaml"
    edit(session, path, NEWEST + "timeout: 5\n")
    assert "ignored by Attune" in show(session, path, "timeout", 1) and "`timeout_seconds`" in show(session, path, "timeout", 1)
