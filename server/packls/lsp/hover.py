"""textDocument/hover and packls/explain → packls.features.hover."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable

from lsprotocol import types
from pygls.capabilities import get_capability

from packls.features import hover as feature

if TYPE_CHECKING:
    from packls.lsp.server import PacklsServer

EXPLAIN = "packls/explain"  # params: TextDocumentPositionParams; result: MarkupContent or null
Describe = Callable[..., "feature.HoverText | None"]


async def hover(ls: PacklsServer, params: types.HoverParams) -> types.Hover | None:
    """Markdown (or plain text for clients without it) for the node under the cursor."""
    return await _describe(ls, params.text_document.uri, params.position, feature.hover)


async def explain(ls: PacklsServer, params: Any) -> types.MarkupContent | None:
    """The full explanation a hover links to (VS Code's explain page), always Markdown."""
    where = params.position
    found = await _describe(ls, str(params.textDocument.uri), types.Position(int(where.line), int(where.character)), feature.explain)
    return types.MarkupContent(kind=types.MarkupKind.Markdown, value=found.contents.value) if found is not None else None  # type: ignore[union-attr]


async def _describe(ls: PacklsServer, uri: str, position: types.Position, describe: Describe) -> types.Hover | None:
    view = await ls.view_any(uri)
    if view is None:
        return None
    offset = view.to_source(view.positions.offset(position))
    found = describe(ls.session, view.source, offset)
    if found is None:
        return None
    formats = get_capability(ls.client_capabilities, "text_document.hover.content_format", None)
    kind = types.MarkupKind.Markdown if describe is feature.explain or not formats or types.MarkupKind.Markdown in formats else types.MarkupKind.PlainText
    span = view.delta.span_to_new(found.span)
    return types.Hover(contents=types.MarkupContent(kind=kind, value=found.markdown), range=view.positions.range(span))
