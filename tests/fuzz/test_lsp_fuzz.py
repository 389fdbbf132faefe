"""The language server under random incremental edits, and under bursts of concurrent and cancelled requests.

Edits are inserts, deletes and replacements at random positions in the client's encoding
(UTF-16 for the VS Code-like client, UTF-8 for the Neovim-like one), with surrogate pairs,
CRLF, lone CR, U+2028 and a BOM among the inserted text, several changes per notification
and no waiting between notifications. Afterwards the server's diagnostics must equal those
for the same text opened fresh, and lie inside the document.

The edit application itself (`packls.lsp.documents.apply_changes`) is fuzzed first, without a
server, against a reference that works on code points.
"""

from __future__ import annotations

import asyncio
import os
import random
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from lsprotocol import types
from pygls.exceptions import JsonRpcRequestCancelled

from packls.lsp import messages
from packls.lsp.documents import apply_changes
from tests.fuzz.conftest import count, examples, fuzz_settings
from tests.hostile.serving import h, server, settings  # noqa: F401 (fixtures)
from tests.lsp.harness import Doc, Harness, copy_packs

INSERTS = ("x", " ", "\n", "\r\n", "\r", "😀", "é", "\u2028", "\ufeff", "\t", ": ", "- ", "[", "]", "'", "#", "  ", "a: 1\n", "𝔘𝔫𝔦")
CHARS = "abc :-\n\r😀é\u2028\ufeff[]{}'\"#"

# --- the edit model, without a server -----------------------------------------------------------


def lsp_position(text: str, offset: int, encoding: str) -> types.Position:
    """LSP position of a code-point offset: lines end at \\n, \\r\\n or \\r; characters in the encoding's units."""
    line, start, i = 0, 0, 0
    while i < offset:
        char = text[i]
        if char == "\r" and i + 1 < len(text) and text[i + 1] == "\n":
            if i + 1 >= offset:
                break
            i += 1
        if char in "\r\n":
            line, start = line + 1, i + 1
        i += 1
    piece = text[start:offset]
    if encoding == "utf-8":
        units = len(piece.encode("utf-8"))
    elif encoding == "utf-16":
        units = len(piece.encode("utf-16-le")) // 2
    else:
        units = len(piece)
    return types.Position(line=line, character=units)


def as_read(changes: list[types.TextDocumentContentChangePartial]) -> list[messages.ContentChange]:
    """The changes as the server reads them off the wire."""
    wire = [{"range": {side: {"line": getattr(c.range, side).line, "character": getattr(c.range, side).character}
                       for side in ("start", "end")}, "text": c.text} for c in changes]
    return messages.did_change({"textDocument": {"uri": "file:///x.yaml", "version": 1}, "contentChanges": wire}).changes


def boundary(text: str, offset: int) -> int:
    """Move an offset out of the middle of a CRLF (no client puts a position there)."""
    if 0 < offset < len(text) and text[offset - 1] == "\r" and text[offset] == "\n":
        return offset - 1
    return offset


def random_change(rng: random.Random, text: str, encoding: str) -> tuple[types.TextDocumentContentChangePartial, str]:
    """One ranged change and the text after it."""
    start = boundary(text, rng.randint(0, len(text)))
    end = boundary(text, min(len(text), start + rng.choice((0, 0, 1, 2, 5, 20))))
    if rng.random() < 0.05:
        start = end = 0
        new = "\ufeff"
    else:
        new = "" if rng.random() < 0.3 else "".join(rng.choice(INSERTS) for _ in range(rng.randint(1, 3)))
    change = types.TextDocumentContentChangePartial(
        range=types.Range(lsp_position(text, start, encoding), lsp_position(text, end, encoding)), text=new
    )
    return change, text[:start] + new + text[end:]


