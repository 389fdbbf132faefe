"""Cold starts of large workspaces: a helper process checks on the other cores, and the editor sees what the server would show."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.lsp.conftest import DEFAULT_SETTINGS, stop
from tests.lsp.test_warm_start import progress_messages, restored, serve, shown
from tests.packbuilder import write_large_workspace, write_pack

HELPED = "checked on the other cores"


def helped(messages: list[str]) -> bool:
    return any(HELPED in message for message in messages)


@pytest.fixture(scope="module")
def large_workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The large workspace, plus a rule naming a misspelt action of an extra catalog pack beside it (`extras/tools`)."""
    root = tmp_path_factory.mktemp("large")
    write_pack(root / "extras" / "tools", {"actions/run.yaml": "ref: tools.run\nrunner_type: python\nentry_point: run.py\n"}, ref="tools")
    workspace = write_large_workspace(root / "ws")
    (workspace / "lib" / "rules").mkdir()
    (workspace / "lib" / "rules" / "tools.yaml").write_text("ref: lib.tools\ntrigger_ref: lib.tick\naction_ref: tools.rnu\n")
    return workspace


@pytest.fixture(scope="module")
def settings(large_workspace: Path) -> dict[str, object]:
    """Settings the helper must apply as the server does: a severity turned off, and the extra catalog."""
    return {**DEFAULT_SETTINGS, "severity": {"runner_type.unknown": "off"},
            "extraCatalogPaths": [str(large_workspace.parent / "extras")]}


@pytest.mark.parametrize("name", ["vscode", "neovim"])
async def test_a_large_cold_start_shows_exactly_what_the_server_finds_by_itself(name: str, large_workspace: Path, settings: dict[str, object],
                                                                               tmp_path: Path) -> None:
    alone = await serve(name, large_workspace, tmp_path / "cache-alone", {**settings, "coldStartHelper": False})
    try:
        expected = await shown(alone)
        assert not helped(progress_messages(alone))
    finally:
        await stop(alone.client)
    assert len(expected) > 350
    codes = {finding[0] for findings in expected.values() for finding in findings}
    assert "key.unknown" in codes and "runner_type.unknown" not in codes
    tools = [finding for uri, findings in expected.items() if uri.endswith("/tools.yaml") for finding in findings]
    assert any("did you mean 'tools.run'" in finding[-1] for finding in tools), "the extra catalog is in scope"

    helper = await serve(name, large_workspace, tmp_path / "cache-helper", settings)
    try:
        assert await shown(helper) == expected
        assert helped(progress_messages(helper)), progress_messages(helper)
        assert not restored(helper)
    finally:
        await stop(helper.client)


async def test_the_next_start_restores_the_snapshot_the_helpers_findings_were_stored_in(large_workspace: Path, tmp_path: Path) -> None:
    first = await serve("neovim", large_workspace, tmp_path / "cache")
    try:
        expected = await shown(first)
        assert helped(progress_messages(first))
    finally:
        await stop(first.client)
    second = await serve("neovim", large_workspace, tmp_path / "cache")
    try:
        assert await shown(second) == expected
        assert restored(second) and not helped(progress_messages(second))
    finally:
        await stop(second.client)


async def test_a_small_workspace_gets_no_helper(workspace_dir: Path, tmp_path: Path) -> None:
    h = await serve("neovim", workspace_dir, tmp_path / "cache")
    try:
        assert await shown(h)
        assert not helped(progress_messages(h))
    finally:
        await stop(h.client)
