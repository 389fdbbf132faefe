"""A `packls sync` run while the editor is open reaches the diagnostics without any settings change."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import pytest
from lsprotocol import types

from tests.lsp.conftest import DEFAULT_SETTINGS
from tests.lsp.harness import Doc, Harness, wait_for
from tests.packbuilder import write_pack
from tests.registry.support import run_cli

UNAVAILABLE = "runtime_version.unavailable"
RUNTIME = """
ref: demo.py
name: Python
versions:
  - version: "3.11"
  - version: "3.99"
    is_default: true
"""


def _sync(workspace: Path, database: Path, *versions: str) -> None:
    """`packls sync --workers` with a payload whose only worker runs these Python versions."""
    payload = workspace.parent / "workers.json"
    payload.write_text(json.dumps([{"name": "w", "capabilities": {"runtime_versions": {"python": list(versions)}}}]))
    result = run_cli("--workers", str(payload), str(workspace), "--database", str(database))
    assert result.code == 0, result.out + result.err


@pytest.fixture
def workspace_dir(tmp_path: Path) -> Path:
    """One pack whose action can only run on Python 3.99, synced with 3.99 available."""
    workspace = tmp_path / "ws"
    write_pack(workspace / "demo", {
        "runtimes/py.yaml": RUNTIME,
        "actions/new.yaml": 'ref: demo.new\nentry_point: run.sh\nrunner_type: demo.py\nruntime_version: ">=3.50"\n',
        "actions/run.sh": "#!/bin/sh\n",
    })
    _sync(workspace, tmp_path / "registry.sqlite3", "3.99", "3.11")
    return workspace


@pytest.fixture
def settings(tmp_path: Path) -> dict[str, Any]:
    """The synced store, polled quickly."""
    return {**DEFAULT_SETTINGS, "database": str(tmp_path / "registry.sqlite3"), "storePollIntervalMs": 100}


async def _codes_until(h: Harness, doc: Doc, wanted: bool) -> list[str]:
    """The document's codes once UNAVAILABLE is (or is not) among them, pulled or pushed."""
    if h.pull:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + 10
        while True:
            codes = h.codes(await h.diagnostics(doc))
            if (UNAVAILABLE in codes) == wanted or loop.time() > deadline:
                return codes
            await asyncio.sleep(0.05)
    await wait_for(lambda: (UNAVAILABLE in h.codes(h.client.diagnostics.get(doc.uri, []))) == wanted, f"{UNAVAILABLE} {wanted}", 10)
    return h.codes(h.client.diagnostics[doc.uri])


def _told(h: Harness, words: str) -> list[str]:
    return [m.message for m in h.client.messages if words in m.message]


async def test_a_sync_in_a_terminal_changes_the_diagnostics(h: Harness, tmp_path: Path) -> None:
    doc = h.open(h.root / "demo/actions/new.yaml")
    assert UNAVAILABLE not in h.codes(await h.diagnostics(doc))
    publishes = len(h.client.publishes)  # type: ignore[attr-defined]
    await asyncio.sleep(0.5)  # several polls of an unchanged store: nothing is re-applied
    assert len(h.client.publishes) == publishes  # type: ignore[attr-defined]

    await asyncio.to_thread(_sync, h.root, tmp_path / "registry.sqlite3", "3.11")  # 3.99 goes away
    assert UNAVAILABLE in await _codes_until(h, doc, True)

    await asyncio.to_thread(_sync, h.root, tmp_path / "registry.sqlite3", "3.99")  # and comes back
    assert UNAVAILABLE not in await _codes_until(h, doc, False)
    assert not h.client.messages


async def test_an_unreadable_store_keeps_the_facts_and_the_user_is_told_once(h: Harness, tmp_path: Path) -> None:
    database = tmp_path / "registry.sqlite3"
    doc = h.open(h.root / "demo/actions/new.yaml")
    await asyncio.to_thread(_sync, h.root, database, "3.11")
    assert UNAVAILABLE in await _codes_until(h, doc, True)

    database.write_bytes(b"not a database at all " * 200)
    await wait_for(lambda: _told(h, "not a valid packls database"), "the user to be told", 10)
    await asyncio.sleep(0.6)  # more polls of the same broken file
    assert len(_told(h, "not a valid packls database")) == 1
    assert all(m.type == types.MessageType.Warning for m in h.client.messages)
    assert UNAVAILABLE in h.codes(await h.diagnostics(doc))  # the facts read before still apply

    database.unlink()
    await asyncio.to_thread(_sync, h.root, database, "3.99")  # a fresh store is picked up again
    assert UNAVAILABLE not in await _codes_until(h, doc, False)