@fuzz_settings(300)
@given(st.text(st.sampled_from(CHARS), max_size=60), st.sampled_from(["utf-8", "utf-16", "utf-32"]), st.integers(0, 2**32))
def test_incremental_changes_apply_exactly_like_code_point_edits(text: str, encoding: str, seed: int) -> None:
    count("lsp-edits", 5)
    rng = random.Random(seed)
    changes, expected = [], text
    for _ in range(5):
        change, expected = random_change(rng, expected, encoding)
        changes.append(change)
    assert apply_changes(text, as_read(changes), encoding) == expected


@fuzz_settings(200)
@given(st.text(st.sampled_from(CHARS), max_size=40), st.integers(0, 100), st.integers(0, 200), st.integers(0, 100), st.integers(0, 200))
def test_out_of_range_and_mid_character_positions_never_raise(text: str, l1: int, c1: int, l2: int, c2: int) -> None:
    count("lsp-edits")
    for encoding in ("utf-8", "utf-16", "utf-32"):
        change = types.TextDocumentContentChangePartial(range=types.Range(types.Position(l1, c1), types.Position(l2, c2)), text="Z")
        result = apply_changes(text, as_read([change]), encoding)
        assert "Z" in result and len(result) <= len(text) + 1


# --- the server -----------------------------------------------------------------------------------

