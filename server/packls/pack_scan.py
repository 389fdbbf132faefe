"""Finding packs and walking their folders as Attune's pack check walks them (no links followed, limited)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator

from packls.model import FileKind, classify
from packls.model.kinds import is_yaml_name

MAX_METADATA_FILES = 2000  # pack_check limits
MAX_TRAVERSED_ENTRIES = 10_000
# Registration order (loader.rs load_all and pack_check's COMPONENT_DIRS), then workflows.
LOAD_ORDER = (
    "permission_sets", "runtimes", "triggers", "actions", "dashboards", "queues", "policies", "rules",
    "sensors", "caches", "workflows",
)
SKIPPED_DIRS = frozenset({".git", ".hg", ".svn", "node_modules", ".venv", "venv", "__pycache__", ".tox"})


def pack_file_paths(root: Path) -> list[Path]:
    """The YAML files registration reads from a pack, in Attune's order (sorted, one level deep)."""
    paths = []
    manifest = root / "pack.yaml"
    if manifest.exists() or manifest.is_symlink():
        paths.append(manifest)
    for folder in LOAD_ORDER:
        paths.extend(_yaml_children(root / folder))
    if not (root / "actions").is_symlink():  # never list a folder through a link
        paths.extend(_yaml_children(root / "actions" / "workflows"))
    return paths


def count_pack_files(roots: Iterable[Path], enough: int) -> int:
    """How many files registration reads from these packs (`pack_file_paths`), counting up to `enough` (a size test)."""
    count = 0
    for root in roots:
        count += len(pack_file_paths(root))
        if count >= enough:
            break
    return count


@dataclass(frozen=True)
class PackScan:
    """One walk of a pack folder, as pack check walks it (no symlinks followed, limited)."""

    files: frozenset[str]  # every regular file, pack-relative POSIX paths
    ignored_yaml: tuple[str, ...]  # YAML files registration never reads, sorted
    not_directories: tuple[str, ...]  # component folder names that are files
    entries_exceeded: bool  # the walk stopped at MAX_TRAVERSED_ENTRIES
    unreadable_dirs: tuple[tuple[str, str], ...] = ()  # (metadata folder, why it cannot be listed)


def scan_pack(root: Path) -> PackScan:
    """Walk a pack folder once: its files, its unread YAML, and whether pack check's limits are hit."""
    found, exceeded = walk_pack_files(root)
    files = {relative for relative, _ in found}
    read = {"pack.yaml"}
    read.update(f for f in files if classify(f) not in (None, FileKind.IGNORED))
    ignored = tuple(sorted(f for f in files if is_yaml_name(f.rsplit("/", 1)[-1]) and f not in read))
    not_dirs = tuple(folder for folder in LOAD_ORDER if folder in files)
    unreadable = tuple((folder, why) for folder in (*LOAD_ORDER, "actions/workflows") if (why := _unlistable(root / folder)))
    return PackScan(frozenset(files), ignored, not_dirs, exceeded, unreadable)


def _unlistable(folder: Path) -> str | None:
    """Why a metadata folder that exists cannot be listed (pack check's metadata.directory_unreadable)."""
    if folder.is_symlink() or folder.parent.is_symlink() or not folder.is_dir():
        return None  # never list a folder through a link (it gets its own finding)
    try:
        with os.scandir(folder):
            return None
    except OSError as error:
        return error.strerror or str(error)


def walk_pack_files(root: Path) -> tuple[list[tuple[str, os.DirEntry[str]]], bool]:
    """Every file below a pack root (pack-relative POSIX name, directory entry), as pack check walks it.

    The order and limits of `os.walk(root)` top-down with sorted folders: links are never
    followed (a link to a folder counts as an entry, a link to a file is not a file), unreadable
    folders are skipped, and the walk stops (True) once MAX_TRAVERSED_ENTRIES entries were
    seen. `os.scandir` entries carry their type, so nothing is stat'ed twice.
    """
    files: list[tuple[str, os.DirEntry[str]]] = []
    entries = 0
    pending: list[tuple[str, str]] = [(str(root), "")]
    while pending:
        folder, prefix = pending.pop()
        try:
            with os.scandir(folder) as listing:
                children = list(listing)
        except OSError:
            continue
        folders: list[os.DirEntry[str]] = []
        names: list[os.DirEntry[str]] = []
        for entry in children:
            try:
                is_folder = entry.is_dir()
            except OSError:
                is_folder = False
            (folders if is_folder else names).append(entry)
        entries += len(folders) + len(names) + (0 if prefix else 1)
        if entries > MAX_TRAVERSED_ENTRIES:
            return files, True
        files.extend((prefix + entry.name, entry) for entry in names if not entry.is_symlink())
        folders.sort(key=lambda e: e.name)
        for entry in reversed(folders):  # depth first, in name order
            if not entry.is_symlink():
                pending.append((entry.path, prefix + entry.name + "/"))
    return files, False


def _yaml_children(folder: Path) -> list[Path]:
    if folder.is_symlink():  # listed as itself: one finding, and nothing behind the link is read or named
        return [folder]
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError:
        return []
    # Links and non-regular files (pipes, sockets, devices) are listed too, so they get a finding, not silence.
    return [Path(e.path) for e in entries if is_yaml_name(e.name) and (e.is_symlink() or not e.is_dir(follow_symlinks=False))]


def find_pack_root(path: Path) -> Path | None:
    """The nearest folder at or above path that holds `pack.yaml`."""
    current = path if path.is_dir() else path.parent
    for candidate in (current, *current.parents):
        if (candidate / "pack.yaml").is_file():
            return candidate
    return None


@dataclass(frozen=True)
class PackSearch:
    """What one walk of the given paths found: pack roots, and manifests Attune would never read."""

    roots: list[Path]
    misnamed: list[Path]  # `pack.yml`, `Pack.yaml`, … in a folder without `pack.yaml`: Attune reads only that exact name


def search_packs(paths: Iterable[Path]) -> PackSearch:
    """Pack roots for the given paths (enclosing packs, and every pack below a folder), in one walk."""
    roots: dict[Path, None] = {}
    misnamed: list[Path] = []
    for given in paths:
        path = Path(os.path.abspath(given))
        enclosing = find_pack_root(path)
        if enclosing is not None:
            roots[enclosing] = None
            continue
        if path.is_dir():
            for root in _walk_for_packs(path, misnamed):
                roots[root] = None
    return PackSearch(sorted(roots), misnamed)


def discover_pack_roots(paths: Iterable[Path]) -> list[Path]:
    """Pack roots for the given paths: enclosing packs, and every pack below a folder."""
    return search_packs(paths).roots


def _walk_for_packs(top: Path, misnamed: list[Path]) -> Iterator[Path]:
    for dirpath, dirnames, filenames in os.walk(top, followlinks=False):
        if "pack.yaml" in filenames:
            dirnames[:] = []
            yield Path(dirpath)
            continue
        misnamed.extend(Path(dirpath) / name for name in sorted(filenames) if name.lower() in ("pack.yaml", "pack.yml"))
        dirnames[:] = sorted(d for d in dirnames if d not in SKIPPED_DIRS and not d.startswith("."))
