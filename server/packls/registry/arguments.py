"""The `packls sync` options: defined apart from the sync itself, so building the command line loads none of it."""

from __future__ import annotations

import argparse

from packls.registry.limits import DEFAULT_TTL_SECONDS, DETECT_TIMEOUT, FETCH_CONNECT_TIMEOUT, FETCH_MAX_BYTES


def add_sync_arguments(parser: argparse.ArgumentParser) -> None:
    """The `packls sync` options."""
    parser.add_argument("--index", action="append", metavar="URL_OR_PATH",
                        help="pack index to sync (repeatable; earlier ones have priority)")
    parser.add_argument("--detect", nargs="*", metavar="PATH", default=None,
                        help="run the verification commands of every runtime version declared by packs under "
                             "PATHs and by the built-in catalog")
    parser.add_argument("--workers", metavar="FILE_OR_URL",
                        help="mark versions available from Attune's GET /api/v1/workers payload")
    parser.add_argument("paths", nargs="*", metavar="PATH",
                        help="workspace folders whose runtimes --workers checks (the catalog is always included)")
    parser.add_argument("--status", action="store_true", help="show what the store holds")
    parser.add_argument("--format", choices=("text", "json"), default="text", help="output format")
    parser.add_argument("--database", metavar="PATH_OR_DSN",
                        help="SQLite file or postgresql:// URL (default: $PACKLS_DATABASE, else a per-user file)")
    parser.add_argument("--refresh", action="store_true", help="fetch indexes even if their snapshot is fresh")
    parser.add_argument("--ttl", type=int, default=DEFAULT_TTL_SECONDS, metavar="SECONDS",
                        help=f"how long an index snapshot stays fresh (default {DEFAULT_TTL_SECONDS})")
    parser.add_argument("--timeout", type=float, default=FETCH_CONNECT_TIMEOUT, metavar="SECONDS",
                        help="connect and read timeout for each fetch (default %(default)s)")
    parser.add_argument("--max-bytes", type=int, default=FETCH_MAX_BYTES, metavar="BYTES",
                        help="largest index or workers document accepted (default %(default)s)")
    parser.add_argument("--detect-timeout", type=float, default=DETECT_TIMEOUT, metavar="SECONDS",
                        help="time limit of each verification command (default 10, as Attune's worker)")
