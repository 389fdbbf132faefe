"""The JSON-RPC layer under the language server: every request answered, nothing kept forever.

What pygls 2.1 does not do, and this subclass does: a request that cannot be read is answered
with an error (pygls raises inside `json.loads` and the client waits forever); a request
before `initialize` gets `ServerNotInitialized` and one after `shutdown` gets `InvalidRequest`
(pygls drops both silently); `exit` ends the read loop with code 0 or 1 (pygls' `sys.exit`
inside a handler is swallowed, and its stdin thread keeps the process alive); a notification
handled by a generator no longer leaves its future in `_request_futures`; incremental edits
use LSP's line breaks (pygls' `splitlines` corrupts U+2028 text).
"""

from __future__ import annotations

import json
import logging
import re
import threading
from collections import deque
from concurrent.futures import Future
from typing import TYPE_CHECKING, Any, Awaitable, Callable
from urllib.parse import unquote

from cattrs import transform_error
from lsprotocol import types
from pygls.exceptions import JsonRpcInternalError
from pygls.protocol import LanguageServerProtocol
from pygls.protocol.json_rpc import JsonRPCNotification, JsonRPCRequestMessage, JsonRPCResponseMessage
from pygls.protocol.language_server import lsp_method

from packls.lsp.framing import Frame, FrameReader, Malformed

if TYPE_CHECKING:
    from packls.lsp.server import PacklsServer

log = logging.getLogger("packls.lsp")
Code = types.ErrorCodes
TEXT_SYNC = (types.TEXT_DOCUMENT_DID_OPEN, types.TEXT_DOCUMENT_DID_CHANGE)
MAX_LOGGED = 20  # malformed messages logged one by one; after that, every 1000th


class InvalidMessage(Exception):
    """A message whose shape or params do not match the protocol (the reason says where)."""


def _why(error: Exception) -> str:
    """One line saying which fields of a message were invalid."""
    try:
        details = transform_error(error, format_exception=lambda e, _t: str(e) or type(e).__name__)  # type: ignore[arg-type]
    except Exception:
        details = [str(error) or type(error).__name__]
    return "; ".join(details)[:500]


