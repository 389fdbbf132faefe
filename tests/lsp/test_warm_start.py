"""Warm starts: a restarted server shows the last run's findings at once, and never stale ones."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path
from typing import Any

import pytest
from lsprotocol import types
from pygls.uris import from_fs_path
from pytest_lsp import ClientServerConfig

from tests.lsp.conftest import DATA_HOME, DEFAULT_SETTINGS, start, stop
from tests.lsp.harness import CLIENTS, QUIET_SECONDS, TIMEOUT, Harness, make_client, server_command, server_env

Shown = dict[str, list[tuple[Any, ...]]]


async def serve(name: str, folder: Path, cache: Path, settings: dict[str, Any] | None = None) -> Harness:
    """A server of its own over folder, keeping its snapshots in cache."""
    config = ClientServerConfig(
        server_command=server_command(), client_factory=make_client,
        server_env={**server_env(DATA_HOME), "PACKLS_CACHE_DIR": str(cache)},
    )
    client = await config.start()
    return await start(client, name, [folder], settings or dict(DEFAULT_SETTINGS))


def progress_messages(h: Harness) -> list[str]:
    return [str(getattr(v, "message", "") or "") for values in h.client.progress_reports.values() for v in values]


async def indexed(h: Harness) -> float:
    """Wait until indexing reported its end; when it was seen."""
    deadline = time.monotonic() + TIMEOUT
    while not any("indexed" in m for m in progress_messages(h)):
        assert time.monotonic() < deadline, f"indexing never ended: {progress_messages(h)}"
        await asyncio.sleep(0.02)
    return time.monotonic()


async def shown(h: Harness) -> Shown:
    """Every closed file's findings as the editor shows them once the server is quiet (pulled or pushed)."""
    seen = await indexed(h)
    if h.pull:
        report = await h.client.workspace_diagnostic_async(types.WorkspaceDiagnosticParams(previous_result_ids=[]))
        found = {item.uri: list(item.items) for item in report.items if isinstance(item, types.WorkspaceFullDocumentDiagnosticReport)}
    else:
        while time.monotonic() - max(seen, h.client.last_publish) < QUIET_SECONDS:  # type: ignore[attr-defined]
            await asyncio.sleep(0.05)
        found = {uri: list(items) for uri, items in h.client.diagnostics.items()}
    return {
        uri: sorted((str(d.code), d.range.start.line, d.range.start.character, d.range.end.line, d.message) for d in items)
        for uri, items in found.items() if items
    }


def restored(h: Harness) -> bool:
    return any("restored" in m for m in progress_messages(h))


@pytest.mark.parametrize("name", CLIENTS)
async def test_a_restart_shows_the_same_findings_restored_from_the_snapshot(name: str, workspace_dir: Path, tmp_path: Path) -> None:
    first = await serve(name, workspace_dir, tmp_path / "cache")
    cold = await shown(first)
    assert not restored(first)
    assert len(cold) >= 5
    await stop(first.client)
    assert list((tmp_path / "cache").glob("workspace-*.marshal")), "the first server stored a snapshot"

    second = await serve(name, workspace_dir, tmp_path / "cache")
    try:
        assert await shown(second) == cold
        assert restored(second)
    finally:
        await stop(second.client)


@pytest.mark.parametrize("name", CLIENTS)
async def test_a_file_changed_between_runs_is_never_shown_stale(name: str, workspace_dir: Path, tmp_path: Path) -> None:
    first = await serve(name, workspace_dir, tmp_path / "cache")
    cold = await shown(first)
    await stop(first.client)
    action = workspace_dir / "data_tools/actions/newest.yaml"
    uri = from_fs_path(str(action))
    assert not any(code == "runtime_version.unsatisfiable" for code, *_ in cold.get(uri, []))
    action.write_text(action.read_text().replace('">=3.11,<4.0"', '">=9.0"'))

    second = await serve(name, workspace_dir, tmp_path / "cache")
    try:
        after = await shown(second)
        assert not restored(second)
        assert any(code == "runtime_version.unsatisfiable" for code, *_ in after[uri])
        assert {u: v for u, v in after.items() if u != uri} == {u: v for u, v in cold.items() if u != uri}
    finally:
        await stop(second.client)


async def test_a_damaged_snapshot_file_means_a_cold_start(workspace_dir: Path, tmp_path: Path) -> None:
    first = await serve("neovim", workspace_dir, tmp_path / "cache")
    cold = await shown(first)
    await stop(first.client)
    for snapshot in (tmp_path / "cache").glob("workspace-*.marshal"):
        snapshot.write_bytes(snapshot.read_bytes()[: len(snapshot.read_bytes()) // 2])
    second = await serve("neovim", workspace_dir, tmp_path / "cache")
    try:
        assert await shown(second) == cold
        assert not restored(second)
    finally:
        await stop(second.client)


async def test_the_persistent_cache_can_be_turned_off(workspace_dir: Path, tmp_path: Path) -> None:
    settings = {**DEFAULT_SETTINGS, "persistentCache": False}
    first = await serve("neovim", workspace_dir, tmp_path / "cache", settings)
    await shown(first)
    await stop(first.client)
    assert not list((tmp_path / "cache").glob("*"))
