"""A long editing session does not grow the server: nothing is kept per handled notification.

pygls 2.1 stores the future of every notification handled by a generator (didOpen, didChange,
didClose, …) in `_request_futures` and never removes it: about 2 KB per keystroke, for ever.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from lsprotocol import types

from packls.lsp.server import create_server
from tests.hostile import wire
from tests.hostile.serving import h, server, settings  # noqa: F401 (fixtures)
from tests.lsp.harness import Harness, copy_packs

EDITS = 10_000
GROWTH_MB = 5.0  # pygls' leak alone would add ~20 MB over EDITS


@pytest.fixture
def folders(tmp_path: Path) -> list[Path]:
    return [copy_packs(tmp_path / "ws", ("data_tools",))]


class _Sink:
    """A writer that keeps nothing (what the server sends is not the point here)."""

    def write(self, data: bytes) -> None:
        pass

    def close(self) -> None:
        pass


async def test_handled_notifications_leave_no_futures_behind(tmp_path: Path) -> None:
    root = copy_packs(tmp_path / "ws", ("data_tools",))
    server = create_server()
    protocol = server.protocol
    protocol.set_writer(_Sink())

    def receive(message: dict[str, object]) -> None:
        protocol.handle_message(protocol.structure_message({"jsonrpc": "2.0", **message}))

    receive({"id": 1, "method": "initialize", "params": {"processId": None, "rootUri": root.as_uri(), "capabilities": {}}})
    path = root / "data_tools/actions/newest.yaml"
    uri, text = path.as_uri(), path.read_text(encoding="utf-8")
    receive({"method": "textDocument/didOpen", "params": {"textDocument": {"uri": uri, "languageId": "yaml", "version": 1, "text": text}}})
    for version in range(2, 502):
        change = {"range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}}, "text": " " if version % 2 else ""}
        receive({"method": "textDocument/didChange", "params": {"textDocument": {"uri": uri, "version": version}, "contentChanges": [change]}})
        if version % 50 == 0:
            await asyncio.sleep(0)
    receive({"method": "textDocument/didClose", "params": {"textDocument": {"uri": uri}}})
    await asyncio.sleep(0.1)
    assert len(protocol._request_futures) == 0
    server.diagnostics.stop()


async def test_ten_thousand_edits_do_not_grow_the_server(h: Harness, folders: list[Path]) -> None:
    doc = h.open(folders[0] / "data_tools/actions/newest.yaml")
    await h.diagnostics(doc)
    pid = wire.server_pid(h.client)

    async def type_and_undo(count: int) -> None:
        for i in range(count):
            h.edit(doc, "runner_type", "runner_typx") if i % 2 == 0 else h.edit(doc, "runner_typx", "runner_type")
            if i % 200 == 0:
                await asyncio.sleep(0)  # let the pipe drain
        await h.diagnostics(doc)

    await type_and_undo(1000)  # warm: caches, the allocator's arenas
    before = wire.rss_mb(pid)
    await type_and_undo(EDITS)
    grown = wire.rss_mb(pid) - before
    assert grown < GROWTH_MB, f"the server grew {grown:.1f} MB over {EDITS} edits"
    hover = await h.client.text_document_hover_async(types.HoverParams(h.ident(doc), h.at(doc, '">=3.11', 1)))
    assert hover is not None
    h.close(doc)
