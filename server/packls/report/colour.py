"""Colour for the text formats: on a terminal, off when piped; `--color`, NO_COLOR and FORCE_COLOR decide.

Colour wraps text that `report.escape` already made printable, so a value from a pack can never
smuggle its own escape sequence in, and a plain run (no colour) prints exactly the same characters.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import TextIO

from packls.findings import Severity

_SEVERITY_CODES = {Severity.ERROR: "1;31", Severity.WARNING: "1;33", Severity.INFORMATION: "1;34", Severity.HINT: "1;36"}


def wants_colour(choice: str, stream: TextIO, environ: dict[str, str] | None = None) -> bool:
    """`always`/`never` as said; `auto`: NO_COLOR turns it off, FORCE_COLOR on, else a terminal (not TERM=dumb) has it."""
    if choice in ("always", "never"):
        return choice == "always"
    env = os.environ if environ is None else environ
    if env.get("NO_COLOR"):
        return False
    if env.get("FORCE_COLOR", "") not in ("", "0", "false"):
        return True
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty()) and env.get("TERM") != "dumb"


@dataclass(frozen=True)
class Style:
    """ANSI styling of the parts of a finding, or none at all."""

    enabled: bool = False

    def _wrap(self, codes: str, text: str) -> str:
        return f"\x1b[{codes}m{text}\x1b[0m" if self.enabled and text else text

    def location(self, text: str) -> str:
        """path:line:col."""
        return self._wrap("1", text)

    def severity(self, severity: Severity, text: str | None = None) -> str:
        """The severity word (or a caret) in the severity's colour."""
        return self._wrap(_SEVERITY_CODES[severity], severity.label if text is None else text)

    def code(self, text: str) -> str:
        """A rule code."""
        return self._wrap("35", text)

    def note(self, text: str) -> str:
        """`note:` before a related place."""
        return self._wrap("1;36", text)

    def dim(self, text: str) -> str:
        """Secondary text: the summary line."""
        return self._wrap("2", text)


PLAIN = Style()