class PacklsProtocol(LanguageServerProtocol):
    """pygls' LSP protocol with answers for every request and a life cycle that ends."""

    _server: PacklsServer  # type: ignore[assignment]

    def __init__(self, server: Any, converter: Any) -> None:
        self._initialize_seen = False  # before pygls' __init__, which reads every attribute (`initialized` too)
        self.exit_code: int | None = None  # set by `exit`: the read loop stops
        self.malformed = 0  # messages that could not be read, this session
        self._dropped = 0  # bytes of the current unreadable stretch
        self._stretch_held_messages = False  # whether a message showed in it
        self._lost: set[tuple[str, str | None]] = set()  # the edits it held, each reported once
        self._answered: deque[int | str] = deque(maxlen=256)  # ids of unreadable requests already answered
        super().__init__(server, converter)

    # -- reading -----------------------------------------------------------------------------------

    async def serve(self, read: Callable[[], Awaitable[bytes]], stop: threading.Event) -> None:
        """Read frames until the stream ends or `exit` arrives; nothing read can end the loop early."""
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
        try:
            message = self.structure_message(data)
        except InvalidMessage as error:
            self._invalid(data, str(error))
            return
        self.handle_message(message)

    def structure_message(self, data: dict[str, Any]) -> Any:
        """The typed message for a decoded JSON object (raises InvalidMessage, never logs a traceback)."""
        try:
            if "id" in data and "method" in data:
                return self._converter.structure(data, self.get_message_type(data["method"]) or JsonRPCRequestMessage)
            if "id" in data:
                if "error" in data:
                    return self._converter.structure(data, types.ResponseErrorMessage)
                return self._converter.structure(data, self._result_types.pop(data["id"], None) or JsonRPCResponseMessage)
            return self._converter.structure(data, self.get_message_type(data.get("method", "")) or JsonRPCNotification)
        except Exception as error:
            raise InvalidMessage(_why(error)) from error

    def _invalid(self, data: dict[str, Any], reason: str) -> None:
        """A message of the right shape with invalid params: answer it, fail our waiting request, or report it."""
        method = data.get("method")
        if method is not None and "id" in data:
            self._refuse(data["id"], Code.InvalidParams, f"invalid params for {method}: {reason}")
        elif method is None:
            future = self._request_futures.pop(data["id"], None)
            if future is not None and not future.done():
                future.set_exception(JsonRpcInternalError(f"the client's response could not be read: {reason}"))
            log.warning("a response from the client could not be read: %s", reason)
        else:
            log.warning("dropped %s: %s", method, reason)
            if method in TEXT_SYNC:
                self._server.lose(_document_uri(data.get("params")), f"{method} could not be read: {reason}")

    def unreadable(self, reason: str, sample: bytes, dropped: int, code: Code = Code.InvalidRequest, final: bool = True) -> None:
        """Bytes that were no readable message: answer the requests they held, lose the edits they held, log them.

        A stretch of dropped bytes is reported at the end of each read while it lasts (final=False),
        so a request in it is answered at once; each report carries what the read dropped after the
        end of the previous report, so every message in the stretch is seen, a request answered once.
        A stretch in which no message shows is answered with id null, and reported, when it ends.
        """
        self._dropped += dropped
        for msg_id, method, uri in _salvage(sample):
            self._stretch_held_messages = True
            if msg_id is not None and msg_id not in self._answered:
                self._answered.append(msg_id)
                self._refuse(msg_id, code, f"the {method} request could not be read: {reason}")
            if method in TEXT_SYNC and (method, uri) not in self._lost:  # never diverge silently
                self._lost.add((method, uri))
                self._server.lose(uri, f"{method} could not be read: {reason}")
        if not final:
            return
        self.malformed += 1
        if self.malformed <= MAX_LOGGED or self.malformed % 1000 == 0:
            log.warning("malformed message from the client (%d so far): %s; %d bytes skipped, reading on at the next header",
                        self.malformed, reason, self._dropped)
        if not self._stretch_held_messages:  # nothing tells what it was: answered with id null; it may have been an edit
            self._refuse(None, code, f"a message could not be read: {reason}")
            self._server.lose(None, f"a message could not be read: {reason}")
        self._dropped, self._stretch_held_messages, self._lost = 0, False, set()

    def _refuse(self, msg_id: Any, code: Code, message: str) -> None:
        """An error response (id null when the request's id is unknown, as JSON-RPC asks)."""
        if msg_id is None:
            self._send_data({"jsonrpc": "2.0", "id": None, "error": {"code": int(code), "message": message}})
        else:
            self._send_response(msg_id, error=types.ResponseError(code=int(code), message=message))

    # -- life cycle ----------------------------------------------------------------------------------

    @property
    def initialized(self) -> bool:
        """True once `initialize` has been received."""
        return self._initialize_seen

    def handle_message(self, message: Any) -> None:
        """Requests before `initialize` or after `shutdown` are answered with an error, never dropped."""
        method = getattr(message, "method", None)
        is_request = method is not None and hasattr(message, "id")
        if method == types.EXIT or (method is None and not self._shutdown):  # the end, and responses
            super().handle_message(message)
        elif method is None:  # a late response after shutdown: normal traffic, nothing to answer
            log.debug("after shutdown: a response to request %s not handled", getattr(message, "id", None))
        elif self._shutdown:
            if is_request:
                self._refuse(message.id, Code.InvalidRequest, f"{method}: the server is shutting down (shutdown was received)")
        elif not self._initialize_seen and method != types.INITIALIZE:
            if is_request:
                self._refuse(message.id, Code.ServerNotInitialized, f"{method}: the server is not initialized yet")
        elif method == types.INITIALIZE and self._initialize_seen:
            if is_request:
                self._refuse(message.id, Code.InvalidRequest, "initialize was already received")
        else:
            self._initialize_seen = self._initialize_seen or method == types.INITIALIZE
            super().handle_message(message)

    @lsp_method(types.EXIT)
    def lsp_exit(self, *args: Any) -> None:
        """Stop the read loop: exit code 0 after `shutdown`, 1 without it (as LSP asks)."""
        self.exit_code = 0 if self._shutdown else 1
        log.info("exit received (%s shutdown): exit code %d", "after" if self._shutdown else "without", self.exit_code)
        stop = self._server._stop_event
        if stop is not None:
            stop.set()

    @lsp_method(types.SHUTDOWN)
    def lsp_shutdown(self, *args: Any) -> Any:
        """pygls' shutdown, cancelling in-flight requests from a copy (a cancelled future leaves the table at once)."""
        if (handler := self.fm.features.get(types.SHUTDOWN)) is not None:
            yield handler, args, None
        current = self.msg_id
        for msg_id, future in list(self._request_futures.items()):
            if msg_id != current and not future.done():
                future.cancel()
        self._shutdown = True

    def _handle_cancel_notification(self, msg_id: Any) -> None:
        """A cancel for a request already answered is the normal race, not a warning on stderr."""
        if msg_id not in self._request_futures:
            log.debug("cancel for request %s: already answered", msg_id)
            return
        super()._handle_cancel_notification(msg_id)

    def _execute_handler(self, msg_id: Any, handler: Any, callback: Any, args: Any = None, kwargs: Any = None) -> None:
        """pygls' dispatch, without keeping the future of every finished notification forever."""
        super()._execute_handler(msg_id, handler, callback, args, kwargs)
        future = self._request_futures.get(msg_id)
        if future is not None:
            future.add_done_callback(lambda done, key=msg_id: self._forget(key, done))

    def _forget(self, msg_id: Any, future: Future[Any]) -> None:
        if self._request_futures.get(msg_id) is future:
            del self._request_futures[msg_id]

    # -- documents -------------------------------------------------------------------------------------

    @lsp_method(types.TEXT_DOCUMENT_DID_CHANGE)
    def lsp_text_document__did_change(self, params: types.DidChangeTextDocumentParams):  # type: ignore[no-untyped-def]
        """Apply an edit with LSP's line breaks, keeping pygls' own copy of the text in step."""
        server = self._server
        document = server.documents.change(params, server.encoding)
        mirror = self.workspace.text_documents.get(unquote(params.text_document.uri))
        if mirror is not None and document is not None:
            mirror._source, mirror.version = document.text, document.version
        if document is None:
            server.lose(params.text_document.uri, "an edit arrived for a file the editor never opened here")
        if (handler := self.fm.features.get(types.TEXT_DOCUMENT_DID_CHANGE)) is not None:
            yield handler, (params,), None


