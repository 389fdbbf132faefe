"""Document outline for every file kind, and workspace-wide symbols for refs."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from packls.model import FileKind, Runtime
from packls.syntax.nodes import Mapping, Node, Scalar, Sequence, Span, string_value
from packls.workspace import SourceFile, Workspace

MAX_SYMBOLS = 5000
MAX_DEPTH = 8

# The symbol kind word for each file's main symbol (the adapter maps words to protocol kinds).
KIND_WORDS: dict[FileKind, str] = {
    FileKind.MANIFEST: "package",
    FileKind.RUNTIME: "class",
    FileKind.ACTION: "function",
    FileKind.SENSOR: "event",
    FileKind.TRIGGER: "event",
    FileKind.RULE: "interface",
    FileKind.WORKFLOW: "module",
    FileKind.LEGACY_WORKFLOW: "module",
    FileKind.PERMISSION_SET: "key",
    FileKind.POLICY: "interface",
    FileKind.QUEUE: "struct",
    FileKind.CACHE: "struct",
    FileKind.DASHBOARD: "object",
    FileKind.IGNORED: "file",
}

# Keys whose value names a sequence item in the outline (first one present wins).
_ITEM_NAMES = ("version", "name", "ref", "action", "resource", "key", "binary")


@dataclass(frozen=True)
class Symbol:
    """One outline entry: a name, a kind word, its full span and the span to select."""

    name: str
    kind: str
    span: Span
    selection: Span
    detail: str | None = None
    children: tuple[Symbol, ...] = field(default=())


def document_symbols(source: SourceFile) -> list[Symbol]:
    """The file's component as one symbol whose children are its keys (nested as in the YAML)."""
    root = source.parsed.root
    if not isinstance(root, Mapping):
        return []
    budget = [MAX_SYMBOLS]
    children = _mapping_children(root, 0, budget, source)
    component = source.component
    name = (component.ref if component is not None else None) or source.relative
    ref_pair = root.get("ref")
    selection = ref_pair.value.span if ref_pair is not None else Span(root.span.start, root.span.start)
    detail = source.kind.value
    if isinstance(component, Runtime):
        versions = [v.version for v in component.versions if v.version is not None]
        detail = f"runtime: {', '.join(versions)}" if versions else "runtime"
    return [Symbol(name, KIND_WORDS.get(source.kind, "file"), Span(0, max(root.span.end, selection.end)), selection, detail, tuple(children))]


def _mapping_children(node: Mapping, depth: int, budget: list[int], source: SourceFile) -> list[Symbol]:
    found: list[Symbol] = []
    for pair in node.pairs:
        if budget[0] <= 0:
            break
        if not isinstance(pair.key, Scalar):
            continue
        budget[0] -= 1
        value = pair.value
        span = Span(pair.key.span.start, max(pair.key.span.end, value.span.end))
        detail, kind, children = _describe(value, depth, budget, source, pair.key.text)
        found.append(Symbol(pair.key.text, kind, span, pair.key.span, detail, tuple(children)))
    return found


def _describe(value: Node, depth: int, budget: list[int], source: SourceFile, key: str) -> tuple[str | None, str, list[Symbol]]:
    if isinstance(value, Mapping):
        children = _mapping_children(value, depth + 1, budget, source) if depth < MAX_DEPTH else []
        return None, "object", children
    if isinstance(value, Sequence):
        children = []
        if depth < MAX_DEPTH:
            for index, item in enumerate(value.items):
                if budget[0] <= 0:
                    break
                budget[0] -= 1
                name, detail = _item_name(item, index)
                sub = _mapping_children(item, depth + 2, budget, source) if isinstance(item, Mapping) and depth + 1 < MAX_DEPTH else []
                kind = "enum-member" if key == "versions" and source.kind is FileKind.RUNTIME else ("object" if isinstance(item, Mapping) else "string")
                children.append(Symbol(name, kind, item.span, _item_selection(item), detail, tuple(sub)))
        return f"{len(value.items)} item{'s' if len(value.items) != 1 else ''}", "array", children
    text = value.text if isinstance(value, Scalar) else ""
    shown = text if len(text) <= 60 else text[:57] + "…"
    return shown or None, "property", []


def _item_name(item: Node, index: int) -> tuple[str, str | None]:
    if isinstance(item, Mapping):
        for key in _ITEM_NAMES:
            value = string_value(item.value(key))
            if value:
                default = item.value("is_default")
                flag = " (default)" if isinstance(default, Scalar) and default.value is True else ""
                return f"{value}{flag}", key
        return f"[{index}]", None
    if isinstance(item, Scalar):
        return item.text or f"[{index}]", None
    return f"[{index}]", None


def _item_selection(item: Node) -> Span:
    if isinstance(item, Mapping):
        for key in _ITEM_NAMES:
            pair = item.get(key)
            if pair is not None:
                return pair.value.span
    return Span(item.span.start, item.span.start)


@dataclass(frozen=True)
class WorkspaceSymbol:
    """A ref (or a runtime version) anywhere in scope."""

    name: str
    kind: str
    path: Path
    span: Span
    container: str | None


def workspace_symbols(workspace: Workspace, query: str, limit: int = 500) -> list[WorkspaceSymbol]:
    """Component refs (and `runtime@version`) matching query as a case-insensitive subsequence."""
    wanted = query.lower().replace(" ", "")
    found: list[tuple[int, WorkspaceSymbol]] = []
    for pack in workspace.all_packs():
        container = pack.ref + (" (platform catalog)" if pack is workspace.catalog else "")
        for component in pack.components():
            ref = component.ref
            if not ref or component.kind is FileKind.MANIFEST:
                continue
            pair = component.pair("ref")
            span = pair.value.span if pair is not None else Span(0, 0)
            score = _match(wanted, ref.lower())
            if score is not None:
                found.append((score, WorkspaceSymbol(ref, KIND_WORDS.get(component.kind, "file"), component.path, span, container)))
            if isinstance(component, Runtime):
                for entry in component.versions:
                    if entry.version is None:
                        continue
                    name = f"{ref}@{entry.version}"
                    score = _match(wanted, name.lower())
                    if score is not None:
                        node = entry.version_node or entry.node
                        found.append((score + 1, WorkspaceSymbol(name, "enum-member", component.path, node.span, ref)))
    found.sort(key=lambda item: (item[0], item[1].name))
    return [symbol for _, symbol in found[:limit]]


def _match(query: str, name: str) -> int | None:
    """A rank when query is a subsequence of name (lower is better), else None."""
    if not query:
        return 0
    if query in name:
        return 0 if name.startswith(query) else 1
    position = 0
    for char in query:
        position = name.find(char, position)
        if position < 0:
            return None
        position += 1
    return 2
