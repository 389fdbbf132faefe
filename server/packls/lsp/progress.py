"""Indexing every pack of every workspace folder, with work-done progress when the client shows it."""

from __future__ import annotations

import asyncio
import gc
import logging
import time
import uuid
from typing import TYPE_CHECKING

from lsprotocol import types
from pygls.capabilities import get_capability

from packls.lsp.documents import uri_to_path
from packls.workspace import discover_pack_roots

if TYPE_CHECKING:
    from pathlib import Path

    from packls.lsp.server import PacklsServer

log = logging.getLogger(__name__)


class Progress:
    """One work-done progress bar, or nothing when the client cannot show one."""

    def __init__(self, ls: PacklsServer, title: str) -> None:
        self.ls = ls
        self.title = title
        self.token: str | None = None

    async def begin(self, total: int) -> None:
        if not get_capability(self.ls.client_capabilities, "window.work_done_progress", False):
            return
        token = str(uuid.uuid4())
        try:
            await self.ls.work_done_progress.create_async(token)
        except Exception:
            log.info("the client refused a progress token", exc_info=True)
            return
        self.token = token
        self.ls.work_done_progress.begin(
            token, types.WorkDoneProgressBegin(title=self.title, percentage=0, cancellable=True, message=f"0/{total} packs")
        )

    def cancelled(self) -> bool:
        future = self.ls.work_done_progress.tokens.get(self.token) if self.token else None
        return bool(future is not None and future.cancelled())

    def report(self, done: int, total: int) -> None:
        if self.token:
            self.ls.work_done_progress.report(
                self.token, types.WorkDoneProgressReport(message=f"{done}/{total} packs", percentage=100 * done // max(total, 1))
            )

    def end(self, message: str) -> None:
        if self.token:
            self.ls.work_done_progress.end(self.token, types.WorkDoneProgressEnd(message=message))


async def index_folders(ls: PacklsServer, folders: list[Path]) -> None:
    """Load every pack below the folders, then publish (or refresh) diagnostics of closed files."""
    started = time.perf_counter()
    try:
        roots = await asyncio.to_thread(discover_pack_roots, folders) if folders else []
        roots = [r for r in roots if r not in ls.session.workspace.packs]
        bar = Progress(ls, "packls: indexing packs")
        await bar.begin(len(roots))
        done = 0
        for root in roots:
            if bar.cancelled():
                break
            ls.diagnostics.after(await ls.ensure_pack(root))
            done += 1
            bar.report(done, len(roots))
        bar.end(f"{done} pack{'s' if done != 1 else ''} indexed")
        files = sum(1 for _ in ls.session.workspace.sources())
        log.info("indexed %d pack(s), %d file(s) in %.0f ms", done, files, (time.perf_counter() - started) * 1000)
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


async def folders_changed(ls: PacklsServer, event: types.WorkspaceFoldersChangeEvent) -> None:
    """Workspace folders added or removed (multi-root)."""
    for folder in event.removed:
        path = uri_to_path(folder.uri)
        if path is not None:
            ls.diagnostics.after(ls.session.remove_folder(path))
    added = [p for f in event.added if (p := uri_to_path(f.uri)) is not None]
    ls.session.folders.extend(p for p in added if p not in ls.session.folders)
    if added:
        from packls.lsp import configuration

        await configuration.refresh(ls)
        await index_folders(ls, added)
