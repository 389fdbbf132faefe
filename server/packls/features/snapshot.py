"""Warm starts: a workspace's findings, stored under one digest of everything they were computed from.

Every check is a pure function of the pack files' texts, the pack folders' walks, the
configuration, the registry facts and packls itself (no clock, no environment, no other disk
reads). So when all of those digest to the same key as at the last run, the last run's findings
are this run's findings, and the editor can show them before a single file is parsed. One
changed byte anywhere gives another key: nothing stale is ever served, the start is cold.

The key is computed from files read but not parsed (`PackRead`, at start) and from the loaded
session (to confirm, after the background load, that nothing changed in between) in the same
canonical order, so the two agree exactly. Storage is `packls.cache.ContentCache`: one marshal
file per set of workspace folders, versioned by a fingerprint of packls' own files.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Mapping

from packls.cache import ContentCache, digest
from packls.config import Config
from packls.facts import RegistryFacts
from packls.findings import Finding, Related, Severity
from packls.syntax.nodes import Span
from packls.workspace import Pack, PackRead, PackScan

ConfigFor = Callable[[Path], Config]
# (path, kind value, size, read error, text): one file as the key sees it
FileEntry = tuple[str, str, int, "str | None", "str | None"]
_ENTRY = "snapshot"


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """packls' own files (name, size, mtime): a changed check or catalog never reuses old findings."""
    package = Path(__file__).resolve().parent.parent
    items = []
    for folder, dirnames, filenames in os.walk(package):
        dirnames[:] = sorted(d for d in dirnames if d != "__pycache__")
        for name in sorted(filenames):
            if name.endswith((".py", ".yaml", ".yml", ".json", ".toml", ".c", ".so")):
                info = os.stat(os.path.join(folder, name))
                items.append(f"{os.path.relpath(os.path.join(folder, name), package)}:{info.st_size}:{info.st_mtime_ns}")
    return digest("\n".join(items))


# -- the key -------------------------------------------------------------------------------------


def _read_entries(read: PackRead) -> Iterator[FileEntry]:
    for item in read.files:
        yield (str(item.path), item.kind.value, item.size, item.error, item.text)


def _pack_entries(pack: Pack) -> Iterator[FileEntry]:
    for source in pack.files.values():
        text = None if source.read_error is not None else source.text
        yield (str(source.path), source.kind.value, source.size, source.read_error, text)


def _scan_text(scan: PackScan | None) -> str:
    if scan is None:
        return "-"
    return repr((sorted(scan.files), scan.ignored_yaml, scan.not_directories, scan.entries_exceeded, scan.unreadable_dirs))


class _KeyBuilder:
    """Feeds every input into one hash in a fixed order (packs by root, files by path)."""

    def __init__(self) -> None:
        self._hash = hashlib.blake2b(digest_size=16)

    def add(self, label: str, text: str) -> None:
        data = text.encode("utf-8", "surrogatepass")
        self._hash.update(f"\0{label}:{len(data)}\0".encode())
        self._hash.update(data)

    def add_pack(self, role: str, root: Path, scan: PackScan | None, entries: Iterable[FileEntry]) -> None:
        self.add(role, str(root))
        self.add("scan", _scan_text(scan))
        for path, kind, size, error, text in sorted(entries, key=lambda entry: entry[0]):
            self.add("file", f"{path}\0{kind}\0{size}\0{error}")
            if text is not None:
                self.add("text", text)

    def hexdigest(self) -> str:
        return self._hash.hexdigest()


def _facts_text(facts: RegistryFacts) -> str:
    return repr((
        sorted(facts.availability.items()), sorted(facts.packs.items()), facts.indexes_synced, facts.unusable_indexes,
    ))


_FACTS_MEMO: dict[int, tuple[RegistryFacts, str]] = {}


def _facts_digest(facts: RegistryFacts) -> str:
    """Facts are immutable and replaced whole, so one digest per facts object is enough."""
    known = _FACTS_MEMO.get(id(facts))
    if known is None or known[0] is not facts:
        _FACTS_MEMO.clear()
        known = _FACTS_MEMO[id(facts)] = (facts, digest(_facts_text(facts)))
    return known[1]


def _configs_text(config_for: ConfigFor, paths: Iterable[str]) -> str:
    """The configuration of every folder holding a file (configs are per folder, never per file)."""
    folders: dict[str, str] = {}
    for path in paths:
        folder, _, _ = path.rpartition(os.sep)
        if folder not in folders:
            folders[folder] = repr(config_for(Path(path)))
    return repr(sorted(folders.items()))


