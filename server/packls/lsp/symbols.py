"""textDocument/documentSymbol and workspace/symbol → packls.features.symbols."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from packls.features import symbols as feature
from packls.features.offsets import TextDelta
from packls.lsp.positions import Positions

if TYPE_CHECKING:
    from packls.lsp.app import PacklsServer

FIELD = 8  # SymbolKind.Field, for kinds not in the table
KINDS = {  # SymbolKind
    "file": 1, "module": 2, "package": 4, "class": 5, "property": 7, "function": 12, "interface": 11, "string": 15,
    "array": 18, "key": 20, "enum-member": 22, "struct": 23, "event": 24, "object": 19,
}
Json = dict[str, Any]


async def document_symbols(ls: PacklsServer, uri: str) -> list[Json] | None:
    """The outline of a pack file."""
    view = await ls.view_any(uri)
    if view is None:
        return None
    return [_symbol(s, view.positions, view.delta) for s in feature.document_symbols(view.source)]


def _symbol(symbol: feature.Symbol, positions: Positions, delta: TextDelta) -> Json:
    span = delta.span_to_new(symbol.span)
    selection = delta.span_to_new(symbol.selection)
    if not (span.start <= selection.start and selection.end <= span.end):
        selection = type(span)(span.start, span.start)
    entry: Json = {"name": symbol.name or "?", "kind": KINDS.get(symbol.kind, FIELD), "range": positions.range(span),
                   "selectionRange": positions.range(selection)}
    if symbol.detail is not None:
        entry["detail"] = symbol.detail
    children = [_symbol(child, positions, delta) for child in symbol.children]
    if children:
        entry["children"] = children
    return entry


async def workspace_symbols(ls: PacklsServer, query: str) -> list[Json] | None:
    """Component refs (and runtime@version) across every pack in scope."""
    result = []
    for symbol in feature.workspace_symbols(ls.session.workspace, query):
        positions = ls.positions_for_path(symbol.path)
        if positions is None:
            continue
        entry: Json = {"name": symbol.name, "kind": KINDS.get(symbol.kind, FIELD),
                       "location": {"uri": ls.uri_of(symbol.path), "range": positions.range(symbol.span)}}
        if symbol.container is not None:
            entry["containerName"] = symbol.container
        result.append(entry)
    return result
