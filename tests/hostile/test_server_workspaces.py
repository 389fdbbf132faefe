"""Odd workspaces for the language server: a folder with no pack at all, and a config file nobody can read."""

from __future__ import annotations

from pathlib import Path

import pytest
from lsprotocol import types

from tests.hostile.serving import h, server, settings  # noqa: F401 (fixtures)
from tests.lsp.harness import Harness, wait_for

DEEP_TOML = "exclude = " + "[" * 100_000 + "]" * 100_000 + "\n"


@pytest.fixture
def folders(tmp_path: Path) -> list[Path]:
    empty = tmp_path / "no-packs"
    (empty / "notes").mkdir(parents=True)
    (empty / "stray.yaml").write_text("ref: nothing.here\nrunner_type: [\n")
    (empty / "notes" / "todo.yaml").write_text("- a\n- b\n")
    configured = tmp_path / "deep-config"
    (configured / "pp" / "actions").mkdir(parents=True)
    (configured / "packls.toml").write_text(DEEP_TOML)
    (configured / "pp" / "pack.yaml").write_text('ref: pp\nversion: "1.0.0"\n')
    (configured / "pp" / "actions" / "a.py").write_text("")
    (configured / "pp" / "actions" / "a.yaml").write_text("ref: pp.a\nrunner_type: pyhton\nentry_point: a.py\n")
    return [empty, configured]


async def test_files_outside_any_pack_get_nothing_and_break_nothing(h: Harness, folders: list[Path]) -> None:
    for path in (folders[0] / "stray.yaml", folders[0] / "notes" / "todo.yaml"):
        doc = h.open(path)
        ident = h.ident(doc)
        assert await h.client.text_document_hover_async(types.HoverParams(ident, types.Position(0, 2))) is None
        await h.client.text_document_completion_async(types.CompletionParams(ident, types.Position(1, 3)))
        await h.client.text_document_document_symbol_async(types.DocumentSymbolParams(ident))
        if h.pull:
            assert await h.diagnostics(doc) == []
        h.close(doc)
    assert not [m for m in h.client.messages if m.type == types.MessageType.Error]


async def test_a_config_file_too_deep_to_read_is_reported_and_checks_go_on(h: Harness, folders: list[Path]) -> None:
    doc = h.open(folders[1] / "pp" / "actions" / "a.yaml")
    assert "runner_type.unknown" in [d.code for d in await h.diagnostics(doc)]
    await wait_for(lambda: any("nested too deeply" in m.message for m in h.client.messages), "the config warning")
    hover = await h.client.text_document_hover_async(types.HoverParams(h.ident(doc), h.at(doc, "entry_point", 1)))
    assert hover is not None
    h.close(doc)
