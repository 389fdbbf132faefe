"""Multi-root workspaces, cancellation, hostile requests, logging and the TCP transport."""

from __future__ import annotations

import asyncio
import socket
import subprocess
import sys
from pathlib import Path

import pytest
import pytest_lsp
from lsprotocol import types
from pygls.exceptions import JsonRpcRequestCancelled
from pygls.uris import from_fs_path
from pytest_lsp import ClientServerConfig, LanguageClient

from tests.lsp.conftest import CONFIG, DATA_HOME, DEFAULT_SETTINGS, start, stop
from tests.lsp.harness import CLIENTS, Harness, copy_packs, make_client, server_command, server_env, wait_for

pytestmark = pytest.mark.asyncio(loop_scope="module")


@pytest_lsp.fixture(scope="module", params=CLIENTS, config=CONFIG)
async def two_roots(request: pytest.FixtureRequest, lsp_client: LanguageClient, tmp_path_factory: pytest.TempPathFactory):
    """One server over two workspace folders holding different packs."""
    first = copy_packs(tmp_path_factory.mktemp("first"), ("data_tools", "web_hooks"))
    second = copy_packs(tmp_path_factory.mktemp("second"), ("broken_pack",))
    harness = await start(lsp_client, request.param, [first, second], DEFAULT_SETTINGS)
    harness.second = second  # type: ignore[attr-defined]
    harness.spare = copy_packs(tmp_path_factory.mktemp("third"), ("version_traps",))  # type: ignore[attr-defined]
    lsp_client.harness = harness  # type: ignore[attr-defined]
    yield
    await stop(lsp_client)


@pytest.fixture
def mr(two_roots: LanguageClient) -> Harness:
    return two_roots.harness  # type: ignore[attr-defined,no-any-return]


async def test_every_folder_is_indexed_and_diagnosed(mr: Harness) -> None:
    second: Path = mr.second  # type: ignore[attr-defined]
    golang = await mr.closed_diagnostics(second / "broken_pack/actions/golang.yaml", lambda d: bool(d))
    assert "runner_type.unknown" in [d.code for d in golang]
    found = await mr.client.workspace_symbol_async(types.WorkspaceSymbolParams(query="listener"))
    assert "web_hooks.listener" in [s.name for s in found or []]
    doc = mr.open(mr.root / "data_tools/actions/summarize.yaml")
    hover = await mr.client.text_document_hover_async(types.HoverParams(mr.ident(doc), mr.at(doc, "data_tools.python", 2)))
    assert hover is not None
    mr.close(doc)


async def test_folders_added_and_removed_later(mr: Harness) -> None:
    spare: Path = mr.spare  # type: ignore[attr-defined]
    folder = types.WorkspaceFolder(uri=from_fs_path(str(spare)) or "", name="third")
    mr.client.workspace_did_change_workspace_folders(
        types.DidChangeWorkspaceFoldersParams(types.WorkspaceFoldersChangeEvent(added=[folder], removed=[]))
    )
    caret = spare / "version_traps/actions/caret_zero.yaml"
    assert "runtime_version.unsatisfiable" in [d.code for d in await mr.closed_diagnostics(caret, lambda d: bool(d))]
    mr.client.workspace_did_change_workspace_folders(
        types.DidChangeWorkspaceFoldersParams(types.WorkspaceFoldersChangeEvent(added=[], removed=[folder]))
    )
    if mr.pull:
        await mr.closed_diagnostics(caret, lambda d: d == [])
    else:
        uri = from_fs_path(str(caret))
        await wait_for(lambda: uri in mr.client.diagnostics and not mr.client.diagnostics[uri], "cleared")


