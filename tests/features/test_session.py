"""The session: overlays, surfaces, cross-file invalidation, disk changes — parity with validate."""

from __future__ import annotations

from pathlib import Path

from packls.checks import check_workspace
from packls.config import Config
from packls.features.offsets import TextDelta
from packls.features.session import Session, surface
from packls.syntax.nodes import Span
from packls.workspace import Workspace, read_source
from tests.features.conftest import NEWEST


def codes(session: Session, path: Path) -> list[str]:
    return [f.code for f in session.findings(path)]


def test_findings_equal_the_validator(session: Session, pack: Path) -> None:
    expected = check_workspace(Workspace.load([pack]))
    for path in session.tracked_paths():
        assert session.findings(path) == expected[path]
    assert set(session.tracked_paths()) == set(expected)


def test_editing_a_runtime_affects_its_users_and_a_comment_does_not(session: Session, pack: Path) -> None:
    runtime = pack / "runtimes/python.yaml"
    newest = pack / "actions/newest.yaml"
    text = runtime.read_text()
    assert "runtime_version.unsatisfiable" not in codes(session, newest)
    impact = session.open(runtime, text, 1)
    assert not impact.others_affected
    impact = session.change(runtime, text + "# just a comment\n", 2)
    assert impact.changed == {runtime} and not impact.others_affected
    impact = session.change(runtime, text.replace('"3.1', '"2.1'), 3)
    assert impact.others_affected
    assert "runtime_version.unsatisfiable" in codes(session, newest)
    changed = session.changed_findings(session.tracked_paths())
    assert newest in changed
    assert session.changed_findings(session.tracked_paths()) == {}  # reported: nothing new
    session.close(runtime)
    assert "runtime_version.unsatisfiable" not in codes(session, newest)


def test_broken_yaml_keeps_the_last_good_tree_for_features(session: Session, pack: Path) -> None:
    path = pack / "actions/newest.yaml"
    session.open(path, NEWEST, 1)
    broken = NEWEST.replace("entry_point: newest.py", "entry_point: [newest.py")
    session.change(path, broken, 2)
    assert codes(session, path) == ["yaml.syntax"]
    view = session.documents[path].view()
    assert view is not None
    source, delta = view
    assert source.text == NEWEST and source.component is not None
    assert delta.to_old(broken.index("runtime_version")) == NEWEST.index("runtime_version")


def test_disk_changes_created_deleted_and_manifest_removed(session: Session, pack: Path) -> None:
    created = pack / "actions/created.yaml"
    created.write_text('ref: demo.created\nrunner_type: python\nruntime_version: ">=9"\nentry_point: newest.py\n')
    impact = session.disk_changed(created)
    assert impact.changed == {created} and "runtime_version.unsatisfiable" in codes(session, created)
    created.unlink()
    impact = session.disk_changed(created, deleted=True)
    assert impact.removed == {created} and session.findings(created) == []
    (pack / "pack.yaml").unlink()
    impact = session.disk_changed(pack / "pack.yaml", deleted=True)
    assert pack / "actions/newest.yaml" in impact.removed and session.tracked_paths() == []


def test_open_buffers_win_over_disk_and_closing_returns_to_disk(session: Session, pack: Path) -> None:
    path = pack / "actions/newest.yaml"
    session.open(path, NEWEST.replace(">=3.11,<4.0", ">=7"), 1)
    assert session.disk_changed(path).empty  # the editor's buffer is the truth while open
    assert "runtime_version.unsatisfiable" in codes(session, path)
    session.close(path)
    assert "runtime_version.unsatisfiable" not in codes(session, path)


def test_excluded_files_leave_the_workspace(pack: Path) -> None:
    session = Session(config_for=lambda path: Config(exclude=("rules/**",), root=pack))
    from packls.workspace import load_pack

    session.add_pack(load_pack(pack, exclude=session.excluded))
    assert not any("rules" in p.parts for p in session.tracked_paths())
    session.open(pack / "rules/on_new_file.yaml", "ref: x\n", 1)
    assert session.findings(pack / "rules/on_new_file.yaml") == []


