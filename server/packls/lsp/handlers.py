"""Every LSP method packls handles, registered in one place; each handler is a few lines.

Each feature is isolated: an exception is logged and answered with an empty result, never a
crash or a popup. Feature adapters (hover, completion, …) are imported on their first request.
"""

from __future__ import annotations

import importlib
from typing import Any, Awaitable, Callable

from packls.features.buffers import NOTHING
from packls.lsp import configuration, messages, progress, pull, watch
from packls.lsp.app import PacklsServer
from packls.lsp.capabilities import initialize_result
from packls.lsp.cold_check import ColdCheck
from packls.lsp.isolation import guarded, isolated
from packls.lsp.protocol import Code, RpcError
from packls.lsp.uris import uri_to_path


def register(server: PacklsServer) -> None:
    """Every method the server handles (pull diagnostics are added at `initialize` for clients that pull)."""
    read = messages
    server.route("initialize", lambda ls, params: initialize_result(params), read.initialize, then=server.adopt)
    server.route("initialized", initialized)
    server.route("shutdown", shutdown)
    server.route("textDocument/didOpen", did_open, read.did_open)
    server.route("textDocument/didChange", did_change, read.did_change)
    server.route("textDocument/didClose", did_close, read.document_uri)
    server.route("workspace/didChangeWatchedFiles", did_change_watched_files, read.watched_files)
    server.route("workspace/didDeleteFiles", did_delete_files, read.deleted_files)
    server.route("workspace/didRenameFiles", did_rename_files, read.renamed_files)
    server.route("workspace/didChangeConfiguration", did_change_configuration, read.settings)
    server.route("workspace/didChangeWorkspaceFolders", did_change_folders, read.folders_changed)
    server.route("window/workDoneProgress/cancel", cancel_progress, read.progress_token)
    server.route("workspace/executeCommand", execute_command, read.command)
    server.route("$/setTrace", lambda ls, params: None)
    server.route("textDocument/hover", feature("hover", "hover", "hover"), read.at)
    server.route("packls/explain", feature("explain", "hover", "explain"), read.at)
    server.route("textDocument/completion", feature("completion", "completion", "complete"), read.at)
    server.route("textDocument/definition", feature("definition", "navigation", "definition"), read.at)
    server.route("textDocument/references", feature("references", "navigation", "references"), read.references)
    server.route("textDocument/documentSymbol", feature("documentSymbol", "symbols", "document_symbols"), read.document_uri)
    server.route("workspace/symbol", feature("workspace/symbol", "symbols", "workspace_symbols"), read.query)
    server.route("textDocument/codeAction", feature("codeAction", "actions", "code_actions"), read.code_action)
    server.route("textDocument/inlayHint", feature("inlayHint", "inlay", "inlay_hints"), read.within)


def register_pull(server: PacklsServer) -> None:
    """Pull diagnostics, for a client that pulls (its `initialize` said so)."""
    server.route("textDocument/diagnostic", document_diagnostic, messages.document_pull)
    server.route("workspace/diagnostic", workspace_diagnostic, messages.workspace_pull)


# -- life cycle ---------------------------------------------------------------------------------------


@guarded("initialized")
async def initialized(ls: PacklsServer, params: Any) -> None:
    ls.cold_check = ColdCheck.early(ls)  # a large workspace's helper starts its interpreter while settings are asked
    try:
        await watch.register(ls)
        await configuration.refresh(ls)
        await progress.index_folders(ls, list(ls.session.folders))
    finally:
        ls.stop_cold_check()  # never needed past the first indexing, whatever happened on the way


def shutdown(ls: PacklsServer, params: Any) -> None:
    ls.stop_cold_check()
    ls.watcher.stop()
    configuration.stop_store_watch(ls)
    ls.diagnostics.stop()
    ls.warm_start.save_now()


def cancel_progress(ls: PacklsServer, token: int | str) -> None:
    ls.cancelled_progress.add(token)


def execute_command(ls: PacklsServer, command: str) -> None:
    raise RpcError(Code.InvalidParams, f"command {command!r} is not defined")


# -- documents and files --------------------------------------------------------------------------------


@guarded("didOpen")
def did_open(ls: PacklsServer, params: messages.TextDocumentItem) -> None:
    ls.documents.open(params)
    ls.diagnostics.opened(params.uri)


@guarded("didChange")
def did_change(ls: PacklsServer, params: messages.DidChange) -> None:
    if ls.documents.change(params, ls.encoding) is None:
        ls.lose(params.uri, "an edit arrived for a file the editor never opened here")
        return
    ls.diagnostics.changed(params.uri)


@guarded("didClose")
def did_close(ls: PacklsServer, uri: str) -> None:
    document = ls.documents.close(uri)
    path = document.path if document is not None else None
    impact = ls.session.close(path) if path is not None else NOTHING
    ls.diagnostics.closed(uri, path, impact)


@guarded("didChangeWatchedFiles")
async def did_change_watched_files(ls: PacklsServer, changes: list[tuple[str, str]]) -> None:
    await watch.on_changes(ls, [(uri_to_path(uri), kind) for uri, kind in changes])


@guarded("didDeleteFiles")
async def did_delete_files(ls: PacklsServer, uris: list[str]) -> None:
    await watch.on_changes(ls, [(uri_to_path(uri), watch.DELETED) for uri in uris])


@guarded("didRenameFiles")
async def did_rename_files(ls: PacklsServer, renamed: list[tuple[str, str]]) -> None:
    changes = [(uri_to_path(old), watch.DELETED) for old, _ in renamed] + [(uri_to_path(new), watch.CREATED) for _, new in renamed]
    await watch.on_changes(ls, changes)


@guarded("didChangeConfiguration")
async def did_change_configuration(ls: PacklsServer, settings: Any) -> None:
    await configuration.changed(ls, settings)


@guarded("didChangeWorkspaceFolders")
async def did_change_folders(ls: PacklsServer, event: tuple[list[str], list[str]]) -> None:
    await progress.folders_changed(ls, event)


# -- diagnostics pulled -----------------------------------------------------------------------------------


@isolated("textDocument/diagnostic", pull.EMPTY)
async def document_diagnostic(ls: PacklsServer, params: messages.DocumentPull) -> dict[str, Any]:
    return await pull.pull_document(ls.diagnostics, params)


@isolated("workspace/diagnostic", {"items": []})
async def workspace_diagnostic(ls: PacklsServer, previous: dict[str, str]) -> dict[str, Any]:
    return await pull.pull_workspace(ls.diagnostics, previous)


# -- features (their adapters load on first use) ------------------------------------------------------------


_ADAPTERS: set[str] = set()  # every feature adapter module named by `feature`, for `preload_features`


def feature(name: str, adapter: str, function: str) -> Callable[[PacklsServer, Any], Awaitable[Any]]:
    """The request handler of one feature: `packls.lsp.<adapter>.<function>`, imported on its first
    request (so a start loads no feature code), isolated (a failure logs and answers null)."""
    _ADAPTERS.add(adapter)

    @isolated(name, None)
    async def handle(ls: PacklsServer, params: Any) -> Any:
        module = importlib.import_module(f"packls.lsp.{adapter}")
        return await getattr(module, function)(ls, params)

    return handle


def preload_features() -> None:
    """Import every feature adapter (in a worker thread once the workspace settled), so the first
    hover or completion does not pay ~20 ms of imports."""
    for adapter in sorted(_ADAPTERS):
        importlib.import_module(f"packls.lsp.{adapter}")
