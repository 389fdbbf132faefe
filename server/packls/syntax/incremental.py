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
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import TYPE_CHECKING

from packls.syntax.fast import _span, collector_paused, compose_fast
from packls.syntax.nodes import Mapping, Node, Pair, Scalar, Sequence
from packls.syntax.shifted import SHIFTED, ShiftedMapping, ShiftedSequence, shift

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


_CHUNK = 16_384  # characters compared per step before the binary search inside the first differing chunk


def _common_prefix(a: str, b: str) -> int:
    """Length of the longest common prefix (C-speed slice comparisons, chunk by chunk, then a bisection)."""
    limit = min(len(a), len(b))
    lo = 0
    while lo < limit:
        hi = min(lo + _CHUNK, limit)
        if a[lo:hi] != b[lo:hi]:
            break
        lo = hi
    else:
        return limit
    while lo < hi:  # a[:lo] == b[:lo]; they differ before hi
        mid = (lo + hi + 1) // 2
        if a[lo:mid] == b[lo:mid]:
            lo = mid
        else:
            hi = mid - 1
    return lo


def _common_suffix(a: str, b: str, limit: int) -> int:
    """Length of the longest common suffix, at most limit (as _common_prefix, from the ends)."""
    la, lb = len(a), len(b)
    lo = 0
    while lo < limit:
        hi = min(lo + _CHUNK, limit)
        if a[la - hi : la - lo] != b[lb - hi : lb - lo]:
            break
        lo = hi
    else:
        return limit
    while lo < hi:  # the last lo characters agree; the last hi do not
        mid = (lo + hi + 1) // 2
        if a[la - mid : la - lo] == b[lb - mid : lb - lo]:
            lo = mid
        else:
            hi = mid - 1
    return lo


def _reparse_from(old: str, documents: list[Node], new: str) -> list[Node] | None:
    root = documents[0]
    if not isinstance(root, Mapping) or root.flow or not root.pairs:
        return None
    prefix = _common_prefix(old, new)
    if prefix == len(old) == len(new):
        return documents
    # never let prefix and suffix overlap in either text
    suffix = _common_suffix(old, new, min(len(old), len(new)) - prefix)
    old_end, new_end = len(old) - suffix, len(new) - suffix
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
    region = new[region_start:new_region_end]
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


def _with_notes(root: Node) -> Node:
    """root with each top-level collection value a ShiftedMapping/ShiftedSequence (by 0 unless already shifted)."""
    if not isinstance(root, Mapping) or root.flow or not root.pairs:
        return root
    pairs = root.pairs
    if all(p.value.__class__ in SHIFTED or p.value.__class__ is Scalar for p in pairs):
        return root
    wrapped = [p if p.value.__class__ in SHIFTED or p.value.__class__ is Scalar else Pair(p.key, _by_zero(p.value)) for p in pairs]
    return Mapping(root.span, wrapped, False)


def _by_zero(node: Node) -> Node:
    """node as a shift by 0, with notes of its own."""
    if isinstance(node, Mapping):
        return ShiftedMapping(node, 0, {})
    assert isinstance(node, Sequence)
    return ShiftedSequence(node, 0, {})


def _shift_pair(pair: Pair, delta: int) -> Pair:
    """pair moved by delta (its value lazily when it is a collection)."""
    return Pair(shift(pair.key, delta), shift(pair.value, delta))
