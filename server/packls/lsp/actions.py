"""textDocument/codeAction → packls.features.code_actions (quick fixes as workspace edits)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from packls.features.code_actions import quick_fixes
from packls.lsp.diagnostics import to_diagnostic
from packls.lsp.messages import Within

if TYPE_CHECKING:
    from packls.lsp.app import PacklsServer

QUICK_FIX = "quickfix"
Json = dict[str, Any]


async def code_actions(ls: PacklsServer, params: Within) -> list[Json] | None:
    """Quick fixes for the findings overlapping the requested range."""
    uri = params.uri
    await ls.sync_all(asking=uri)  # fixes edit exact spans: never answer from a lagging parse of this file
    view = await ls.view(uri)
    if view is None:
        return None
    if params.only and not any(kind.startswith(QUICK_FIX) for kind in params.only):
        return []
    path = view.document.path
    source = ls.session.source(path) if path else None
    if source is None or source.text != view.document.text:
        return []
    span = view.positions.span(params.range)
    findings = [f for f in ls.session.findings(path) if f.span.start <= span.end and span.start <= f.span.end]  # type: ignore[arg-type]
    result = []
    for fix in quick_fixes(ls.session, source, findings):
        changes: dict[str, list[Json]] = {}
        for edit in fix.edits:
            positions = view.positions if edit.path == path else ls.positions_for_path(edit.path)
            if positions is None:
                continue
            changes.setdefault(ls.uri_of(edit.path), []).append({"range": positions.range(edit.span), "newText": edit.new_text})
        if not changes:
            continue
        action: Json = {"title": fix.title, "kind": QUICK_FIX,
                        "diagnostics": [to_diagnostic(fix.finding, view.positions, ls.positions_for_path)], "edit": {"changes": changes}}
        if fix.preferred:
            action["isPreferred"] = True
        result.append(action)
    return result
