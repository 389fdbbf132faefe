"""The hover stays short; `packls/explain` (VS Code's explain page) carries the whole story."""

from __future__ import annotations

from lsprotocol import types

from tests.lsp.harness import Harness


async def test_hover_is_short_and_explain_has_the_rest(h: Harness) -> None:
    doc = h.open(h.root / "data_tools/actions/newest.yaml")
    where = h.at(doc, '">=3.11', 1)
    hover = await h.client.text_document_hover_async(types.HoverParams(h.ident(doc), where))
    assert hover is not None and isinstance(hover.contents, types.MarkupContent)
    short = hover.contents.value
    assert "→ **3.13**" in short and "| **3.13** |" in short and "Environment directory" not in short
    params = {"textDocument": {"uri": doc.uri}, "position": {"line": where.line, "character": where.character}}
    full = await h.client.protocol.send_request_async("packls/explain", params)
    assert full.kind == "markdown"
    assert full.value.startswith(short.split("\n")[0])
    assert "Environment directory: `/opt/attune/runtime_envs/data_tools/datapython-3.13`" in full.value
    nothing = {"textDocument": {"uri": doc.uri}, "position": {"line": 0, "character": 0}}
    assert await h.client.protocol.send_request_async("packls/explain", nothing) is None
