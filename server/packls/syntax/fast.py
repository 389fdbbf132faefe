"""A fast path for ordinary pack YAML: libyaml composes, packls nodes come out identical.

ruamel.yaml's round-trip composer is pure Python and costs about 0.08 ms per line; libyaml
(PyYAML's C parser) composes the same text some 25 times faster. This module is used only
when it gives *exactly* what the ruamel path gives, so it is deliberately narrow:

* only when PyYAML's C extension is importable (otherwise :func:`compose_fast` says "no");
* only texts with none of the features where YAML 1.1 (libyaml) and 1.2 (ruamel) read
  differently or where the two report positions differently: tabs, CR, NEL/LS/PS line
  breaks, a BOM, non-printable characters, directives, explicit tags, complex keys,
  very deep nesting;
* scalars are typed by ruamel's YAML 1.2 rules (`plain_scalars`; cached per text), never libyaml's;
* any libyaml error gives up, and the caller parses again with ruamel, whose message and
  position the user then sees.

`tests/test_syntax_fast.py` checks, on real and mutated pack files, that every text this
path accepts yields the same nodes, spans, duplicates and problems as ruamel.

The tree is built by `_compose.c` (the same rules in C, 4-5x faster) where that extension was
built, else by `_build` here, which stays the reference: `tests/test_syntax_compiled.py` checks
the two give identical trees, duplicates and refusals.
"""

from __future__ import annotations

import bisect
import functools
import re
from typing import Any

from packls.syntax import pyyaml_reader
from packls.syntax.collector import collector_paused
from packls.syntax.nodes import Mapping, Node, Pair, Scalar, Sequence, Span
from packls.syntax.plain_scalars import TYPED_FIRST_CHARS, plain_tag
from packls.syntax.shared import SHARED_OFFSETS, SHARED_TEXT, share_offsets
from packls.syntax.shared import shared_text as _shared_text

try:  # PyYAML with libyaml: optional; without it every text takes the ruamel path
    pyyaml_reader.prime()
    from yaml import events as _ev
    from yaml._yaml import CParser as _CParser
    from yaml.error import YAMLError as _YAMLError
except ImportError:  # pragma: no cover - depends on the environment
    _CParser = None

_TAG = "tag:yaml.org,2002:"
# Characters where YAML 1.1 and 1.2 differ or positions could disagree; any of them -> ruamel.
_REFUSE_CHARS = re.compile("[\t\r\x85\u2028\u2029\ufeff]")
# ruamel's reader rejects these (NON_PRINTABLE: everything but \n, \x20-\x7e, \x85, \xa0-\ud7ff, \ue000-\ufffd and
# \U00010000-\U0010ffff); let ruamel report them. Written as the complement's few ranges: the negated class of big
# ranges took ~6 ms to compile at every start.
_NON_PRINTABLE = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufffe\uffff]")
def available() -> bool:
    """True when libyaml can be used at all."""
    return _CParser is not None


@functools.lru_cache(maxsize=1)
def _typed_text() -> Any:
    from packls.syntax.parse import _typed_text as typed

    return typed


@functools.lru_cache(maxsize=65536)
def _plain_value(text: str) -> object:
    """The typed value ruamel's YAML 1.2 resolver gives a plain scalar with this text."""
    return _typed_text()(plain_tag(text), text)


def _typed_first_chars() -> frozenset[str]:
    """First characters of the texts ruamel's resolver may give a typed value (others are strings)."""
    return TYPED_FIRST_CHARS


class Refused(Exception):
    """The fast path cannot vouch for this text; parse it with ruamel."""


MAX_VALUES = 200_000  # scalars and aliases per text (1-2 s of work); real pack files hold a few hundred


class TooManyValues(Exception):
    """The text holds more YAML values than packls reads; `at` is the offset where it stopped."""

    def __init__(self, limit: int, at: int) -> None:
        super().__init__(limit, at)
        self.limit = limit
        self.at = at


