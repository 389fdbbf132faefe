"""textDocument/completion → packls.features.completion."""

from __future__ import annotations

from typing import TYPE_CHECKING

from lsprotocol import types
from pygls.capabilities import get_capability

from packls.features.completion import complete as feature

if TYPE_CHECKING:
    from packls.lsp.server import PacklsServer

OPTIONS = types.CompletionOptions(trigger_characters=[":", " ", '"', "'", "-", "."], resolve_provider=False)
KINDS: dict[str, types.CompletionItemKind] = {
    "property": types.CompletionItemKind.Property,
    "value": types.CompletionItemKind.Value,
    "enum": types.CompletionItemKind.EnumMember,
    "reference": types.CompletionItemKind.Reference,
    "snippet": types.CompletionItemKind.Snippet,
    "constant": types.CompletionItemKind.Constant,
}


async def complete(ls: PacklsServer, params: types.CompletionParams) -> types.CompletionList | None:
    """Keys, values, refs and constraints at the cursor, respecting the client's capabilities."""
    view = await ls.view(params.text_document.uri)
    if view is None:
        return None
    caps = ls.client_capabilities
    snippets = bool(get_capability(caps, "text_document.completion.completion_item.snippet_support", False))
    formats = get_capability(caps, "text_document.completion.completion_item.documentation_format", None) or []
    markdown = types.MarkupKind.Markdown in formats
    modes = get_capability(caps, "text_document.completion.completion_item.insert_text_mode_support", None)
    adjust = modes is not None and types.InsertTextMode.AdjustIndentation in (modes.value_set or [])
    text = view.document.text
    offset = view.positions.offset(params.position)
    items = []
    for item in feature(ls.session, view.source, view.delta, text, offset, snippets):
        documentation: str | types.MarkupContent | None = item.documentation
        if documentation and markdown and item.markdown:  # pack text stays plain: no links or HTML from a repository
            documentation = types.MarkupContent(kind=types.MarkupKind.Markdown, value=documentation)
        multi_line = "\n" in item.insert_text
        items.append(
            types.CompletionItem(
                label=item.label, kind=KINDS.get(item.kind, types.CompletionItemKind.Text), detail=item.detail,
                documentation=documentation, sort_text=item.sort_text, filter_text=item.filter_text,
                insert_text_format=types.InsertTextFormat.Snippet if item.is_snippet else types.InsertTextFormat.PlainText,
                text_edit=types.TextEdit(range=view.positions.range(item.replace), new_text=item.insert_text),
                insert_text_mode=types.InsertTextMode.AdjustIndentation if adjust and multi_line else None,
            )
        )
    return types.CompletionList(is_incomplete=False, items=items)
