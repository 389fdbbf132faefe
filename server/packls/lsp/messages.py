"""The params of every LSP message packls handles, read from JSON and checked field by field.

Each reader takes the raw `params` value and returns a small typed object, or raises
InvalidParams saying which field is wrong and why (LSP's integers are 32-bit: a version
outside -2^31..2^31-1 or a position outside 0..2^31-1 is invalid, not clamped). Fields
packls does not use are not read.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, TypeVar

from packls.lsp.protocol import Code, RpcError

T = TypeVar("T")
INT_MIN, INT_MAX = -(2**31), 2**31 - 1
UINT_MAX = 2**31 - 1


def invalid(where: str, what: str) -> RpcError:
    return RpcError(Code.InvalidParams, f"{where}: {what}")


def _object(value: Any, where: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise invalid(where, f"expected an object, got {_kind(value)}")
    return value


def _field(data: dict[str, Any], key: str, where: str, read: Callable[[Any, str], T]) -> T:
    if key not in data:
        raise invalid(f"{where}.{key}", "missing")
    return read(data[key], f"{where}.{key}")


def _optional(data: dict[str, Any], key: str, where: str, read: Callable[[Any, str], T]) -> T | None:
    value = data.get(key)
    return None if value is None else read(value, f"{where}.{key}")


def _string(value: Any, where: str) -> str:
    if not isinstance(value, str):
        raise invalid(where, f"expected a string, got {_kind(value)}")
    return value


def _boolean(value: Any, where: str) -> bool:
    if not isinstance(value, bool):
        raise invalid(where, f"expected true or false, got {_kind(value)}")
    return value


def _integer(value: Any, where: str, low: int = INT_MIN, high: int = INT_MAX) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise invalid(where, f"expected a whole number, got {_kind(value)}")
    if not low <= value <= high:
        raise invalid(where, f"should be in range [{low}:{high}], but was {value}")
    return value


def _uinteger(value: Any, where: str) -> int:
    return _integer(value, where, 0, UINT_MAX)


def _list(value: Any, where: str, read: Callable[[Any, str], T]) -> list[T]:
    if not isinstance(value, list):
        raise invalid(where, f"expected a list, got {_kind(value)}")
    return [read(item, f"{where}[{i}]") for i, item in enumerate(value)]


def _kind(value: Any) -> str:
    return "null" if value is None else type(value).__name__


# -- positions and documents -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Position:
    """An LSP position: 0-based line, character in the negotiated encoding's units."""

    line: int
    character: int


@dataclass(frozen=True, slots=True)
class Range:
    start: Position
    end: Position


def position(value: Any, where: str = "position") -> Position:
    data = _object(value, where)
    return Position(_field(data, "line", where, _uinteger), _field(data, "character", where, _uinteger))


def range_(value: Any, where: str = "range") -> Range:
    data = _object(value, where)
    return Range(_field(data, "start", where, position), _field(data, "end", where, position))


def _document_uri(value: Any, where: str) -> str:
    return _field(_object(value, where), "uri", where, _string)


@dataclass(frozen=True, slots=True)
class TextDocumentItem:
    uri: str
    version: int
    text: str


@dataclass(frozen=True, slots=True)
class ContentChange:
    """An edit of a range, or (range None) the whole new text."""

    text: str
    range: Range | None = None


@dataclass(frozen=True, slots=True)
class DidChange:
    uri: str
    version: int
    changes: list[ContentChange]


def did_open(value: Any) -> TextDocumentItem:
    item = _field(_object(value, "params"), "textDocument", "params", _object)
    where = "params.textDocument"
    return TextDocumentItem(_field(item, "uri", where, _string), _field(item, "version", where, _integer),
                            _field(item, "text", where, _string))


def _change(value: Any, where: str) -> ContentChange:
    data = _object(value, where)
    text = _field(data, "text", where, _string)
    return ContentChange(text, range_(data["range"], f"{where}.range") if data.get("range") is not None else None)


def did_change(value: Any) -> DidChange:
    params = _object(value, "params")
    document = _field(params, "textDocument", "params", _object)
    return DidChange(_field(document, "uri", "params.textDocument", _string),
                     _field(document, "version", "params.textDocument", _integer),
                     _field(params, "contentChanges", "params", lambda v, w: _list(v, w, _change)))


def document_uri(value: Any) -> str:
    """`textDocument.uri` of any params that name one document (didClose, documentSymbol, …)."""
    return _field(_object(value, "params"), "textDocument", "params", _document_uri)


@dataclass(frozen=True, slots=True)
class At:
    """A document and a position in it (hover, completion, definition, explain)."""

    uri: str
    position: Position


def at(value: Any) -> At:
    params = _object(value, "params")
    return At(_field(params, "textDocument", "params", _document_uri), _field(params, "position", "params", position))


@dataclass(frozen=True, slots=True)
class References:
    uri: str
    position: Position
    include_declaration: bool


