"""Comparing two resolved workspaces: what moved, why, and what was added, removed or left alone."""

from __future__ import annotations

from pathlib import Path

from packls.facts import RegistryFacts
from packls.selection_diff import CauseKind, State
from tests.review.support import FILES, diff_of, edited

RUNTIME = "runtimes/python.yaml"


def kinds(diff, ref: str) -> list[CauseKind]:
    (change,) = [c for c in diff.changed if c.subject.ref == ref]
    return [cause.kind for cause in change.causes]


def moves(diff) -> dict[str, tuple[str, str]]:
    return {c.subject.ref: (c.before.shown, c.after.shown) for c in diff.changed}


def test_nothing_changed_counts_every_component_as_unchanged(tmp_path: Path) -> None:
    diff = diff_of(tmp_path, FILES, FILES)
    assert diff.empty and diff.unchanged == 4


def test_an_added_version_moves_the_ranges_that_now_reach_it(tmp_path: Path) -> None:
    after = edited(RUNTIME, '  - version: "3.13"\n', '  - version: "3.13"\n  - version: "3.14"\n')
    diff = diff_of(tmp_path, FILES, after)
    assert moves(diff) == {"demo.newest": ("3.13", "3.14")}
    (change,) = diff.changed
    assert [(c.kind, c.message) for c in change.causes] == [(CauseKind.VERSION_ADDED, "version 3.14 added")]
    assert change.before.env_dir == "/opt/attune/runtime_envs/demo/demopython-3.13"
    assert change.after.env_dir == "/opt/attune/runtime_envs/demo/demopython-3.14"
    assert diff.unchanged == 3 and not diff.added and not diff.removed


def test_a_removed_version_moves_its_users_or_leaves_them_with_nothing(tmp_path: Path) -> None:
    after = edited(RUNTIME, '  - version: "3.11"\n', "")
    diff = diff_of(tmp_path, FILES, after)
    assert moves(diff) == {"demo.pinned": ("3.11", "none")}
    (change,) = diff.changed
    assert change.unsatisfied and change.after.state is State.UNSATISFIED
    assert kinds(diff, "demo.pinned") == [CauseKind.VERSION_REMOVED]
    assert "the action still runs" in change.after.reason
    assert diff.unsatisfied == (change,)


def test_a_moved_default_moves_only_components_without_a_constraint(tmp_path: Path) -> None:
    after = edited(RUNTIME, '    is_default: true\n  - version: "3.13"\n', '  - version: "3.13"\n    is_default: true\n')
    diff = diff_of(tmp_path, FILES, after)
    assert moves(diff) == {"demo.defaulted": ("3.12", "3.13")}
    (change,) = diff.changed
    assert [(c.kind, c.before, c.after) for c in change.causes] == [(CauseKind.DEFAULT_MOVED, "3.12", "3.13")]
    assert change.causes[0].message == "default moved: 3.12 -> 3.13"


def test_an_edited_constraint_is_named_with_both_texts(tmp_path: Path) -> None:
    after = edited("sensors/watch.yaml", '"~3.12"', '"~3.13"')
    diff = diff_of(tmp_path, FILES, after)
    assert moves(diff) == {"demo.watch": ("3.12", "3.13")}
    (change,) = diff.changed
    assert change.subject.kind == "sensor"
    assert [c.message for c in change.causes] == ["runtime_version edited: ~3.12 -> ~3.13"]


def test_an_edit_that_selects_the_same_version_is_unchanged(tmp_path: Path) -> None:
    after = edited("actions/newest.yaml", '">=3.11,<4.0"', '">=3.12"')
    diff = diff_of(tmp_path, FILES, after)
    assert diff.empty and diff.unchanged == 4


def test_availability_changes_are_the_cause_when_files_are_equal(tmp_path: Path) -> None:
    facts = RegistryFacts().assuming({("demo.python", "3.13"): False})
    diff = diff_of(tmp_path, FILES, FILES, after_facts=facts)
    assert moves(diff) == {"demo.newest": ("3.13", "3.12")}
    (change,) = diff.changed
    cause = change.causes[0]
    assert (cause.kind, cause.message, cause.before, cause.after) == (
        CauseKind.AVAILABILITY_CHANGED, "3.13 no longer available", "available", "unavailable",
    )


def test_an_unavailable_default_sends_blank_constraints_to_the_highest_version(tmp_path: Path) -> None:
    facts = RegistryFacts().assuming({("demo.python", "3.12"): False})
    diff = diff_of(tmp_path, FILES, FILES, after_facts=facts)
    assert moves(diff) == {"demo.defaulted": ("3.12", "3.13"), "demo.watch": ("3.12", "none")}
    assert kinds(diff, "demo.defaulted") == [CauseKind.AVAILABILITY_CHANGED]
    assert [c.subject.ref for c in diff.unsatisfied] == ["demo.watch"]


