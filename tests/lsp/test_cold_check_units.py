"""The cold-start helper without a client: real helper processes whose answers are taken only when they are sound."""

from __future__ import annotations

import asyncio
import os
import time
from pathlib import Path

import pytest

from packls.features.snapshot import SnapshotStore, Snapshot, key_of_reads
from packls.features.fresh_snapshot import read_packs
from packls.lsp import cold_check
from packls.lsp.app import PacklsServer
from packls.lsp.cold_check import ColdCheck
from packls.workspace import discover_pack_roots
from tests.packbuilder import write_large_workspace


@pytest.fixture(scope="module")
def large(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_large_workspace(tmp_path_factory.mktemp("large") / "ws")


@pytest.fixture
def server(large: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> PacklsServer:
    """A server that has its folder and settings, as after `initialize` (no client)."""
    monkeypatch.setenv("PACKLS_CACHE_DIR", str(tmp_path / "cache"))
    ls = PacklsServer()
    ls.session.folders = [large]
    return ls


def inputs_key(ls: PacklsServer, roots: list[Path]) -> tuple[str, int]:
    """The key the server computes from its own reads of these packs, and how many files they hold."""
    reads = read_packs(roots, ls.session.config_for)
    return key_of_reads(reads, [], ls.session.config_for, ls.session.facts), sum(len(read.files) for read in reads)


def group_gone(pid: int, within: float = 5.0) -> bool:
    """True once no process of the helper's process group is left."""
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        try:
            os.killpg(pid, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.02)
    return False


async def test_the_helpers_findings_are_taken_for_the_same_inputs(server: PacklsServer, large: Path) -> None:
    roots = discover_pack_roots([large])
    check = ColdCheck.early(server)
    assert check is not None
    assert await check.pack_roots([large]) == roots  # found once, while sizing up: indexing takes them
    assert await check.pack_roots([large / "lib"]) is None
    await check.request(server, roots)
    snapshot = await check.snapshot(*inputs_key(server, roots))
    assert snapshot is not None and sum(1 for found in snapshot.findings.values() if found) > 350


async def test_findings_of_other_inputs_are_refused(server: PacklsServer, large: Path) -> None:
    roots = discover_pack_roots([large])
    check = ColdCheck.early(server)
    assert check is not None
    await check.request(server, roots[:-1])  # the helper sees one pack less than the server read
    assert await check.snapshot(*inputs_key(server, roots)) is None


async def test_a_helper_that_fails_leaves_the_check_to_the_server(server: PacklsServer, large: Path, caplog: pytest.LogCaptureFixture,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    check = ColdCheck.early(server)
    assert check is not None
    # settings the helper cannot rebuild: it ends with a traceback
    monkeypatch.setattr(server.settings, "as_data", lambda: {"initialization": {}, "folders": [["a folder without its settings"]]})
    with caplog.at_level("INFO", logger="packls.lsp.cold_check"):
        await check.request(server, discover_pack_roots([large]))
        assert await check.snapshot("any key", 10) is None
    assert "the cold-start helper failed (exit 1)" in caplog.text and "ValueError" in caplog.text


async def test_a_helper_that_takes_too_long_is_killed_with_its_workers(server: PacklsServer, large: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cold_check, "WAIT_SECONDS", 0.0)
    monkeypatch.setattr(cold_check, "WAIT_PER_FILE", 0.0)
    roots = discover_pack_roots([large])
    check = ColdCheck.early(server)
    assert check is not None
    await check.request(server, roots)
    started = time.monotonic()
    assert await check.snapshot(*inputs_key(server, roots)) is None
    assert time.monotonic() - started < 2.0
    assert check._process is not None and group_gone(check._process.pid)


async def test_with_a_snapshot_stored_the_helper_starts_only_when_it_is_asked(server: PacklsServer, large: Path) -> None:
    SnapshotStore(server.session.folders).save(Snapshot("an older key", {}))
    check = ColdCheck.early(server)
    assert check is not None
    await check.request(server, discover_pack_roots([large]))
    await asyncio.sleep(0.3)  # sizing up is done by now
    assert check._process is None
    await check.ask()
    assert check._process is not None
    check.stop()
    assert group_gone(check._process.pid)


async def test_no_helper_for_a_small_workspace_or_when_turned_off(server: PacklsServer, large: Path, tmp_path: Path) -> None:
    small = write_large_workspace(tmp_path / "small", packs=1, actions=30)
    server.session.folders = [small]
    check = ColdCheck.early(server)
    assert check is not None
    await check.request(server, discover_pack_roots([small]))
    assert await check.snapshot("any key", 40) is None and check._process is None

    server.session.folders = [large]
    server.settings.set_initialization({"coldStartHelper": False})
    assert ColdCheck.early(server) is None


async def test_the_helper_runs_the_servers_packls_even_with_another_one_earlier_on_the_path(
    server: PacklsServer, large: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    marker = tmp_path / "MARKER-other-packls-imported"
    (tmp_path / "elsewhere" / "packls").mkdir(parents=True)
    (tmp_path / "elsewhere" / "packls" / "__init__.py").write_text(f"open({str(marker)!r}, 'w').close()\n")
    monkeypatch.syspath_prepend(str(tmp_path / "elsewhere"))  # a `packls` folder where the server started, say
    roots = discover_pack_roots([large])
    check = ColdCheck.early(server)
    assert check is not None
    await check.request(server, roots)
    assert await check.snapshot(*inputs_key(server, roots)) is not None
    assert not marker.exists()


async def test_a_first_indexing_that_fails_early_still_stops_the_helper(server: PacklsServer, monkeypatch: pytest.MonkeyPatch) -> None:
    from packls.lsp import handlers, watch

    async def refused(ls: PacklsServer) -> None:
        await asyncio.sleep(0.5)  # the helper has started meanwhile (nothing is stored: surely cold)
        raise RuntimeError("the client broke off")

    monkeypatch.setattr(watch, "register", refused)
    started: list[ColdCheck] = []
    early = ColdCheck.early
    monkeypatch.setattr(ColdCheck, "early", classmethod(lambda cls, ls: started.append(early(ls)) or started[-1]))
    await handlers.initialized(server, None)  # logged, never raised
    assert started and started[0] is not None and started[0]._process is not None
    assert group_gone(started[0]._process.pid) and server.cold_check is None
