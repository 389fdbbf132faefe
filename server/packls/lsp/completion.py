"""textDocument/completion → packls.features.completion."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from packls.features.completion import complete as feature
from packls.lsp.messages import At

if TYPE_CHECKING:
    from packls.lsp.app import PacklsServer

KINDS = {"property": 10, "value": 12, "enum": 20, "reference": 18, "snippet": 15, "constant": 21}  # CompletionItemKind
TEXT, PLAIN, SNIPPET, ADJUST_INDENTATION = 1, 1, 2, 2  # CompletionItemKind.Text, InsertTextFormat, InsertTextMode
Json = dict[str, Any]


async def complete(ls: PacklsServer, params: At) -> Json | None:
    """Keys, values, refs and constraints at the cursor, respecting the client's capabilities."""
    view = await ls.view(params.uri)
    if view is None:
        return None
    caps = ls.capabilities
    snippets = caps.supports("textDocument.completion.completionItem.snippetSupport")
    formats = caps.get("textDocument.completion.completionItem.documentationFormat")
    markdown = isinstance(formats, list) and "markdown" in formats
    modes = caps.get("textDocument.completion.completionItem.insertTextModeSupport.valueSet")
    adjust = isinstance(modes, list) and ADJUST_INDENTATION in modes
    text = view.document.text
    offset = view.positions.offset(params.position)
    items = []
    for item in feature(ls.session, view.source, view.delta, text, offset, snippets):
        entry: Json = {"label": item.label, "kind": KINDS.get(item.kind, TEXT)}
        if item.detail is not None:
            entry["detail"] = item.detail
        if item.documentation is not None:  # pack text stays plain: no links or HTML from a repository
            rich = item.documentation and markdown and item.markdown
            entry["documentation"] = {"kind": "markdown", "value": item.documentation} if rich else item.documentation
        if item.sort_text is not None:
            entry["sortText"] = item.sort_text
        if item.filter_text is not None:
            entry["filterText"] = item.filter_text
        entry["insertTextFormat"] = SNIPPET if item.is_snippet else PLAIN
        entry["textEdit"] = {"range": view.positions.range(item.replace), "newText": item.insert_text}
        if adjust and "\n" in item.insert_text:
            entry["insertTextMode"] = ADJUST_INDENTATION
        items.append(entry)
    return {"isIncomplete": False, "items": items}