_BLOCK_VALUE = 1
_BLOCK_ENTRY = 2
_OTHER = 0
# After `key:` with nothing else: spaces, then line breaks and blank lines, no comment.
_AFTER_EMPTY = re.compile(r"[ ]*(?:\n[ ]*)*(?=[^ \n#]|\Z)")
_DIRECTIVE = re.compile(r"(?m)^%")
_TAG_START = re.compile(r"(?:^|[\s\[\]{},])!")  # a tag, or a `!` after a separator (rare: give up)
_COMPLEX_KEY = re.compile(r"(?:^|[\s\[{,])\?(?:\s|$)")
_NESTED_ENTRIES = re.compile(r"(?:-[ ]+){40}")
_HEADER_COMMENT = re.compile(r"[|>][0-9+-]*#")  # `|#`: 1.1 reads a comment, 1.2 an error
# What may follow an anchor or alias name so that YAML 1.1 and 1.2 read the same name: 1.1 (libyaml)
# ends a name at any character outside [A-Za-z0-9_-], 1.2 (ruamel) only at a space or `,[]{}` (`&a:`).
_NAME_ENDS = frozenset(" \n,]}")
_DEEP_INDENT = "\n" + " " * 400


def accepts(text: str) -> bool:
    """Cheap pre-check: could the fast path handle this text at all?"""
    if _CParser is None:
        return False
    if text.isascii():  # of the refused characters only tab and CR are ASCII: two scans in C, no regex
        if "\t" in text or "\r" in text:
            return False
    elif _REFUSE_CHARS.search(text) or _NON_PRINTABLE.search(text):
        return False
    if "%" in text and _DIRECTIVE.search(text):
        return False
    if "!" in text and _TAG_START.search(text):
        return False
    if "?" in text and _COMPLEX_KEY.search(text):
        return False
    if "- -" in text and _NESTED_ENTRIES.search(text):
        return False
    if _DEEP_INDENT in text:
        return False
    return not ("#" in text and ("|" in text or ">" in text) and _HEADER_COMMENT.search(text))


def _same_name_in_1_2(text: str, at: int, name: str) -> None:
    """Refuse an anchor or alias (at `&`/`*`) whose name YAML 1.2 would read longer than libyaml did."""
    end = at + 1 + len(name)
    if text[at + 1 : end] != name or (end < len(text) and text[end] not in _NAME_ENDS):
        raise Refused("an anchor name YAML 1.1 and 1.2 read differently")


def compose_fast(text: str, duplicates: list[Any]) -> list[Node] | None:
    """Every document of text as packls nodes, or None when ruamel must decide.

    A leading BOM and CRLF line ends are common in files saved on Windows: the text is composed
    without them and every span is moved back onto the text as written (YAML reads a CRLF as one
    line break, so values are the same; ruamel counts the BOM as the first character). A BOM
    anywhere else and a lone CR still go to ruamel. Raises TooManyValues past MAX_VALUES.
    """
    bom = 1 if text.startswith("\ufeff") else 0
    body = text[bom:]
    crlf = "\r" in body
    if crlf and _LONE_CR.search(body):
        return None
    plain = body.replace("\r\n", "\n") if crlf else body
    if not accepts(plain):
        return None
    breaks = _line_breaks_after_cr(body) if crlf else []

    def written(offset: int) -> int:
        """A plain-text offset in the text as written: after the BOM, after each CR before it (an end before an LF stays before its CR)."""
        at = bom + offset + bisect.bisect_left(breaks, offset)
        return SHARED_OFFSETS[at] if at < len(SHARED_OFFSETS) else at

    share_offsets(len(text))
    try:
        with collector_paused:
            documents = (_build if compiled_builder() is None else _build_compiled)(plain, duplicates)
    except (Refused, _YAMLError, RecursionError, ValueError, TypeError, KeyError, IndexError):
        documents = None
    except TooManyValues as stop:
        duplicates.clear()
        raise TooManyValues(stop.limit, written(stop.at)) from None
    if documents is None:
        duplicates.clear()
        return None
    if plain is not text:
        _move_spans(documents, duplicates, written)
    return documents


_LONE_CR = re.compile(r"\r(?!\n)")


def _line_breaks_after_cr(text: str) -> list[int]:
    """Where each CRLF's LF lies once the CRs are taken out (sorted)."""
    found: list[int] = []
    at = text.find("\r\n")
    while at >= 0:
        found.append(at - len(found))
        at = text.find("\r\n", at + 2)
    return found


