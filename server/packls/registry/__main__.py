"""`python -m packls.registry`: `packls sync` without the rest of the CLI (used by subprocess tests)."""

from __future__ import annotations

import argparse

from packls.registry.command import add_sync_arguments, run_sync


def main(argv: list[str] | None = None) -> int:
    """Parse sync arguments and run the sync."""
    parser = argparse.ArgumentParser(prog="packls sync")
    add_sync_arguments(parser)
    return run_sync(parser.parse_args(argv))


if __name__ == "__main__":
    raise SystemExit(main())
