"""textDocument/inlayHint → packls.features.inlay_hints."""

from __future__ import annotations

from typing import TYPE_CHECKING

from lsprotocol import types

from packls.features.inlay_hints import inlay_hints as feature

if TYPE_CHECKING:
    from packls.lsp.server import PacklsServer


async def inlay_hints(ls: PacklsServer, params: types.InlayHintParams) -> list[types.InlayHint] | None:
    """`→ 3.12` after each runtime_version in the requested range."""
    view = await ls.view(params.text_document.uri)
    if view is None:
        return []
    within = view.positions.span(params.range)
    within = type(within)(view.to_source(within.start), view.to_source(within.end))
    hints = []
    for hint in feature(ls.session, view.source, within):
        offset = view.delta.to_new(hint.offset)
        hints.append(
            types.InlayHint(
                position=view.positions.position(offset), label=hint.label, kind=types.InlayHintKind.Type,
                tooltip=hint.tooltip, padding_left=True,
            )
        )
    return hints
