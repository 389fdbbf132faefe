"""The packls language server: state, and every LSP method registered in one place.

Handlers are a few lines: get the view, call `packls.features`, convert. Each feature is
isolated: an exception is logged and answered with an empty result, never a crash or a popup.
"""

from __future__ import annotations

import asyncio
import gc
import logging
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lsprotocol import types
from pygls.lsp.server import LanguageServer

from packls import __version__
from packls.features.configuration import Config
from packls.features.offsets import TextDelta
from packls.features.session import NOTHING, Impact, Session
from packls.lsp import actions, completion, configuration, hover, inlay, navigation, progress, pull, symbols, transport, watch
from packls.lsp.diagnostics import DiagnosticsService, file_uri
from packls.lsp.documents import Document, DocumentStore, uri_to_path
from packls.lsp.isolation import guarded, isolated
from packls.lsp.positions import Positions, encoding_name
from packls.lsp.protocol import PacklsProtocol
from packls.lsp.settings import Settings
from packls.lsp.warm import WarmStart
from packls.report.escape import EscapingFormatter
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


class PacklsServer(LanguageServer):
    """LSP adapter: translates between the protocol and `packls.features`."""

    def __init__(self) -> None:
        super().__init__(
            "packls", __version__, text_document_sync_kind=types.TextDocumentSyncKind.Incremental,
            protocol_cls=PacklsProtocol, max_workers=4,
        )
        self.settings = Settings()
        self.session = Session(config_for=self.config_for)
        self.documents = DocumentStore()
        self.encoding = "utf-16"
        self.pull_mode = False
        self.indexed = asyncio.Event()
        self.diagnostics = DiagnosticsService(self)
        self.watcher = watch.FileWatcher(self)
        self.warm_start = WarmStart(self)
        self._loading: dict[Path, asyncio.Task[None]] = {}
        self._positions: dict[Path, Positions] = {}  # closed files: one line index per text
        self.loop: asyncio.AbstractEventLoop | None = None

    protocol: PacklsProtocol

    def report_server_error(self, error: Exception, source: Any) -> None:
        """Log internal errors; never a popup per keystroke."""
        log.error("internal error (%s): %s", getattr(source, "__name__", source), error, exc_info=error)

    # -- configuration ------------------------------------------------------------------------

    def config_for(self, path: Path) -> Config:
        """The Config for a file (editor settings + project file), telling the user about problems once."""
        fallback = self.session.folders[0] if self.session.folders else None
        config, problems = self.settings.config_for(path, fallback)
        if problems:
            self.tell([p.message for p in problems])
        return config

    def tell(self, messages: list[str], kind: types.MessageType = types.MessageType.Warning) -> None:
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
            self.window_show_message(types.ShowMessageParams(type=kind, message="packls: " + "; ".join(fresh)))

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


