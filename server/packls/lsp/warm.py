"""Warm starts for the language server: show the last run's findings before parsing anything.

At start, the packs are read (not parsed) and digested with everything else findings depend on
(`packls.features.snapshot`). When the stored snapshot has that key, its findings are published
at once; the packs are then parsed in the background as on a cold start, and once they are
loaded the key is computed again from the session: if nothing changed meanwhile the restored
findings become the session's (nothing is re-checked), otherwise the normal pass re-checks and
republishes what differs. A snapshot is written after each full pass, and at shutdown when the
findings moved on since. On a cold start of a large workspace the cold-start helper's findings
(`packls.lsp.cold_check`) take the stored snapshot's place, under the same key check.
"""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path
from typing import TYPE_CHECKING

from packls.features.snapshot import Snapshot, SnapshotStore, key_of_reads
from packls.lsp.diagnostics import file_uri
from packls.lsp.positions import Positions
from packls.workspace import PackRead

if TYPE_CHECKING:
    from packls.lsp.app import PacklsServer
    from packls.lsp.cold_check import ColdCheck

log = logging.getLogger(__name__)


class WarmStart:
    """The server's snapshot store and the key its findings were last shown or stored under."""

    def __init__(self, ls: PacklsServer) -> None:
        self.ls = ls
        self._store: SnapshotStore | None = None
        self._saved_key: str | None = None
        self._known: tuple[tuple[int, int, int], str] | None = None  # (session change mark, inputs key)
        self._saving: asyncio.Task[None] | None = None
        self.origin = ""  # how the last restored findings were had: "restored" (stored) or from the cold-start helper

    def _snapshots(self) -> SnapshotStore | None:
        """The store of the current set of folders (None when turned off or without folders)."""
        folders = self.ls.session.folders
        if not folders or not self.ls.settings.tuning.persistent_cache:
            return None
        if self._store is None or self._store.folders != tuple(sorted(folders)):
            self._store = SnapshotStore(folders)
        return self._store

    def _inputs_key(self) -> str:
        """The session's inputs key, digested again only when the session changed since the last time."""
        mark = self.ls.session.change_mark()
        if self._known is None or self._known[0] != mark:
            self._known = (mark, self.ls.session.inputs_key())
        return self._known[1]

    def may_restore(self) -> bool:
        """True when a snapshot is stored for these folders (a cheap test: its key is checked by `restore`)."""
        store = self._snapshots()
        return store is not None and store.path.exists()

    async def restore(self, reads: list[PackRead], cold: ColdCheck | None = None) -> Snapshot | None:
        """Publish findings computed from exactly these inputs: the stored snapshot's, else the cold-start helper's."""
        store = self._snapshots()
        if not reads or (store is None and cold is None):
            return None
        session = self.ls.session
        extras = list(session.workspace.extras.values())
        loaded = [pack for pack in session.workspace.packs.values() if not pack.is_catalog]  # an open file's, say
        try:
            key = await asyncio.to_thread(key_of_reads, reads, extras, session.config_for, session.facts, loaded)
            snapshot = await asyncio.to_thread(store.load, key) if store is not None else None
        except Exception:
            log.warning("reading the warm-start snapshot failed; starting cold", exc_info=True)
            return None
        if store is not None and snapshot is not None:
            self._saved_key = snapshot.key
            self.origin = "restored"
            log.info("warm start: findings of %d file(s) restored from %s", len(snapshot.findings), store.path)
        elif cold is not None:
            snapshot = await cold.snapshot(key, sum(len(read.files) for read in reads))  # asked now if not yet
            self.origin = "checked on the other cores"
        if snapshot is None:
            return None
        if not self.ls.pull_mode:
            self._publish(snapshot, {item.path: item.text for read in reads for item in read.files})
        return snapshot

    def _publish(self, snapshot: Snapshot, texts: dict[Path, str | None]) -> None:
        encoding = self.ls.encoding
        positions: dict[Path, Positions] = {}

        def positions_of(path: Path) -> Positions | None:
            if path not in positions:
                text = texts.get(path)
                if text is None:
                    return None
                positions[path] = Positions(text, encoding)
            return positions[path]

        for path, findings in snapshot.findings.items():
            if not findings or self.ls.documents.by_path(path) is not None:
                continue  # an open buffer gets its own, versioned, publication
            self.ls.session.mark_reported(path, findings)
            self.ls.diagnostics.publish(file_uri(path), None, findings, positions_of(path) or Positions("", encoding), positions_of)

    def confirm(self, snapshot: Snapshot | None) -> bool:
        """After loading: adopt the restored findings when the loaded inputs still have the snapshot's key."""
        if snapshot is None:
            return False
        session = self.ls.session
        if self._inputs_key() != snapshot.key:
            log.info("warm start: files changed while loading; re-checking")
            return False
        session.seed(snapshot.findings)
        return True

    def _due(self) -> tuple[SnapshotStore, Snapshot] | None:
        """The snapshot to store now: all findings computed, under a key not stored yet."""
        store = self._snapshots()
        findings = self.ls.session.all_findings() if store is not None else None
        if store is None or findings is None:
            return None
        key = self._inputs_key()
        return None if key == self._saved_key else (store, Snapshot(key, findings))

    async def save(self) -> None:
        """Store the current findings (written off the event loop)."""
        due = self._due()
        if due is None:
            return
        if await asyncio.to_thread(due[0].save, due[1]):
            self._saved_key = due[1].key
        else:
            log.info("could not write the warm-start snapshot to %s", due[0].path)

    def save_soon(self) -> None:
        """`save` in the background, once at a time (after a workspace pull answered)."""
        if self._saving is None or self._saving.done():
            self._saving = asyncio.create_task(self.save(), name="packls-save-snapshot")

    def save_now(self) -> None:
        """At shutdown: the same as `save`, synchronously (the process is about to end); never raises."""
        try:
            due = self._due()  # (a save still being written off the loop is simply written again)
            if due is not None and due[0].save(due[1]):
                self._saved_key = due[1].key
        except Exception:
            log.warning("could not store the warm-start snapshot at shutdown", exc_info=True)
