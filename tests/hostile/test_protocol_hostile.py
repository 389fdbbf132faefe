"""The language server against a hostile client: broken frames, impossible positions, a life cycle out of order.

Everything goes through the real stdio pipe of a real session (pytest-lsp's client, with raw
bytes written to the same pipe where a well-behaved client would never write them). Every
request must be answered — with an error where it is invalid — and the session must go on.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
import pytest_lsp
from lsprotocol import types
from pytest_lsp import LanguageClient

from tests.hostile import wire
from tests.hostile.serving import CONFIG, h, server, settings  # noqa: F401 (fixtures)
from tests.lsp.harness import Doc, Harness, capabilities_for, copy_packs, wait_for

INVALID_PARAMS, INVALID_REQUEST, SERVER_NOT_INITIALIZED = -32602, -32600, -32002


@pytest.fixture
def folders(tmp_path: Path) -> list[Path]:
    return [copy_packs(tmp_path / "ws", ("data_tools",))]


def newest(folders: list[Path]) -> Path:
    return folders[0] / "data_tools/actions/newest.yaml"


async def hover_works(h: Harness, path: Path) -> None:
    """A well-formed hover after the damage is answered, and correctly."""
    doc = h.open(path)
    hover = await asyncio.wait_for(
        h.client.text_document_hover_async(types.HoverParams(h.ident(doc), h.at(doc, '">=3.11', 1))), wire.ANSWER_SECONDS
    )
    assert hover is not None and "3.13" in hover.contents.value  # type: ignore[union-attr]
    h.close(doc)


def hover_body(path: Path, msg_id: str) -> bytes:
    uri = path.as_uri()
    return wire.body(types.TEXT_DOCUMENT_HOVER, {"textDocument": {"uri": uri}, "position": {"line": 0, "character": 1}}, msg_id)


# What a broken client has been seen to send, and what becomes of the request inside it.
MALFORMED = {
    "a word for the length": (lambda b: b"Content-Length: abc\r\n\r\n" + b, "error"),
    "a negative length": (lambda b: b"Content-Length: -5\r\n\r\n" + b, "error"),
    "a length shorter than the body": (lambda b: b"Content-Length: %d\r\n\r\n" % (len(b) - 9) + b, "error"),
    "a length of 10^14 bytes": (lambda b: b"Content-Length: 100000000000000\r\n\r\n" + b, "error"),
    "no Content-Length": (lambda b: b"Content-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n" + b, "error"),
    "two different lengths": (lambda b: b"Content-Length: %d\r\nContent-Length: 3\r\n\r\n" % len(b) + b, "error"),
    "a body that is not JSON": (lambda b: wire.frame(b[:-1] + b"!!"), "error"),
    "header lines ending in LF only": (lambda b: b"Content-Length: %d\n\n" % len(b) + b, "result"),
    "garbage before the header": (lambda b: b"\x00\xff\x1b]52;c;garbage\r\n" + wire.frame(b), "result"),
    "a 20 KiB header line": (lambda b: b"X-Padding: " + b"a" * 20_000 + b"\r\n" + wire.frame(b), "result"),
}


async def test_every_malformed_frame_is_answered_and_the_session_goes_on(h: Harness, folders: list[Path]) -> None:
    for case, (broken, outcome) in MALFORMED.items():  # one session through all of them
        msg_id = wire.fresh_id()
        pending = wire.expect(h.client, msg_id)
        wire.send(h.client, broken(hover_body(newest(folders), msg_id)))  # type: ignore[operator]
        try:
            kind, _ = await wire.answer(pending)  # the request inside the broken frame is not left waiting
        except AssertionError:
            raise AssertionError(f"{case}: the request inside was never answered") from None
        assert kind == outcome, case
        await hover_works(h, newest(folders))


async def test_a_frame_announcing_a_hundred_terabytes_does_not_kill_the_server(h: Harness, folders: list[Path]) -> None:
    for _ in range(3):
        wire.send(h.client, b"Content-Length: 100000000000000\r\n\r\n")
    wire.send(h.client, b"x" * 100_000)  # a body starts arriving, then the client thinks better of it
    await hover_works(h, newest(folders))
    assert h.client._server.returncode is None  # type: ignore[attr-defined]


METHODS_WITH_POSITIONS = {
    types.TEXT_DOCUMENT_HOVER: lambda ident, at: {"textDocument": ident, "position": at},
    types.TEXT_DOCUMENT_COMPLETION: lambda ident, at: {"textDocument": ident, "position": at},
    types.TEXT_DOCUMENT_DEFINITION: lambda ident, at: {"textDocument": ident, "position": at},
    types.TEXT_DOCUMENT_REFERENCES: lambda ident, at: {"textDocument": ident, "position": at, "context": {"includeDeclaration": True}},
    types.TEXT_DOCUMENT_CODE_ACTION: lambda ident, at: {"textDocument": ident, "range": {"start": at, "end": at}, "context": {"diagnostics": []}},
    types.TEXT_DOCUMENT_INLAY_HINT: lambda ident, at: {"textDocument": ident, "range": {"start": at, "end": at}},
}


async def test_positions_outside_the_protocol_range_get_invalid_params(h: Harness, folders: list[Path]) -> None:
    doc = h.open(newest(folders))
    for line, character in [(-1, 0), (0, -1), (2**31, 0), (0, 2**31), (-(2**31), 2**40)]:
        at = {"line": line, "character": character}
        for method, params in METHODS_WITH_POSITIONS.items():
            answer = await wire.request(h.client, method, params({"uri": doc.uri}, at))
            assert answer == ("error", INVALID_PARAMS), (method, line, character)
    await hover_works(h, newest(folders))


async def test_an_edit_that_cannot_be_read_is_reported_and_its_buffer_taken_back_by_a_whole_text_change(h: Harness, folders: list[Path]) -> None:
    path = folders[0] / "data_tools/actions/summarize.yaml"
    doc = h.open(path)
    before = await h.diagnostics(doc)
    h.edit(doc, "runner_type: data_tools.python", "runner_type: data_tools.pyhton")
    assert "runner_type.unknown" in h.codes(await h.diagnostics(doc))
    bad = {"range": {"start": {"line": -1, "character": 0}, "end": {"line": 0, "character": 2**31}}, "text": "x"}
    wire.send(h.client, wire.frame(wire.body(types.TEXT_DOCUMENT_DID_CHANGE, {
        "textDocument": {"uri": doc.uri, "version": doc.version + 1}, "contentChanges": [bad],
    })))
    doc.version += 1
    await wait_for(lambda: any("could not be read" in m.message for m in h.client.messages), "the user is told")
    # The server no longer knows the editor's text: nothing stale is shown or answered for it.
    if h.pull:
        assert await h.diagnostics(doc) == []
    else:
        await wait_for(lambda: list(h.client.diagnostics.get(doc.uri, [None])) == [], "stale diagnostics cleared")
    hover = await h.client.text_document_hover_async(types.HoverParams(h.ident(doc), h.at(doc, "entry_point", 1)))
    assert hover is None
    h.edit(doc, "entry_point", "entry_point")  # more ranged edits of the unknown text change nothing
    h.replace(doc, doc.text)  # the editor sends its whole text: known again
    assert "runner_type.unknown" in h.codes(await h.diagnostics(doc))
    assert len(await h.diagnostics(doc)) == len(before) + 1
    h.close(doc)


async def test_an_open_that_cannot_be_read_is_reported_and_taken_back_by_a_whole_text_change(h: Harness, folders: list[Path]) -> None:
    path = folders[0] / "data_tools/actions/summarize.yaml"
    text = path.read_text(encoding="utf-8").replace("runner_type: data_tools.python", "runner_type: data_tools.pyhton")
    uri = path.as_uri()
    wire.send(h.client, wire.frame(wire.body(types.TEXT_DOCUMENT_DID_OPEN, {
        "textDocument": {"uri": uri, "languageId": "yaml", "version": 2**31, "text": text},  # a version out of range
    })))
    await wait_for(lambda: any("summarize.yaml" in m.message for m in h.client.messages), "the user is told")
    doc = Doc(uri, path, text, 1)
    h.replace(doc, text)  # the editor sends its whole text: known from now on
    assert "runner_type.unknown" in h.codes(await h.diagnostics(doc))
    h.close(doc)


async def test_an_edit_to_a_file_never_opened_is_reported_not_dropped(h: Harness, folders: list[Path]) -> None:
    uri = newest(folders).as_uri()
    h.client.text_document_did_change(types.DidChangeTextDocumentParams(
        text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=7),
        content_changes=[types.TextDocumentContentChangePartial(range=types.Range(types.Position(0, 0), types.Position(0, 0)), text="x")],
    ))
    await wait_for(lambda: any("newest.yaml" in m.message for m in h.client.messages), "the user is told")
    await hover_works(h, newest(folders))


async def test_requests_after_shutdown_get_invalid_request_and_exit_then_ends_the_process(h: Harness, folders: list[Path]) -> None:
    doc = h.open(newest(folders))
    await asyncio.wait_for(h.client.shutdown_async(None), wire.ANSWER_SECONDS)
    at = {"line": 0, "character": 1}
    for method, params in METHODS_WITH_POSITIONS.items():
        assert await wire.request(h.client, method, params({"uri": doc.uri}, at)) == ("error", INVALID_REQUEST), method
    assert await wire.request(h.client, types.SHUTDOWN, None) == ("error", INVALID_REQUEST)
    h.client.exit(None)
    process = h.client._server  # type: ignore[attr-defined]
    assert await asyncio.wait_for(process.wait(), wire.ANSWER_SECONDS) == 0


# -- sessions driven by hand (no initialize by the fixture) ---------------------------------------------


@pytest_lsp.fixture(config=CONFIG)
async def bare(lsp_client: LanguageClient):
    """A server process nobody has initialized."""
    yield
    process = lsp_client._server  # type: ignore[attr-defined]
    if process is not None and process.returncode is None:
        process.kill()


async def initialize(client: LanguageClient, root: Path) -> None:
    await asyncio.wait_for(client.initialize_session(types.InitializeParams(
        capabilities=capabilities_for("vscode"), root_uri=root.as_uri(),
        workspace_folders=[types.WorkspaceFolder(uri=root.as_uri(), name=root.name)],
    )), wire.ANSWER_SECONDS)


async def test_requests_before_initialize_get_server_not_initialized(bare: LanguageClient, folders: list[Path]) -> None:
    at = {"line": 0, "character": 1}
    ident = {"uri": newest(folders).as_uri()}
    for method, params in METHODS_WITH_POSITIONS.items():
        assert await wire.request(bare, method, params(ident, at)) == ("error", SERVER_NOT_INITIALIZED), method
    assert await wire.request(bare, types.SHUTDOWN, None) == ("error", SERVER_NOT_INITIALIZED)
    await initialize(bare, folders[0])  # and the session can still begin
    kind, _ = await wire.request(bare, types.TEXT_DOCUMENT_HOVER, {"textDocument": ident, "position": at})
    assert kind == "result"
    assert await wire.request(bare, types.INITIALIZE, {"processId": None, "rootUri": None, "capabilities": {}}) == ("error", INVALID_REQUEST)
    await asyncio.wait_for(bare.shutdown_session(), wire.ANSWER_SECONDS)
    assert bare._server.returncode == 0  # type: ignore[attr-defined]


async def test_exit_without_shutdown_ends_the_process_with_code_1(bare: LanguageClient, folders: list[Path]) -> None:
    await initialize(bare, folders[0])
    bare.exit(None)
    assert await asyncio.wait_for(bare._server.wait(), wire.ANSWER_SECONDS) == 1  # type: ignore[attr-defined]


async def test_exit_ends_the_process_even_while_the_client_keeps_its_pipe_open(bare: LanguageClient, folders: list[Path]) -> None:
    await initialize(bare, folders[0])
    await asyncio.wait_for(bare.shutdown_async(None), wire.ANSWER_SECONDS)
    bare.exit(None)  # stdin stays open: the reader must not keep the process alive
    assert await asyncio.wait_for(bare._server.wait(), wire.ANSWER_SECONDS) == 0  # type: ignore[attr-defined]

