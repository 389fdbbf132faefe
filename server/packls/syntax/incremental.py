"""Reparse only what changed in a big document: one top-level entry, the rest reused.

An editor sends a big file again after every keystroke, changed in one place. When the
previous text of the same document was parsed by the fast path and the change lies inside one
top-level `key: ...` entry of a block mapping, only that entry is parsed again; entries
before it are reused as they are and entries after it are shifted (spans are absolute offsets,
so their nodes cannot be shared: `packls.syntax.shifted` builds the moved nodes only when they
are read). The result is the tree a full parse gives; anything unusual gives up (None) and the
caller parses the whole text:

* only texts of at least MIN_CHARS, parsed before by the fast path, one document, a block
  mapping whose keys start at column 0, no anchors or aliases, no duplicate keys;
* the edited entry, parsed on its own, must be exactly one `key: value` entry starting at
  column 0, and its key must stay different from every other top-level key.

A top-level entry of a block mapping ends where the next line starts at column 0 with a key,
so parsing it alone gives the nodes it has in context; `tests/test_syntax_incremental.py`
checks that claim against full parses on random edits.

When the edited entry is big (NESTED_MIN) and its value a block mapping, the same is done one
level down, recursively (`_splice`): only the nested entry holding the edit is parsed (from its
key's line start to the next sibling key, indentation included), its siblings before it are
shared and those after it shifted; it declines (the whole top-level entry is parsed) unless
that region alone is exactly one block entry with its key at the same column, a key no sibling
has, and no line at column 0 with content. A big block sequence (a workflow's `tasks`) gets the
same one item down (`_splice_items`). The first big parse's top-level mappings (sequences) of
many entries (items) get their values (items) as shifts by 0, so the checks' notes are per entry.
A spliced top-level collection notes which child was replaced (`packls.syntax.spliced`), so
results kept for the whole list are patched for that child. The flow-depth limit is checked
again only when the edit adds or removes a bracket (otherwise every depth is the old text's).
"""

from __future__ import annotations

import bisect
import functools
import re
import threading
from collections import OrderedDict
from typing import TYPE_CHECKING

from packls.syntax.depth import flow_depth_exceeded, has_bracket
from packls.syntax.collector import collector_paused
from packls.syntax.fast import _span, compose_fast
from packls.syntax.incremental_ends import common_prefix, common_suffix
from packls.syntax.incremental_entries import SplicedMapping, SplicedSequence, key_index, lazily_spliced
from packls.syntax.nodes import Mapping, Node, Pair, Scalar, Sequence
from packls.syntax.shifted import SHIFTED, ShiftedMapping, ShiftedSequence, _moved, shift
from packls.syntax.spliced import record

if TYPE_CHECKING:
    from packls.syntax.parse import ParsedYaml

MIN_CHARS = 200_000  # below this a full fast parse takes < 100 ms; not worth the memory
_KEEP = 2  # recent big parses remembered (the documents being typed in)
_recent: OrderedDict[str, list[Node]] = OrderedDict()
_lock = threading.Lock()  # the language server parses big texts in worker threads


def remember(parsed: ParsedYaml) -> None:
    """Keep a big, clean fast-path parse as the base for the next edit of the same document.

    Its top-level collections are then served as shifts by 0 of themselves, so that what the
    checks find in them (kept in their notes) is still there for the next versions.
    """
    text = parsed.text
    if len(text) < MIN_CHARS or parsed.problem is not None or parsed.duplicates or len(parsed.documents) != 1:
        return
    if "&" in text or "*" in text:
        return
    parsed.documents = [_with_notes(parsed.documents[0])]
    with _lock:
        _recent[text] = parsed.documents
        _recent.move_to_end(text)
        while len(_recent) > _KEEP:
            _recent.popitem(last=False)


def forget() -> None:
    """Drop every remembered parse (tests, or memory pressure)."""
    with _lock:
        _recent.clear()


def reparse(text: str) -> list[Node] | None:
    """The documents of text built from a remembered parse of a slightly different text, or None."""
    if len(text) < MIN_CHARS or not _recent or "&" in text or "*" in text:
        return None
    with _lock:
        candidates = list(reversed(_recent.items()))
    for old_text, old_documents in candidates:
        with collector_paused:
            documents = _reparse_from(old_text, old_documents, text)
        if documents is not None:
            return documents
    return None