def _move_spans(documents: list[Node], duplicates: list[Any], written: Any) -> None:
    """Apply an offset mapping to every span of a tree (each node shared by aliases once) and of its duplicates."""
    from packls.syntax.parse import DuplicateKey

    def moved(span: Span) -> Span:
        return _span(written(span.start), written(span.end))

    seen: set[int] = set()
    pending: list[Node] = list(documents)
    while pending:
        node = pending.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        node.span = moved(node.span)
        if isinstance(node, Mapping):
            for pair in node.pairs:
                pending.append(pair.key)
                pending.append(pair.value)
        elif isinstance(node, Sequence):
            pending.extend(node.items)
    duplicates[:] = [DuplicateKey(d.key, moved(d.first), moved(d.again)) for d in duplicates]


def _empty_position(text: str, at: int, context: int) -> int:
    """Where ruamel puts an empty (null) value; libyaml puts some of them elsewhere.

    After `- ` both use the end of the `-`. After `key:` in a block mapping ruamel uses the
    start of the next token (the next key, a dedent, or the end of the text), unless a
    comment follows, where its comment handling decides: such texts go to ruamel. Empty
    values anywhere else (flow collections, keys, documents) go to ruamel too.
    """
    if context == _BLOCK_ENTRY:
        return at
    if context != _BLOCK_VALUE or at == 0 or text[at - 1] != ":":
        raise Refused("empty value outside a block mapping value")
    match = _AFTER_EMPTY.match(text, at)
    if match is None:
        raise Refused("comment or content after an empty value")
    return match.end()


_new = object.__new__
_set_start = Span.start.__set__  # type: ignore[attr-defined]
_set_end = Span.end.__set__  # type: ignore[attr-defined]


def _span(start: int, end: int) -> Span:
    """Span(start, end) at half the cost (the frozen dataclass __init__ goes through object.__setattr__)."""
    span = _new(Span)
    _set_start(span, start)
    _set_end(span, end)
    return span


def _build_compiled(text: str, duplicates: list[Any]) -> list[Node] | None:
    """`_build` in C (`_compose.c`): the same nodes, or None where `_build` would raise Refused or a YAML error.

    It takes every offset the shared table holds (it checks each index against the table's length).
    """
    return compiled_builder().build(text, duplicates, SHARED_OFFSETS)  # type: ignore[no-any-return]


@functools.lru_cache(maxsize=1)
def compiled_builder() -> Any:
    """The C builder configured with packls's node classes and rules, or None where it was not built."""
    try:
        from packls.syntax import _compose  # type: ignore[attr-defined]
    except ImportError:  # no compiler or libyaml headers at install time, or another platform's build
        return None
    from packls.syntax.parse import DuplicateKey

    _compose.configure(Span, Scalar, Mapping, Sequence, Pair, DuplicateKey, TooManyValues,
                       _plain_value, _typed_first_chars(), SHARED_TEXT, MAX_VALUES)
    return _compose


