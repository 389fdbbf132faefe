"""textDocument/documentSymbol and workspace/symbol → packls.features.symbols."""

from __future__ import annotations

from typing import TYPE_CHECKING

from lsprotocol import types

from packls.features import symbols as feature
from packls.lsp.positions import Positions

if TYPE_CHECKING:
    from packls.lsp.server import PacklsServer

KINDS: dict[str, types.SymbolKind] = {
    "file": types.SymbolKind.File,
    "package": types.SymbolKind.Package,
    "module": types.SymbolKind.Module,
    "class": types.SymbolKind.Class,
    "function": types.SymbolKind.Function,
    "event": types.SymbolKind.Event,
    "interface": types.SymbolKind.Interface,
    "key": types.SymbolKind.Key,
    "struct": types.SymbolKind.Struct,
    "object": types.SymbolKind.Object,
    "array": types.SymbolKind.Array,
    "property": types.SymbolKind.Property,
    "string": types.SymbolKind.String,
    "enum-member": types.SymbolKind.EnumMember,
}


async def document_symbols(ls: PacklsServer, params: types.DocumentSymbolParams) -> list[types.DocumentSymbol] | None:
    """The outline of a pack file."""
    view = await ls.view_any(params.text_document.uri)
    if view is None:
        return None
    return [_symbol(s, view.positions, view.delta) for s in feature.document_symbols(view.source)]


def _symbol(symbol: feature.Symbol, positions: Positions, delta) -> types.DocumentSymbol:  # type: ignore[no-untyped-def]
    span = delta.span_to_new(symbol.span)
    selection = delta.span_to_new(symbol.selection)
    if not (span.start <= selection.start and selection.end <= span.end):
        selection = type(span)(span.start, span.start)
    return types.DocumentSymbol(
        name=symbol.name or "?", kind=KINDS.get(symbol.kind, types.SymbolKind.Field), range=positions.range(span),
        selection_range=positions.range(selection), detail=symbol.detail,
        children=[_symbol(child, positions, delta) for child in symbol.children] or None,
    )


async def workspace_symbols(ls: PacklsServer, params: types.WorkspaceSymbolParams) -> list[types.WorkspaceSymbol] | None:
    """Component refs (and runtime@version) across every pack in scope."""
    result = []
    for symbol in feature.workspace_symbols(ls.session.workspace, params.query):
        positions = ls.positions_for_path(symbol.path)
        if positions is None:
            continue
        location = types.Location(uri=ls.uri_of(symbol.path), range=positions.range(symbol.span))
        result.append(
            types.WorkspaceSymbol(name=symbol.name, kind=KINDS.get(symbol.kind, types.SymbolKind.Field),
                                  location=location, container_name=symbol.container)
        )
    return result
