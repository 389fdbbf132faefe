"""What is under the cursor: the node, its key path, and whether it is a key, a value or an item."""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from typing import Callable, Literal, Union

from packls.features.offsets import line_index
from packls.syntax.lines import LineIndex
from packls.syntax.nodes import Mapping, Node, Pair, Scalar, Sequence, Span
from packls.syntax.spliced import child, size

PathPart = Union[str, int]
KeyPath = tuple[PathPart, ...]
Role = Literal["key", "value", "item", "container"]


@dataclass(frozen=True)
class Cursor:
    """The node at an offset and how it sits in the document."""

    offset: int
    path: KeyPath  # ("versions", 2, "version"): for a key, the path includes the key itself
    role: Role
    node: Node | None
    pair: Pair | None  # the mapping entry, when on a key or a mapping value
    parent: Node | None  # the mapping or sequence holding node

    @property
    def key(self) -> str | None:
        """The last key of the path (the key under, or owning, the cursor)."""
        for part in reversed(self.path):
            if isinstance(part, str):
                return part
        return None


def is_empty_scalar(node: Node | None) -> bool:
    """A value written as nothing (`key:`), whose span ruamel places at the next token."""
    return isinstance(node, Scalar) and node.value is None and node.text == "" and node.span.start == node.span.end


def locate(root: Node | None, offset: int, text: str | None = None) -> Cursor | None:
    """The innermost node at offset; an empty value counts from its colon to the end of its line."""
    if root is None or not root.span.contains(offset):
        if isinstance(root, Mapping) and text is not None:
            return _walk(root, offset, (), None, None, text)
        return None
    return _walk(root, offset, (), None, None, text)


# Entries; a bigger block collection is entered near the cursor by halving, not scanned from its
# start. Only without aliases: an alias entry carries its anchor's span, which is out of order.
_HALVE_FROM = 32


def _walk(node: Node, offset: int, path: KeyPath, pair: Pair | None, parent: Node | None, text: str | None) -> Cursor:
    if isinstance(node, Mapping):
        for j in range(_first_candidate(node, offset, text), size(node)):
            entry: Pair = child(node, j)
            key = entry.key
            name = key.text if isinstance(key, Scalar) else "?"
            if key.span.contains(offset):
                return Cursor(offset, (*path, name), "key", key, entry, node)
            value = entry.value
            if is_empty_scalar(value):
                if text is not None and _in_empty_value(text, key.span.end, offset):
                    return Cursor(offset, (*path, name), "value", value, entry, node)
                continue
            if value.span.contains(offset) and offset >= key.span.end:
                return _walk(value, offset, (*path, name), entry, node, text)
        return Cursor(offset, path, "container", node, pair, parent)
    if isinstance(node, Sequence):
        for index in range(_first_candidate(node, offset, text), size(node)):
            item: Node = child(node, index)
            if item.span.contains(offset) and not is_empty_scalar(item):
                return _walk(item, offset, (*path, index), None, node, text)
        return Cursor(offset, path, "container", node, pair, parent)
    role: Role = "value" if pair is not None and pair.value is node else "item"
    return Cursor(offset, path, role, node, pair, parent)


def _first_candidate(node: Mapping | Sequence, offset: int, text: str | None) -> int:
    """Where the scan for the child at offset starts: 0, or in a big block collection of an alias-free
    text, the last child starting at or before offset (children read one by one: a collection spliced
    by a keystroke builds none of the others)."""
    count = size(node)
    if count <= _HALVE_FROM or node.flow or not _ordered(text):
        return 0
    return max(0, bisect_right(range(count), offset, key=lambda j: _child_start(child(node, j))) - 1)


def _ordered(text: str | None) -> bool:
    """True when the text has no alias, so every collection's entries are in source order."""
    return text is not None and "*" not in text


def _child_start(found: Pair | Node) -> int:
    return found.key.span.start if isinstance(found, Pair) else found.span.start


def _in_empty_value(text: str, key_end: int, offset: int) -> bool:
    """True when offset lies after `key:` on the key's own line (where the missing value would go)."""
    if offset <= key_end:
        return False
    between = text[key_end:offset]
    return "\n" not in between and "\r" not in between and between.lstrip().startswith(":")


