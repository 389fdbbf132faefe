"""What the cold-start helper computes is what the server would compute, under the key the server checks."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path

import pytest

from packls import parallel
from packls.facts import IndexedPack, RegistryFacts, VersionAvailability, facts_as_data, facts_from_data
from packls.features import fresh_snapshot
from packls.features.fresh_snapshot import compute_snapshot, read_packs
from packls.features.session import Session
from packls.features.snapshot import Snapshot, _facts_digest, decode_snapshot, encode_snapshot, key_of_reads
from packls.lsp.settings import Settings
from packls.pack_scan import count_pack_files
from packls.workspace import discover_pack_roots
from tests.packbuilder import write_large_workspace

ROOT = Path(__file__).resolve().parents[2]
CORPORA = {
    "example packs": ROOT / "packs",
    "attune corpus": ROOT / "tests" / "data" / "corpus" / "attune",
    "attune-packs corpus": ROOT / "tests" / "data" / "corpus" / "attune-packs",
}
FACTS = RegistryFacts(
    availability={
        ("lib.python", "3.12"): VersionAvailability("lib.python", "3.12", False, datetime(2026, 11, 2, 8, 30, tzinfo=timezone.utc),
                                                    "Python 3.12.1", "workers"),
        ("lib.python", "3.11"): VersionAvailability("lib.python", "3.11", True),
    },
    packs={"ops": IndexedPack("ops", "2.1.0", "Ops", "tools", "https://index.example/a.json", 2, ("a", "b"), ("python",), ("git+x",))},
    indexes_synced=True,
    unusable_indexes=("https://index.example/b.json",),
)


def server_settings(folder: Path) -> Settings:
    """Settings as an editor sends them: options at initialize, then one folder's answer."""
    settings = Settings()
    settings.set_initialization({"packls": {"severity": {"key.unknown": "error"}, "debounceMs": 10}})
    settings.set_folders({folder: {"severity": {"schema.unknown_type": "warning"}}})
    return settings


def session_findings(folder: Path, settings: Settings, facts: RegistryFacts) -> tuple[dict[Path, list], str]:
    """What the language server computes in its own process: every tracked file's findings, and its inputs key."""
    session = Session(facts=facts, config_for=lambda path: settings.config_for(path, folder)[0])
    session.folders.append(folder)
    for read in read_packs(discover_pack_roots([folder]), session.config_for):
        session.add_pack(read.load())
    return {path: session.findings(path) for path in session.tracked_paths()}, session.inputs_key()


def helper_snapshot(folder: Path, settings: Settings, facts: RegistryFacts) -> Snapshot:
    """What the helper computes, from settings and facts that went through JSON as they do on its stdin."""
    copied = Settings.from_data(json.loads(json.dumps(settings.as_data())))
    facts = facts_from_data(json.loads(json.dumps(facts_as_data(facts))))

    def config_for(path: Path):  # type: ignore[no-untyped-def]
        return copied.config_for(path, folder)[0]

    return compute_snapshot(read_packs(discover_pack_roots([folder]), config_for), [], config_for, facts)


def test_a_large_workspace_checked_on_several_processes_gives_the_servers_findings_and_key(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    folder = write_large_workspace(tmp_path / "ws")
    runs: list[parallel.SharedRun] = []

    def watched(*args, **kwargs):  # type: ignore[no-untyped-def]
        runs.append(parallel.check_in_shares(*args, **kwargs))
        return runs[-1]

    monkeypatch.setattr(fresh_snapshot, "check_in_shares", watched)
    expected, key = session_findings(folder, server_settings(folder), FACTS)
    snapshot = helper_snapshot(folder, server_settings(folder), FACTS)
    assert runs[0].processes == 2 and runs[0].failed_shares == 0
    assert snapshot.key == key
    assert snapshot.findings == expected
    codes = {f.code for findings in expected.values() for f in findings}
    assert {"key.unknown", "runtime_version.unsatisfiable", "reference.not_visible", "reference.unknown_target"} <= codes
    severities = {f.severity.name for fs in expected.values() for f in fs if f.code == "schema.unknown_type"}
    assert severities == {"WARNING"}, "the folder's settings applied (an error by default)"


@pytest.mark.parametrize("folder", list(CORPORA.values()), ids=list(CORPORA))
def test_real_packs_give_the_servers_findings_and_key(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parallel, "MIN_FILES_PER_WORKER", 1)  # every pack worth a process, as on a large workspace
    expected, key = session_findings(folder, server_settings(folder), FACTS)
    snapshot = helper_snapshot(folder, server_settings(folder), FACTS)
    assert snapshot.key == key
    assert snapshot.findings == expected


def test_other_settings_or_facts_give_another_key(tmp_path: Path) -> None:
    folder = write_large_workspace(tmp_path / "ws", packs=1, actions=20)
    reads = read_packs(discover_pack_roots([folder]), lambda path: server_settings(folder).config_for(path, folder)[0])
    plain = Settings()
    keys = {
        key_of_reads(reads, [], lambda path: server_settings(folder).config_for(path, folder)[0], FACTS),
        key_of_reads(reads, [], lambda path: plain.config_for(path, folder)[0], FACTS),
        key_of_reads(reads, [], lambda path: server_settings(folder).config_for(path, folder)[0], RegistryFacts()),
    }
    assert len(keys) == 3


def test_facts_survive_the_trip_as_json() -> None:
    copied = facts_from_data(json.loads(json.dumps(facts_as_data(FACTS))))
    assert copied == FACTS
    assert _facts_digest(copied) == _facts_digest(FACTS)
    assert facts_from_data(json.loads(json.dumps(facts_as_data(RegistryFacts())))) == RegistryFacts()


def test_settings_survive_the_trip_as_json(tmp_path: Path) -> None:
    folder = tmp_path / "ws"
    settings = server_settings(folder)
    copied = Settings.from_data(json.loads(json.dumps(settings.as_data())))
    assert copied.as_data() == settings.as_data()
    for path in (folder / "p" / "actions" / "a.yaml", tmp_path / "elsewhere.yaml"):
        assert copied.config_for(path, folder)[0] == settings.config_for(path, folder)[0]
    assert Settings.from_data(Settings().as_data()).as_data() == Settings().as_data()


def test_a_snapshot_survives_encoding_and_garbage_decodes_to_nothing(tmp_path: Path) -> None:
    folder = write_large_workspace(tmp_path / "ws", packs=1, actions=14)
    snapshot = helper_snapshot(folder, server_settings(folder), FACTS)
    decoded = decode_snapshot(encode_snapshot(snapshot))
    assert decoded is not None and decoded.key == snapshot.key
    assert decoded.findings == {path: found for path, found in snapshot.findings.items() if found}
    for garbage in (None, b"x", ("key",), ("key", {"a": 1}), (1, {}), ("key", {"a": [(1, 2)]})):
        assert decode_snapshot(garbage) is None


def test_counting_pack_files_stops_once_there_are_enough(tmp_path: Path) -> None:
    folder = write_large_workspace(tmp_path / "ws", packs=3, actions=100)
    roots = discover_pack_roots([folder])
    total = count_pack_files(roots, 10**9)
    assert total == 5 + 3 * (1 + 100 + 2)  # lib: manifest, runtime, two actions, trigger; each pack: manifest, actions, rules
    assert 50 <= count_pack_files(roots, 50) < total
