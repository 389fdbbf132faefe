"""The project's packls.toml applies in the editor exactly as in `packls validate`, and follows edits."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest
from lsprotocol import types

from tests.lsp.harness import Harness, wait_for

UNSAT = "runtime_version.unsatisfiable"


@pytest.fixture
def workspace_dir(workspace_dir: Path) -> Path:
    """The example packs with a project file that turns one finding into a hint."""
    (workspace_dir / "packls.toml").write_text('[severity]\n"runtime_version.unsatisfiable" = "hint"\n')
    return workspace_dir


async def test_the_project_file_wins_over_editor_settings(h: Harness) -> None:
    doc = h.open(h.root / "broken_pack/actions/too_new.yaml")
    unsat = [d for d in await h.diagnostics(doc) if d.code == UNSAT]
    assert unsat and unsat[0].severity == types.DiagnosticSeverity.Hint
    (h.root / "packls.toml").write_text('[severity]\n"runtime_version.unsatisfiable" = "warning"\n')
    h.client.workspace_did_change_watched_files(
        types.DidChangeWatchedFilesParams([types.FileEvent(uri=doc.uri.rsplit("/broken_pack", 1)[0] + "/packls.toml", type=types.FileChangeType.Changed)])
    )

    async def severity() -> Any:
        found = [d for d in await h.diagnostics(doc) if d.code == UNSAT]
        return found[0].severity if found else None

    if h.pull:
        for _ in range(200):
            if await severity() == types.DiagnosticSeverity.Warning:
                break
            await asyncio.sleep(0.02)
    else:
        await wait_for(lambda: any(d.severity == types.DiagnosticSeverity.Warning for d in h.client.diagnostics.get(doc.uri, [])), "republished")
    assert await severity() == types.DiagnosticSeverity.Warning


