"""The registry store watch without a server: when it reads, when it applies, when it tells, when it stops."""

from __future__ import annotations

import asyncio
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from packls.facts import RegistryFacts
from packls.lsp import configuration
from packls.lsp.configuration import StoreWatch, store_identity
from packls.lsp.settings import Tuning, split_settings
from packls.registry import load_facts
from tests.registry.support import run_cli


@dataclass
class FakeServer:
    """What the watch touches on the server: tuning, the session's facts, diagnostics and messages."""

    facts: RegistryFacts
    interval_ms: int = 10
    applied: list[RegistryFacts] = field(default_factory=list)
    told: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.settings = SimpleNamespace(tuning=Tuning(store_poll_interval_ms=self.interval_ms))
        self.session = SimpleNamespace(facts=self.facts, set_facts=self._set_facts)
        self.diagnostics = SimpleNamespace(after=lambda impact: None)

    def _set_facts(self, facts: RegistryFacts) -> object:
        self.session.facts = facts
        self.applied.append(facts)
        return object()

    def tell(self, messages: list[str]) -> None:
        self.told.extend(messages)


def _sync(tmp_path: Path, database: Path, *names: str) -> None:
    """Availability from a workers payload advertising these runtimes (any version)."""
    payload = tmp_path / "workers.json"
    payload.write_text(json.dumps([{"name": "w", "capabilities": {"runtime_versions": {n: ["1.0"] for n in names}}}]))
    assert run_cli("--workers", str(payload), "--database", str(database)).code == 0


@pytest.fixture
def database(tmp_path: Path) -> Path:
    path = tmp_path / "registry.sqlite3"
    _sync(tmp_path, path, "python")
    return path


def _watch(server: FakeServer, database: Path) -> StoreWatch:
    return StoreWatch(server, str(database), None, database, store_identity(database))  # type: ignore[arg-type]


def _count_reads(monkeypatch: pytest.MonkeyPatch) -> list[str | None]:
    """Record every read of the store the watch makes."""
    from packls.registry import load

    reads: list[str | None] = []
    real = load.load_facts_checked

    def counted(database: str | None = None, **kwargs: Any) -> Any:
        reads.append(database)
        return real(database, **kwargs)

    monkeypatch.setattr(load, "load_facts_checked", counted)
    return reads


async def test_an_unchanged_store_is_not_read_again(database: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    server = FakeServer(load_facts(str(database)))
    reads = _count_reads(monkeypatch)
    watch = _watch(server, database)
    assert [await watch.poll() for _ in range(3)] == [False, False, False]
    assert reads == [] and server.applied == []


async def test_a_touched_store_with_the_same_facts_is_read_but_not_applied(database: Path,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    server = FakeServer(load_facts(str(database)))
    watch = _watch(server, database)
    info = database.stat()
    os.utime(database, ns=(info.st_atime_ns, info.st_mtime_ns + 1_000_000_000))
    reads = _count_reads(monkeypatch)
    assert await watch.poll() is False
    assert len(reads) == 1 and server.applied == []
    assert await watch.poll() is False and len(reads) == 1


async def test_new_facts_are_applied_once(database: Path, tmp_path: Path) -> None:
    server = FakeServer(load_facts(str(database)))
    watch = _watch(server, database)
    _sync(tmp_path, database, "node")  # python is no longer advertised
    assert await watch.poll() is True
    assert server.applied == [load_facts(str(database))]
    assert await watch.poll() is False and len(server.applied) == 1


async def test_a_corrupt_store_keeps_the_facts_and_is_reported_once(database: Path, tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    facts = load_facts(str(database))
    server = FakeServer(facts)
    watch = _watch(server, database)
    database.write_bytes(b"garbage" * 1000)
    reads = _count_reads(monkeypatch)
    assert await watch.poll() is False and server.told == []  # a sync may hold the file: only logged
    assert await watch.poll() is False and len(server.told) == 1  # still broken one poll later: told
    assert "not a valid packls database" in server.told[0] and "keeping the previous facts" in server.told[0]
    assert [await watch.poll() for _ in range(3)] == [False] * 3
    assert len(reads) == 2 and server.applied == [] and server.session.facts is facts  # no re-reads until it changes
    database.unlink()
    _sync(tmp_path, database, "node")
    assert await watch.poll() is True and server.session.facts == load_facts(str(database))


async def test_a_deleted_store_means_no_facts_as_at_startup(database: Path) -> None:
    server = FakeServer(load_facts(str(database)))
    watch = _watch(server, database)
    database.unlink()
    assert await watch.poll() is True
    assert server.session.facts == RegistryFacts()
    assert server.told and "no such database" in server.told[0]


def test_the_identity_covers_the_wal_file(tmp_path: Path) -> None:
    path = tmp_path / "s.db"
    assert store_identity(path) is None
    path.write_bytes(b"x")
    alone = store_identity(path)
    (tmp_path / "s.db-wal").write_bytes(b"yy")
    with_wal = store_identity(path)
    assert alone is not None and with_wal is not None and with_wal[:3] == alone and len(with_wal) == 6


async def test_the_watch_polls_until_stopped_and_never_when_turned_off(database: Path, tmp_path: Path) -> None:
    server = FakeServer(load_facts(str(database)))
    watch = _watch(server, database)
    watch.start()
    assert watch.running
    _sync(tmp_path, database, "node")
    for _ in range(200):
        if server.applied:
            break
        await asyncio.sleep(0.01)
    assert server.applied
    watch.stop()
    await asyncio.sleep(0.05)
    assert not watch.running
    off = _watch(FakeServer(server.session.facts, interval_ms=0), database)
    off.start()
    assert not off.running


async def test_a_postgres_store_is_read_once_and_not_watched(monkeypatch: pytest.MonkeyPatch) -> None:
    server = FakeServer(RegistryFacts())
    reads = _count_reads(monkeypatch)
    await configuration._use_database(server, "postgresql://u@127.0.0.1:1/none", None)  # type: ignore[arg-type]
    assert len(reads) == 1 and getattr(server, "_store_watch", None) is None


def test_the_poll_interval_is_a_server_setting() -> None:
    shared, tuning, problems = split_settings({"storePollIntervalMs": 250, "database": "/x.db"})
    assert shared == {"database": "/x.db"} and tuning.store_poll_interval_ms == 250 and problems == []
    assert split_settings({"watch": {"storePollIntervalMs": 0}})[1].store_poll_interval_ms == 0
    _, tuning, problems = split_settings({"storePollIntervalMs": True})
    assert tuning.store_poll_interval_ms == Tuning().store_poll_interval_ms and "storePollIntervalMs" in problems[0]
