"""The language server on hostile workspaces and buffers: it answers, says what is wrong, and lives on.

Every session here runs under the audit hook of `tests.hostile.serving`: nothing hostile
makes the server start a process or open a connection.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import time
from pathlib import Path

import pytest
from lsprotocol import types
from pygls.uris import from_fs_path

from tests.hostile.serving import h, server, settings  # noqa: F401 (fixtures)
from tests.hostile.workspace import BILLION_LAUGHS, big_action, hostile_pack
from tests.lsp.harness import Harness, copy_packs, wait_for

HOVER_BUDGET = 2.0  # seconds for a hover in a small file while a 50,000-line file is being checked


@pytest.fixture
def folders(tmp_path: Path) -> list[Path]:
    workspace = copy_packs(tmp_path / "ws", ("data_tools",))
    hostile_pack(workspace / "hostile")
    return [workspace]


def codes(diagnostics: list[types.Diagnostic]) -> list[str]:
    return sorted(str(d.code) for d in diagnostics)


def no_errors_shown(h: Harness) -> None:
    assert not [m for m in h.client.messages if m.type == types.MessageType.Error], h.client.messages


async def hover_seconds(h: Harness, path: Path, needle: str) -> tuple[float, types.Hover | None]:
    doc = h.open(path)
    started = time.perf_counter()
    hover = await h.client.text_document_hover_async(types.HoverParams(h.ident(doc), h.at(doc, needle, 1)))
    return time.perf_counter() - started, hover


async def test_a_hover_elsewhere_is_answered_while_a_50000_line_file_is_checked(h: Harness, folders: list[Path]) -> None:
    root = folders[0]
    small = root / "data_tools/actions/newest.yaml"
    warm = h.open(small)
    await h.diagnostics(warm)
    h.close(warm)
    # The worst case: a tab keeps the text off the fast parse path, so parsing alone takes seconds (until
    # the slow reader's budget ends it).
    text = big_action("data_tools", lines=50_000, tab=True)
    big = h.open(root / "data_tools/actions/big.yaml", text)
    await asyncio.sleep(0.05)  # the big check has started
    seconds, hover = await hover_seconds(h, small, '">=3.11')
    assert hover is not None and "3.13" in hover.contents.value  # type: ignore[union-attr]
    assert seconds < HOVER_BUDGET, f"hover took {seconds:.2f}s while the big file was checked"
    h.edit(big, "parameter number 49", "parameter number 94")  # and again while an edit is re-checked
    seconds, _ = await hover_seconds(h, small, "runner_type")
    assert seconds < HOVER_BUDGET, f"hover took {seconds:.2f}s while the big file was re-checked"
    if not h.pull:  # parsing 50,000 lines twice off the fast path takes a while on a busy machine
        await wait_for(lambda: h.client.published_versions.get(big.uri) == big.version, "big diagnostics", timeout=120)
    # The slow reader stops after its token budget, before the tab at the end: one clear finding says so.
    assert "limits.too_many_values" in codes(await h.diagnostics(big))
    h.close(big)
    no_errors_shown(h)


async def test_quick_fixes_and_pulls_elsewhere_do_not_wait_for_a_50000_line_file(h: Harness, folders: list[Path]) -> None:
    root = folders[0]
    small = h.open(root / "data_tools/actions/newest.yaml")
    await h.diagnostics(small)
    big = h.open(root / "data_tools/actions/big.yaml", big_action("data_tools", lines=50_000, tab=True))
    await asyncio.sleep(0.05)  # the big check has started
    h.edit(big, "parameter number 49", "parameter number 94")  # an edit of it is pending as well
    everything = types.Range(types.Position(0, 0), types.Position(len(small.text.splitlines()), 0))
    started = time.perf_counter()
    await h.client.text_document_code_action_async(
        types.CodeActionParams(h.ident(small), everything, types.CodeActionContext(diagnostics=[]))
    )
    if h.pull:
        await h.client.text_document_diagnostic_async(types.DocumentDiagnosticParams(h.ident(small)))
    seconds = time.perf_counter() - started
    assert seconds < HOVER_BUDGET, f"a quick fix (and a pull) in a small file took {seconds:.2f}s while the big file was checked"
    h.close(big)
    no_errors_shown(h)


async def test_hostile_files_on_disk_get_clear_findings_and_nothing_else_breaks(h: Harness, folders: list[Path]) -> None:
    pack = folders[0] / "hostile"
    expected = {
        "actions/binary.yaml": "metadata.unreadable",
        "actions/latin1.yaml": "metadata.unreadable",
        "actions/utf16.yaml": "metadata.unreadable",
        "actions/bomb.yaml": "yaml.syntax",
        "actions/cycle.yaml": "yaml.syntax",
        "actions/deep.yaml": "yaml.syntax",
        "actions/tabs.yaml": "yaml.syntax",
        "actions/two_documents.yaml": "yaml.multiple_documents",
        "actions/escape.yaml": "metadata.unreadable",
        "actions/pipe.yaml": "metadata.unreadable",
    }
    for relative, code in expected.items():
        found = await h.closed_diagnostics(pack / relative, lambda d, code=code: code in codes(d))
        assert code in codes(found), relative
    bom = await h.closed_diagnostics(pack / "actions/bom.yaml")
    assert "yaml.syntax" not in codes(bom) and "metadata.unreadable" not in codes(bom)
    seconds, hover = await hover_seconds(h, folders[0] / "data_tools/actions/newest.yaml", '">=3.11')
    assert hover is not None
    no_errors_shown(h)


@pytest.mark.parametrize("name", ["bomb", "cycle", "deep", "binary-ish"])
async def test_hostile_buffers_are_answered(h: Harness, folders: list[Path], name: str) -> None:
    text = {
        "bomb": BILLION_LAUGHS,
        "cycle": "ref: hostile.c\nrunner_type: python\nentry_point: c.py\nparameters: &p {type: object, properties: {x: *p}}\n",
        "deep": "ref: hostile.d\nparameters: " + "[" * 50_000 + "]" * 50_000 + "\n",
        "binary-ish": "ref: hostile.b\n\x00\x01\x02\x7f\ufffe\x85\u2028 garbage\n" * 20,
    }[name]
    doc = h.open(folders[0] / f"hostile/actions/{name}_buffer.yaml", text)
    assert codes(await h.diagnostics(doc))
    ident = h.ident(doc)
    for line in (0, 1, 3):
        at = types.Position(line, 5)
        await asyncio.wait_for(h.client.text_document_hover_async(types.HoverParams(ident, at)), 10)
        await asyncio.wait_for(h.client.text_document_completion_async(types.CompletionParams(ident, at)), 10)
    await asyncio.wait_for(h.client.text_document_document_symbol_async(types.DocumentSymbolParams(ident)), 10)
    h.close(doc)
    no_errors_shown(h)


async def test_a_file_deleted_while_open_keeps_its_buffer_and_is_forgotten_on_close(h: Harness, folders: list[Path]) -> None:
    path = folders[0] / "data_tools/actions/summarize.yaml"
    doc = h.open(path)
    before = codes(await h.diagnostics(doc))
    path.unlink()
    h.client.workspace_did_change_watched_files(
        types.DidChangeWatchedFilesParams([types.FileEvent(uri=doc.uri, type=types.FileChangeType.Deleted)])
    )
    h.edit(doc, "runner_type: data_tools.python", "runner_type: data_tools.pyhton")  # still edited: the buffer is the truth
    assert codes(await h.diagnostics(doc)) == sorted([*before, "runner_type.unknown"])
    hover = await h.client.text_document_hover_async(types.HoverParams(h.ident(doc), h.at(doc, "entry_point", 1)))
    assert hover is not None
    h.close(doc)  # the file is gone: nothing may stay shown for it
    if h.pull:
        await h.closed_diagnostics(path, lambda d: d == [])
    else:
        await wait_for(lambda: h.client.published_versions.get(doc.uri, 0) is None, "a publish after close")
        assert list(h.client.diagnostics[doc.uri]) == []
    no_errors_shown(h)


async def test_a_file_renamed_while_open_moves_its_findings(h: Harness, folders: list[Path]) -> None:
    old = folders[0] / "data_tools/actions/preview.yaml"
    new = folders[0] / "data_tools/actions/renamed.yaml"
    doc = h.open(old)
    await h.diagnostics(doc)
    os.rename(old, new)
    h.client.workspace_did_rename_files(
        types.RenameFilesParams([types.FileRename(old_uri=doc.uri, new_uri=from_fs_path(str(new)) or "")])
    )
    h.close(doc)
    renamed = h.open(new)
    assert isinstance(await h.diagnostics(renamed), list)
    if h.pull:
        await h.closed_diagnostics(old, lambda d: d == [])
    h.close(renamed)
    no_errors_shown(h)


async def test_a_pack_folder_deleted_while_its_file_is_open(h: Harness, folders: list[Path]) -> None:
    pack = folders[0] / "data_tools"
    doc = h.open(pack / "actions/newest.yaml")
    await h.diagnostics(doc)
    shutil.rmtree(pack)
    h.client.workspace_did_change_watched_files(
        types.DidChangeWatchedFilesParams([types.FileEvent(uri=from_fs_path(str(pack)) or "", type=types.FileChangeType.Deleted)])
    )
    h.edit(doc, "ref:", "ref: ")
    assert isinstance(await h.diagnostics(doc), list)
    await h.client.text_document_hover_async(types.HoverParams(h.ident(doc), h.at(doc, "runner_type", 1)))
    h.close(doc)
    no_errors_shown(h)
