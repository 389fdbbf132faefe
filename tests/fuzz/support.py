"""What the fuzz tests share: seed texts, mutation and YAML-like strategies, and the invariants."""

from __future__ import annotations

import contextlib
import math
from pathlib import Path
from typing import Any, Iterator

from hypothesis import strategies as st

import packls.syntax.parse as parse_module
from packls.syntax.nodes import Mapping, Node, Scalar, Sequence
from packls.syntax.parse import ParsedYaml, parse_yaml

REPO = Path(__file__).resolve().parents[2]
CORPUS = REPO / "tests" / "data" / "corpus" / "attune"
PACKS = REPO / "packs"


def seed_files() -> list[Path]:
    """Every YAML file of the real corpus and the example packs, in a stable order."""
    return sorted([*CORPUS.rglob("*.yaml"), *PACKS.rglob("*.yaml")])


SEED_TEXTS: tuple[str, ...] = tuple(p.read_text(encoding="utf-8") for p in seed_files())

# --- strategies -------------------------------------------------------------------------------

# Fragments that matter to a YAML reader: indicators, breaks of every kind, anchors, tags,
# quotes, block scalar headers, document markers, characters outside the BMP, a BOM.
FRAGMENTS = (
    " ", "  ", "\n", "\r\n", "\r", "\t", ":", ": ", "- ", "-", "? ", "#", " # c", "'", '"', "[", "]", "{", "}",
    ",", "&a ", "*a", "&b ", "*b", "!", "!!str ", "!custom ", "|", "|-", ">", ">+2", "...", "---", "--- ", "%YAML 1.2",
    "~", "null", "true", "1", "0x1F", "1e3", ".nan", "<<: *a", "\\", "@", "`", "é", "😀", "\u2028", "\x85",
    "\ufeff", "\u00a0", "\x07", "\x00", "\ud800", "key", "value", "a", "b",
)
fragments = st.lists(st.sampled_from(FRAGMENTS), max_size=40).map("".join)

# Plain, quoted and block scalars; flow and block collections; anchors and aliases.
PLAIN = ("a", "b", "1", "-1", "1.5", "0x1F", "0o17", "true", "yes", "null", "~", ".inf", "1_000", "3.12", ">=3", "a b", "é", "😀", "x:y")


@st.composite
def _scalar(draw: st.DrawFn) -> str:
    text = draw(st.sampled_from(PLAIN))
    style = draw(st.integers(0, 5))
    if style == 1:
        return "'" + text + draw(st.sampled_from(["", "''", "\n  more"])) + "'"
    if style == 2:
        return '"' + draw(st.sampled_from([text, "\\n", "\\t", "\\u00e9", "\\U0001F600", "a\\\n  b", "x\n  y"])) + '"'
    return text


