"""Files changed on disk: watched by the client when it can, polled by the server when it cannot."""

from __future__ import annotations

import asyncio
import logging
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Iterable

from packls.features.buffers import NOTHING, Impact, is_manifest
from packls.features.configuration import clear_config_root_cache
from packls.features.disk_poll import CHANGED, CONFIG_FILES, CREATED, DELETED, Stat, changes, snapshot, snapshot_of_reads
from packls.model.kinds import YAML_SUFFIXES
from packls.pack_files import REQUIREMENTS_FILE, is_pack_file_name
from packls.workspace import PackRead, read_source, scan_pack

if TYPE_CHECKING:
    from packls.lsp.app import PacklsServer

log = logging.getLogger(__name__)

WATCH_GLOBS = (*(f"**/*{suffix}" for suffix in YAML_SUFFIXES), *(f"**/{name}" for name in (*CONFIG_FILES, REQUIREMENTS_FILE)))
CREATE_DELETE = 1 | 4  # WatchKind Create | Delete: any file (entry points, scripts, folders)


async def register(ls: PacklsServer) -> None:
    """Ask the client to watch pack YAML for us (server-side registration, every client)."""
    from packls.lsp import configuration

    await configuration.register(ls)
    if not ls.capabilities.supports("workspace.didChangeWatchedFiles.dynamicRegistration"):
        return
    watchers = [{"globPattern": glob} for glob in WATCH_GLOBS] + [{"globPattern": "**/*", "kind": CREATE_DELETE}]
    registration = {"id": str(uuid.uuid4()), "method": "workspace/didChangeWatchedFiles", "registerOptions": {"watchers": watchers}}
    try:
        await ls.request("client/registerCapability", {"registrations": [registration]})
        ls.watcher.client_watches = True
    except Exception:
        log.warning("the client refused file watching; polling instead", exc_info=True)


async def on_changes(ls: PacklsServer, changes: Iterable[tuple[Path | None, str]]) -> None:
    """Apply created, changed and deleted files to the session and re-check what they affect.

    Packs where files appeared or disappeared are walked again: entry points and workflow
    files that come and go change findings too. One batch at a time, in the order they came:
    a file created then deleted at once must not be re-added by the creation's read finishing last.
    """
    async with ls.watcher.applying:
        await _apply_changes(ls, changes)


async def _apply_changes(ls: PacklsServer, changes: Iterable[tuple[Path | None, str]]) -> None:
    session = ls.session
    impact: Impact = NOTHING
    config_changed = False
    rescan: set[Path] = set()
    for path, event in changes:
        if path is None:
            continue
        deleted = event == DELETED
        if path.name in CONFIG_FILES:
            config_changed = True
            continue
        if is_manifest(path) and not deleted and session.known_root(path) != path.parent:
            impact = impact | await ls.ensure_pack(path)
            continue
        root = session.known_root(path)
        if root is None and not deleted and is_pack_file_name(path.name):
            await ls.ensure_pack(path)  # a pack being loaded (or not yet seen): load it, then apply
            root = session.known_root(path)
        if root is not None and event != CHANGED:
            rescan.add(root)
        if not is_pack_file_name(path.name) and not deleted:
            continue
        fresh = None
        if root is not None and not deleted and path not in session.documents:
            fresh = await asyncio.to_thread(_read, path, root)
        impact = impact | session.disk_changed(path, deleted, fresh)
    for root in sorted(rescan):
        if root in session.workspace.packs:
            impact = impact | session.set_scan(root, await asyncio.to_thread(scan_pack, root))
    if config_changed:
        from packls.lsp import configuration

        clear_config_root_cache()
        ls.settings.invalidate()
        await configuration.refresh(ls)
        ls.diagnostics.request_pass()
    ls.diagnostics.after(impact)


def _read(path: Path, root: Path):  # type: ignore[no-untyped-def]
    try:
        return read_source(path, root) if path.is_file() or path.is_symlink() else None
    except ValueError:
        return None


@dataclass
class PollPacing:
    """Whether a poll round walks the disk: not while checks run (the walk would take their CPU),
    but never more than `most_skipped` rounds in a row, so constant edits cannot starve polling."""

    most_skipped: int = 5
    skipped: int = 0

    def walk_now(self, busy: bool) -> bool:
        """True when this round should walk; a skipped round loses nothing (the next walk sees the same changes)."""
        if busy and self.skipped < self.most_skipped:
            self.skipped += 1
            return False
        self.skipped = 0
        return True


class FileWatcher:
    """Polls the known packs' files (mtime and size) when the client does not watch files."""

    def __init__(self, ls: PacklsServer) -> None:
        self.ls = ls
        self.client_watches = False
        self.applying = asyncio.Lock()  # held while a batch of disk changes is applied (`on_changes`)
        self._task: asyncio.Task[None] | None = None
        self._stats: dict[str, Stat] | None = None

    def start(self) -> None:
        """Start polling unless the client watches, polling is off, or it already runs."""
        if not self.will_poll() or (self._task is not None and not self._task.done()):
            return
        self._task = asyncio.create_task(self._poll(), name="packls-poll")

    def stop(self) -> None:
        """Stop polling (shutdown)."""
        if self._task is not None:
            self._task.cancel()

    def forget_stats(self) -> None:
        """Take a fresh baseline at the next poll (after changes were applied another way)."""
        self._stats = None

    def _roots(self) -> list[Path]:
        packs = self.ls.session.workspace.packs
        return [root for root, pack in list(packs.items()) if not pack.is_catalog]

    def will_poll(self) -> bool:
        """True when this watcher polls (the client does not watch files, and polling is on)."""
        return not self.client_watches and self.ls.settings.tuning.poll_interval_ms > 0

    async def baseline(self, reads: list[PackRead]) -> None:
        """Take the packs as indexing read them as the state the next poll compares with (no second walk)."""
        if not self.will_poll():
            return
        stats = await asyncio.to_thread(snapshot_of_reads, reads)
        if self._stats is None:
            self._stats = stats
        else:
            self._stats.update(stats)

    async def _poll(self) -> None:
        if self._stats is None:
            self._stats = await asyncio.to_thread(snapshot, self._roots())
        pacing = PollPacing()
        while True:
            await asyncio.sleep(self.ls.settings.tuning.poll_interval_ms / 1000)
            if not pacing.walk_now(self.ls.diagnostics.busy):
                continue
            try:
                current = await asyncio.to_thread(snapshot, self._roots())
                previous, self._stats = self._stats, current
                if previous is None:
                    continue
                found = changes(previous, current)
                if found:
                    await on_changes(self.ls, found)
                    self._stats = current
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("polling for file changes failed")
