"""Where a configuration lives: `packls.toml` or `[tool.packls]` in `pyproject.toml` above a path, read safely.

Never through a link (it may lead out of the workspace), never a pipe, never more than 1 MiB.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

CONFIG_FILES = ("packls.toml", "pyproject.toml")
CONFIG_MAX_BYTES = 1_048_576  # a configuration is a few lines; a bigger file is not read


class ConfigUnreadable(OSError):
    """A configuration file packls refuses to read (a link, not a regular file, too big); the message says which."""


def read_config_text(path: Path) -> str:
    """A configuration file's text: a regular file, never through a link (it may lead out of the workspace), never blocking.

    Raises ConfigUnreadable for a link, a pipe or device, or a file over CONFIG_MAX_BYTES,
    OSError when it cannot be opened, UnicodeDecodeError when it is not UTF-8.
    """
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    if path.is_symlink():
        raise ConfigUnreadable("it is a symbolic link; packls reads configuration only from a regular file in the workspace")
    handle = os.open(path, flags)
    try:
        if not stat.S_ISREG(os.fstat(handle).st_mode):
            raise ConfigUnreadable("it is not a regular file")
        data = os.read(handle, CONFIG_MAX_BYTES + 1)
        while len(data) <= CONFIG_MAX_BYTES:
            more = os.read(handle, CONFIG_MAX_BYTES + 1 - len(data))
            if not more:
                break
            data += more
    finally:
        os.close(handle)
    if len(data) > CONFIG_MAX_BYTES:
        raise ConfigUnreadable(f"it is larger than {CONFIG_MAX_BYTES} bytes")
    return data.decode("utf-8")


def find_config_root(start: Path) -> Path | None:
    """The nearest folder at or above start with packls.toml or a pyproject.toml holding [tool.packls]."""
    current = start if start.is_dir() else start.parent
    for candidate in (current, *current.parents):
        if _holds_config(candidate):
            return candidate
    return None


_CONFIG_ROOTS: dict[Path, Path | None] = {}  # start path or folder -> find_config_root's answer


def find_config_root_cached(start: Path) -> Path | None:
    """`find_config_root`, remembered per start path and per folder (the language server asks per file, often).

    Call `clear_config_root_cache` when a packls.toml or pyproject.toml is created, changed or deleted.
    """
    known = _CONFIG_ROOTS.get(start, _UNKNOWN)
    if known is not _UNKNOWN:
        return known  # type: ignore[return-value]
    candidate = start if start.is_dir() else start.parent
    chain: list[Path] = []
    answer: Path | None = None
    while True:  # up the folders one at a time: most files stop at their folder, already known
        known = _CONFIG_ROOTS.get(candidate, _UNKNOWN)
        if known is not _UNKNOWN:
            answer = known  # type: ignore[assignment]
            break
        chain.append(candidate)
        if _holds_config(candidate):
            answer = candidate
            break
        parent = candidate.parent
        if parent == candidate:
            break
        candidate = parent
    for folder in chain:
        _CONFIG_ROOTS[folder] = answer
    _CONFIG_ROOTS[start] = answer
    return answer


def clear_config_root_cache() -> None:
    """Forget every remembered config root (a config file appeared, changed or went away)."""
    _CONFIG_ROOTS.clear()


_UNKNOWN = object()


def _holds_config(candidate: Path) -> bool:
    """True when the folder has a packls.toml (even a link, so it is reported) or a pyproject.toml with [tool.packls]."""
    packls_toml = candidate / "packls.toml"
    if packls_toml.is_file() or packls_toml.is_symlink():
        return True
    pyproject = candidate / "pyproject.toml"
    if pyproject.is_file():
        try:
            return "[tool.packls" in read_config_text(pyproject)
        except (OSError, UnicodeDecodeError):
            return False
    return False