def key_of_reads(reads: Iterable[PackRead], extras: Iterable[Pack], config_for: ConfigFor, facts: RegistryFacts,
                 loaded: Iterable[Pack] = ()) -> str:
    """The inputs' key from packs read but not parsed (a start, before any parsing), and any packs loaded already."""
    packs = [(read.root, read.scan, list(_read_entries(read))) for read in reads]
    packs += [(pack.root, pack.scan, list(_pack_entries(pack))) for pack in loaded]
    return _key(packs, extras, config_for, facts)


def key_of_packs(packs: Iterable[Pack], extras: Iterable[Pack], config_for: ConfigFor, facts: RegistryFacts) -> str:
    """The same key from loaded packs (to confirm a restore, or to store a new snapshot)."""
    return _key([(pack.root, pack.scan, list(_pack_entries(pack))) for pack in packs], extras, config_for, facts)


def _key(packs: list[tuple[Path, PackScan | None, list[FileEntry]]], extras: Iterable[Pack], config_for: ConfigFor,
         facts: RegistryFacts) -> str:
    builder = _KeyBuilder()
    paths: list[str] = []
    for root, scan, entries in sorted(packs, key=lambda item: str(item[0])):
        paths += [entry[0] for entry in entries]
        builder.add_pack("pack", root, scan, entries)
    for pack in sorted(extras, key=lambda p: str(p.root)):
        builder.add_pack("extra", pack.root, pack.scan, _pack_entries(pack))
    builder.add("config", _configs_text(config_for, paths))
    builder.add("facts", _facts_digest(facts))
    return builder.hexdigest()


# -- findings as plain data ------------------------------------------------------------------------


def _encode(finding: Finding) -> tuple[Any, ...]:
    related = tuple((str(r.path), r.span.start, r.span.end, r.message) for r in finding.related)
    return (finding.span.start, finding.span.end, int(finding.severity), finding.code, finding.message, related, finding.data)


def _decode(path: Path, item: tuple[Any, ...]) -> Finding:
    start, end, severity, code, message, related, data = item
    return Finding(
        path, Span(int(start), int(end)), Severity(severity), str(code), str(message),
        tuple(Related(Path(p), Span(int(s), int(e)), str(m)) for p, s, e, m in related),
        dict(data) if data is not None else None,
    )


@dataclass(frozen=True)
class Snapshot:
    """The findings of every file, valid for exactly one inputs key (files absent have none)."""

    key: str
    findings: Mapping[Path, list[Finding]]


def encode_snapshot(snapshot: Snapshot) -> tuple[str, dict[str, tuple[tuple[Any, ...], ...]]]:
    """The snapshot as plain data marshal can store or send (files without findings left out)."""
    return snapshot.key, {str(path): tuple(_encode(f) for f in items) for path, items in snapshot.findings.items() if items}


def decode_snapshot(data: object) -> Snapshot | None:
    """The snapshot `encode_snapshot` gave; None for anything else (a damaged file, a garbled answer)."""
    try:
        key, encoded = data  # type: ignore[misc]
        findings = {Path(path): [_decode(Path(path), item) for item in items] for path, items in encoded.items()}
    except (TypeError, ValueError, KeyError, AttributeError):
        return None
    return Snapshot(key, findings) if isinstance(key, str) else None


class SnapshotStore:
    """The last snapshot of one set of workspace folders, on disk (corrupt or foreign files read as empty)."""

    def __init__(self, folders: Iterable[Path], directory: Path | None = None) -> None:
        self.folders = tuple(sorted(folders))
        name = digest("\n".join(str(folder) for folder in self.folders))
        self._cache = ContentCache(f"workspace-{name}", code_fingerprint(), directory, max_entries=1)

    @property
    def path(self) -> Path:
        """The file the snapshot lives in."""
        return self._cache.path

    def load(self, key: str) -> Snapshot | None:
        """The stored snapshot when it was taken from exactly these inputs, else None."""
        stored = self._cache.get(_ENTRY)
        if not isinstance(stored, tuple) or len(stored) != 2 or stored[0] != key:
            return None
        return decode_snapshot(stored)  # a damaged file is a cold start, never an error

    def save(self, snapshot: Snapshot) -> bool:
        """Store a snapshot (replacing the last); False when it cannot be stored or written."""
        try:
            self._cache.put(_ENTRY, encode_snapshot(snapshot))
        except ValueError:
            return False  # a finding carries data marshal cannot store: no warm start, no harm
        return self._cache.save()
