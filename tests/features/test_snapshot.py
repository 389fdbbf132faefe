"""Warm-start snapshots: one key for everything findings depend on, and findings stored exactly."""

from __future__ import annotations

import shutil
from dataclasses import replace
from datetime import datetime, timezone
from pathlib import Path

import pytest

from packls.config import Config
from packls.facts import NO_FACTS, RegistryFacts, VersionAvailability
from packls.features.session import Session
from packls.features.snapshot import Snapshot, SnapshotStore, key_of_packs, key_of_reads
from packls.workspace import discover_pack_roots, load_pack, read_pack

EXAMPLES = Path(__file__).resolve().parents[2] / "packs"
CORPUS = Path(__file__).resolve().parents[1] / "data" / "corpus" / "attune"


def default_config(path: Path) -> Config:
    return Config()


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A private copy of the example packs."""
    target = tmp_path / "packs"
    shutil.copytree(EXAMPLES, target)
    return target


def reads_key(folder: Path, config_for=default_config, facts: RegistryFacts = NO_FACTS) -> str:
    return key_of_reads([read_pack(root) for root in discover_pack_roots([folder])], [], config_for, facts)


def loaded_session(folder: Path) -> Session:
    session = Session()
    for root in discover_pack_roots([folder]):
        session.add_pack(load_pack(root))
    return session


@pytest.mark.parametrize("where", [EXAMPLES, CORPUS], ids=["example packs", "attune corpus"])
def test_the_key_from_unparsed_reads_equals_the_key_from_loaded_packs(where: Path) -> None:
    roots = discover_pack_roots([where])
    assert roots
    packs = [load_pack(root) for root in roots]
    assert key_of_reads([read_pack(root) for root in roots], [], default_config, NO_FACTS) == key_of_packs(
        packs, [], default_config, NO_FACTS
    )


def test_the_session_key_is_the_key_of_what_it_loaded(folder: Path) -> None:
    assert loaded_session(folder).inputs_key() == reads_key(folder)


def test_any_input_change_gives_another_key(folder: Path) -> None:
    before = reads_key(folder)
    assert reads_key(folder) == before  # stable
    action = next(folder.glob("*/actions/*.yaml"))
    text = action.read_text()
    action.write_text(text + " ")
    assert reads_key(folder) != before, "one byte of a pack file"
    action.write_text(text)
    assert reads_key(folder) == before
    script = action.parent / "brand_new_script.py"
    script.write_text("print()\n")
    assert reads_key(folder) != before, "a new file in a pack folder (entry points exist or not)"
    script.unlink()
    strict = Config(severity={"runtime_version.unsatisfiable": None})
    assert reads_key(folder, config_for=lambda path: strict) != before, "the configuration"
    fact = VersionAvailability("core.python", "3.12", False, datetime(2026, 1, 1, tzinfo=timezone.utc))
    facts = RegistryFacts(availability={("core.python", "3.12"): fact})
    assert reads_key(folder, facts=facts) != before, "the registry facts"
    assert reads_key(folder, facts=facts) == reads_key(folder, facts=replace(facts)), "equal facts, same key"


def test_an_open_buffer_changes_the_session_key(folder: Path) -> None:
    session = loaded_session(folder)
    before = session.inputs_key()
    action = next(folder.glob("*/actions/*.yaml"))
    session.open(action, action.read_text() + "# unsaved\n", 1)
    assert session.inputs_key() != before


def test_a_snapshot_round_trips_every_finding(folder: Path, tmp_path: Path) -> None:
    session = loaded_session(folder)
    findings = {path: session.findings(path) for path in session.tracked_paths()}
    assert sum(map(len, findings.values())) > 10
    assert any(f.related for items in findings.values() for f in items)
    assert any(f.data for items in findings.values() for f in items)
    store = SnapshotStore([folder], tmp_path / "cache")
    key = session.inputs_key()
    assert store.save(Snapshot(key, findings))
    loaded = SnapshotStore([folder], tmp_path / "cache").load(key)
    assert loaded is not None
    for path, items in findings.items():
        restored = loaded.findings.get(path, [])
        assert restored == items
        assert [f.data for f in restored] == [f.data for f in items]  # not part of equality: compared apart


def test_a_snapshot_is_served_only_for_its_key_and_folders(folder: Path, tmp_path: Path) -> None:
    store = SnapshotStore([folder], tmp_path / "cache")
    assert store.save(Snapshot("k1", {}))
    assert store.load("k1") is not None
    assert store.load("k2") is None
    assert SnapshotStore([tmp_path / "elsewhere"], tmp_path / "cache").load("k1") is None


@pytest.mark.parametrize("damage", [b"", b"garbage", b"\xe3" * 64, None], ids=["empty", "garbage", "marshal junk", "shape"])
def test_a_damaged_snapshot_file_is_a_cold_start(folder: Path, tmp_path: Path, damage: bytes | None) -> None:
    store = SnapshotStore([folder], tmp_path / "cache")
    assert store.save(Snapshot("k", {folder / "x.yaml": []}))
    if damage is None:
        import marshal

        stamp = marshal.loads(store.path.read_bytes())[0]
        store.path.write_bytes(marshal.dumps((stamp, {"snapshot": ("k", {"x": ((1, "not", "a", "finding"),)})})))
    else:
        store.path.write_bytes(damage)
    assert SnapshotStore([folder], tmp_path / "cache").load("k") is None


def test_seeded_findings_are_served_without_checking(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = loaded_session(folder)
    expected = {path: first.findings(path) for path in first.tracked_paths()}
    second = loaded_session(folder)
    assert second.inputs_key() == first.inputs_key()
    second.seed(expected)
    monkeypatch.setattr(Session, "compute", lambda self, source: pytest.fail("re-checked a seeded file"))
    assert second.all_findings() == expected
    action = folder / "data_tools/actions/newest.yaml"
    monkeypatch.undo()
    second.open(action, action.read_text().replace('">=3.11,<4.0"', '">=9.0"'), 1)
    assert second.all_findings() is None  # the edited file's findings are stale, not served from the seed
    assert "runtime_version.unsatisfiable" not in {f.code for f in expected[action]}
    assert "runtime_version.unsatisfiable" in {f.code for f in second.findings(action)}
