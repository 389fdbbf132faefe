"""The JSON-RPC layer under the language server: every request answered, nothing kept forever.

packls reads and writes LSP's JSON-RPC itself, on packls' own framing (`packls.lsp.framing`),
with plain JSON values: nothing heavy is imported before `initialize` is answered. What this
layer guarantees: a request that cannot be read is answered with an error (ParseError,
InvalidRequest, InvalidParams naming the field); a request before `initialize` gets
`ServerNotInitialized` and one after `shutdown` gets `InvalidRequest` (notifications then are
dropped quietly); `exit` ends the read loop with code 0 after `shutdown` and 1 without; a
cancelled request is answered with `RequestCancelled`; nothing is kept per handled message;
an edit that cannot be read is reported so its buffer is never silently out of step.
"""

from __future__ import annotations

import asyncio
import json
import logging
import threading
from collections import deque
from dataclasses import dataclass
from typing import Any, Awaitable, Callable, Protocol as Typing

from packls.lsp.framing import Frame, FrameReader, Malformed
from packls.lsp.salvage import salvage

log = logging.getLogger("packls.lsp")
MAX_LOGGED = 20  # malformed messages logged one by one; after that, every 1000th
TEXT_SYNC = ("textDocument/didOpen", "textDocument/didChange")


class Code:
    """JSON-RPC and LSP error codes."""

    ParseError = -32700
    InvalidRequest = -32600
    MethodNotFound = -32601
    InvalidParams = -32602
    InternalError = -32603
    ServerNotInitialized = -32002
    RequestCancelled = -32800


