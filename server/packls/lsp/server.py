"""The language server's entry point: answer `initialize` first, then load everything else.

`initialize` needs only the client's capabilities, so it is answered by the small protocol
layer before the session, the checks and the YAML parser are even imported; the server
(`packls.lsp.app`, with every method of `packls.lsp.handlers`) is built right after the answer
is sent, before the next message is read.
"""

from __future__ import annotations

import gc
import logging
import sys
from typing import TYPE_CHECKING, Any

from packls.lsp import messages, transport
from packls.lsp.capabilities import initialize_result
from packls.lsp.protocol import Protocol, Route
from packls.report.log_format import EscapingFormatter

if TYPE_CHECKING:
    from packls.lsp.app import PacklsServer

__all__ = ["PacklsServer", "create_server", "run_server"]


class _Starting:
    """The protocol's peer until the server exists: nothing is open, nothing can be lost."""

    def lose(self, uri: str | None, why: str) -> None:
        logging.getLogger("packls.lsp").warning("%s", why)


def create_server(protocol: Protocol | None = None) -> PacklsServer:
    """A server with every method registered, on a protocol of its own or on one that answered `initialize`."""
    from packls.lsp.app import PacklsServer
    from packls.lsp.handlers import register

    server = PacklsServer(protocol)
    register(server)
    return server


def starting_protocol() -> Protocol:
    """A protocol that answers `initialize` at once and builds the server right after the answer."""
    protocol = Protocol({}, _Starting())

    def build(params: messages.Initialize) -> None:
        create_server(protocol).adopt(params)

    protocol.routes["initialize"] = Route(initialize_result, messages.initialize, then=build)
    return protocol


def configure_logging(log_file: str | None, verbose: int | bool) -> None:
    """Logs go to stderr or a file, never stdout."""
    handler: logging.Handler = logging.FileHandler(log_file, encoding="utf-8") if log_file else logging.StreamHandler(sys.stderr)
    handler.setFormatter(EscapingFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    level = int(verbose or 0)
    root.setLevel(logging.DEBUG if level >= 2 else logging.INFO if level == 1 else logging.WARNING)


def run_server(args: Any = None) -> int:
    """Serve over stdio (the default) or TCP (`--tcp HOST:PORT`, for debugging); returns an exit code."""
    configure_logging(getattr(args, "log_file", None), getattr(args, "verbose", 0))
    gc.set_threshold(20_000, 20, 20)  # parse trees are many small objects: collect young ones less often
    protocol = starting_protocol()
    tcp = getattr(args, "tcp", None)
    if tcp:
        host, _, port = str(tcp).rpartition(":")  # checked by `packls serve` (packls.cli.commands.serve)
        return transport.serve_tcp(protocol, host.strip("[]") or "127.0.0.1", int(port))
    protocol_out = sys.stdout.buffer
    sys.stdout = sys.stderr  # a stray print() must never corrupt the protocol stream
    return transport.serve_stdio(protocol, sys.stdin.buffer, protocol_out)
