"""What every subcommand shares before it loads anything: the usage error and the one way to speak on stderr."""

from __future__ import annotations

import sys


class UsageError(Exception):
    """A problem with the command line or the paths it names (exit 2)."""


def say(message: str) -> None:
    """One `packls: …` line on stderr, escaped (it can carry file names and values from the workspace)."""
    from packls.report.escape import output_line

    print(output_line(f"packls: {message}"), file=sys.stderr)
