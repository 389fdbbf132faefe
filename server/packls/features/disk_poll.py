"""Polling pack folders for changes (mtime and size of pack files, existence of the rest), pure and shared.

The language server polls with it when the client does not watch files; `packls validate --watch`
polls with it too. A snapshot is one directory walk per pack (as `scan_pack` walks it) plus one
stat per pack file; `changes` compares two snapshots.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Iterable

from packls.pack_files import Stamp, relative_kind, stamp_of
from packls.workspace import PackRead, walk_pack_files

CONFIG_FILES = ("packls.toml", "pyproject.toml")
CREATED, CHANGED, DELETED = "created", "changed", "deleted"

Stat = Stamp


def snapshot(roots: Iterable[Path]) -> dict[str, Stat]:
    """Every file of the packs, with mtime and size for pack and config files.

    Other files (scripts, entry points) matter only by existing, so they are not stat'ed: a
    poll of 10,000 pack files costs one directory listing per folder plus one stat per pack file.
    """
    stats: dict[str, Stat] = {}
    for root in roots:
        found, _ = walk_pack_files(root)
        base = os.path.join(str(root), "")
        for relative, entry in found:
            stat: Stat = (0, 0)
            if _stamped(relative):
                try:
                    stat = stamp_of(entry.stat(follow_symlinks=False))
                except OSError:
                    continue
            stats[base + relative] = stat  # strings: only changed files become Paths
    return stats


def snapshot_of_reads(reads: Iterable[PackRead]) -> dict[str, Stat]:
    """What `snapshot` gives for these packs as they were read, without walking or stat'ing them again.

    Pack files carry the status they had when read (`FileRead.stamp`), so a change made after
    the read shows at the next poll; the other files are those of the read's own walk. Only a
    pack or config file that was not read (excluded, or not a file to read) is stat'ed here.
    """
    stats: dict[str, Stat] = {}
    for read in reads:
        if read.scan is None:  # the platform catalog: never polled
            continue
        base = os.path.join(str(read.root), "")
        stamps = {item.relative: item.stamp for item in read.files if item.stamp is not None}
        for relative in read.scan.files:
            stat: Stat | None = (0, 0)
            if _stamped(relative):
                stat = stamps.get(relative) or _stat_now(base + relative)
            if stat is not None:
                stats[base + relative] = stat
    return stats


def _stamped(relative: str) -> bool:
    """Whether a change to the file's content matters (pack and config files), not only its existence."""
    return relative_kind(relative) is not None or relative.rsplit("/", 1)[-1] in CONFIG_FILES


def _stat_now(path: str) -> Stat | None:
    try:
        return stamp_of(os.stat(path, follow_symlinks=False))
    except OSError:
        return None


def changes(previous: dict[str, Stat], current: dict[str, Stat]) -> list[tuple[Path, str]]:
    """Files created, changed or deleted between two snapshots."""
    found = [(Path(p), CHANGED if p in previous else CREATED) for p, stat in current.items() if previous.get(p) != stat]
    found += [(Path(p), DELETED) for p in previous if p not in current]
    return found