class RpcError(Exception):
    """An error answer for a request (raised by a params reader or a handler)."""

    def __init__(self, code: int, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


class ClientError(Exception):
    """The client answered one of our requests with an error."""

    def __init__(self, code: object, message: object) -> None:
        super().__init__(f"{message} ({code})")
        self.code = code


Reader = Callable[[Any], Any]  # raw params -> what the handler takes; raises RpcError(InvalidParams)


@dataclass(frozen=True)
class Route:
    """A method's handler (returning a result, or an awaitable of one), the reader of its params, and what
    to do once a plain handler's answer is sent (`initialize`: build the server before reading on)."""

    handler: Callable[[Any], Any]
    read: Reader | None = None
    then: Callable[[Any], None] | None = None


class Writer(Typing):
    def write(self, data: bytes) -> Any: ...


class Peer(Typing):
    """What the layer needs from the server above it."""

    def lose(self, uri: str | None, why: str) -> None: ...


class Protocol:
    """One client connection: reads frames, dispatches to routes, writes answers, notifications and requests."""

    def __init__(self, routes: dict[str, Route], peer: Peer) -> None:
        self.routes = routes
        self.peer = peer
        self.writer: Writer | None = None
        self.exit_code: int | None = None  # set by `exit`: the read loop stops
        self.malformed = 0  # messages that could not be read, this session
        self._dropped = 0  # bytes of the current unreadable stretch
        self._stretch_held_messages = False  # whether a message showed in it
        self._lost: set[tuple[str, str | None]] = set()  # the edits it held, each reported once
        self._answered: deque[int | str] = deque(maxlen=256)  # ids of unreadable requests already answered
        self.initialized = False  # `initialize` was received
        self.shut_down = False  # `shutdown` was received
        self.stop: threading.Event | None = None
        self.in_flight: dict[int | str, asyncio.Task[Any]] = {}  # requests being answered, by id
        self._tasks: set[asyncio.Task[Any]] = set()  # notification handlers still running
        self._waiting: dict[int, asyncio.Future[Any]] = {}  # our requests to the client, by id
        self._next_id = 0
        self._write_lock = threading.Lock()

    def set_writer(self, writer: Writer) -> None:
        self.writer = writer

    # -- reading -----------------------------------------------------------------------------------

    async def serve(self, read: Callable[[], Awaitable[bytes]], stop: threading.Event) -> None:
        """Read frames until the stream ends or `exit` arrives; nothing read can end the loop early."""
        self.stop = stop
        frames = FrameReader()
        while not stop.is_set() and self.exit_code is None:
            data = await read()
            items: list[Frame | Malformed] = list(frames.feed(data)) if data else list(frames.end())
            for item in items:
                try:
                    if isinstance(item, Frame):
                        self.receive(item.body)
                    else:
                        self.unreadable(item.reason, item.sample, item.dropped, final=item.final)
                except Exception:  # whatever one message does, the session reads on
                    log.exception("handling a message from the client failed")
                if self.exit_code is not None:
                    return
            if not data:
                log.info("the client closed the connection")
                return

    def receive(self, body: bytes) -> None:
        """Decode and handle one frame's body; anything invalid gets an error answer or a clear log line."""
        try:
            data = json.loads(body)
        except (ValueError, RecursionError) as error:
            self.unreadable(f"the message is not JSON ({str(error)[:200]})", body[:4096], 0, Code.ParseError)
            return
        if not isinstance(data, dict):
            self._refuse(None, Code.InvalidRequest, "a message must be a JSON object (LSP has no batches)")
            return
        method, msg_id = data.get("method"), data.get("id")
        valid_id = isinstance(msg_id, (int, str)) and not isinstance(msg_id, bool)
        if data.get("jsonrpc") != "2.0" or ("method" in data and not isinstance(method, str)) or ("id" in data and not valid_id):
            self._refuse(msg_id if valid_id and "method" in data else None, Code.InvalidRequest, "not a JSON-RPC 2.0 message")
            return
        if method is None:
            self._response(data)
        elif "id" in data:
            self._request(msg_id, method, data.get("params"))
        else:
            self._notification(method, data.get("params"))

    def unreadable(self, reason: str, sample: bytes, dropped: int, code: int = Code.InvalidRequest, final: bool = True) -> None:
        """Bytes that were no readable message: answer the requests they held, lose the edits they held, log them.

        A stretch of dropped bytes is reported at the end of each read while it lasts (final=False),
        so a request in it is answered at once; each report carries what the read dropped after the
        end of the previous report, so every message in the stretch is seen, a request answered once.
        A stretch in which no message shows is answered with id null, and reported, when it ends.
        """
        self._dropped += dropped
        for msg_id, method, uri in salvage(sample):
            self._stretch_held_messages = True
            if msg_id is not None and msg_id not in self._answered:
                self._answered.append(msg_id)
                self._refuse(msg_id, code, f"the {method} request could not be read: {reason}")
            if method in TEXT_SYNC and (method, uri) not in self._lost:  # never diverge silently
                self._lost.add((method, uri))
                self.peer.lose(uri, f"{method} could not be read: {reason}")
        if not final:
            return
        self.malformed += 1
        if self.malformed <= MAX_LOGGED or self.malformed % 1000 == 0:
            log.warning("malformed message from the client (%d so far): %s; %d bytes skipped, reading on at the next header",
                        self.malformed, reason, self._dropped)
        if not self._stretch_held_messages:  # nothing tells what it was: answered with id null; it may have been an edit
            self._refuse(None, code, f"a message could not be read: {reason}")
            self.peer.lose(None, f"a message could not be read: {reason}")
        self._dropped, self._stretch_held_messages, self._lost = 0, False, set()

    # -- dispatch ----------------------------------------------------------------------------------

    def _request(self, msg_id: int | str, method: str, params: Any) -> None:
        """Answer a request: at once when its handler is plain, when its task ends when it is a coroutine."""
        if method == "exit":
            self._exit()
            return
        if self.shut_down:
            self._refuse(msg_id, Code.InvalidRequest, f"{method}: the server is shutting down (shutdown was received)")
            return
        if not self.initialized and method != "initialize":
            self._refuse(msg_id, Code.ServerNotInitialized, f"{method}: the server is not initialized yet")
            return
        if method == "initialize":
            if self.initialized:
                self._refuse(msg_id, Code.InvalidRequest, "initialize was already received")
                return
            self.initialized = True
        route = self.routes.get(method)
        if route is None:
            log.info("request %s: no such method", method)
            self._refuse(msg_id, Code.MethodNotFound, f"method not found: {method}")
            return
        try:
            value = route.read(params) if route.read is not None else params
            result = route.handler(value)
        except RpcError as error:
            if error.code == Code.InvalidParams:
                log.warning("%s: %s", method, error.message)
            self._refuse(msg_id, error.code, error.message)
            return
        except Exception as error:
            log.exception("%s failed", method)
            self._refuse(msg_id, Code.InternalError, f"{method} failed: {type(error).__name__}: {error}")
            return
        if method == "shutdown":
            self._shut_down()
        if not asyncio.iscoroutine(result):
            self._answer(msg_id, result)
            if route.then is not None:
                try:
                    route.then(value)
                except Exception:
                    log.exception("after answering %s", method)
            return
        task = asyncio.ensure_future(result)
        self.in_flight[msg_id] = task
        task.add_done_callback(lambda done, msg_id=msg_id, method=method: self._finished(msg_id, method, done))

    def _finished(self, msg_id: int | str, method: str, task: asyncio.Task[Any]) -> None:
        if self.in_flight.get(msg_id) is task:
            del self.in_flight[msg_id]
        if task.cancelled():
            self._refuse(msg_id, Code.RequestCancelled, f"request {msg_id} was cancelled")
            return
        error = task.exception()
        if isinstance(error, RpcError):
            self._refuse(msg_id, error.code, error.message)
        elif error is not None:
            log.error("%s failed", method, exc_info=error)
            self._refuse(msg_id, Code.InternalError, f"{method} failed: {type(error).__name__}: {error}")
        else:
            self._answer(msg_id, task.result())

    def _notification(self, method: str, params: Any) -> None:
        """Run a notification's handler; before `initialize` and after `shutdown` only `exit` counts."""
        if method == "exit":
            self._exit()
            return
        if method == "$/cancelRequest":
            self._cancel(params)
            return
        if self.shut_down or not self.initialized:
            log.debug("dropped %s (%s)", method, "after shutdown" if self.shut_down else "before initialize")
            return
        route = self.routes.get(method)
        if route is None:
            if not method.startswith("$/"):
                log.info("ignored notification %s: no such method", method)
            return
        try:
            value = route.read(params) if route.read is not None else params
        except RpcError as error:
            self._unusable(method, params, error.message)
            return
        try:
            result = route.handler(value)
        except Exception:
            log.exception("%s failed", method)
            return
        if asyncio.iscoroutine(result):
            task = asyncio.ensure_future(result)
            self._tasks.add(task)
            task.add_done_callback(self._notification_done)

    def _notification_done(self, task: asyncio.Task[Any]) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.error("a notification handler failed", exc_info=task.exception())

    def _unusable(self, method: str, params: Any, reason: str) -> None:
        """A notification with invalid params: report it, and lose the buffer when it was an edit."""
        log.warning("dropped %s: %s", method, reason)
        if method in TEXT_SYNC:
            document = params.get("textDocument") if isinstance(params, dict) else None
            uri = document.get("uri") if isinstance(document, dict) else None
            self.peer.lose(uri if isinstance(uri, str) else None, f"{method} could not be read: {reason}")

    def _response(self, data: dict[str, Any]) -> None:
        """An answer to one of our requests."""
        future = self._waiting.pop(data.get("id"), None) if isinstance(data.get("id"), int) else None  # type: ignore[arg-type]
        if future is None:
            log.debug("an answer to no request of ours: %s", str(data.get("id"))[:50])
            return
        if future.done():
            return
        error = data.get("error")
        if error is not None:
            details = error if isinstance(error, dict) else {}
            future.set_exception(ClientError(details.get("code"), details.get("message", error)))
        else:
            future.set_result(data.get("result"))

    # -- life cycle --------------------------------------------------------------------------------

    def _cancel(self, params: Any) -> None:
        """$/cancelRequest: cancel the request's task (a request already answered is the normal race)."""
        msg_id = params.get("id") if isinstance(params, dict) else None
        task = self.in_flight.get(msg_id) if isinstance(msg_id, (int, str)) else None  # type: ignore[arg-type]
        if task is None:
            log.debug("cancel for request %s: already answered", str(msg_id)[:50])
            return
        task.cancel()

    def _shut_down(self) -> None:
        """After the shutdown handler: every other request in flight is cancelled, later ones refused."""
        self.shut_down = True
        for task in list(self.in_flight.values()):
            task.cancel()

    def _exit(self) -> None:
        """Stop the read loop: exit code 0 after `shutdown`, 1 without it (as LSP asks)."""
        self.exit_code = 0 if self.shut_down else 1
        log.info("exit received (%s shutdown): exit code %d", "after" if self.shut_down else "without", self.exit_code)
        if self.stop is not None:
            self.stop.set()

    # -- writing -----------------------------------------------------------------------------------

    def notify(self, method: str, params: Any = None) -> None:
        """Send a notification."""
        message: dict[str, Any] = {"jsonrpc": "2.0", "method": method}
        if params is not None:
            message["params"] = params
        self._send(message)

    def request(self, method: str, params: Any = None) -> asyncio.Future[Any]:
        """Send a request to the client; the future holds its result (ClientError for an error answer)."""
        self._next_id += 1
        future: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        self._waiting[self._next_id] = future
        message: dict[str, Any] = {"jsonrpc": "2.0", "id": self._next_id, "method": method}
        if params is not None:
            message["params"] = params
        self._send(message)
        return future

    def _answer(self, msg_id: int | str, result: Any) -> None:
        self._send({"jsonrpc": "2.0", "id": msg_id, "result": result})

    def _refuse(self, msg_id: Any, code: int, message: str) -> None:
        """An error response (id null when the request's id is unknown, as JSON-RPC asks)."""
        self._send({"jsonrpc": "2.0", "id": msg_id, "error": {"code": int(code), "message": message}})

    def _send(self, message: dict[str, Any]) -> None:
        if self.writer is None:
            log.error("no connection to send %s on", message.get("method") or "an answer")
            return
        body = json.dumps(message, separators=(",", ":"), default=_plain).encode("ascii")
        with self._write_lock:
            self.writer.write(b"Content-Length: %d\r\n\r\n%b" % (len(body), body))


def _plain(value: Any) -> Any:
    """JSON for what json.dumps does not know: objects that know their own JSON form."""
    to_json = getattr(value, "to_json", None)
    if to_json is not None:
        return to_json()
    raise TypeError(f"{type(value).__name__} is not JSON")