def test_surface_ignores_layout_but_not_values(pack: Path) -> None:
    source = read_source(pack / "actions/newest.yaml", pack)
    from packls.workspace import SourceFile

    moved = SourceFile.from_text(source.path, pack, source.relative, source.kind, "# hi\n" + NEWEST.replace(": ", ":   "))
    changed = SourceFile.from_text(source.path, pack, source.relative, source.kind, NEWEST.replace("4.0", "5.0"))
    assert surface(source) == surface(moved) != surface(changed)


def test_selections_follow_runtime_edits(session: Session, pack: Path) -> None:
    newest = pack / "actions/newest.yaml"
    before = session.selections()[newest]
    assert before == ("demo.python", "3.13")
    runtime = pack / "runtimes/python.yaml"
    session.open(runtime, runtime.read_text().replace('"3.13"', '"3.14"'), 1)
    assert session.selections()[newest] == ("demo.python", "3.14")


def test_the_selections_mark_moves_only_when_a_selection_changes(session: Session, pack: Path) -> None:
    runtime = pack / "runtimes/python.yaml"
    text = runtime.read_text()
    mark = session.selections_mark()
    session.open(runtime, text + "description: the same versions\n", 1)
    assert session.selections_mark() == mark
    session.change(runtime, text.replace('"3.13"', '"3.14"'), 2)
    assert session.selections_mark() != mark
    mark = session.selections_mark()
    assert session.selections_mark() == mark  # asking again changes nothing


def test_an_unchanged_file_is_checked_again_for_what_its_pack_ref_decides(session: Session, pack: Path) -> None:
    """A file's own findings are kept with its content; an input they name (the pack's ref) still counts."""
    runtime = pack / "runtimes/python.yaml"
    session.open(runtime, runtime.read_text() + "pack_ref: demo\n", 1)
    assert "key.ignored" not in codes(session, runtime)  # naming the installing pack is harmless
    manifest = pack / "pack.yaml"
    session.open(manifest, manifest.read_text().replace("ref: demo", "ref: other"), 1)
    assert "key.ignored" in codes(session, runtime)


def test_text_delta_maps_offsets_both_ways() -> None:
    delta = TextDelta.between("abcXYZdef", "abcQdef")
    assert (delta.prefix, delta.old_end, delta.new_end) == (3, 6, 4)
    assert delta.to_old(1) == 1 and delta.to_old(5) == 7 and delta.to_old(4) == 6  # "e", "d"
    assert delta.to_new(8) == 6 and delta.to_new(4) == 3  # "f"; inside the change: its start
    assert delta.span_to_new(Span(6, 9)) == Span(4, 7)
    assert TextDelta.between("same", "same").is_identity


def test_warming_in_steps_builds_what_warm_builds_and_gives_way_to_changes(session: Session, pack: Path) -> None:
    eager = Session(config_for=session.config_for)
    for source_pack in list(session.workspace.packs.values()):
        eager.add_pack(source_pack)
    eager.warm()
    list(session.warm_steps(batch=1))
    assert {p: (r.runtime.ref if r.runtime else None) for p, r in session.resolutions().items()} == {
        p: (r.runtime.ref if r.runtime else None) for p, r in eager.resolutions().items()
    }
    assert session._effects.referrers.index() == eager._effects.referrers.index()
    fresh = Session(config_for=session.config_for)
    for source_pack in list(session.workspace.packs.values()):
        fresh.add_pack(source_pack)
    steps = fresh.warm_steps(batch=1)
    next(steps)
    runtime = pack / "runtimes/python.yaml"
    fresh.open(runtime, runtime.read_text() + "# edited meanwhile\n", 1)
    assert list(steps) == []  # gave up without installing what it computed before the edit
    assert set(fresh.resolutions()) == set(eager.resolutions())  # the lazy path builds them from the current state
