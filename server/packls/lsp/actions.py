"""textDocument/codeAction → packls.features.code_actions (quick fixes as workspace edits)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from lsprotocol import types

from packls.features.code_actions import quick_fixes
from packls.lsp.diagnostics import to_diagnostic

if TYPE_CHECKING:
    from packls.lsp.server import PacklsServer

OPTIONS = types.CodeActionOptions(code_action_kinds=[types.CodeActionKind.QuickFix])


async def code_actions(ls: PacklsServer, params: types.CodeActionParams) -> list[types.CodeAction] | None:
    """Quick fixes for the findings overlapping the requested range."""
    uri = params.text_document.uri
    await ls.sync_all(asking=uri)  # fixes edit exact spans: never answer from a lagging parse of this file
    view = await ls.view(uri)
    if view is None:
        return None
    wanted = params.context.only
    if wanted and not any(str(kind).startswith(types.CodeActionKind.QuickFix) for kind in wanted):
        return []
    path = view.document.path
    source = ls.session.source(path) if path else None
    if source is None or source.text != view.document.text:
        return []
    span = view.positions.span(params.range)
    findings = [f for f in ls.session.findings(path) if f.span.start <= span.end and span.start <= f.span.end]  # type: ignore[arg-type]
    result = []
    for fix in quick_fixes(ls.session, source, findings):
        changes: dict[str, list[types.TextEdit]] = {}
        for edit in fix.edits:
            positions = view.positions if edit.path == path else ls.positions_for_path(edit.path)
            if positions is None:
                continue
            changes.setdefault(ls.uri_of(edit.path), []).append(types.TextEdit(range=positions.range(edit.span), new_text=edit.new_text))
        if not changes:
            continue
        result.append(
            types.CodeAction(
                title=fix.title, kind=types.CodeActionKind.QuickFix, is_preferred=fix.preferred or None,
                diagnostics=[to_diagnostic(fix.finding, view.positions, ls.positions_for_path)],
                edit=types.WorkspaceEdit(changes=changes),
            )
        )
    return result