def _flow(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    items = st.lists(children, max_size=3)
    return st.one_of(
        items.map(lambda xs: "[" + ", ".join(xs) + "]"),
        st.lists(st.tuples(st.sampled_from(["a", "b", "c", "'q'"]), children), max_size=3).map(
            lambda kvs: "{" + ", ".join(f"{k}: {v}" for k, v in kvs) + "}"
        ),
    )


flow_values = st.recursive(_scalar(), _flow, max_leaves=8)


@st.composite
def block_yaml(draw: st.DrawFn, indent: int = 0, depth: int = 0) -> str:
    """A block mapping or sequence, mostly valid, with anchors, aliases, comments and block scalars."""
    pad = " " * indent
    mapping = draw(st.booleans()) or depth == 0
    lines = []
    for _ in range(draw(st.integers(1, 4))):
        head = pad + (draw(st.sampled_from(["a", "b", "c", "a", "'q'", "1", "<<", "a b"])) + ":" if mapping else "-")
        anchor = draw(st.sampled_from(["", "", "", " &a", " &b"]))
        kind = draw(st.integers(0, 9))
        if kind <= 3:
            lines.append(head + anchor + " " + draw(flow_values) + draw(st.sampled_from(["", "", " # c", "  "])))
        elif kind == 4:
            lines.append(head + " " + draw(st.sampled_from(["*a", "*b"])))
        elif kind == 5:
            body = draw(st.lists(st.sampled_from(["text", "  more", "", "# not a comment", "    deep"]), max_size=3))
            header = draw(st.sampled_from(["|", ">", "|-", ">+", "|2"]))
            lines.append(head + anchor + " " + header)
            lines.extend((pad + "  " + b) if b else draw(st.sampled_from(["", pad + " "])) for b in body)
        elif kind == 6 or depth >= 3:
            lines.append(head + anchor + draw(st.sampled_from(["", " ", " # c"])))
        else:
            lines.append(head + anchor)
            step = draw(st.sampled_from([2, 2, 4, 1, 0] if mapping else [2]))
            lines.append(draw(block_yaml(indent + step, depth + 1)))
        if draw(st.integers(0, 9)) == 0:
            lines.append(pad + draw(st.sampled_from(["# comment", "", "  # c"])))
    return "\n".join(lines)


@st.composite
def yaml_documents(draw: st.DrawFn) -> str:
    """One or more generated documents, with the markers and endings real files have."""
    parts = [draw(st.sampled_from(["", "", "", "---\n", "--- # c\n"])) + draw(block_yaml())]
    if draw(st.integers(0, 9)) == 0:
        parts.append(draw(st.sampled_from(["---\n", "...\n---\n"])) + draw(block_yaml()))
    return "\n".join(parts) + draw(st.sampled_from(["\n", "\n", "", "\n\n"]))


MUTATION_INSERTS = FRAGMENTS + ("- x\n", "a: [1, 2\n", "  ", "\n\n", "&x {a: *x}", "'''", "\t- ")


@st.composite
def mutated(draw: st.DrawFn, texts: tuple[str, ...] = SEED_TEXTS) -> str:
    """A real pack file with a few edits a typing user (or a fuzzer) would make."""
    text = draw(st.sampled_from(texts))
    for _ in range(draw(st.integers(1, 5))):
        op = draw(st.integers(0, 6))
        i = draw(st.integers(0, len(text)))
        j = min(len(text), i + draw(st.integers(0, 12)))
        if op == 0:
            text = text[:i] + text[j:]
        elif op in (1, 2):
            piece = draw(st.sampled_from(MUTATION_INSERTS))
            text = text[:i] + piece + (text[i:] if op == 1 else text[j:])
        elif op == 3:
            text = text[:i] + text[i:j] + text[i:]
        elif op == 4:
            lines = text.split("\n")
            k = draw(st.integers(0, len(lines) - 1))
            lines[k] = " " * draw(st.integers(0, 5)) + lines[k].lstrip(" ")
            text = "\n".join(lines)
        elif op == 5:
            lines = text.split("\n")
            k = draw(st.integers(0, len(lines) - 1))
            lines.insert(k, lines[draw(st.integers(0, len(lines) - 1))])
            text = "\n".join(lines)
        else:
            text = text.replace("\n", draw(st.sampled_from(["\r\n", "\r", "\n"])))
    return text


any_text = st.one_of(
    st.text(max_size=200),
    st.text(st.characters(codec=None, exclude_categories=()), max_size=60),  # lone surrogates too
    fragments,
    yaml_documents(),
    mutated(),
)

# --- invariants -------------------------------------------------------------------------------


def walk(node: Node) -> Iterator[Node]:
    """Every node once (aliases share nodes; cycles are impossible after parsing)."""
    seen: set[int] = set()
    stack = [node]
    while stack:
        current = stack.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        if isinstance(current, Mapping):
            for pair in current.pairs:
                stack.extend((pair.value, pair.key))
        elif isinstance(current, Sequence):
            stack.extend(reversed(current.items))


def dump(parsed: ParsedYaml) -> Any:
    """Everything a later layer can see of a parse, as comparable plain data."""

    def node(n: Node, ids: dict[int, int]) -> Any:
        if id(n) in ids:
            return ("alias", ids[id(n)])
        ids[id(n)] = len(ids)
        if isinstance(n, Mapping):
            return ("map", n.span.start, n.span.end, n.flow, tuple((node(p.key, ids), node(p.value, ids)) for p in n.pairs))
        if isinstance(n, Sequence):
            return ("seq", n.span.start, n.span.end, n.flow, tuple(node(i, ids) for i in n.items))
        value = "NaN" if isinstance(n.value, float) and math.isnan(n.value) else n.value
        return ("scalar", n.span.start, n.span.end, type(value).__name__, value, n.text, n.style)

    problem = parsed.problem
    return (
        [node(d, {}) for d in parsed.documents],
        [(d.key, d.first, d.again) for d in parsed.duplicates],
        None if problem is None else (problem.message, problem.span, problem.kind, problem.context, problem.context_span),
    )


def assert_parse_invariants(text: str, parsed: ParsedYaml) -> None:
    """Spans inside the text; a problem or documents, never both; typed values of the right kind."""
    size = len(text)
    if parsed.problem is not None:
        span = parsed.problem.span
        assert 0 <= span.start <= span.end <= size, (span, size)
        if parsed.problem.context_span is not None:
            assert 0 <= parsed.problem.context_span.start <= parsed.problem.context_span.end <= size
        assert parsed.problem.message.strip()
    for duplicate in parsed.duplicates:
        for span in (duplicate.first, duplicate.again):
            assert 0 <= span.start <= span.end <= size
    for root in parsed.documents:
        for n in walk(root):
            assert 0 <= n.span.start <= n.span.end <= size, (n, size)
            if isinstance(n, Scalar):
                assert n.value is None or isinstance(n.value, (str, int, float, bool))


@contextlib.contextmanager
def yaml_path(fast: bool) -> Iterator[None]:
    """Parse with the libyaml fast path allowed (the default) or forced onto ruamel (PACKLS_YAML_FAST=0)."""
    saved = parse_module._USE_FAST
    parse_module._USE_FAST = fast
    try:
        yield
    finally:
        parse_module._USE_FAST = saved


def parse_both(text: str) -> tuple[ParsedYaml, ParsedYaml]:
    """The default parse and the ruamel reference parse of one text."""
    with yaml_path(True):
        fast = parse_yaml(text)
    with yaml_path(False):
        reference = parse_yaml(text)
    return fast, reference