def references(value: Any) -> References:
    params = _object(value, "params")
    context = _field(params, "context", "params", _object)
    return References(_field(params, "textDocument", "params", _document_uri), _field(params, "position", "params", position),
                      _field(context, "includeDeclaration", "params.context", _boolean))


@dataclass(frozen=True, slots=True)
class Within:
    """A document and a range of it (inlay hints, code actions)."""

    uri: str
    range: Range
    only: list[str] | None = None  # code actions: the kinds asked for


def within(value: Any) -> Within:
    params = _object(value, "params")
    return Within(_field(params, "textDocument", "params", _document_uri), _field(params, "range", "params", range_))


def code_action(value: Any) -> Within:
    params = _object(value, "params")
    context = _field(params, "context", "params", _object)
    only = _optional(context, "only", "params.context", lambda v, w: _list(v, w, _string))
    return Within(_field(params, "textDocument", "params", _document_uri), _field(params, "range", "params", range_), only)


def query(value: Any) -> str:
    """workspace/symbol's query."""
    return _field(_object(value, "params"), "query", "params", _string)


# -- pull diagnostics --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DocumentPull:
    uri: str
    previous_result_id: str | None


def document_pull(value: Any) -> DocumentPull:
    params = _object(value, "params")
    return DocumentPull(_field(params, "textDocument", "params", _document_uri),
                        _optional(params, "previousResultId", "params", _string))


def _previous(value: Any, where: str) -> tuple[str, str]:
    data = _object(value, where)
    return _field(data, "uri", where, _string), _field(data, "value", where, _string)


def workspace_pull(value: Any) -> dict[str, str]:
    """workspace/diagnostic: uri -> the result id the client holds."""
    params = _object(value, "params")
    return dict(_field(params, "previousResultIds", "params", lambda v, w: _list(v, w, _previous)))


# -- workspace ---------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Initialize:
    capabilities: dict[str, Any]
    folders: list[str]  # workspace folder URIs
    root_uri: str | None
    root_path: str | None
    options: Any  # initializationOptions
    client: str | None  # clientInfo.name


def _folder(value: Any, where: str) -> str:
    data = _object(value, where)
    _field(data, "name", where, _string)
    return _field(data, "uri", where, _string)


def initialize(value: Any) -> Initialize:
    params = _object(value, "params")
    client = _optional(params, "clientInfo", "params", _object)
    if "processId" in params and params["processId"] is not None:
        _integer(params["processId"], "params.processId")
    return Initialize(
        _field(params, "capabilities", "params", _object),
        _optional(params, "workspaceFolders", "params", lambda v, w: _list(v, w, _folder)) or [],
        _optional(params, "rootUri", "params", _string), _optional(params, "rootPath", "params", _string),
        params.get("initializationOptions"), _optional(client, "name", "params.clientInfo", _string) if client else None,
    )


def folders_changed(value: Any) -> tuple[list[str], list[str]]:
    """didChangeWorkspaceFolders: (added, removed) folder URIs."""
    event = _field(_object(value, "params"), "event", "params", _object)
    folders = lambda v, w: _list(v, w, _folder)  # noqa: E731
    return _field(event, "added", "params.event", folders), _field(event, "removed", "params.event", folders)


def settings(value: Any) -> Any:
    """didChangeConfiguration's settings (any JSON)."""
    return _object(value, "params").get("settings")


FILE_CHANGE_TYPES = {1: "created", 2: "changed", 3: "deleted"}


def _file_event(value: Any, where: str) -> tuple[str, str]:
    data = _object(value, where)
    kind = _field(data, "type", where, _integer)
    if kind not in FILE_CHANGE_TYPES:
        raise invalid(f"{where}.type", f"expected 1, 2 or 3, got {kind}")
    return _field(data, "uri", where, _string), FILE_CHANGE_TYPES[kind]


def watched_files(value: Any) -> list[tuple[str, str]]:
    """didChangeWatchedFiles: (uri, created | changed | deleted) per change."""
    return _field(_object(value, "params"), "changes", "params", lambda v, w: _list(v, w, _file_event))


def _file_uri(value: Any, where: str) -> str:
    return _field(_object(value, where), "uri", where, _string)


def deleted_files(value: Any) -> list[str]:
    return _field(_object(value, "params"), "files", "params", lambda v, w: _list(v, w, _file_uri))


def _renamed(value: Any, where: str) -> tuple[str, str]:
    data = _object(value, where)
    return _field(data, "oldUri", where, _string), _field(data, "newUri", where, _string)


def renamed_files(value: Any) -> list[tuple[str, str]]:
    return _field(_object(value, "params"), "files", "params", lambda v, w: _list(v, w, _renamed))


def progress_token(value: Any) -> int | str:
    """window/workDoneProgress/cancel's token."""
    token = _field(_object(value, "params"), "token", "params", lambda v, w: v)
    if isinstance(token, bool) or not isinstance(token, (int, str)):
        raise invalid("params.token", f"expected a number or a string, got {_kind(token)}")
    return token


def command(value: Any) -> str:
    """workspace/executeCommand's command."""
    return _field(_object(value, "params"), "command", "params", _string)