def _reparse_from(old: str, documents: list[Node], new: str) -> list[Node] | None:
    root = documents[0]
    if not isinstance(root, Mapping) or root.flow or not root.pairs:
        return None
    prefix = common_prefix(old, new)
    if prefix == len(old) == len(new):
        return documents
    # never let prefix and suffix overlap in either text
    suffix = common_suffix(old, new, min(len(old), len(new)) - prefix)
    old_end, new_end = len(old) - suffix, len(new) - suffix
    if (has_bracket(old[prefix:old_end]) or has_bracket(new[prefix:new_end])) and flow_depth_exceeded(new) is not None:
        return None  # otherwise every bracket is where it was, at the depth it had in old (which was not too deep)
    delta = len(new) - len(old)
    starts = [pair.key.span.start for pair in root.pairs]
    for start in starts:
        if start and old[start - 1] != "\n":
            return None  # a top-level key not at column 0
    # the entry whose line region holds the whole edit
    index = None
    for i, start in enumerate(starts):
        region_end = starts[i + 1] if i + 1 < len(starts) else len(old)
        if start <= prefix and old_end <= region_end and (old_end < region_end or i + 1 == len(starts)):
            index = i
            break
    if index is None:
        return None
    first = starts[0]
    if index == 0:
        first = 0  # comments and blank lines before the first key belong to its region
    region_start = first if index == 0 else starts[index]
    old_region_end = starts[index + 1] if index + 1 < len(starts) else len(old)
    new_region_end = old_region_end + delta
    if region_start > prefix or new_region_end < new_end:
        return None
    nested = root.pairs[index]
    if old_region_end - region_start >= NESTED_MIN and prefix > nested.key.span.end:
        spliced = _splice_value(nested.value, old, new, prefix, old_end, delta, old_region_end)
        if spliced is not None:
            value = _by_zero(spliced[0])  # noted, as remember would
            record(value.notes, nested.value, spliced[1], delta)  # type: ignore[union-attr]
            pairs = list(root.pairs[:index])
            pairs.append(Pair(nested.key, value))
            pairs.extend(_shift_pair(p, delta) if delta else p for p in root.pairs[index + 1 :])
            return [Mapping(_span(pairs[0].key.span.start, pairs[-1].value.span.end), pairs, False)]
    region = new[region_start:new_region_end]
    if "\n---" in region or "\n..." in region:
        return None  # a document marker would end the document in context, not in the region alone
    duplicates: list = []
    parsed = compose_fast(region, duplicates)
    if parsed is None or duplicates or len(parsed) != 1:
        return None
    entry = parsed[0]
    if not isinstance(entry, Mapping) or entry.flow or len(entry.pairs) != 1:
        return None
    key = entry.pairs[0].key
    if not isinstance(key, Scalar) or (index and key.span.start != 0):
        return None
    others = {p.key.text for j, p in enumerate(root.pairs) if j != index and isinstance(p.key, Scalar)}
    if key.text in others:
        return None
    pairs = list(root.pairs[:index])
    pairs.append(_shift_pair(entry.pairs[0], region_start))
    pairs.extend(_shift_pair(p, delta) if delta else p for p in root.pairs[index + 1 :])
    start = pairs[0].key.span.start
    mapping = Mapping(_span(start, pairs[-1].value.span.end), pairs, False)
    return [mapping]


NESTED_MIN = 4096  # an entry's region at least this long: try to reparse one of its nested entries instead


def _splice_value(node: Node, old: str, new: str, prefix: int, old_end: int, delta: int, hi: int) -> tuple[Mapping | Sequence, int] | None:
    """_splice for a block mapping, _splice_items for a block sequence (None for anything else): the new node, the child replaced."""
    if node.__class__ is Sequence or node.__class__ is ShiftedSequence or node.__class__ is SplicedSequence:
        return _splice_items(node, old, new, prefix, old_end, delta, hi)  # type: ignore[arg-type]
    return _splice(node, old, new, prefix, old_end, delta, hi)


_BLOCK_MAPPINGS = frozenset({Mapping, ShiftedMapping, SplicedMapping})


