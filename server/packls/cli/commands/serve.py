"""`packls serve`: the language server, imported only when asked for (validate never loads pygls)."""

from __future__ import annotations

import argparse
from pathlib import Path

from packls.cli.loading import UsageError

NAME = "serve"
HELP = "run the language server (stdio by default)"
DESCRIPTION = """\
Run the packls language server: live diagnostics, hover, completion, navigation, quick fixes
and inlay hints, over stdio (what editors launch) or TCP for debugging."""


def host_port(text: str) -> str:
    """argparse type for --tcp: `HOST:PORT` with a port from 0 to 65535 (0: any free port, printed)."""
    host, colon, port = text.rpartition(":")
    if not colon or not host:
        raise argparse.ArgumentTypeError(f"expected HOST:PORT such as 127.0.0.1:2087, not {text!r}")
    if not port.isdigit() or int(port) > 65535:
        raise argparse.ArgumentTypeError(f"the port must be a number from 0 to 65535, not {port!r}")
    return text


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """--tcp, --log-file, -v."""
    parser.add_argument("--tcp", metavar="HOST:PORT", type=host_port, default=None,
                        help="listen on TCP instead of stdio (port 0 picks a free port; the address is printed on stderr)")
    parser.add_argument("--log-file", metavar="PATH", type=Path, default=None, help="write the server log here")
    parser.add_argument("-v", "--verbose", action="count", default=0, help="more logging (repeat for debug)")


def run(args: argparse.Namespace) -> int:
    """Start the server; returns when the client disconnects."""
    try:
        from packls.lsp.server import run_server
    except ImportError as error:
        raise UsageError(f"the language server is not available in this installation ({error})") from error
    return int(run_server(args) or 0)
