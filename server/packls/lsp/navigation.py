"""textDocument/definition and textDocument/references → packls.features.navigation."""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterable

from lsprotocol import types

from packls.features import navigation as feature

if TYPE_CHECKING:
    from packls.lsp.server import PacklsServer


async def definition(ls: PacklsServer, params: types.DefinitionParams) -> list[types.Location] | None:
    """Where the runtime, version entry or component under the cursor is defined."""
    view = await ls.view_any(params.text_document.uri)
    if view is None:
        return None
    offset = view.to_source(view.positions.offset(params.position))
    return locations(ls, feature.definition(ls.session, view.source, offset)) or None


async def references(ls: PacklsServer, params: types.ReferenceParams) -> list[types.Location] | None:
    """Every action, sensor, rule or workflow that uses the thing under the cursor."""
    view = await ls.view_any(params.text_document.uri)
    if view is None:
        return None
    offset = view.to_source(view.positions.offset(params.position))
    found = feature.references(ls.session, view.source, offset, params.context.include_declaration)
    return locations(ls, found)


def locations(ls: PacklsServer, targets: Iterable[feature.Target]) -> list[types.Location]:
    """Targets as protocol locations, each converted with its own file's text."""
    result = []
    for target in targets:
        positions = ls.positions_for_path(target.path)
        if positions is None:
            continue
        result.append(types.Location(uri=ls.uri_of(target.path), range=positions.range(target.span)))
    return result