def test_an_edited_runner_type_and_a_runtime_that_captures_a_name(tmp_path: Path) -> None:
    after = edited("actions/pinned.yaml", "runner_type: demo.python", "runner_type: python")
    diff = diff_of(tmp_path, FILES, after)
    (change,) = diff.changed
    assert (change.before.runtime, change.after.runtime) == ("demo.python", "core.python")
    assert kinds(diff, "demo.pinned") == [CauseKind.RUNNER_TYPE_CHANGED]
    assert change.causes[0].message == "runner_type edited: demo.python -> python"
    # A runtime renamed to DemoPy: runner_type 'DemoPython' (matched by name) now finds nothing.
    renamed = edited(RUNTIME, "name: DemoPython", "name: DemoPy")
    diff = diff_of(tmp_path / "renamed", FILES, renamed)
    assert moves(diff)["demo.defaulted"] == ("3.12", "no runtime")
    assert kinds(diff, "demo.defaulted") == [CauseKind.RUNTIME_CHANGED]
    assert diff.changed[-1].runtime == "demo.python"


def test_a_renamed_runtime_moves_the_environment_folders(tmp_path: Path) -> None:
    files = {k: v.replace("runner_type: DemoPython", "runner_type: demo.python") for k, v in FILES.items()}
    after = edited(RUNTIME, "name: DemoPython", "name: Snake", files)
    diff = diff_of(tmp_path, files, after)
    assert len(diff.changed) == 4
    change = diff.changed[0]
    assert change.before.version == change.after.version
    assert change.after.env_dir.endswith("/demo/snake-" + change.after.version)
    assert [c.message for c in change.causes] == ["environment folder moved: runtime name DemoPython -> Snake"]


def test_added_and_removed_components_are_listed_with_what_they_get(tmp_path: Path) -> None:
    after = {k: v for k, v in FILES.items() if k != "actions/pinned.yaml"}
    after["actions/fresh.yaml"] = 'ref: demo.fresh\nrunner_type: demo.python\nruntime_version: "~3.13"\nentry_point: f.py\n'
    diff = diff_of(tmp_path, FILES, after)
    assert [(p.subject.ref, p.outcome.shown) for p in diff.added] == [("demo.fresh", "3.13")]
    assert [(p.subject.ref, p.outcome.shown, p.subject.path) for p in diff.removed] == [
        ("demo.pinned", "3.11", "demo/actions/pinned.yaml"),
    ]
    assert not diff.changed and diff.unchanged == 3


def test_a_renamed_file_keeping_its_ref_is_the_same_component(tmp_path: Path) -> None:
    after = {("actions/renamed.yaml" if k == "actions/pinned.yaml" else k): v for k, v in FILES.items()}
    diff = diff_of(tmp_path, FILES, after)
    assert diff.empty and diff.unchanged == 4


def test_changes_are_ordered_by_runtime_then_ref(tmp_path: Path) -> None:
    after = edited(RUNTIME, '  - version: "3.11"\n', "")
    after = edited("actions/newest.yaml", "runner_type: demo.python", "runner_type: python", after)
    diff = diff_of(tmp_path, FILES, after)
    assert [(c.runtime, c.subject.ref) for c in diff.changed] == [("core.python", "demo.newest"), ("demo.python", "demo.pinned")]
    assert diff.runtimes() == ["core.python", "demo.python"]


def test_a_file_that_stops_parsing_is_a_change_not_a_removal(tmp_path: Path) -> None:
    after = edited("actions/pinned.yaml", "entry_point: pinned.py", "entry_point: [pinned.py")
    diff = diff_of(tmp_path, FILES, after)
    assert not diff.removed and not diff.added
    (change,) = diff.changed
    assert (change.subject.ref, change.before.shown, change.after.shown) == ("demo.pinned", "3.11", "file does not load")
    assert change.unsatisfied and change.after.state is State.BROKEN
    assert [(c.kind, c.message) for c in change.causes] == [
        (CauseKind.FILE_BROKEN, "actions/pinned.yaml does not parse (line 4) (Attune fails to register it)"),
    ]
    back = diff_of(tmp_path / "back", after, FILES)
    assert [c.message for c in back.changed[0].causes] == ["actions/pinned.yaml loads again (was: does not parse (line 4))"]


def test_a_runtime_file_that_stops_parsing_names_it_for_every_user(tmp_path: Path) -> None:
    after = edited(RUNTIME, "versions:", "versions: [")
    diff = diff_of(tmp_path, FILES, after)
    assert len(diff.changed) == 4 and len(diff.unsatisfied) == 4
    assert {c.causes[0].message for c in diff.changed} == {"runtime file runtimes/python.yaml does not parse (line 4)"}
    assert {c.causes[0].kind for c in diff.changed} == {CauseKind.RUNTIME_FILE_BROKEN}
