"""The configuration's `exclude` globs, gitignore-like, compiled once per pattern."""

from __future__ import annotations

import re
from pathlib import Path


def relative_posix(path: Path, root: Path | None) -> str:
    """A path relative to root, in POSIX spelling (absolute paths outside root lose their leading slash)."""
    if root is not None:
        try:
            return path.relative_to(root).as_posix()
        except ValueError:
            pass
    return path.as_posix().lstrip("/")


_GLOB_CACHE: dict[str, re.Pattern[str]] = {}


def glob_regex(pattern: str) -> re.Pattern[str]:
    """gitignore-like globs: `**` spans folders, `*`/`?` stay in one, a bare name matches at any depth."""
    cached = _GLOB_CACHE.get(pattern)
    if cached is not None:
        return cached
    body = pattern.strip().rstrip("/")
    anchored = body.startswith("/")
    body = body.lstrip("/")
    out = []
    i = 0
    while i < len(body):
        if body.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
        elif body.startswith("**", i):
            out.append(".*")
            i += 2
        elif body[i] == "*":
            out.append("[^/]*")
            i += 1
        elif body[i] == "?":
            out.append("[^/]")
            i += 1
        else:
            out.append(re.escape(body[i]))
            i += 1
    prefix = "" if anchored or "/" in body else "(?:.*/)?"
    compiled = re.compile(f"^{prefix}{''.join(out)}(?:/.*)?$")
    _GLOB_CACHE[pattern] = compiled
    return compiled
