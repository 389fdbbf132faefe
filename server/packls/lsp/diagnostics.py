"""Diagnostics: pushed (with the document version) or pulled, debounced, stale work dropped.

The findings are the session's, which are `packls validate`'s (same checks, same config);
this module only schedules the work and converts spans at the edge. Files the last edit may
have affected (`Impact.affected`) are re-checked in a background pass that yields to the event
loop; very large files are checked in a worker thread and their result kept only if no input
changed meanwhile.
"""

from __future__ import annotations

import asyncio
import gc
import hashlib
import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable

from packls.features.buffers import Impact
from packls.findings import Finding
from packls.lsp.changes import ChangeSignal
from packls.lsp.positions import Positions
from packls.lsp.uris import file_uri

if TYPE_CHECKING:
    from packls.lsp.app import PacklsServer

log = logging.getLogger(__name__)

SOURCE = "packls"
BIG_TEXT = 50_000  # characters; larger files are parsed and checked in a worker thread
SLICE_SECONDS = 0.005  # yield to the event loop at least this often during passes
PositionsFor = Callable[[Path], "Positions | None"]
Json = dict[str, Any]

__all__ = ["DiagnosticsService", "file_uri", "result_id", "to_diagnostic"]


def to_diagnostic(finding: Finding, positions: Positions, other: PositionsFor) -> Json:
    """A finding as an LSP Diagnostic (JSON); related places in other files use those files' texts."""
    related = []
    for item in finding.related:
        where = positions if item.path == finding.path else other(item.path)
        if where is not None:
            related.append({"location": {"uri": file_uri(item.path), "range": where.range(item.span)}, "message": item.message})
    diagnostic: Json = {
        "range": positions.range(finding.span), "severity": int(finding.severity), "code": finding.code, "source": SOURCE,
        "message": finding.message, "data": {"code": finding.code, **(finding.data or {})},
    }
    if related:
        diagnostic["relatedInformation"] = related
    return diagnostic


