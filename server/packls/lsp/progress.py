"""Indexing every pack of every workspace folder, with work-done progress when the client shows it."""

from __future__ import annotations

import asyncio
import gc
import itertools
import logging
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from packls.features.fresh_snapshot import read_packs
from packls.lsp.uris import uri_to_path
from packls.workspace import discover_pack_roots

if TYPE_CHECKING:
    from packls.lsp.app import PacklsServer

log = logging.getLogger(__name__)
REPORT_INTERVAL = 0.1  # seconds between progress reports
_TOKENS = itertools.count(1)


class Progress:
    """One work-done progress bar, or nothing when the client cannot show one."""

    def __init__(self, ls: PacklsServer, title: str) -> None:
        self.ls = ls
        self.title = title
        self.token: str | None = None
        self._reported = 0.0

    async def begin(self, total: int) -> None:
        if not self.ls.capabilities.supports("window.workDoneProgress"):
            return
        token = f"packls-progress-{next(_TOKENS)}"
        try:
            await self.ls.request("window/workDoneProgress/create", {"token": token})
        except Exception:
            log.info("the client refused a progress token", exc_info=True)
            return
        self.token = token
        self._send({"kind": "begin", "title": self.title, "cancellable": True, "message": f"0/{total} packs", "percentage": 0})

    def cancelled(self) -> bool:
        """True once the user cancelled the bar (window/workDoneProgress/cancel)."""
        return self.token is not None and self.token in self.ls.cancelled_progress

    def report(self, done: int, total: int) -> None:
        """Tell how far the work is, at most every REPORT_INTERVAL seconds (a notification per pack floods)."""
        now = time.monotonic()
        if self.token and (now - self._reported >= REPORT_INTERVAL or done == total):
            self._reported = now
            self._send({"kind": "report", "message": f"{done}/{total} packs", "percentage": 100 * done // max(total, 1)})

    def message(self, text: str) -> None:
        """Show a message on the bar without moving it."""
        if self.token:
            self._send({"kind": "report", "message": text})

    def end(self, message: str) -> None:
        if self.token:
            self._send({"kind": "end", "message": message})
            self.ls.cancelled_progress.discard(self.token)

    def _send(self, value: dict[str, Any]) -> None:
        self.ls.notify("$/progress", {"token": self.token, "value": value})


async def index_folders(ls: PacklsServer, folders: list[Path]) -> None:
    """Load every pack below the folders, then publish (or refresh) diagnostics of closed files.

    Every pack is read first (no parsing), so a warm start can show the last run's findings
    before the first parse (`packls.lsp.warm`).
    """
    started = time.perf_counter()
    try:
        cold = ls.cold_check  # the first indexing's helper (`initialized` started it): it checks every pack found
        found = await cold.pack_roots(folders) if cold is not None else None
        if found is None:
            found = await asyncio.to_thread(discover_pack_roots, folders) if folders else []
        roots = [r for r in found if r not in ls.session.workspace.packs]
        bar = Progress(ls, "packls: indexing packs")
        await bar.begin(len(roots))
        if cold is not None:
            await cold.request(ls, found)  # surely cold: the helper reads and checks while this process reads
        try:
            reads = await asyncio.to_thread(read_packs, roots, ls.session.config_for)
            await ls.watcher.baseline(reads)  # polling, if any, starts from what was read
            restored = await ls.warm_start.restore(reads, cold)
        finally:
            ls.stop_cold_check()
        if restored is not None:
            with_findings = sum(1 for findings in restored.findings.values() if findings)
            bar.message(f"findings of {with_findings} files {ls.warm_start.origin}; loading packs")
        done = 0
        for read in reads:
            if bar.cancelled():
                break
            ls.diagnostics.after(await ls.ensure_pack(read.root, read))
            done += 1
            bar.report(done, len(reads))
        warm = ls.warm_start.confirm(restored) if done == len(reads) else False
        bar.end(f"{done} pack{'s' if done != 1 else ''} indexed")
        files = sum(1 for _ in ls.session.workspace.sources())
        log.info("indexed %d pack(s), %d file(s) in %.0f ms%s", done, files, (time.perf_counter() - started) * 1000,
                 " (findings restored)" if warm else "")
    finally:
        ls.indexed.set()
        ls.watcher.start()
        ls.diagnostics.request_pass()
        settle_memory()


def settle_memory() -> None:
    """Move what indexing built out of the collector's way, so later collections stay short.

    The trees of every pack file live long; without this, each full collection walks all of
    them and adds hundreds of milliseconds to a random keystroke on a large workspace. No full
    collection first: on a large workspace that alone would block the loop for ~0.2 s.
    """
    gc.freeze()


async def folders_changed(ls: PacklsServer, event: tuple[list[str], list[str]]) -> None:
    """Workspace folders added or removed (multi-root): (added, removed) folder URIs."""
    added_uris, removed_uris = event
    for uri in removed_uris:
        path = uri_to_path(uri)
        if path is not None:
            ls.diagnostics.after(ls.session.remove_folder(path))
    added = [p for uri in added_uris if (p := uri_to_path(uri)) is not None]
    ls.session.folders.extend(p for p in added if p not in ls.session.folders)
    if added:
        from packls.lsp import configuration

        await configuration.refresh(ls)
        await index_folders(ls, added)
