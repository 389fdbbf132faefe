"""Editing a runtime: hover on a version entry says who selects it and who would move if the buffer were saved."""

from __future__ import annotations

from pathlib import Path

from packls.features.save_impact import save_impact
from packls.features.session import Session
from tests.features.conftest import RUNTIME, edit
from tests.features.test_hover import show

MOVED_DEFAULT_AND_314 = RUNTIME.replace(
    '  - version: "3.12"\n    is_default: true\n  - version: "3.13"\n',
    '  - version: "3.12"\n  - version: "3.13"\n    is_default: true\n  - version: "3.14"\n',
)


def test_a_clean_buffer_has_no_unsaved_section(session: Session, pack: Path) -> None:
    path = pack / "runtimes/python.yaml"
    edit(session, path, path.read_text())
    text = show(session, path, '"3.12"')
    assert "Selected by 1 action:" in text and "Unsaved" not in text
    source = session.source(path)
    assert source is not None and not save_impact(session, source).dirty


def test_unsaved_edits_say_who_moves_from_which_version_to_which(session: Session, pack: Path) -> None:
    path = pack / "runtimes/python.yaml"
    edit(session, path, MOVED_DEFAULT_AND_314)
    text = show(session, path, '"3.13"')
    assert "**demo.python 3.13** (default)\n\nSelected by 1 action:\n- `demo.defaulted` (action) — no constraint" in text
    assert text.endswith(
        "**Unsaved edits:**\n"
        "- Saving moves 1 action from 3.12 to 3.13: `demo.defaulted`\n"
        "- Saving moves 1 action from 3.13 to 3.14: `demo.newest`"
    )
    assert text.endswith("from 3.13 to 3.14: `demo.newest`")
    # On is_default, the same entry; on an untouched version, how many others move.
    assert show(session, path, "is_default: true", len("is_default: t")) == text
    assert show(session, path, '"3.11"').endswith(
        "**Unsaved edits:** saving moves no action or sensor into or out of this version (2 other selections would change)."
    )
    assert show(session, path, "demo.python").endswith("- Saving moves 1 action from 3.13 to 3.14: `demo.newest`")


def test_the_disk_is_the_reference_so_saving_clears_the_section(session: Session, pack: Path) -> None:
    path = pack / "runtimes/python.yaml"
    edit(session, path, MOVED_DEFAULT_AND_314)
    assert "Unsaved edits" in show(session, path, '"3.14"')
    path.write_text(MOVED_DEFAULT_AND_314)  # what an editor's save does; the session keeps the buffer
    assert "Unsaved edits" not in show(session, path, '"3.14"')
    assert session.resolutions()  # the session itself was not touched


def test_a_removed_version_leaves_its_users_with_nothing(session: Session, pack: Path) -> None:
    path = pack / "runtimes/python.yaml"
    edit(session, path, RUNTIME.replace('  - version: "3.13"\n', ""))
    text = show(session, path, '"3.12"')
    assert "- Saving moves 1 action from 3.13 to 3.12: `demo.newest`" in text
    users = pack / "sensors/watch.yaml"
    edit(session, users, users.read_text().replace("runner_type: python", "runner_type: demo.python").replace("~3.12", "~3.13"))
    edit(session, path, RUNTIME.replace('  - version: "3.13"\n', "") + "\n")
    assert "- Saving moves 1 sensor from 3.13 to none: `demo.watch`" in show(session, path, "demo.python")


def test_a_renamed_runtime_shows_where_its_users_go(session: Session, pack: Path) -> None:
    path = pack / "runtimes/python.yaml"
    edit(session, path, RUNTIME.replace("name: DemoPython", "name: Renamed"))
    text = show(session, path, "demo.python")
    assert "- Saving moves 1 action from demo.python 3.12 to no runtime: `demo.defaulted`" in text


def test_a_renamed_ref_finds_the_users_the_file_on_disk_has(session: Session, pack: Path) -> None:
    path = pack / "runtimes/python.yaml"
    edit(session, path, RUNTIME.replace("ref: demo.python", "ref: demo.snake"))
    text = show(session, path, "demo.snake")
    assert "- Saving moves 1 action from demo.python 3.13 to no runtime: `demo.newest`" in text
    # runner_type 'DemoPython' matches the name, which did not change: that user follows the new ref.
    assert "- Saving moves 1 action from demo.python 3.12 to demo.snake 3.12: `demo.defaulted`" in text


def test_a_new_runtime_file_not_yet_on_disk(session: Session, pack: Path) -> None:
    (pack / "actions/rusty.yaml").write_text('ref: demo.rusty\nrunner_type: demo.rust\nentry_point: r.sh\n')
    session.disk_changed(pack / "actions/rusty.yaml")
    path = pack / "runtimes/rust.yaml"
    edit(session, path, 'ref: demo.rust\nname: Rust\nversions:\n  - version: "1.80"\n')
    assert "- Saving moves 1 action from no runtime to demo.rust 1.80: `demo.rusty`" in show(session, path, '"1.80"')


def test_the_session_is_left_as_it_was(session: Session, pack: Path) -> None:
    path = pack / "runtimes/python.yaml"
    edit(session, path, MOVED_DEFAULT_AND_314)
    buffer = session.workspace.source(path)
    selections = dict(session.selections())
    show(session, path, '"3.13"')
    assert session.workspace.source(path) is buffer
    assert session.workspace.runtime_by_ref("demo.python") is buffer.component
    assert session.selections() == selections