def _splice(node: Node, old: str, new: str, prefix: int, old_end: int, delta: int, hi: int) -> tuple[Mapping, int] | None:
    """node (a block mapping of old) with only the nested entry holding the edit parsed again (and its index), or None.

    The edit [prefix, old_end) of old lies inside node's entries, which end at hi (the start of
    the next key of an enclosing mapping, or the end of the text; the caller checked that the
    line break and indentation before it are not edited). The entry's region runs from its key's
    line start to the next sibling key itself (its indentation included, so an empty value at the
    end lands where it does in context) or to hi for the last entry. The region parsed alone must
    give exactly one block `key: value` entry with its key at the same column, a key no sibling
    has, and nothing that could end the enclosing collections (a column-0 line, a document
    marker); entries before it are shared, entries after it shifted by delta. Recurses into the
    entry's own value when that region is big.
    """
    if node.__class__ not in _BLOCK_MAPPINGS or node.flow:  # type: ignore[union-attr]
        return None
    lazy = lazily_spliced(node)  # type: ignore[arg-type]
    if lazy is not None and lazy.locate(prefix) == lazy.index:  # typing on in the entry the last keystroke reparsed
        i, count = lazy.index, len(lazy.entries)
        pair, taken, join = lazy.replaced, lazy.taken, lambda replaced: lazy.again(replaced, delta)
        next_start = lazy.start(i + 1) if i + 1 < count else 0
    else:
        pairs = node.pairs  # type: ignore[union-attr]
        i = bisect.bisect_right(pairs, prefix, key=_key_start) - 1 if pairs else -1
        keys = key_index(pairs)
        if i < 0 or keys is None:
            return None
        count, pair, taken, join = len(pairs), pairs[i], lambda text: keys.get(text, i) != i, lambda replaced: _joined(pairs, keys, i, replaced, delta)
        next_start = pairs[i + 1].key.span.start if i + 1 < count else 0
    key = pair.key
    if key.__class__ is not Scalar:
        return None
    key_start = key.span.start
    line_start = old.rfind("\n", 0, key_start) + 1
    column = key_start - line_start
    if column <= 0 or line_start == 0 or old.count(" ", line_start, key_start) != column:
        return None
    last = i + 1 == count
    if last:
        old_stop = hi
    else:
        old_stop = next_start
        if old_end >= old_stop - column or old[old_stop - column - 1] != "\n" or old.count(" ", old_stop - column, old_stop) != column:
            return None  # the next key's line break and indentation must stay as they are
    if old_end > old_stop:
        return None
    new_stop = old_stop + delta
    region = new[line_start:new_stop]
    if "\n---" in region or "\n..." in region or re.search(_COLUMN_0, region):
        return None
    if old_stop - line_start >= NESTED_MIN and prefix > key.span.end:
        value = _splice_value(pair.value, old, new, prefix, old_end, delta, old_stop)
        if value is not None:
            return join(Pair(key, value[0])), i
    duplicates: list = []
    parsed = compose_fast(region, duplicates)
    if parsed is None or duplicates or len(parsed) != 1:
        return None
    entry = parsed[0]
    if entry.__class__ is not Mapping or entry.flow or len(entry.pairs) != 1:  # type: ignore[union-attr]
        return None
    fresh = entry.pairs[0]  # type: ignore[union-attr]
    new_key = fresh.key
    if new_key.__class__ is not Scalar or new_key.span.start != column:
        return None
    if taken(new_key.text):
        return None
    return join(_shift_pair(fresh, line_start)), i


def _splice_items(node: Sequence, old: str, new: str, prefix: int, old_end: int, delta: int, hi: int) -> tuple[Sequence, int] | None:
    """node (a block sequence of old) with only the item holding the edit parsed again (and its index), or None.

    As _splice, one item instead of one entry: the item's region runs from its dash's line start
    to the next item's dash (its indentation included) or to hi for the last item. Every item
    involved must start on its dash's line (`  - name: x`), the edit must lie inside the item's
    content, the region alone must be exactly one block sequence of one item with its dash at the
    same column, and no line in it may be indented less than the dash, or as much with anything
    but a dash or a comment (it would end the sequence in context). Items are not recursed into.
    """
    if node.flow:
        return None
    lazy = lazily_spliced(node)
    if lazy is not None and lazy.locate(prefix) == lazy.index:  # typing on in the item the last keystroke reparsed
        i, items = lazy.index, lazy.entries
        entry = lazy.entry
    else:
        lazy, items = None, node.items
        i = bisect.bisect_right(items, prefix, key=_item_start) - 1 if items else -1
        entry = items.__getitem__
    if i < 0 or items[-1].__class__ is Scalar:
        return None  # a scalar last item's end is where the sequence ends only sometimes
    line_start, column = _dash(old, entry(i))
    if column <= 0 or line_start == 0:
        return None
    last = i + 1 == len(items)
    if last:
        old_stop = hi
    else:
        next_line, next_column = _dash(old, entry(i + 1))
        old_stop = next_line + column
        if next_column != column or old_end >= next_line:
            return None  # the next item's line break and indentation must stay as they are
    if old_end > old_stop:
        return None
    region = new[line_start : old_stop + delta]
    if "\n---" in region or "\n..." in region or re.search(_column_end(column), region):
        return None
    duplicates: list = []
    parsed = compose_fast(region, duplicates)
    if parsed is None or duplicates or len(parsed) != 1:
        return None
    fresh = parsed[0]
    if fresh.__class__ is not Sequence or fresh.flow or len(fresh.items) != 1 or fresh.span.start != column:  # type: ignore[union-attr]
        return None
    item = shift(fresh.items[0], line_start)  # type: ignore[union-attr]
    if last and item.__class__ is Scalar:
        return None
    start = node.span.start if i else fresh.span.start + line_start
    if lazy is not None:
        return lazy.again(start, item, delta), i  # type: ignore[call-arg,arg-type]
    if delta and len(items) >= _LAZY_FROM:
        return SplicedSequence(start, items, i, item, delta), i
    joined = items[:i]
    joined.append(item)
    joined.extend([shift(other, delta) for other in items[i + 1 :]] if delta else items[i + 1 :])
    return Sequence(_span(start, joined[-1].span.end), joined, False), i


