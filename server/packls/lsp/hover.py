"""textDocument/hover and packls/explain → packls.features.hover."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable

from packls.features import hover as feature
from packls.lsp.messages import At

if TYPE_CHECKING:
    from packls.lsp.app import PacklsServer

EXPLAIN = "packls/explain"  # params: TextDocumentPositionParams; result: MarkupContent or null
Describe = Callable[..., "feature.HoverText | None"]
Json = dict[str, Any]


async def hover(ls: PacklsServer, params: At) -> Json | None:
    """Markdown (or plain text for clients without it) for the node under the cursor."""
    return await _describe(ls, params, feature.hover)


async def explain(ls: PacklsServer, params: At) -> Json | None:
    """The full explanation a hover links to (VS Code's explain page), always Markdown."""
    found = await _describe(ls, params, feature.explain)
    return {"kind": "markdown", "value": found["contents"]["value"]} if found is not None else None


async def _describe(ls: PacklsServer, params: At, describe: Describe) -> Json | None:
    view = await ls.view_any(params.uri)
    if view is None:
        return None
    offset = view.to_source(view.positions.offset(params.position))
    found = describe(ls.session, view.source, offset)
    if found is None:
        return None
    formats = ls.capabilities.get("textDocument.hover.contentFormat")
    markdown = describe is feature.explain or not isinstance(formats, list) or not formats or "markdown" in formats
    span = view.delta.span_to_new(found.span)
    return {"contents": {"kind": "markdown" if markdown else "plaintext", "value": found.markdown}, "range": view.positions.range(span)}
