"""textDocument/hover → packls.features.hover."""

from __future__ import annotations

from typing import TYPE_CHECKING

from lsprotocol import types
from pygls.capabilities import get_capability

from packls.features import hover as feature

if TYPE_CHECKING:
    from packls.lsp.server import PacklsServer


async def hover(ls: PacklsServer, params: types.HoverParams) -> types.Hover | None:
    """Markdown (or plain text for clients without it) for the node under the cursor."""
    view = await ls.view_any(params.text_document.uri)
    if view is None:
        return None
    offset = view.to_source(view.positions.offset(params.position))
    found = feature.hover(ls.session, view.source, offset)
    if found is None:
        return None
    formats = get_capability(ls.client_capabilities, "text_document.hover.content_format", None)
    kind = types.MarkupKind.Markdown if not formats or types.MarkupKind.Markdown in formats else types.MarkupKind.PlainText
    span = view.delta.span_to_new(found.span)
    return types.Hover(contents=types.MarkupContent(kind=kind, value=found.markdown), range=view.positions.range(span))
