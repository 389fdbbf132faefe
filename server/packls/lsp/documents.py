"""Open documents keyed by the client's exact URI, with edits applied using LSP's line breaks.

pygls applies incremental edits with `str.splitlines`, which also breaks on U+2028, U+0085
and friends and so corrupts such documents; this store applies them the way LSP counts lines.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence

from lsprotocol import types
from pygls.uris import to_fs_path

from packls.features.offsets import line_index_after_edit
from packls.features.session import normalize
from packls.lsp.positions import Positions


@dataclass(eq=False)
class Document:
    """One open buffer as the client sees it."""

    uri: str
    path: Path | None  # None for non-file URIs
    text: str
    version: int | None
    lost: str | None = None  # why the server no longer knows the editor's text (an edit it could not read)
    _positions: Positions | None = field(default=None, repr=False)

    def positions(self, encoding: str) -> Positions:
        """Conversions for the current text (built once per text)."""
        if self._positions is None or self._positions.text is not self.text or self._positions.encoding != encoding:
            self._positions = Positions(self.text, encoding)
        return self._positions


def uri_to_path(uri: str) -> Path | None:
    """The file a `file:` URI names, normalised the way the session spells paths."""
    path = to_fs_path(uri)
    return normalize(path) if path else None


def apply_changes(text: str, changes: Sequence[object], encoding: str) -> str:
    """Apply content changes in order: ranged edits in LSP units, or whole-document replacements."""
    for change in changes:
        if isinstance(change, types.TextDocumentContentChangePartial):
            positions = Positions(text, encoding)
            span = positions.span(change.range)
            edited = text[: span.start] + change.text + text[span.end :]
            line_index_after_edit(text, span.start, span.end, change.text, edited)  # big texts: no rescan
            text = edited
        else:
            text = change.text  # type: ignore[attr-defined]
    return text


class DocumentStore:
    """uri → Document for every buffer the client has open."""

    def __init__(self) -> None:
        self._by_uri: dict[str, Document] = {}

    def open(self, item: types.TextDocumentItem) -> Document:
        """Record a newly opened buffer."""
        document = Document(item.uri, uri_to_path(item.uri), item.text, item.version)
        self._by_uri[item.uri] = document
        return document

    def change(self, params: types.DidChangeTextDocumentParams, encoding: str) -> Document | None:
        """Apply an edit; None for a URI that is not open. A lost buffer is known again after a whole-text change."""
        document = self._by_uri.get(params.text_document.uri)
        if document is None:
            return None
        changes = list(params.content_changes)
        if document.lost is not None:
            whole = [i for i, c in enumerate(changes) if not isinstance(c, types.TextDocumentContentChangePartial)]
            if not whole:
                document.version = params.text_document.version
                return document  # ranged edits of a text the server does not have: nothing to apply them to
            document.lost, changes = None, changes[whole[-1] :]
        document.text = apply_changes(document.text, changes, encoding)
        document.version = params.text_document.version
        return document

    def lose(self, uri: str, why: str) -> Document:
        """Mark a buffer whose text the server no longer knows (recording it when it was never opened)."""
        document = self._by_uri.get(uri)
        if document is None:
            document = self._by_uri[uri] = Document(uri, uri_to_path(uri), "", None)
        document.lost = why
        return document

    def close(self, uri: str) -> Document | None:
        """Forget a buffer."""
        return self._by_uri.pop(uri, None)

    def get(self, uri: str) -> Document | None:
        """The open buffer for a URI."""
        return self._by_uri.get(uri)

    def by_path(self, path: Path) -> Document | None:
        """The open buffer for a file, whatever URI spelling the client used."""
        for document in self._by_uri.values():
            if document.path == path:
                return document
        return None

    def __iter__(self):  # type: ignore[no-untyped-def]
        return iter(list(self._by_uri.values()))
