"""The language server's state: documents, the session, diagnostics, settings, and keeping them in step.

Everything a handler (`packls.lsp.handlers`) needs: the client's capabilities, messages to and
from the client, paths and positions, and bringing the session up to the editor's buffers.
"""

from __future__ import annotations

import asyncio
import functools
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Awaitable, Callable

from packls.features.buffers import NOTHING, Impact
from packls.features.configuration import Config
from packls.features.offsets import TextDelta
from packls.features.session import Session
from packls.lsp import configuration, messages, watch
from packls.lsp.capabilities import ClientCapabilities
from packls.lsp.cold_check import ColdCheck
from packls.lsp.diagnostics import DiagnosticsService, file_uri
from packls.lsp.documents import Document, DocumentStore
from packls.lsp.positions import Positions
from packls.lsp.protocol import Protocol, Route
from packls.lsp.settings import Settings
from packls.lsp.uris import uri_to_path
from packls.lsp.warm import WarmStart
from packls.workspace import PackRead, SourceFile, find_pack_root, load_pack

log = logging.getLogger("packls.lsp")
OFF_LOOP_PARSE = 20_000  # characters; bigger buffers are parsed in a worker thread …
FEATURES_WAIT_LIMIT = OFF_LOOP_PARSE  # … and hover/completion on them never wait for that parse


@dataclass(frozen=True)
class View:
    """What a feature reads for one buffer: the source to use and how offsets map into it."""

    document: Document
    source: SourceFile
    delta: TextDelta  # current text ↔ source text (identity unless the YAML is broken mid-edit)
    positions: Positions  # for the current text

    def to_source(self, offset: int) -> int:
        """A current-text offset in the source's text."""
        return self.delta.to_old(offset)


WARNING = 2  # MessageType.Warning