def _item_start(item: Node) -> int:
    return item.span.start


def _dash(text: str, item: Node) -> tuple[int, int]:
    """(line start, dash column) of a block sequence item written `- content` on its dash's line; (0, -1) otherwise."""
    start = item.span.start
    line_start = text.rfind("\n", 0, start) + 1
    lead = text[line_start:start]
    column = len(lead) - len(lead.lstrip(" "))
    rest = lead[column:]
    if len(rest) < 2 or rest[0] != "-" or rest[1:].strip(" "):
        return 0, -1
    return line_start, column


@functools.lru_cache(maxsize=64)
def _column_end(column: int) -> re.Pattern[str]:
    """A line that would end a block sequence whose dashes are at column: less indented content, or as much but no dash."""
    return re.compile(rf"\n(?: {{0,{column - 1}}}[^ \n#]| {{{column}}}[^ \n#-])")


_COLUMN_0 = re.compile(r"\n[^ \n#]")  # a line starting at column 0 with content: it would end the nested collections


def _key_start(pair: Pair) -> int:
    return pair.key.span.start


def _joined(pairs: list[Pair], keys: dict[str, int], i: int, replaced: Pair, delta: int) -> Mapping:
    """A block mapping of pairs with pairs[i] replaced, those before shared and those after shifted by delta (built when read)."""
    if delta and len(pairs) >= _LAZY_FROM:
        return SplicedMapping(pairs, keys, i, replaced, delta)
    joined = pairs[:i]
    joined.append(replaced)
    if delta:
        joined.extend([
            Pair(Scalar(_moved(k.span, delta), k.value, k.text, k.style) if (k := p.key).__class__ is Scalar else shift(k, delta), shift(p.value, delta))
            for p in pairs[i + 1 :]
        ])
    else:
        joined.extend(pairs[i + 1 :])
    return Mapping(_span(joined[0].key.span.start, joined[-1].value.span.end), joined, False)


_LAZY_FROM = 64  # entries: a mapping this big keeps its moved entries unbuilt until read (SplicedMapping)


def _with_notes(root: Node) -> Node:
    """root with each top-level collection value a ShiftedMapping/ShiftedSequence (by 0 unless already shifted)."""
    if not isinstance(root, Mapping) or root.flow or not root.pairs:
        return root
    pairs = root.pairs
    if all(p.value.__class__ in SHIFTED or p.value.__class__ is Scalar for p in pairs):
        return root
    wrapped = [p if p.value.__class__ in SHIFTED or p.value.__class__ is Scalar else Pair(p.key, _by_zero(_children_noted(p.value))) for p in pairs]
    return Mapping(root.span, wrapped, False)


_NOTED_CHILDREN = 64  # a top-level block mapping with at least this many entries gets its entries' values noted too


def _children_noted(node: Node) -> Node:
    """A big block mapping (sequence) with each collection value (item) a shift by 0: checks memoise per entry (item)."""
    if node.__class__ is Sequence and not node.flow and len(node.items) >= _NOTED_CHILDREN:  # type: ignore[union-attr]
        items = node.items  # type: ignore[union-attr]
        if all(item.__class__ in SHIFTED or item.__class__ is Scalar for item in items):
            return node
        return Sequence(node.span, [item if item.__class__ in SHIFTED or item.__class__ is Scalar else _by_zero(item) for item in items], False)
    if node.__class__ is not Mapping or node.flow or len(node.pairs) < _NOTED_CHILDREN:  # type: ignore[union-attr]
        return node
    pairs = node.pairs  # type: ignore[union-attr]
    if all(p.value.__class__ in SHIFTED or p.value.__class__ is Scalar for p in pairs):
        return node
    wrapped = [p if p.value.__class__ in SHIFTED or p.value.__class__ is Scalar else Pair(p.key, _by_zero(p.value)) for p in pairs]
    return Mapping(node.span, wrapped, False)


def _by_zero(node: Node) -> Node:
    """node as a shift by 0, with notes of its own."""
    if isinstance(node, Mapping):
        return ShiftedMapping(node, 0, {})
    assert isinstance(node, Sequence)
    return ShiftedSequence(node, 0, {})


def _shift_pair(pair: Pair, delta: int) -> Pair:
    """pair moved by delta (its value lazily when it is a collection)."""
    return Pair(shift(pair.key, delta), shift(pair.value, delta))