ROUNDS = max(2, examples(2) // 100)  # a long run (PACKLS_FUZZ_EXAMPLES=5000) edits 50 files per client
STEPS = 40
FILES = (
    "data_tools/actions/newest.yaml", "data_tools/runtimes/python.yaml", "data_tools/pack.yaml",
    "version_traps/actions/caret_zero.yaml", "broken_pack/actions/workflows/deploy.workflow.yaml", "broken_pack/runtimes/ruby.yaml", "broken_pack/rules/on_tick.yaml", "broken_pack/sensors/half_typed.yaml",
)


@pytest.fixture
def folders(tmp_path: Path) -> list[Path]:
    return [copy_packs(tmp_path / "ws", ("data_tools", "version_traps", "broken_pack"))]


def send(h: Harness, doc: Doc, changes: list[types.TextDocumentContentChangePartial]) -> None:
    doc.version += 1
    h.client.text_document_did_change(
        types.DidChangeTextDocumentParams(types.VersionedTextDocumentIdentifier(uri=doc.uri, version=doc.version), list(changes))
    )


def summary(diagnostics: list[types.Diagnostic]) -> list[tuple[object, ...]]:
    return sorted(
        (d.range.start.line, d.range.start.character, d.range.end.line, d.range.end.character, str(d.code), d.severity, d.message)
        for d in diagnostics
    )


def assert_inside(text: str, diagnostics: list[types.Diagnostic], encoding: str) -> None:
    end = lsp_position(text, len(text), encoding)
    for d in diagnostics:
        for p in (d.range.start, d.range.end):
            assert (p.line, p.character) <= (end.line, end.character), (d, end)
        assert (d.range.start.line, d.range.start.character) <= (d.range.end.line, d.range.end.character), d


async def test_random_edits_end_with_the_diagnostics_of_a_fresh_open(h: Harness, folders: list[Path]) -> None:
    rng = random.Random(f"{h.name}-{os.environ.get('PACKLS_FUZZ_SEED', '7')}")
    root = folders[0]
    for round_ in range(ROUNDS):
        relative = FILES[round_ % len(FILES)] if round_ < len(FILES) else rng.choice(FILES)
        path = root / relative
        doc = h.open(path)
        for step in range(STEPS):
            changes = []
            for _ in range(rng.choice((1, 1, 1, 2, 3))):
                change, doc.text = random_change(rng, doc.text, h.encoding)
                changes.append(change)
            send(h, doc, changes)
            if step % 10 == 9:  # a request in the middle of the stream of edits
                at = lsp_position(doc.text, boundary(doc.text, rng.randint(0, len(doc.text))), h.encoding)
                await h.client.text_document_hover_async(types.HoverParams(h.ident(doc), at))
        count("lsp-server", STEPS)
        edited = await h.diagnostics(doc)
        assert_inside(doc.text, edited, h.encoding)
        h.close(doc)
        reopened = Doc(doc.uri, path, doc.text, doc.version + 1)
        h.client.text_document_did_open(
            types.DidOpenTextDocumentParams(types.TextDocumentItem(uri=doc.uri, language_id="yaml", version=reopened.version, text=doc.text))
        )
        fresh = await h.diagnostics(reopened)
        assert summary(edited) == summary(fresh), f"{relative} after {STEPS} edits:\n{doc.text!r}"
        h.close(reopened)
    assert not [m for m in h.client.messages if m.type == types.MessageType.Error]


async def indexed(h: Harness, root: Path) -> None:
    """Wait until every pack of the folder is indexed (each has a closed file with findings)."""
    for closed in ("broken_pack/actions/golang.yaml", "version_traps/actions/caret_zero.yaml"):
        await h.closed_diagnostics(root / closed, lambda d: bool(d))


async def test_concurrent_requests_get_the_answers_sequential_ones_get(h: Harness, folders: list[Path]) -> None:
    await indexed(h, folders[0])
    doc = h.open(folders[0] / "data_tools/actions/newest.yaml")
    await h.diagnostics(doc)
    positions = [lsp_position(doc.text, offset, h.encoding) for offset in range(0, len(doc.text), max(1, len(doc.text) // 25))]

    def requests() -> list[asyncio.Future[object]]:
        ident = h.ident(doc)
        pending: list[asyncio.Future[object]] = []
        for at in positions:
            pending.append(h.client.text_document_hover_async(types.HoverParams(ident, at)))
            pending.append(h.client.text_document_completion_async(types.CompletionParams(ident, at)))
            pending.append(h.client.text_document_definition_async(types.DefinitionParams(ident, at)))
        pending.append(h.client.text_document_document_symbol_async(types.DocumentSymbolParams(ident)))
        return pending

    together = await asyncio.wait_for(asyncio.gather(*requests()), 60)
    one_by_one = [await request for request in requests()]
    count("lsp-server", len(together))
    converter = h.client.protocol._converter  # compare as JSON: lsprotocol objects compare by identity in places
    assert converter.unstructure(together) == converter.unstructure(one_by_one)
    h.close(doc)


async def test_cancelled_requests_in_a_burst_of_edits_are_all_answered(h: Harness, folders: list[Path]) -> None:
    rng = random.Random(f"cancel-{h.name}")
    doc = h.open(folders[0] / "data_tools/runtimes/python.yaml")
    protocol = h.client.protocol
    futures = []
    for i in range(30):
        change, doc.text = random_change(rng, doc.text, h.encoding)
        send(h, doc, [change])
        at = lsp_position(doc.text, boundary(doc.text, rng.randint(0, len(doc.text))), h.encoding)
        msg_id = f"fuzz-cancel-{h.name}-{i}"
        method, params = rng.choice(
            [
                (types.TEXT_DOCUMENT_HOVER, types.HoverParams(h.ident(doc), at)),
                (types.TEXT_DOCUMENT_COMPLETION, types.CompletionParams(h.ident(doc), at)),
                (types.TEXT_DOCUMENT_DOCUMENT_SYMBOL, types.DocumentSymbolParams(h.ident(doc))),
            ]
        )
        futures.append(protocol.send_request_async(method, params, msg_id=msg_id))
        if i % 2 == 0:
            protocol.notify(types.CANCEL_REQUEST, types.CancelParams(id=msg_id))
    for future in futures:  # every request gets exactly one answer: a result or "cancelled"
        try:
            await asyncio.wait_for(future, 20)
        except JsonRpcRequestCancelled:
            pass
    count("lsp-server", len(futures))
    h.close(doc)
    reopened = h.open(doc.path, doc.text)
    assert_inside(doc.text, await h.diagnostics(reopened), h.encoding)
    h.close(reopened)