def value_region(text: str, key_end: int) -> Span:
    """Where a value written after `key:` on the key's line is (up to a comment or the line end)."""
    index = line_index(text)
    line = index.line_of(key_end)
    line_end = index.starts[line] + len(index.line_text(line))
    colon = text.find(":", key_end, line_end)
    start = colon + 1 if colon >= 0 else key_end
    while start < line_end and text[start] in " \t":
        start += 1
    end = _comment_start(text, start, line_end)
    while end > start and text[end - 1] in " \t":
        end -= 1
    return Span(start, end)


def _comment_start(text: str, start: int, end: int) -> int:
    quote: str | None = None
    for i in range(start, end):
        ch = text[i]
        if quote:
            if ch == quote:
                quote = None
        elif ch in "\"'":
            quote = ch
        elif ch == "#" and (i == start or text[i - 1] in " \t"):
            return i
    return end


# ---------------------------------------------------------------------------
# completion context: robust to half-typed, unparseable lines
# ---------------------------------------------------------------------------

_KEY_LINE = re.compile(r"^(?P<indent>[ ]*)(?P<dashes>(?:-[ ]+)*)(?P<word>[^\s:#\[\]{},\"']*)$")
_VALUE_LINE = re.compile(
    r"^(?P<indent>[ ]*)(?P<dashes>(?:-[ ]+)*)(?P<key>[^\s:#\[\]{}\"',-][^:#\[\]{}\"',]*?)[ ]*:(?:[ ]+(?P<value>.*))?$"
)
_ITEM_LINE = re.compile(r"^(?P<indent>[ ]*)-[ ]+(?P<value>[\"']?[^:#]*)$")


@dataclass(frozen=True)
class EditContext:
    """Where completion happens: a key in a mapping, a mapping value, or a sequence item."""

    role: Literal["key", "value", "item"]
    path: KeyPath  # keys: the mapping's path; values: the key's path; items: the sequence's path
    prefix: str  # what is typed before the cursor (without an opening quote)
    replace: Span  # the text a completion replaces (current-text offsets)
    quote: str | None  # the quote the value was started with
    new_item: bool = False  # keys of a sequence item being started with "- "
    siblings: tuple[str, ...] = ()  # keys already present in the mapping (for key completion)


@dataclass(frozen=True)
class Tree:
    """A parsed tree, its own text, and how current-text offsets map into it."""

    root: Node | None
    text: str
    to_tree: Callable[[int], int]

    @classmethod
    def current(cls, root: Node | None, text: str) -> Tree:
        """The tree of the text being edited."""
        return cls(root, text, lambda offset: offset)


def edit_context(text: str, offset: int, tree: Tree) -> EditContext | None:
    """The completion context at offset, read from the current line and the last tree that parsed."""
    index = line_index(text)
    line = index.line_of(offset)
    line_start = index.starts[line]
    before = text[line_start:offset]
    after = index.line_text(line)[len(before) :]
    if _comment_start(text, line_start, offset) < offset:
        return None
    limit = tree.to_tree(line_start)
    columns = _Columns(tree.text)
    match = _KEY_LINE.match(before)
    if match is not None:
        column = len(match["indent"]) + len(match["dashes"])
        word = match["word"]
        tail = re.match(r"[^\s:#]*", after)
        end = offset + (len(tail.group()) if tail else 0)
        path, siblings, new_item = _block_path(tree.root, columns, limit, column, _dash(match))
        if path is None:
            return None
        return EditContext("key", path, word, Span(offset - len(word), end), None, new_item, siblings)
    match = _VALUE_LINE.match(before)
    if match is not None:
        column = len(match["indent"]) + len(match["dashes"])
        path, _, _ = _block_path(tree.root, columns, limit, column, _dash(match))
        if path is None:
            return None
        key = match["key"].strip()
        raw = match["value"] or ""
        if raw.lstrip().startswith("["):
            return _flow_item(text, offset, raw, (*path, key))
        return _scalar_context("value", (*path, key), offset, raw, after)
    match = _ITEM_LINE.match(before)
    if match is not None:
        indent = len(match["indent"])
        path, _, _ = _block_path(tree.root, columns, limit, indent + 2, indent, item_value=True)
        if path is None:
            return None
        return _scalar_context("item", path, offset, match["value"], after)
    return None


