"""textDocument/hover and packls/explain → packls.features.hover."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable

from lsprotocol import types
from pygls.capabilities import get_capability

from packls.features import hover as feature

if TYPE_CHECKING:
    from packls.lsp.server import PacklsServer, View

EXPLAIN = "packls/explain"  # params: TextDocumentPositionParams; result: MarkupContent or null
Describe = Callable[..., "feature.HoverText | None"]


async def hover(ls: PacklsServer, params: types.HoverParams) -> types.Hover | None:
    """Markdown (or plain text for clients without it) for the node under the cursor."""
    found = await _describe(ls, params.text_document.uri, params.position, feature.hover)
    if found is None:
        return None
    text, view = found
    formats = get_capability(ls.client_capabilities, "text_document.hover.content_format", None)
    kind = types.MarkupKind.Markdown if not formats or types.MarkupKind.Markdown in formats else types.MarkupKind.PlainText
    span = view.delta.span_to_new(text.span)
    return types.Hover(contents=types.MarkupContent(kind=kind, value=text.markdown), range=view.positions.range(span))


async def explain(ls: PacklsServer, params: Any) -> types.MarkupContent | None:
    """The full explanation a hover links to (VS Code's explain page), always Markdown."""
    where = types.Position(line=int(params.position.line), character=int(params.position.character))
    found = await _describe(ls, str(params.textDocument.uri), where, feature.explain)
    return types.MarkupContent(kind=types.MarkupKind.Markdown, value=found[0].markdown) if found is not None else None


async def _describe(ls: PacklsServer, uri: str, position: types.Position, describe: Describe) -> tuple[feature.HoverText, View] | None:
    view = await ls.view_any(uri)
    if view is None:
        return None
    found = describe(ls.session, view.source, view.to_source(view.positions.offset(position)))
    return (found, view) if found is not None else None