def result_id(text: str, findings: Iterable[Finding]) -> str:
    """Identifies one answer: the same findings on the same text give the same id."""
    digest = hashlib.blake2b(digest_size=12)
    digest.update(text.encode("utf-8", "surrogatepass"))
    for item in findings:
        digest.update(repr((item.code, item.severity, item.span, item.message, item.related)).encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


class DiagnosticsService:
    """Schedules checks for open buffers and cross-file passes, and answers pulls."""

    def __init__(self, server: PacklsServer) -> None:
        self.server = server
        self._tasks: dict[str, asyncio.Task[None]] = {}
        self._last_change: dict[str, float] = {}
        self._pass: asyncio.Task[None] | None = None
        self._pending: set[Path] | None = set()  # files the next pass re-checks (None: all)
        self._refresh: asyncio.TimerHandle | None = None
        self.removed: set[Path] = set()  # pull mode: files to report once as empty
        self._selections: int | None = None  # the session's selections mark when inlay hints were last current
        self._stopped = False
        self._preloaded = False  # feature adapters imported after the first full pass
        self.changes = ChangeSignal()  # pull mode: wakes the held workspace/diagnostic request

    @property
    def stopped(self) -> bool:
        """True after shutdown."""
        return self._stopped

    @property
    def busy(self) -> bool:
        """True while a workspace pass or a buffer's check runs (the disk poller waits for it)."""
        return (self._pass is not None and not self._pass.done()) or any(not t.done() for t in self._tasks.values())

    def stop(self) -> None:
        """Shutdown: no more checks, passes or refreshes; a held workspace pull answers now."""
        self._stopped = True
        self.changes.notify()
        for uri in list(self._tasks):
            self._cancel(uri)
        for pending in (self._pass, self._refresh):
            if pending is not None:
                pending.cancel()

    # -- scheduling --------------------------------------------------------------------------------

    def opened(self, uri: str) -> None:
        """Check a newly opened buffer at once."""
        self._schedule(uri, 0.0)

    def changed(self, uri: str) -> None:
        """Check after a quiet period; an isolated edit is checked at once."""
        now = asyncio.get_running_loop().time()
        delay = self.server.settings.tuning.debounce_ms / 1000
        last = self._last_change.get(uri)
        self._last_change[uri] = now
        self._schedule(uri, delay if last is not None and now - last < delay else 0.0)

    def closed(self, uri: str, path: Path | None, impact: Impact) -> None:
        """A buffer closed: clear it, or show its on-disk findings when closed files are diagnosed."""
        self._cancel(uri)
        self._last_change.pop(uri, None)
        if path is None:
            return
        session = self.server.session
        if not self.server.pull_mode:
            keep = session.source(path) is not None and self.server.config_for(path).diagnose_closed_files
            if not keep or uri != file_uri(path):
                session.forget_reported(path)
                self.publish(uri, None, [], None)
        self.after(impact | Impact(changed=frozenset({path}), affected=frozenset({path})))

    def _schedule(self, uri: str, delay: float) -> None:
        self._cancel(uri)
        if self._stopped:
            return
        task = asyncio.create_task(self._validate(uri, delay), name=f"packls-check {uri}")
        self._tasks[uri] = task
        task.add_done_callback(lambda t, uri=uri: self._finished(uri, t))

    def _cancel(self, uri: str) -> None:
        task = self._tasks.pop(uri, None)
        if task is not None:
            task.cancel()

    def _finished(self, uri: str, task: asyncio.Task[None]) -> None:
        if self._tasks.get(uri) is task:
            del self._tasks[uri]
        if not task.cancelled() and task.exception() is not None:
            log.error("checking %s failed", uri, exc_info=task.exception())

    async def _validate(self, uri: str, delay: float) -> None:
        if delay:
            await asyncio.sleep(delay)
        impact = await self.server.sync_document(uri)
        if not self.server.pull_mode:
            await self.publish_open(uri)
        self.after(impact)

    def after(self, impact: Impact) -> None:
        """React to any mutation: clear removed files, re-check the files it may have affected."""
        session = self.server.session
        for path in impact.removed:
            if self.server.pull_mode:
                self.removed.add(path)
                self.changes.notify()
            else:
                session.forget_reported(path)
                document = self.server.documents.by_path(path)
                self.publish(document.uri if document else file_uri(path), None, [], None)
        opened = {d.path for d in self.server.documents}
        if impact.affected is None:
            self._pending = None
        elif self._pending is not None:
            self._pending |= impact.affected - (impact.changed & opened)
        if impact.others_affected or impact.removed or (impact.changed - opened):
            self.request_pass()

    def request_pass(self, everything: bool = False) -> None:
        """Re-check pending files (restarting a pass in progress) and publish what changed."""
        if everything:
            self._pending = None
        if self._pass is not None and not self._pass.done():
            self._pass.cancel()
        if self._stopped:
            return
        if not self.server.indexed.is_set():
            return  # every pack added while indexing invalidates every result: one pass when indexing ends
        self._pass = asyncio.create_task(self._workspace_pass(), name="packls-workspace-pass")
        self._pass.add_done_callback(self._pass_finished)

    def _pass_finished(self, task: asyncio.Task[None]) -> None:
        if not task.cancelled() and task.exception() is not None:
            log.error("workspace re-check failed", exc_info=task.exception())

    async def _workspace_pass(self) -> None:
        await asyncio.sleep(0)
        session = self.server.session
        pending, self._pending = self._pending, set()
        # Only the files the changes may have affected (the whole workspace after indexing or settings).
        paths = session.tracked_paths() if pending is None else session.tracked(pending)
        if self.server.pull_mode:
            if paths or pending is None:
                self.changes.notify()
                self._schedule_refresh()
            if pending is None:
                await self._warm()
                await self._preload_features()
            self._refresh_inlay_hints()
            return
        loop = asyncio.get_running_loop()
        started = loop.time()
        index = 0
        try:
            for index, path in enumerate(paths):
                document = self.server.documents.by_path(path)
                if document is not None:
                    await self.publish_open(document.uri, only_if_changed=True)
                elif self.server.config_for(path).diagnose_closed_files:
                    if not await self.publish_closed(path):
                        self._requeue([path])
                elif session.retract(path):
                    self.publish(file_uri(path), None, [], None)
                if loop.time() - started > SLICE_SECONDS:
                    await asyncio.sleep(0)
                    started = loop.time()
        except asyncio.CancelledError:
            self._requeue(paths[index:])
            raise
        if pending is None:
            await self._warm()
        self._refresh_inlay_hints()
        if pending is None:
            gc.freeze()  # what the full pass built lives long: keep it out of later collections
            await self.server.warm_start.save()
            await self._preload_features()

    async def _warm(self) -> None:
        """Build the per-file indexes the next edit (and inlay hints) need, in slices of the loop."""
        loop = asyncio.get_running_loop()
        started = loop.time()
        for _ in self.server.session.warm_steps():
            if loop.time() - started > SLICE_SECONDS:
                await asyncio.sleep(0)
                started = loop.time()

    async def _preload_features(self) -> None:
        if self._preloaded:
            return
        self._preloaded = True
        from packls.lsp.handlers import preload_features

        await asyncio.to_thread(preload_features)

    def _requeue(self, paths: Iterable[Path]) -> None:
        if self._pending is not None:
            self._pending.update(paths)

    # -- findings, off the loop when large ----------------------------------------------------------

    async def findings_for(self, path: Path) -> list[Finding] | None:
        """A file's findings; None when its inputs changed while a large file was being checked."""
        session = self.server.session
        cached = session.cached(path)
        if cached is not None:
            return cached
        source = session.source(path)
        if source is None:
            return []
        if len(source.text) <= BIG_TEXT:
            return session.findings(path)
        token = session.token(path)
        try:
            result = await asyncio.to_thread(session.compute, source)
        except Exception:
            log.debug("checking %s off the loop raced an edit; retrying later", path, exc_info=True)
            return None
        return result if session.store(path, source, token, result) else None

    # -- push ---------------------------------------------------------------------------------------

    async def publish_open(self, uri: str, only_if_changed: bool = False) -> None:
        """Publish an open buffer's findings for its current version (never for a stale text)."""
        document = self.server.documents.get(uri)
        if document is None or document.path is None:
            return
        session = self.server.session
        state = session.documents.get(document.path)
        if state is None or state.version != document.version or state.text != document.text:
            return  # the buffer moved on; its own check will publish
        if state.source is None and only_if_changed:
            return
        findings = await self.findings_for(document.path)  # [] outside packs: still published
        current = self.server.documents.get(uri)
        if findings is None or current is not document or state.version != document.version or state.text != document.text:
            return
        if not session.report(document.path, findings) and only_if_changed:
            return
        self.publish(uri, document.version, findings, document.positions(self.server.encoding))

    async def publish_closed(self, path: Path) -> bool:
        """Publish a closed file's findings when they changed; False when they went stale meanwhile."""
        findings = await self.findings_for(path)
        if findings is None:
            return False
        session = self.server.session
        if session.report(path, findings):
            self.publish(file_uri(path), None, findings, self.server.positions_for_path(path) or Positions("", self.server.encoding))
        return True

    def publish(
        self, uri: str, version: int | None, findings: list[Finding], positions: Positions | None, other: PositionsFor | None = None,
    ) -> None:
        """Send findings as diagnostics (`other`: positions of related files, the session's by default)."""
        other = other or self.server.positions_for_path
        items = [to_diagnostic(f, positions, other) for f in findings] if positions else []
        message: Json = {"uri": uri, "diagnostics": items}
        if version is not None:
            message["version"] = version
        self.server.notify("textDocument/publishDiagnostics", message)

    def _schedule_refresh(self) -> None:
        if not self.server.capabilities.supports("workspace.diagnostics.refreshSupport"):
            return
        if self._refresh is not None:
            self._refresh.cancel()
        self._refresh = asyncio.get_running_loop().call_later(0.05, self._send_refresh)

    def _send_refresh(self) -> None:
        self._refresh = None
        self.server.ask_quietly("workspace/diagnostic/refresh")

    # -- inlay hints follow selections --------------------------------------------------------------

    def _refresh_inlay_hints(self) -> None:
        mark = self.server.session.selections_mark()
        changed = self._selections is not None and mark != self._selections
        self._selections = mark
        if changed and self.server.capabilities.supports("workspace.inlayHint.refreshSupport"):
            self.server.ask_quietly("workspace/inlayHint/refresh")