def create_server() -> PacklsServer:
    """A server with every feature registered (the one registration place)."""
    server = PacklsServer()

    @server.feature(types.INITIALIZE)
    def initialize(ls: PacklsServer, params: types.InitializeParams) -> None:
        ls.loop = asyncio.get_running_loop()
        ls.encoding = encoding_name(ls.workspace.position_encoding)
        configuration.on_initialize(ls, params)
        if ls.pull_mode:
            ls.feature(
                types.TEXT_DOCUMENT_DIAGNOSTIC,
                types.DiagnosticOptions(identifier="packls", inter_file_dependencies=True, workspace_diagnostics=True),
            )(document_diagnostic)
            ls.feature(types.WORKSPACE_DIAGNOSTIC)(workspace_diagnostic)

    @isolated("textDocument/diagnostic", types.RelatedFullDocumentDiagnosticReport(items=[]))
    async def document_diagnostic(ls: PacklsServer, params: types.DocumentDiagnosticParams) -> types.DocumentDiagnosticReport:
        return await pull.pull_document(ls.diagnostics, params)

    @isolated("workspace/diagnostic", types.WorkspaceDiagnosticReport(items=[]))
    async def workspace_diagnostic(ls: PacklsServer, params: types.WorkspaceDiagnosticParams) -> types.WorkspaceDiagnosticReport:
        return await pull.pull_workspace(ls.diagnostics, params)

    @server.feature(types.INITIALIZED)
    @guarded("initialized")
    async def initialized(ls: PacklsServer, params: types.InitializedParams) -> None:
        await watch.register(ls)
        await configuration.refresh(ls)
        await progress.index_folders(ls, list(ls.session.folders))

    @server.feature(types.SHUTDOWN)
    def shutdown(ls: PacklsServer, params: None) -> None:
        ls.watcher.stop()
        configuration.stop_store_watch(ls)
        ls.diagnostics.stop()
        ls.warm_start.save_now()

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    @guarded("didOpen")
    def did_open(ls: PacklsServer, params: types.DidOpenTextDocumentParams) -> None:
        ls.documents.open(params.text_document)
        ls.diagnostics.opened(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    @guarded("didChange")
    def did_change(ls: PacklsServer, params: types.DidChangeTextDocumentParams) -> None:
        ls.diagnostics.changed(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    @guarded("didClose")
    def did_close(ls: PacklsServer, params: types.DidCloseTextDocumentParams) -> None:
        document = ls.documents.close(params.text_document.uri)
        path = document.path if document is not None else None
        impact = ls.session.close(path) if path is not None else NOTHING
        ls.diagnostics.closed(params.text_document.uri, path, impact)

    @server.feature(types.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    @guarded("didChangeWatchedFiles")
    async def did_change_watched_files(ls: PacklsServer, params: types.DidChangeWatchedFilesParams) -> None:
        kinds = {types.FileChangeType.Created: watch.CREATED, types.FileChangeType.Changed: watch.CHANGED, types.FileChangeType.Deleted: watch.DELETED}
        await watch.on_changes(ls, [(uri_to_path(c.uri), kinds.get(c.type, watch.CHANGED)) for c in params.changes])

    @server.feature(types.WORKSPACE_DID_DELETE_FILES, watch.FILE_OPERATIONS)
    @guarded("didDeleteFiles")
    async def did_delete_files(ls: PacklsServer, params: types.DeleteFilesParams) -> None:
        await watch.on_changes(ls, [(uri_to_path(f.uri), watch.DELETED) for f in params.files])

    @server.feature(types.WORKSPACE_DID_RENAME_FILES, watch.FILE_OPERATIONS)
    @guarded("didRenameFiles")
    async def did_rename_files(ls: PacklsServer, params: types.RenameFilesParams) -> None:
        changes = [(uri_to_path(f.old_uri), watch.DELETED) for f in params.files] + [(uri_to_path(f.new_uri), watch.CREATED) for f in params.files]
        await watch.on_changes(ls, changes)

    @server.feature(types.WORKSPACE_DID_CHANGE_CONFIGURATION)
    @guarded("didChangeConfiguration")
    async def did_change_configuration(ls: PacklsServer, params: types.DidChangeConfigurationParams) -> None:
        await configuration.changed(ls, params)

    @server.feature(types.WORKSPACE_DID_CHANGE_WORKSPACE_FOLDERS)
    @guarded("didChangeWorkspaceFolders")
    async def did_change_folders(ls: PacklsServer, params: types.DidChangeWorkspaceFoldersParams) -> None:
        await progress.folders_changed(ls, params.event)

    @server.feature(types.TEXT_DOCUMENT_HOVER)
    @isolated("hover", None)
    async def on_hover(ls: PacklsServer, params: types.HoverParams) -> types.Hover | None:
        return await hover.hover(ls, params)

    @server.feature(hover.EXPLAIN)
    @isolated("explain", None)
    async def on_explain(ls: PacklsServer, params: Any) -> types.MarkupContent | None:
        return await hover.explain(ls, params)

    @server.feature(types.TEXT_DOCUMENT_COMPLETION, completion.OPTIONS)
    @isolated("completion", None)
    async def on_completion(ls: PacklsServer, params: types.CompletionParams) -> types.CompletionList | None:
        return await completion.complete(ls, params)

    @server.feature(types.TEXT_DOCUMENT_DEFINITION)
    @isolated("definition", None)
    async def on_definition(ls: PacklsServer, params: types.DefinitionParams) -> list[types.Location] | None:
        return await navigation.definition(ls, params)

    @server.feature(types.TEXT_DOCUMENT_REFERENCES)
    @isolated("references", None)
    async def on_references(ls: PacklsServer, params: types.ReferenceParams) -> list[types.Location] | None:
        return await navigation.references(ls, params)

    @server.feature(types.TEXT_DOCUMENT_DOCUMENT_SYMBOL)
    @isolated("documentSymbol", None)
    async def on_document_symbol(ls: PacklsServer, params: types.DocumentSymbolParams) -> list[types.DocumentSymbol] | None:
        return await symbols.document_symbols(ls, params)

    @server.feature(types.WORKSPACE_SYMBOL)
    @isolated("workspace/symbol", None)
    async def on_workspace_symbol(ls: PacklsServer, params: types.WorkspaceSymbolParams) -> list[types.WorkspaceSymbol] | None:
        return await symbols.workspace_symbols(ls, params)

    @server.feature(types.TEXT_DOCUMENT_CODE_ACTION, actions.OPTIONS)
    @isolated("codeAction", None)
    async def on_code_action(ls: PacklsServer, params: types.CodeActionParams) -> list[types.CodeAction] | None:
        return await actions.code_actions(ls, params)

    @server.feature(types.TEXT_DOCUMENT_INLAY_HINT, types.InlayHintOptions(resolve_provider=False))
    @isolated("inlayHint", None)
    async def on_inlay_hint(ls: PacklsServer, params: types.InlayHintParams) -> list[types.InlayHint] | None:
        return await inlay.inlay_hints(ls, params)

    return server


def configure_logging(log_file: str | None, verbose: int | bool) -> None:
    """Logs go to stderr or a file, never stdout; pygls stays quiet unless asked twice."""
    handler: logging.Handler = logging.FileHandler(log_file, encoding="utf-8") if log_file else logging.StreamHandler(sys.stderr)
    handler.setFormatter(EscapingFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    level = int(verbose or 0)
    root.setLevel(logging.DEBUG if level >= 2 else logging.INFO if level == 1 else logging.WARNING)
    logging.getLogger("pygls").setLevel(logging.DEBUG if level >= 3 else logging.WARNING)


def run_server(args: Any = None) -> int:
    """Serve over stdio (the default) or TCP (`--tcp HOST:PORT`, for debugging); returns an exit code."""
    configure_logging(getattr(args, "log_file", None), getattr(args, "verbose", 0))
    gc.set_threshold(20_000, 20, 20)  # parse trees are many small objects: collect young ones less often
    server = create_server()
    tcp = getattr(args, "tcp", None)
    if tcp:
        host, _, port = str(tcp).rpartition(":")  # checked by `packls serve` (packls.cli.commands.serve)
        return transport.serve_tcp(server, host.strip("[]") or "127.0.0.1", int(port))
    protocol_out = sys.stdout.buffer
    sys.stdout = sys.stderr  # a stray print() must never corrupt the protocol stream
    return transport.serve_stdio(server, sys.stdin.buffer, protocol_out)