def _build(text: str, duplicates: list[Any]) -> list[Node]:
    """libyaml events -> packls nodes in one pass, the way ruamel's composer would build them.

    Aliases share the anchored node (never expanded). Scalars are typed by ruamel's resolver.
    """
    from packls.syntax.parse import DuplicateKey

    ScalarEvent, AliasEvent = _ev.ScalarEvent, _ev.AliasEvent
    MappingStartEvent, SequenceStartEvent = _ev.MappingStartEvent, _ev.SequenceStartEvent
    MappingEndEvent, SequenceEndEvent = _ev.MappingEndEvent, _ev.SequenceEndEvent
    DocumentStartEvent, DocumentEndEvent = _ev.DocumentStartEvent, _ev.DocumentEndEvent
    StreamStartEvent, StreamEndEvent = _ev.StreamStartEvent, _ev.StreamEndEvent
    plain_value = _plain_value
    typed_first = _typed_first_chars()
    new, SpanType, set_start, set_end, ScalarType = _new, Span, _set_start, _set_end, Scalar
    # offsets[i] is i: the shared int objects (packls.syntax.shared) when the text is short enough
    offsets = SHARED_OFFSETS if len(text) < len(SHARED_OFFSETS) else None
    shared_text, short = _shared_text, SHARED_TEXT
    parser = _CParser(text)
    next_event = parser.get_event
    documents: list[Node] = []
    anchors: dict[str, Node] = {}
    # Open collections: [node, is_mapping, pending key (mappings), seen keys, child context].
    stack: list[list[Any]] = []
    top: list[Any] | None = None
    budget = MAX_VALUES
    try:
        while True:
            event = next_event()
            if event is None:
                break
            cls = event.__class__
            if cls is ScalarEvent:  # the most common event first; spans built inline (a call per node adds up)
                budget -= 1
                if budget < 0:
                    raise TooManyValues(MAX_VALUES, event.start_mark.index)
                if event.tag is not None:
                    raise Refused("explicit tag")
                start = event.start_mark.index
                end = event.end_mark.index
                if offsets is not None:
                    start, end = offsets[start], offsets[end]
                value = event.value
                if len(value) <= short or (top is not None and top[1] and top[2] is None):
                    value = shared_text(value)  # keys and short values: few distinct words across all files
                style = event.style or None
                span = new(SpanType)
                if style is None:
                    if start == end and not value:
                        start = end = _empty_position(text, start, top[4] if top is not None else _OTHER)
                    set_start(span, start)
                    set_end(span, end)
                    node: Node = ScalarType(span, value if value and value[0] not in typed_first else plain_value(value), value, None)
                else:
                    if style in ("|", ">"):
                        while end > start and text[end - 1] in " \n":
                            end -= 1
                    set_start(span, start)
                    set_end(span, end)
                    node = ScalarType(span, value, value, style)
                if event.anchor is not None:
                    if event.anchor in anchors:
                        raise Refused("anchor defined twice")
                    _same_name_in_1_2(text, event.start_mark.index, event.anchor)
                    anchors[event.anchor] = node
            elif cls is AliasEvent:
                budget -= 1
                if budget < 0:
                    raise TooManyValues(MAX_VALUES, event.start_mark.index)
                _same_name_in_1_2(text, event.start_mark.index, event.anchor)
                node = anchors[event.anchor]
            elif cls is MappingStartEvent or cls is SequenceStartEvent:
                if event.tag is not None:
                    raise Refused("explicit tag")
                flow = bool(event.flow_style)
                start = event.start_mark.index
                if offsets is not None:
                    start = offsets[start]
                mapping = cls is MappingStartEvent
                collection: Node = (Mapping if mapping else Sequence)(_span(start, start), flow=flow)
                if event.anchor is not None:
                    if event.anchor in anchors:
                        raise Refused("anchor defined twice")
                    _same_name_in_1_2(text, start, event.anchor)
                    anchors[event.anchor] = collection
                context = _OTHER if flow else (_BLOCK_VALUE if mapping else _BLOCK_ENTRY)
                top = [collection, mapping, None, {} if mapping else None, context]
                stack.append(top)
                continue
            elif cls is MappingEndEvent or cls is SequenceEndEvent:
                frame = stack.pop()
                node = frame[0]
                start = node.span.start
                if node.flow:
                    node.span = _span(start, max(event.end_mark.index, start))
                else:
                    children = node.pairs if frame[1] else node.items
                    if children:
                        last = children[-1].value if frame[1] else children[-1]
                        node.span = _span(start, last.span.end)
                    else:
                        node.span = _span(start, max(event.end_mark.index, start))
                top = stack[-1] if stack else None
                if frame[1] and frame[2] is not None:
                    raise Refused("mapping ended after a key")
            elif cls is DocumentStartEvent:
                if event.version is not None or event.tags:
                    raise Refused("directive")
                anchors = {}
                continue
            elif cls is DocumentEndEvent or cls is StreamStartEvent or cls is StreamEndEvent:
                continue
            else:
                raise Refused(f"unexpected event {cls.__name__}")
            # attach the finished node to its parent
            if top is None:
                documents.append(node)
            elif top[1]:
                key = top[2]
                if key is None:
                    top[2] = node
                    continue
                top[0].pairs.append(Pair(key, node))
                top[2] = None
                if key.__class__ is Scalar:
                    seen = top[3]
                    first = seen.get(key.text)
                    if first is None:
                        seen[key.text] = key.span
                    else:
                        duplicates.append(DuplicateKey(key.text, first, key.span))
            else:
                top[0].items.append(node)
    finally:
        parser.dispose()
    return documents
