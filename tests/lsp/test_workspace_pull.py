"""workspace/diagnostic is a long poll: held open until a closed file's report changes.

VS Code pulls workspace diagnostics again 2 s after every answer; a server that answers at once
with "nothing changed" is woken every 2 s forever. These tests drive the real server over stdio
the way VS Code does (previous result ids, cancel on re-pull) and read its CPU time.
"""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

from lsprotocol import types
from pygls.exceptions import JsonRpcRequestCancelled
from pygls.uris import from_fs_path
from pytest_lsp import ClientServerConfig, LanguageClient

from tests.lsp.conftest import DATA_HOME, DEFAULT_SETTINGS, start, stop
from tests.lsp.harness import Harness, copy_packs, make_client, server_command, server_env

HELD = 1.5  # seconds a pull must stay unanswered while nothing changes


async def _session(tmp_path: Path, *extra: str) -> tuple[LanguageClient, Harness]:
    config = ClientServerConfig(server_command=[*server_command(), *extra], client_factory=make_client, server_env=server_env(DATA_HOME))
    client = await config.start()
    harness = await start(client, "vscode", [copy_packs(tmp_path / "ws")], DEFAULT_SETTINGS)  # type: ignore[arg-type]
    assert harness.pull
    return client, harness  # type: ignore[return-value]


async def _close(client: LanguageClient) -> None:
    try:
        await stop(client)
    finally:
        await client.stop()


def _ids(report: types.WorkspaceDiagnosticReport) -> list[types.PreviousResultId]:
    return [types.PreviousResultId(uri=item.uri, value=item.result_id) for item in report.items if item.result_id]


def _pull(h: Harness, previous: list[types.PreviousResultId], msg_id: str | None = None) -> asyncio.Task[types.WorkspaceDiagnosticReport]:
    """A workspace pull in flight (sent at once, answered whenever the server decides)."""
    params = types.WorkspaceDiagnosticParams(previous_result_ids=previous, identifier="packls")
    return asyncio.ensure_future(h.client.protocol.send_request_async(types.WORKSPACE_DIAGNOSTIC, params, msg_id=msg_id))


def _cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process, from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def test_first_pull_answers_at_once_then_the_next_waits_for_a_change(tmp_path: Path) -> None:
    client, h = await _session(tmp_path)
    try:
        first = await asyncio.wait_for(_pull(h, []), 30)
        assert first.items and all(isinstance(i, types.WorkspaceFullDocumentDiagnosticReport) for i in first.items)
        held = _pull(h, _ids(first))
        done, _ = await asyncio.wait({held}, timeout=HELD)
        assert not done, "nothing changed, yet the pull was answered"

        # A closed action changes on disk: the held pull answers with that file's new report.
        action = h.root / "data_tools/actions/newest.yaml"
        action.write_text(action.read_text().replace('">=3.11,<4.0"', '">=9"'))
        h.client.workspace_did_change_watched_files(types.DidChangeWatchedFilesParams(
            changes=[types.FileEvent(uri=from_fs_path(str(action)) or "", type=types.FileChangeType.Changed)]
        ))
        answer = await asyncio.wait_for(held, 10)
        full = {i.uri: i for i in answer.items if isinstance(i, types.WorkspaceFullDocumentDiagnosticReport)}
        assert list(full) == [from_fs_path(str(action))]
        assert [d.code for d in full[from_fs_path(str(action))].items] == ["runtime_version.unsatisfiable"]
        unchanged = [i for i in answer.items if isinstance(i, types.WorkspaceUnchangedDocumentDiagnosticReport)]
        assert len(unchanged) == len(answer.items) - 1
    finally:
        await _close(client)


async def test_an_edit_in_an_open_runtime_wakes_the_pull_for_its_closed_users(tmp_path: Path) -> None:
    client, h = await _session(tmp_path)
    try:
        first = await asyncio.wait_for(_pull(h, []), 30)
        held = _pull(h, _ids(first))
        await asyncio.sleep(0.3)
        runtime = h.open(h.root / "data_tools/runtimes/python.yaml")
        h.edit(runtime, "ref: data_tools.python", "ref: data_tools.snake")  # its actions' runner_type now finds nothing
        answer = await asyncio.wait_for(held, 10)
        changed = {i.uri: i for i in answer.items if isinstance(i, types.WorkspaceFullDocumentDiagnosticReport)}
        users = [from_fs_path(str(h.root / f"data_tools/actions/{name}.yaml")) for name in ("newest", "preview", "summarize")]
        assert sorted(changed) == sorted(users)
        assert all([d.code for d in changed[uri].items] == ["runner_type.unknown"] for uri in users)
    finally:
        await _close(client)


async def test_a_cancelled_pull_is_answered_and_a_cancel_after_the_answer_is_no_warning(tmp_path: Path) -> None:
    log = tmp_path / "server.log"
    client, h = await _session(tmp_path, "--log-file", str(log))
    try:
        first = await asyncio.wait_for(_pull(h, [], msg_id="first"), 30)
        # The client gives up on a held pull (VS Code does when it pulls again): it gets an answer.
        held = _pull(h, _ids(first), msg_id="held")
        await asyncio.sleep(0.5)
        h.client.protocol.notify(types.CANCEL_REQUEST, types.CancelParams(id="held"))
        try:
            answer = await asyncio.wait_for(held, 5)
            assert all(isinstance(i, types.WorkspaceUnchangedDocumentDiagnosticReport) for i in answer.items)
        except JsonRpcRequestCancelled:
            pass
        # A cancel that crosses the answer on the wire (the common race) is not worth a warning.
        h.client.protocol.notify(types.CANCEL_REQUEST, types.CancelParams(id="first"))
        hover_doc = h.open(h.root / "data_tools/actions/newest.yaml")
        assert await h.client.text_document_hover_async(types.HoverParams(h.ident(hover_doc), h.at(hover_doc, '">=3.11', 1)))
    finally:
        await _close(client)
    text = log.read_text() if log.exists() else ""
    assert "unknown message id" not in text, text


async def test_an_idle_server_costs_no_cpu_under_a_pulling_client(tmp_path: Path) -> None:
    """A VS Code-like loop (pull, wait for the answer, pull again 0.2 s later) over an idle workspace."""
    client, h = await _session(tmp_path)
    try:
        previous = _ids(await asyncio.wait_for(_pull(h, []), 30))
        await asyncio.sleep(1.0)  # indexing's trailing work (warm indexes, snapshot) settles
        pid = client._server.pid  # type: ignore[union-attr]  # pytest-lsp's server process
        answers = 0
        before = _cpu_seconds(pid)
        loop = asyncio.get_running_loop()
        deadline = loop.time() + 5.0
        pending = _pull(h, previous)
        while loop.time() < deadline:
            done, _ = await asyncio.wait({pending}, timeout=deadline - loop.time())
            if done:
                answers += 1
                previous = _ids(pending.result())
                await asyncio.sleep(0.2)
                pending = _pull(h, previous)
        spent = _cpu_seconds(pid) - before
        pending.cancel()
        assert answers == 0, f"{answers} answers while nothing changed"
        assert spent < 0.5, f"idle server used {spent:.2f} s of CPU in 5 s"
    finally:
        await _close(client)