def _dash(match: re.Match[str]) -> int | None:
    """Column of the last "- " of a line, or None."""
    dashes = match["dashes"]
    if not dashes:
        return None
    return len(match["indent"]) + dashes.rstrip().rfind("-")


def _scalar_context(role: Literal["value", "item"], path: KeyPath, offset: int, raw: str, after: str) -> EditContext:
    quote = raw[0] if raw[:1] in ("'", '"') else None
    typed = raw[1:] if quote else raw.strip()
    if quote:
        closing = after.find(quote)
        end = offset + (closing + 1 if closing >= 0 else len(after.rstrip()))
    else:
        comment = after.find(" #")
        end = offset + len((after[:comment] if comment >= 0 else after).rstrip())
    return EditContext(role, path, typed, Span(offset - len(raw), end), quote)


def _flow_item(text: str, offset: int, raw: str, path: KeyPath) -> EditContext:
    cut = max(raw.rfind("["), raw.rfind(","))
    stripped = raw[cut + 1 :].lstrip()
    quote = stripped[0] if stripped[:1] in ("'", '"') else None
    rest = re.match(r"[^,\]\n\r]*", text[offset:])
    end = offset + (len(rest.group().rstrip()) if rest else 0)
    return EditContext("item", path, stripped[1:] if quote else stripped, Span(offset - len(stripped), end), quote)


class _Columns:
    """Code-point columns of nodes in the tree's own text (indexed once, on first use)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._index: LineIndex | None = None

    def of(self, node: Node) -> int:
        if self._index is None:
            self._index = line_index(self.text)
        return self._index.position(node.span.start, "utf-32")[1]


def _block_path(
    root: Node | None, columns: _Columns, limit: int, column: int, dash: int | None, item_value: bool = False
) -> tuple[KeyPath | None, tuple[str, ...], bool]:
    """The block collection a line belongs to, judged only from nodes that start before the line.

    column is where the line's key (or value) starts; dash is the column of its last "- ", if
    any. Returns (path, keys already present, whether a new sequence item is being started), so
    a half-typed line never confuses the answer.
    """
    if root is None or (isinstance(root, Scalar) and root.value is None):
        return ((), (), False) if column == 0 and dash is None else (None, (), False)
    node: Node = root
    path: KeyPath = ()
    while True:
        if isinstance(node, Mapping) and not node.flow and node.pairs:
            key_column = columns.of(node.pairs[0].key)
            if dash is None and column <= key_column:
                return path, tuple(node.keys()), False
            if dash is not None and dash < key_column:
                return None, (), False
            last = _last_pair_before(node.pairs, limit)
            if last is None:
                return None, (), False
            name = last.key.text if isinstance(last.key, Scalar) else "?"
            value = last.value
            if isinstance(value, (Mapping, Sequence)) and not value.flow and value.span.start < limit:
                node, path = value, (*path, name)
                continue
            if is_empty_scalar(value) or value.span.start >= limit:
                if dash is not None:
                    return ((*path, name), (), False) if item_value else ((*path, name, 0), (), True)
                return (*path, name), (), False
            return None, (), False
        if isinstance(node, Sequence) and not node.flow and node.items:
            dash_column = columns.of(node)
            if dash is not None and dash == dash_column:
                return (path, (), False) if item_value else ((*path, len(node.items)), (), True)
            if (dash if dash is not None else column) <= dash_column:
                return None, (), False
            last_index = _last_item_before(node.items, limit)
            item = node.items[last_index] if last_index is not None else None
            if isinstance(item, Mapping) and not item.flow and item.pairs:
                node, path = item, (*path, last_index)  # type: ignore[arg-type]
                continue
            return None, (), False
        return None, (), False


def _last_pair_before(pairs: list[Pair], limit: int) -> Pair | None:
    found = None
    for pair in pairs:
        if pair.key.span.start < limit:
            found = pair
    return found


def _last_item_before(items: list[Node], limit: int) -> int | None:
    found = None
    for index, item in enumerate(items):
        if item.span.start < limit:
            found = index
    return found
