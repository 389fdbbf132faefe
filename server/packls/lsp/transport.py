"""Stdio and TCP transports for the server, reading through packls' framing (never pygls' reader)."""

from __future__ import annotations

import asyncio
import concurrent.futures
import logging
import os
import sys
import threading
from typing import TYPE_CHECKING, Awaitable, BinaryIO, Callable

from pygls.io_ import StdoutWriter

if TYPE_CHECKING:
    from packls.lsp.server import PacklsServer

log = logging.getLogger("packls.lsp")
CHUNK = 1 << 16  # bytes per read


def stream_reader(stream: BinaryIO, loop: asyncio.AbstractEventLoop) -> Callable[[], Awaitable[bytes]]:
    """Chunks of a blocking stream, read by a daemon thread (it never keeps the process alive after `exit`).

    At most two chunks wait in the queue, so a client writing faster than the server reads is
    slowed down by the pipe, not buffered here.
    """
    queue: asyncio.Queue[bytes] = asyncio.Queue(maxsize=2)
    read = _raw_read(stream)

    def pump() -> None:
        while True:
            try:
                data = read(CHUNK)
            except (OSError, ValueError):
                data = b""
            try:
                asyncio.run_coroutine_threadsafe(queue.put(data), loop).result()
            except (RuntimeError, concurrent.futures.CancelledError, asyncio.CancelledError):
                return  # the loop is gone (or going): the server has exited
            if not data:
                return

    threading.Thread(target=pump, name="packls-stdin", daemon=True).start()
    return queue.get


def _raw_read(stream: BinaryIO) -> Callable[[int], bytes]:
    """os.read on the stream's descriptor: a daemon thread blocked there holds no lock that the
    interpreter needs at exit (a buffered reader's lock would abort the process)."""
    try:
        descriptor = stream.fileno()
    except (AttributeError, OSError, ValueError):
        return getattr(stream, "read1", None) or stream.read
    return lambda size: os.read(descriptor, size)


def serve_stdio(server: PacklsServer, stdin: BinaryIO, stdout: BinaryIO) -> int:
    """Serve one client over stdio; the exit code LSP asks for (1 when `exit` came without `shutdown`)."""
    server._stop_event = stop = threading.Event()
    server.protocol.set_writer(StdoutWriter(stdout))

    async def run() -> None:
        await server.protocol.serve(stream_reader(stdin, asyncio.get_running_loop()), stop)

    try:
        asyncio.run(run())
    except BrokenPipeError:
        log.error("the connection to the client is lost")
    finally:
        server.shutdown()
    return server.protocol.exit_code or 0


def serve_tcp(server: PacklsServer, host: str, port: int) -> int:
    """Serve clients on a TCP port (for debugging) until one of them sends `exit`."""
    server._stop_event = stop = threading.Event()

    async def connection(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        server.protocol.set_writer(writer)  # type: ignore[arg-type]
        await server.protocol.serve(lambda: reader.read(CHUNK), stop)
        if server.protocol.exit_code is not None and server._server is not None:
            server._server.close()

    async def listen() -> None:
        server._server = await asyncio.start_server(connection, host, port)
        log.info("serving on %s", ", ".join(str(s.getsockname()) for s in server._server.sockets))
        for sock in server._server.sockets:  # port 0 picks a free port: say which
            address = sock.getsockname()
            print(f"packls: listening on {address[0]}:{address[1]}", file=sys.stderr, flush=True)
        async with server._server:
            try:
                await server._server.serve_forever()
            except asyncio.CancelledError:
                pass

    try:
        asyncio.run(listen())
    finally:
        server.shutdown()
    return server.protocol.exit_code or 0
