"""Cold starts of large workspaces: a helper process checks on the other cores, and the editor sees what the server would show."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.lsp.conftest import DEFAULT_SETTINGS, stop
from tests.lsp.test_warm_start import progress_messages, restored, serve, shown
from tests.packbuilder import write_large_workspace

HELPED = "checked on the other cores"
SETTINGS = {**DEFAULT_SETTINGS, "severity": {"runner_type.unknown": "off"}}  # the helper must apply them as the server does


def helped(messages: list[str]) -> bool:
    return any(HELPED in message for message in messages)


@pytest.fixture(scope="module")
def large_workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_large_workspace(tmp_path_factory.mktemp("large") / "ws")


@pytest.mark.parametrize("name", ["vscode", "neovim"])
async def test_a_large_cold_start_shows_exactly_what_the_server_finds_by_itself(name: str, large_workspace: Path, tmp_path: Path) -> None:
    alone = await serve(name, large_workspace, tmp_path / "cache-alone", {**SETTINGS, "coldStartHelper": False})
    try:
        expected = await shown(alone)
        assert not helped(progress_messages(alone))
    finally:
        await stop(alone.client)
    assert len(expected) > 350
    codes = {finding[0] for findings in expected.values() for finding in findings}
    assert "key.unknown" in codes and "runner_type.unknown" not in codes

    helper = await serve(name, large_workspace, tmp_path / "cache-helper", SETTINGS)
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
