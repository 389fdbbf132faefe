"""Work proportional to the edit, not the workspace: runtime dependents, referrers, config roots, big surfaces."""

from __future__ import annotations

from pathlib import Path

from packls.checks import check_workspace
from packls.config_files import clear_config_root_cache, find_config_root, find_config_root_cached
from packls.features.invalidation import BIG_SURFACE, surface
from packls.features.session import Session
from packls.model import FileKind
from packls.workspace import SourceFile, Workspace


def test_a_runtime_edit_affects_its_dependents_not_other_runnables(session: Session, pack: Path) -> None:
    runtime = pack / "runtimes/python.yaml"
    text = runtime.read_text()
    session.open(runtime, text, 1)
    impact = session.change(runtime, text.replace('"3.1', '"2.1'), 2)
    assert impact.affected is not None
    # newest (by ref) and defaulted (by name) resolve to demo.python; the sensor's `python` is the catalog's.
    assert {pack / "actions/newest.yaml", pack / "actions/defaulted.yaml", pack / "pack.yaml"} <= impact.affected
    assert pack / "sensors/watch.yaml" not in impact.affected
    expected = check_workspace(Workspace.load([pack]))
    for path in session.tracked_paths():
        if path != runtime:
            assert session.findings(path) == expected[path] or path in impact.affected


def test_resolutions_follow_edits_incrementally(session: Session, pack: Path) -> None:
    newest = pack / "actions/newest.yaml"
    before = session.resolutions()[newest]
    assert before.runtime is not None and before.runtime.ref == "demo.python"
    text = newest.read_text()
    session.open(newest, text.replace(">=3.11,<4.0", ">=3.13"), 1)
    after = session.resolutions()[newest]
    assert after.selected is not None and after.selected.version == "3.13"
    assert session.selections()[newest] == ("demo.python", "3.13")


def test_renaming_a_referenced_ref_reaches_its_referrers(session: Session, pack: Path) -> None:
    trigger = pack / "triggers/new_file.yaml"
    text = trigger.read_text()
    session.open(trigger, text, 1)
    session.warm()
    impact = session.change(trigger, text.replace("New file", "A new file"), 2)
    assert impact.affected is not None and pack / "rules/on_new_file.yaml" in impact.affected


def test_known_root_and_source_use_lookups(session: Session, pack: Path) -> None:
    assert session.known_root(pack / "actions/newest.yaml") == pack
    assert session.known_root(pack) == pack
    assert session.known_root(pack.parent / "elsewhere.yaml") is None
    assert session.source(pack / "actions/newest.yaml") is not None
    assert session.tracked([pack / "actions/newest.yaml", pack / "actions/nothing.yaml"]) == [pack / "actions/newest.yaml"]


def test_config_root_cache_is_invalidated_on_clear(tmp_path: Path) -> None:
    folder = tmp_path / "a" / "b"
    folder.mkdir(parents=True)
    clear_config_root_cache()
    assert find_config_root_cached(folder / "x.yaml") is None
    (tmp_path / "a" / "packls.toml").write_text("")
    assert find_config_root_cached(folder / "x.yaml") is None  # remembered until told
    clear_config_root_cache()
    assert find_config_root_cached(folder / "x.yaml") == find_config_root(folder / "x.yaml") == tmp_path / "a"
    assert find_config_root_cached(folder / "y.yaml") == tmp_path / "a"


def test_big_surfaces_reuse_unchanged_entries_and_equal_the_full_walk(tmp_path: Path) -> None:
    lines = ["ref: demo.big", "runner_type: python", "parameters:"]
    for i in range(BIG_SURFACE // 60):
        lines += [f"  p_{i:05d}:", "    type: string", f"    description: parameter {i}"]
    text = "\n".join(lines) + "\n"
    path = tmp_path / "actions" / "big.yaml"

    def source(body: str) -> SourceFile:
        return SourceFile.from_text(path, tmp_path, "actions/big.yaml", FileKind.ACTION, body)

    memo: dict[Path, object] = {}
    first = surface(source(text), memo)
    assert first == surface(source(text))
    edited = text.replace("parameter 7\n", "parameter seven\n")
    assert surface(source(edited), memo) == surface(source(edited)) != first
    commented = edited.replace("ref: demo.big\n", "ref: demo.big  # a comment\n")
    assert surface(source(commented), memo) == surface(source(commented)) == surface(source(edited))
    back = commented.replace("parameter seven\n", "parameter 7\n")
    assert surface(source(back), memo) == first
