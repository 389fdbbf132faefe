"""`packls sync`: the registry sync, imported only when asked for; the store and indexes may come from the config."""

from __future__ import annotations

import argparse
from pathlib import Path

from packls.cli.loading import UsageError

NAME = "sync"
HELP = "sync pack indexes and runtime availability into the registry store"
DESCRIPTION = """\
Fill the registry store validate, resolve and the language server read: pack index snapshots
(--index, or `indexes` in packls.toml), and which runtime versions really exist (--detect runs
verification commands here; --workers imports Attune's workers API). --status shows the store."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The registry's own options (or a catch-all when the registry is not installed)."""
    try:
        from packls.registry.command import add_sync_arguments
    except ImportError:
        parser.add_argument("rest", nargs=argparse.REMAINDER, help=argparse.SUPPRESS)
    else:
        add_sync_arguments(parser)
    parser.add_argument("--config", type=Path, default=None, metavar="FILE",
                        help="packls.toml or pyproject.toml whose `database` and `indexes` to use "
                             "(default: the nearest one above the current folder)")


def run(args: argparse.Namespace) -> int:
    """Run the sync with the configuration's store and indexes as defaults."""
    try:
        from packls.registry.command import run_sync
    except ImportError as error:
        raise UsageError(f"the registry sync is not available in this installation ({error})") from error
    from packls.cli.sync_config import configured_sync

    database, indexes = configured_sync(args)
    if getattr(args, "database", None) is None and database is not None:
        args.database = database
    if indexes:
        return int(run_sync(args, configured_indexes=indexes) or 0)
    return int(run_sync(args) or 0)

