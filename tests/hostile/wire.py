"""Raw bytes on a real stdio session: malformed frames, invalid params, and what the server process costs.

pytest-lsp's client only writes well-formed messages; these helpers write anything through the
same pipe and wait for the server's answer to a request id of their choosing.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import os
from concurrent.futures import Future
from pathlib import Path
from typing import Any

from pygls.exceptions import JsonRpcException
from pytest_lsp import LanguageClient

ANSWER_SECONDS = 20.0  # a request is answered well within this, or never
_IDS = itertools.count(1)


def frame(body: bytes) -> bytes:
    """A well-formed LSP frame."""
    return b"Content-Length: %d\r\n\r\n" % len(body) + body


def body(method: str, params: Any, msg_id: int | str | None = None) -> bytes:
    """A JSON-RPC message (a request when msg_id is given), its keys in vscode-jsonrpc's order."""
    message: dict[str, Any] = {"jsonrpc": "2.0"}
    if msg_id is not None:
        message["id"] = msg_id
    message.update(method=method, params=params)
    return json.dumps(message).encode()


def fresh_id() -> str:
    """A request id no other message of the session uses."""
    return f"raw-{next(_IDS)}"


def send(client: LanguageClient, data: bytes) -> None:
    """Write bytes to the server's stdin as they are."""
    client.protocol.writer.write(data)  # type: ignore[union-attr]


def expect(client: LanguageClient, msg_id: str, method: str | None = None) -> asyncio.Future[Any]:
    """The server's answer to a request id: its result (typed when the method is given), or a JsonRpcException."""
    future: Future[Any] = Future()
    client.protocol._request_futures[msg_id] = future
    if method is not None:
        client.protocol._result_types[msg_id] = client.protocol.get_result_type(method)
    return asyncio.wrap_future(future)


async def answer(pending: asyncio.Future[Any]) -> tuple[str, Any]:
    """("result", value) or ("error", code) for a request, failing the test if it is never answered."""
    try:
        return "result", await asyncio.wait_for(pending, ANSWER_SECONDS)
    except JsonRpcException as error:
        answer.last_error = str(error)  # type: ignore[attr-defined]  # what the server said, for failure messages
        return "error", error.code
    except asyncio.TimeoutError:
        raise AssertionError("the server never answered the request") from None


async def request(client: LanguageClient, method: str, params: Any) -> tuple[str, Any]:
    """Send a request with raw (possibly invalid) params and wait for its answer."""
    msg_id = fresh_id()
    pending = expect(client, msg_id, method)
    send(client, frame(body(method, params, msg_id)))
    return await answer(pending)


def server_pid(client: LanguageClient) -> int:
    """The server process of a pytest-lsp session."""
    return client._server.pid  # type: ignore[union-attr]


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (the machine may be shared: wall time says little)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def peak_rss_mb(pid: int) -> float:
    """The highest resident memory of a process so far, in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise AssertionError("no VmHWM for the server process")


def rss_mb(pid: int) -> float:
    """The resident memory of a process now, in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise AssertionError("no VmRSS for the server process")
