"""textDocument/inlayHint → packls.features.inlay_hints."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from packls.features.inlay_hints import inlay_hints as feature
from packls.lsp.messages import Within

if TYPE_CHECKING:
    from packls.lsp.app import PacklsServer

TYPE_HINT = 1  # InlayHintKind.Type


async def inlay_hints(ls: PacklsServer, params: Within) -> list[dict[str, Any]] | None:
    """`→ 3.12` after each runtime_version in the requested range."""
    view = await ls.view(params.uri)
    if view is None:
        return []
    within = view.positions.span(params.range)
    within = type(within)(view.to_source(within.start), view.to_source(within.end))
    hints = []
    for hint in feature(ls.session, view.source, within):
        offset = view.delta.to_new(hint.offset)
        entry = {"position": view.positions.position(offset), "label": hint.label, "kind": TYPE_HINT, "paddingLeft": True}
        if hint.tooltip is not None:
            entry["tooltip"] = hint.tooltip
        hints.append(entry)
    return hints
