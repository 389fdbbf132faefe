"""Command-line entry point (placeholder until the subcommands land)."""

from __future__ import annotations


def main(argv: list[str] | None = None) -> int:
    """Run the packls command line."""
    return 0
