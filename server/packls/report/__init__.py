"""Output formats for findings and resolutions; each renders the same core results."""

from __future__ import annotations

import os
from pathlib import Path


def display_path(path: Path, cwd: Path | None = None) -> str:
    """A path relative to the current directory when it lies below it, else absolute (POSIX style)."""
    base = cwd or Path.cwd()
    try:
        return path.relative_to(base).as_posix()
    except ValueError:
        relative = os.path.relpath(path, base)
        return Path(relative).as_posix() if not relative.startswith("..") else path.as_posix()
