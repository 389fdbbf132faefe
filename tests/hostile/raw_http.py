"""A hostile server on loopback: a real TCP listener that answers each request with a script of raw bytes.

`http.server` always writes well-formed responses; an attacker does not. Here every
connection runs a script that may drip bytes, send endless `100 Continue` heads, lie in
Content-Length, chunk badly or stall, so `packls sync` is tested against the real socket
behaviour of each.
"""

from __future__ import annotations

import socket
import threading
import time
from dataclasses import dataclass, field
from typing import Callable

Script = Callable[[socket.socket, threading.Event], None]  # the connection, and the server's stop event


def read_request_head(connection: socket.socket, limit: int = 65536) -> bytes:
    """The request line and headers (up to the blank line), so the client is done sending."""
    data = b""
    while b"\r\n\r\n" not in data and len(data) < limit:
        chunk = connection.recv(4096)
        if not chunk:
            break
        data += chunk
    return data


def send_slowly(connection: socket.socket, data: bytes, gap: float, stop: threading.Event) -> None:
    """One byte per `gap` seconds until done, the client leaves, or the server is closed."""
    for byte in data:
        if stop.wait(gap):
            return
        connection.sendall(bytes([byte]))


@dataclass
class RawServer:
    """Listens on 127.0.0.1 until closed; each accepted connection reads the request, then runs `script`."""

    script: Script
    http: bool = True  # read an HTTP request head before the script runs (False: the script reads itself)
    stop: threading.Event = field(default_factory=threading.Event)
    requests: list[bytes] = field(default_factory=list)
    _listener: socket.socket | None = None

    def __enter__(self) -> RawServer:
        listener = socket.socket()
        listener.bind(("127.0.0.1", 0))
        listener.listen(16)
        listener.settimeout(0.1)
        self._listener = listener
        threading.Thread(target=self._accept, daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        if self._listener is not None:
            self._listener.close()

    @property
    def port(self) -> int:
        assert self._listener is not None
        return self._listener.getsockname()[1]

    def url(self, path: str = "/index.json") -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def _accept(self) -> None:
        assert self._listener is not None
        while not self.stop.is_set():
            try:
                connection, _ = self._listener.accept()
            except (TimeoutError, socket.timeout):
                continue
            except OSError:
                return
            threading.Thread(target=self._serve, args=(connection,), daemon=True).start()

    def _serve(self, connection: socket.socket) -> None:
        with connection:
            try:
                if self.http:
                    self.requests.append(read_request_head(connection))
                self.script(connection, self.stop)
            except OSError:
                pass  # the client gave up: exactly what a bounded fetch should do


def respond(raw: bytes) -> Script:
    """A script that writes `raw` at once and closes."""

    def script(connection: socket.socket, stop: threading.Event) -> None:
        connection.sendall(raw)

    return script


def drip(raw: bytes, gap: float) -> Script:
    """A script that writes `raw` one byte every `gap` seconds."""

    def script(connection: socket.socket, stop: threading.Event) -> None:
        send_slowly(connection, raw, gap, stop)

    return script


def endless(chunk: bytes, gap: float, head: bytes = b"") -> Script:
    """A script that writes `head`, then `chunk` every `gap` seconds until the client leaves."""

    def script(connection: socket.socket, stop: threading.Event) -> None:
        connection.sendall(head)
        while not stop.wait(gap):
            connection.sendall(chunk)

    return script


def timed(action: Callable[[], object]) -> tuple[object, float]:
    """The action's result and how long it took, in seconds."""
    started = time.monotonic()
    result = action()
    return result, time.monotonic() - started