async def test_cancelled_requests_are_answered_and_the_server_lives_on(mr: Harness) -> None:
    doc = mr.open(mr.root / "data_tools/actions/newest.yaml")
    protocol = mr.client.protocol
    method = types.TEXT_DOCUMENT_DIAGNOSTIC if mr.pull else types.TEXT_DOCUMENT_HOVER
    params = (
        types.DocumentDiagnosticParams(mr.ident(doc)) if mr.pull else types.HoverParams(mr.ident(doc), mr.at(doc, '">=3.11', 1))
    )
    for attempt in range(5):
        msg_id = f"cancel-me-{attempt}"
        future = protocol.send_request_async(method, params, msg_id=msg_id)
        protocol.notify(types.CANCEL_REQUEST, types.CancelParams(id=msg_id))
        try:
            result = await asyncio.wait_for(future, 5)
            assert result is not None
        except JsonRpcRequestCancelled:
            pass
    hover = await mr.client.text_document_hover_async(types.HoverParams(mr.ident(doc), mr.at(doc, '">=3.11', 1)))
    assert hover is not None and "3.13" in hover.contents.value  # type: ignore[union-attr]
    mr.close(doc)


async def test_hostile_requests_get_empty_answers(mr: Harness) -> None:
    doc = mr.open(mr.root / "data_tools/actions/newest.yaml")
    far = types.Position(line=10_000, character=10_000)
    assert await mr.client.text_document_hover_async(types.HoverParams(mr.ident(doc), far)) is None
    completion = await mr.client.text_document_completion_async(types.CompletionParams(mr.ident(doc), far))
    assert completion is None or isinstance(completion, types.CompletionList)
    actions = await mr.client.text_document_code_action_async(
        types.CodeActionParams(mr.ident(doc), types.Range(far, far), types.CodeActionContext(diagnostics=[]))
    )
    assert not actions
    mr.replace(doc, "\x07\x00 binary { [ garbage\n" * 50)
    assert await mr.client.text_document_hover_async(types.HoverParams(mr.ident(doc), types.Position(3, 3))) is None
    assert [d.code for d in await mr.diagnostics(doc)]
    untitled = types.TextDocumentIdentifier(uri="untitled:Untitled-1")
    mr.client.text_document_did_open(types.DidOpenTextDocumentParams(types.TextDocumentItem(untitled.uri, "yaml", 1, "a: 1\n")))
    assert await mr.client.text_document_hover_async(types.HoverParams(untitled, types.Position(0, 0))) is None
    assert await mr.client.text_document_document_symbol_async(types.DocumentSymbolParams(untitled)) is None
    mr.close(doc)
    assert not [m for m in mr.client.messages if m.type == types.MessageType.Error]


# -- transports and logging (one server each, not per client kind) ------------------------------------


async def test_logs_go_to_the_log_file_and_never_to_stdout(tmp_path: Path) -> None:
    log = tmp_path / "packls.log"
    command = server_command()
    if command[1:3] != ["-m", "packls"]:
        pytest.skip("`packls serve` is not wired in the CLI yet")
    config = ClientServerConfig(
        server_command=[*command, "--log-file", str(log), "-v"], client_factory=make_client, server_env=server_env(DATA_HOME)
    )
    client = await config.start()
    try:
        workspace = copy_packs(tmp_path / "ws", ("data_tools",))
        harness = await start(client, "vscode", [workspace], DEFAULT_SETTINGS)  # type: ignore[arg-type]
        doc = harness.open(workspace / "data_tools/actions/newest.yaml")
        await harness.diagnostics(doc)
        await stop(client)  # type: ignore[arg-type]
    finally:
        await client.stop()
    text = log.read_text()
    assert "INFO" in text and "Sending data" not in text  # packls logs at -v, pygls stays quiet


async def test_tcp_transport_for_debugging(tmp_path: Path) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    code = f"import sys, types; from packls.lsp.server import run_server; sys.exit(run_server(types.SimpleNamespace(tcp='127.0.0.1:{port}', log_file=None, verbose=0)))"
    process = subprocess.Popen([sys.executable, "-c", code], env=server_env(DATA_HOME), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        for _ in range(100):
            try:
                reader, writer = await asyncio.open_connection("127.0.0.1", port)
                break
            except OSError:
                await asyncio.sleep(0.05)
        else:
            raise AssertionError("the TCP server never listened")
        body = b'{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"processId":null,"rootUri":null,"capabilities":{}}}'
        writer.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        await writer.drain()
        header = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 10)
        length = int(header.split(b"Content-Length: ")[1].split(b"\r\n")[0])
        response = await reader.readexactly(length)
        assert b'"positionEncoding": "utf-16"' in response or b'"positionEncoding":"utf-16"' in response
        writer.close()
    finally:
        process.kill()
        process.wait()
