"""Allow `python -m packls`."""

from __future__ import annotations

from packls.cli import run

run()
