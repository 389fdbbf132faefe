"""Cross-file re-checking: runtime edits in the editor or on disk reach every action and sensor."""

from __future__ import annotations

from pathlib import Path

import pytest
from lsprotocol import types
from pygls.uris import from_fs_path

from tests.lsp.harness import Harness, wait_for

pytestmark = pytest.mark.asyncio(loop_scope="module")

UNSAT = "runtime_version.unsatisfiable"


def codes(diagnostics: list[types.Diagnostic]) -> list[str]:
    return [str(d.code) for d in diagnostics]


def notify_disk(h: Harness, *changes: tuple[Path, types.FileChangeType]) -> None:
    h.client.workspace_did_change_watched_files(
        types.DidChangeWatchedFilesParams(
            changes=[types.FileEvent(uri=from_fs_path(str(p)) or "", type=kind) for p, kind in changes]
        )
    )


async def test_editing_a_runtime_rechecks_open_and_closed_actions(shared: Harness) -> None:
    h = shared
    pack = h.fresh()
    action = h.open(pack / "actions/newest.yaml")
    assert UNSAT not in codes(await h.diagnostics(action))
    refreshes = h.client.diagnostic_refresh_count
    runtime = h.open(pack / "runtimes/python.yaml")
    await h.diagnostics(runtime)
    for version in ("3.11", "3.12", "3.13", "3.14.0-rc.1"):
        h.edit(runtime, f'- version: "{version}"', '- version: "2.7"')
    await h.diagnostics(runtime)
    if h.pull:
        await wait_for(lambda: h.client.diagnostic_refresh_count > refreshes, "workspace/diagnostic/refresh")
    assert UNSAT in codes(await h.diagnostics(action)) if h.pull else await _pushed(h, action.uri, UNSAT)
    closed = await h.closed_diagnostics(pack / "actions/summarize.yaml", lambda d: True)
    assert UNSAT not in codes(closed)  # no constraint: the default (now 3.10... or none) never makes it unsatisfiable
    preview = await h.closed_diagnostics(pack / "actions/preview.yaml", lambda d: UNSAT in codes(d))
    assert UNSAT in codes(preview)
    h.close(runtime)
    await h.closed_diagnostics(pack / "actions/preview.yaml", lambda d: UNSAT not in codes(d))
    h.close(action)


async def _pushed(h: Harness, uri: str, code: str) -> bool:
    await wait_for(lambda: code in codes(list(h.client.diagnostics.get(uri, []))), f"{code} pushed for {uri}")
    return True


async def test_on_disk_runtime_change_reaches_closed_actions(shared: Harness) -> None:
    h = shared
    pack = h.fresh()
    newest = pack / "actions/newest.yaml"
    h.open(pack / "pack.yaml")  # loads the pack; its other files stay closed
    assert UNSAT not in codes(await h.closed_diagnostics(newest))
    runtime = pack / "runtimes/python.yaml"
    runtime.write_text(runtime.read_text().replace('"3.13"', '"2.9"').replace('"3.12"', '"2.8"').replace('"3.11"', '"2.7"').replace('"3.14.0-rc.1"', '"2.6"'))
    notify_disk(h, (runtime, types.FileChangeType.Changed))
    assert UNSAT in codes(await h.closed_diagnostics(newest, lambda d: UNSAT in codes(d)))


async def test_files_created_and_deleted_on_disk(shared: Harness) -> None:
    h = shared
    pack = h.fresh()
    h.open(pack / "pack.yaml")
    created = pack / "actions/created.yaml"
    created.write_text(f'ref: {pack.name}.created\nrunner_type: python\nruntime_version: ">=8"\nentry_point: created.py\n')
    notify_disk(h, (created, types.FileChangeType.Created))
    assert UNSAT in codes(await h.closed_diagnostics(created, lambda d: UNSAT in codes(d)))
    created.unlink()
    notify_disk(h, (created, types.FileChangeType.Deleted))
    assert await h.closed_diagnostics(created, lambda d: d == []) == []


async def test_deleting_the_manifest_drops_the_pack(shared: Harness) -> None:
    h = shared
    pack = h.fresh("broken_pack")
    h.open(pack / "pack.yaml")
    golang = pack / "actions/golang.yaml"
    assert "runner_type.unknown" in codes(await h.closed_diagnostics(golang, lambda d: bool(d)))
    h.close(h.open(pack / "pack.yaml"))
    (pack / "pack.yaml").unlink()
    notify_disk(h, (pack / "pack.yaml", types.FileChangeType.Deleted))
    assert await h.closed_diagnostics(golang, lambda d: d == []) == []


async def test_inlay_hints_refresh_when_a_selection_changes(shared: Harness) -> None:
    h = shared
    pack = h.fresh()
    action = h.open(pack / "actions/newest.yaml")
    hints = await h.client.text_document_inlay_hint_async(
        types.InlayHintParams(h.ident(action), types.Range(types.Position(0, 0), types.Position(99, 0)))
    )
    assert [hint.label for hint in hints or []] == ["→ 3.13"]
    before = h.client.inlay_refreshes  # type: ignore[attr-defined]
    runtime = h.open(pack / "runtimes/python.yaml")
    h.edit(runtime, '- version: "3.13"', '- version: "3.15"')
    await h.diagnostics(runtime)
    await wait_for(lambda: h.client.inlay_refreshes > before, "workspace/inlayHint/refresh")  # type: ignore[attr-defined]
    hints = await h.client.text_document_inlay_hint_async(
        types.InlayHintParams(h.ident(action), types.Range(types.Position(0, 0), types.Position(99, 0)))
    )
    assert [hint.label for hint in hints or []] == ["→ 3.15"]
    h.close(runtime)
    h.close(action)


async def test_polling_notices_changes_without_a_client_watcher(shared: Harness) -> None:
    h = shared
    if h.name != "neovim":
        assert any(r.method == types.WORKSPACE_DID_CHANGE_WATCHED_FILES for r in h.client.registrations)  # type: ignore[attr-defined]
        return
    pack = h.fresh()
    h.open(pack / "pack.yaml")
    newest = pack / "actions/newest.yaml"
    await h.closed_diagnostics(newest)
    newest.write_text(newest.read_text().replace(">=3.11,<4.0", ">=12"))
    assert UNSAT in codes(await h.closed_diagnostics(newest, lambda d: UNSAT in codes(d)))