class PacklsServer:
    """LSP adapter: translates between the protocol and `packls.features`."""

    def __init__(self, protocol: Protocol | None = None) -> None:
        self.routes: dict[str, Route] = {}
        self.protocol = protocol or Protocol(self.routes, self)
        self.protocol.routes, self.protocol.peer = self.routes, self
        self.capabilities = ClientCapabilities()
        self.cancelled_progress: set[int | str] = set()  # progress tokens the user cancelled
        self.pending_problems: list[str] = []  # settings problems to tell once the settings are applied
        self.settings = Settings()
        self.session = Session(config_for=self.config_for)
        self.documents = DocumentStore()
        self.encoding = "utf-16"
        self.pull_mode = False
        self.indexed = asyncio.Event()
        self.diagnostics = DiagnosticsService(self)
        self.watcher = watch.FileWatcher(self)
        self.warm_start = WarmStart(self)
        self.cold_check: ColdCheck | None = None  # the cold-start helper while indexing waits for it
        self._loading: dict[Path, asyncio.Task[None]] = {}
        self._positions: dict[Path, Positions] = {}  # closed files: one line index per text
        self.loop: asyncio.AbstractEventLoop | None = None

    # -- the protocol ---------------------------------------------------------------------------

    def route(self, method: str, handler: Callable[[PacklsServer, Any], Any], read: messages.Reader | None = None,
              then: Callable[[Any], None] | None = None) -> None:
        """Handle a method: handler(server, params read by `read`)."""
        self.routes[method] = Route(functools.partial(handler, self), read, then)

    def adopt(self, params: messages.Initialize) -> None:
        """Take the client's `initialize` (answered already): capabilities, encoding, settings, folders."""
        from packls.lsp.handlers import register_pull

        self.loop = asyncio.get_running_loop()
        self.capabilities = ClientCapabilities(params.capabilities)
        self.encoding = self.capabilities.position_encoding
        configuration.on_initialize(self, params)
        if self.pull_mode:
            register_pull(self)

    def notify(self, method: str, params: Any = None) -> None:
        """Send a notification to the client."""
        self.protocol.notify(method, params)

    def request(self, method: str, params: Any = None) -> Awaitable[Any]:
        """Send a request to the client; await its result (an error answer raises)."""
        return self.protocol.request(method, params)

    def ask_quietly(self, method: str, params: Any = None) -> None:
        """A request whose answer does not matter (a refresh): a failure is only logged."""
        def done(future: asyncio.Future[Any]) -> None:
            if not future.cancelled() and future.exception() is not None:
                log.warning("%s failed: %s", method, future.exception())

        self.protocol.request(method, params).add_done_callback(done)

    # -- configuration ------------------------------------------------------------------------

    def config_for(self, path: Path) -> Config:
        """The Config for a file (editor settings + project file), telling the user about problems once."""
        fallback = self.session.folders[0] if self.session.folders else None
        config, problems = self.settings.config_for(path, fallback)
        if problems:
            self.tell([p.message for p in problems])
        return config

    def tell(self, messages: list[str], kind: int = WARNING) -> None:
        """Show each problem once (and log it); from a worker thread, the message hops to the loop."""
        try:
            asyncio.get_running_loop()
        except RuntimeError:
            if self.loop is not None:
                self.loop.call_soon_threadsafe(self.tell, messages, kind)
            return
        fresh = self.settings.first_time(messages)
        for message in fresh:
            log.warning("%s", message)
        if fresh:
            self.notify("window/showMessage", {"type": kind, "message": "packls: " + "; ".join(fresh)})

    def lose(self, uri: str | None, why: str) -> None:
        """The editor's text of a buffer is no longer known here (an edit could not be read): say so, show
        nothing stale for it, and take it back at the next whole-text change or reopening."""
        log.warning("%s", why)
        if not self.protocol.initialized:
            return  # nothing is open yet, and nothing may be sent before initialize
        if uri is None:
            self.tell(["a message from the editor could not be read; if it was an edit, close and reopen that file "
                       "so its findings match its text again (see the server log)"])
            return
        document = self.documents.lose(uri, why)
        path = document.path
        impact = self.session.close(path) if path is not None else NOTHING
        self.diagnostics.closed(uri, None, NOTHING)  # its pending check is dropped
        if not self.pull_mode:
            self.diagnostics.publish(uri, None, [], None)
        self.diagnostics.after(impact)
        name = path.name if path is not None else uri
        self.tell([f"an edit to {name} could not be read, so packls no longer knows its text; its findings are hidden "
                   "until it is closed and reopened"])

    # -- paths, URIs, positions --------------------------------------------------------------------

    def path_of(self, uri: str) -> Path | None:
        """The file a URI names."""
        document = self.documents.get(uri)
        return document.path if document is not None else uri_to_path(uri)

    def uri_of(self, path: Path) -> str:
        """The URI to use for a file: the client's spelling when open."""
        document = self.documents.by_path(path)
        return document.uri if document is not None else file_uri(path)

    def positions_for_path(self, path: Path) -> Positions | None:
        """Conversions for any file's current text (open buffer or disk)."""
        document = self.documents.by_path(path)
        if document is not None:
            return document.positions(self.encoding)
        source = self.session.source(path) or self.session.workspace.source(path)
        if source is None:
            return None
        cached = self._positions.get(path)
        if cached is None or cached.text is not source.text or cached.encoding != self.encoding:
            cached = self._positions[path] = Positions(source.text, self.encoding)
        return cached

    # -- keeping the session current -----------------------------------------------------------

    def stop_cold_check(self) -> None:
        """Kill the cold-start helper, if one still runs (indexing is past it, or the server is shutting down)."""
        if self.cold_check is not None:
            self.cold_check.stop()
            self.cold_check = None

    async def ensure_pack(self, path: Path, read: PackRead | None = None) -> Impact:
        """Load the pack holding path if it is not loaded yet (once, even when asked concurrently).

        The load runs as its own task, so a cancelled caller (a stale check) never loses it; its
        effect on diagnostics is handled by the load itself. `read`: the pack already read from
        disk (indexing reads every pack first), so only parsing is left.
        """
        if self.session.known_root(path) is not None:
            return NOTHING
        root = await asyncio.to_thread(find_pack_root, path)
        if root is None or root in self.session.workspace.packs:
            return NOTHING
        task = self._loading.get(root)
        if task is None:
            task = asyncio.create_task(self._load_pack(root, read if read is not None and read.root == root else None), name=f"packls-load {root}")
            self._loading[root] = task
            task.add_done_callback(lambda _t, root=root: self._loading.pop(root, None))
        await asyncio.shield(task)
        return NOTHING

    async def _load_pack(self, root: Path, read: PackRead | None) -> None:
        if self.session.excluded(root):
            return  # an excluded pack folder is not part of the workspace, as for `packls validate`
        if read is not None:
            pack = await asyncio.to_thread(read.load)
        else:
            pack = await asyncio.to_thread(load_pack, root, exclude=self.session.excluded)
        if root not in self.session.workspace.packs:
            self.diagnostics.after(self.session.add_pack(pack))

    async def reload_packs(self) -> None:
        """Read every pack again (the exclude setting changed)."""
        for root in list(self.session.workspace.packs):
            if self.session.excluded(root):
                self.diagnostics.after(self.session.remove_pack(root))
                continue
            pack = await asyncio.to_thread(load_pack, root, exclude=self.session.excluded)
            self.diagnostics.after(self.session.add_pack(pack))

    async def sync_document(self, uri: str) -> Impact:
        """Bring the session up to the buffer's current version (parsing big texts off the loop)."""
        document = self.documents.get(uri)
        if document is None or document.path is None or document.lost is not None:
            return NOTHING
        path = document.path
        state = self.session.documents.get(path)
        if state is not None and state.version == document.version and state.text == document.text:
            return NOTHING
        impact = await self.ensure_pack(path)
        text, version = document.text, document.version
        root = self.session.known_root(path)
        if len(text) > OFF_LOOP_PARSE:
            prepared = await asyncio.to_thread(self.session.prepare, path, text, root)
        else:
            prepared = self.session.prepare(path, text, root)
        current = self.documents.get(uri)
        if current is None or current.version != version or current.text != text:
            return impact  # edited or closed meanwhile: a newer check follows
        state = self.session.documents.get(path)
        if state is not None and state.version == version and state.text == text:
            return impact
        return impact | self.session.change(path, text, version, prepared)

    async def sync_all(self, wait_for_big: bool = True, asking: str | None = None) -> Impact:
        """Apply every buffer edit still waiting for its debounce (requests see all edits).

        Without wait_for_big, large buffers whose parse is still pending are left to their own
        check: features then answer from the previous parse, mapped through the edit. Another
        large buffer than the one `asking` is never waited for, even before its first parse
        (a hover, quick fix or pull in a small file must not wait seconds for a 50,000-line file
        being edited; that file's own check re-checks what its edit affects).
        """
        impact = NOTHING
        for document in self.documents:
            state = self.session.documents.get(document.path) if document.path else None
            if len(document.text) > FEATURES_WAIT_LIMIT and document.uri != asking and (asking is not None or not wait_for_big):
                continue  # another large buffer: left to its own check
            if not wait_for_big and len(document.text) > FEATURES_WAIT_LIMIT and state is not None:
                continue
            if state is None or state.version != document.version:
                impact = impact | await self.sync_document(document.uri)
        if not impact.empty:
            self.diagnostics.after(impact)
        return impact

    async def view(self, uri: str) -> View | None:
        """The current view of an open buffer for a feature, or None when it is no pack file."""
        document = self.documents.get(uri)
        if document is None or document.path is None or document.lost is not None:
            return None
        await self.sync_all(wait_for_big=False, asking=uri)
        state = self.session.documents.get(document.path)
        if state is None:
            return None
        found = state.view()
        if found is None:
            return None
        source = found[0]
        return View(document, source, TextDelta.between(source.text, document.text), document.positions(self.encoding))

    async def view_any(self, uri: str) -> View | None:
        """`view` for an open buffer, else the workspace's copy of a pack file the client has not opened."""
        if self.documents.get(uri) is not None:
            return await self.view(uri)
        path = uri_to_path(uri)
        source = self.session.source(path) if path is not None else None
        positions = self.positions_for_path(path) if source is not None and path is not None else None
        if source is None or positions is None:
            return None
        document = Document(uri, path, source.text, None)
        return View(document, source, TextDelta.between(source.text, source.text), positions)