def _document_uri(params: object) -> str | None:
    """params.textDocument.uri of a message that did not match its type, when it is there."""
    document = params.get("textDocument") if isinstance(params, dict) else None
    uri = document.get("uri") if isinstance(document, dict) else None
    return uri if isinstance(uri, str) else None


def _salvage(sample: bytes) -> list[tuple[int | str | None, str, str | None]]:
    """(id, method, document URI) of every message whose start shows in bytes that were no readable message.

    Brackets are counted from wherever the sample starts; an object holding a "method" string is a
    message (with an "id", a request), whatever stray bytes come before it, and the first "uri" inside
    it names its document. A sample may start inside a string: it is read a second time from after
    its first quote, and what either reading finds counts.
    """
    found = _messages_from(sample, 0)
    second = sample.find(b'"') + 1
    if second > 0:
        found += [message for message in _messages_from(sample, second) if message not in found]
    return found


def _messages_from(sample: bytes, at: int) -> list[tuple[int | str | None, str, str | None]]:
    found: list[tuple[int | str | None, str, str | None]] = []
    open_objects: list[dict[bytes, object]] = []
    size = len(sample)
    while at < size:
        char = sample[at]
        if char == 0x22:  # a string: maybe a key
            end = _string_end(sample, at)
            if end < 0:
                break
            key = sample[at + 1 : end]
            colon = _KEY_COLON.match(sample, end + 1)
            if colon is not None and key in _SALVAGED and open_objects:
                value = _SCALAR.match(sample, colon.end())
                if value is not None:
                    try:
                        decoded = json.loads(value.group())
                    except ValueError:
                        decoded = None
                    targets = open_objects if key == b"uri" else open_objects[-1:]
                    for record in targets:
                        record.setdefault(key, decoded)
            at = end + 1
            continue
        if char == 0x7B:  # {
            open_objects.append({})
        elif char == 0x7D and open_objects:  # }
            _keep_message(open_objects.pop(), found)
        at += 1
    for record in open_objects:  # cut off before their end: what they showed still counts
        _keep_message(record, found)
    return found


def _keep_message(record: dict[bytes, object], found: list[tuple[int | str | None, str, str | None]]) -> None:
    method, msg_id, uri = record.get(b"method"), record.get(b"id"), record.get(b"uri")
    if not isinstance(method, str):
        return
    valid_id = isinstance(msg_id, (int, str)) and not isinstance(msg_id, bool)
    found.append((msg_id if valid_id else None, method, uri if isinstance(uri, str) else None))  # type: ignore[arg-type]


_SALVAGED = frozenset({b"id", b"method", b"uri"})
_KEY_COLON = re.compile(rb"\s*:\s*")
_SCALAR = re.compile(rb'-?\d{1,15}(?![\d.eE])|"(?:[^"\\]|\\.){0,4000}"')


def _string_end(data: bytes, start: int) -> int:
    """Index of the quote ending the JSON string that starts at start, or -1 when the data ends first."""
    at = start + 1
    while at < len(data):
        char = data[at]
        if char == 0x5C:  # backslash
            at += 2
            continue
        if char == 0x22:
            return at
        at += 1
    return -1
