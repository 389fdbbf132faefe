"""The C tree builder (`_compose.c`) gives exactly what the Python builder gives, refuses what it refuses, and leaks nothing."""

from __future__ import annotations

import random
import sys
import tracemalloc
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from packls.syntax import fast
from packls.syntax.nodes import Mapping, Scalar
from packls.syntax.shared import SHARED_OFFSETS, share_offsets
from tests.test_syntax_fast import MUTATION_CHARS, _corpus, _mutate, _same

HERE = Path(__file__).resolve().parent


def outcome(builder, text: str) -> tuple[str, object, list]:
    """("built", documents, duplicates), ("refused", None, []) or ("raised", (type, args), [])."""
    duplicates: list = []
    try:
        built = builder(text, duplicates)
    except fast.TooManyValues as stop:
        return "raised", (type(stop), stop.limit, stop.at), []
    except (fast.Refused, fast._YAMLError, KeyError):
        return "refused", None, []
    if built is None:
        return "refused", None, []
    return "built", built, [(d.key, d.first, d.again) for d in duplicates]


def same_outcome(text: str) -> bool:
    share_offsets(len(text))
    ours, theirs = outcome(fast._build_compiled, text), outcome(fast._build, text)
    if ours[0] != theirs[0] or ours[2] != theirs[2]:
        return False
    if ours[0] != "built":
        return ours[1] == theirs[1]
    pairs: dict[int, int] = {}  # also pins alias sharing: one node in one tree is one node in the other
    return len(ours[1]) == len(theirs[1]) and all(_same(a, b, pairs) for a, b in zip(ours[1], theirs[1]))


def test_the_project_install_builds_the_extension():
    """`make setup` installs a compiler and libyaml's headers, so the compiled builder must be there."""
    assert fast.compiled_builder() is not None


def test_every_real_pack_file_builds_identically():
    files = _corpus() + sorted((HERE / "data").rglob("*.y*ml"))
    accepted = 0
    for path in files:
        text = path.read_text(encoding="utf-8", errors="replace")
        if fast.accepts(text):
            assert same_outcome(text), path
            accepted += 1
    assert len(files) > 500 and accepted > 0.9 * len(files)  # nearly every real file takes the fast path


def test_mutated_pack_files_build_identically_or_are_refused_by_both():
    rng = random.Random(21)
    for path in _corpus():
        base = path.read_text(encoding="utf-8", errors="replace")
        for _ in range(6):
            text = _mutate(base, rng)
            if fast.accepts(text):
                assert same_outcome(text), text


@pytest.mark.parametrize(
    "text",
    [
        "a:\nb: 1\n",
        "a:\n",
        "- \n- b\n",
        "a: # c\nb: 1\n",  # empty value before a comment: refused
        "a: {b: , c}\n",  # empty value in a flow mapping: refused
        ":\n",  # an empty key at the root
        "",
        "---\n",
        "a: &x 1\nb: *x\n",
        "a: &r [*r]\n",
        "a: &x 1\nb: &x 2\n",  # an anchor defined twice: refused
        "a: *nowhere\n",  # an unknown alias: refused
        "a: &n 1\nb: *n:\n",
        "&ref: x\n",
        "a: &é 1\nb: *é\n",
        "a: !!str 1\n",
        "!!map {a: 1}\n",
        "%TAG !e! tag:example.com,2000:\n---\na: 1\n",
        "a: 1\n---\nb: &q 2\n---\nc: *q\n",  # anchors end with their document
        "a: 1\na: 2\nb: {c: 1, c: 2}\n",
        "? a\n: b\n",
        "k: [1, {a: b}, 'q', \"d\\u00e9\"]\n",
        "a: |-\n  keep\n  lines\n\n\nb: >\n  x\n",
        "a: é😀x\nb: 'ü'\nc: \"\\U0001F600\"\n",
        "a: [\n",
        "a: b: c\n",
        "{a: 1}",
        "[a, b, [c, [d]]]",
        "- - - x\n",
        "\x00",
        "a: \x07\n",
    ],
)
def test_edge_texts_build_or_refuse_as_the_python_builder_does(text):
    assert same_outcome(text), text


def test_too_many_values_stops_at_the_same_offset():
    text = "".join(f"- {i}\n" for i in range(fast.MAX_VALUES + 5))
    ours, theirs = outcome(fast._build_compiled, text), outcome(fast._build, text)
    assert ours == theirs and ours[0] == "raised"
    assert ours[1][2] == text.index(f"- {fast.MAX_VALUES}\n") + 2


def test_deep_flow_nesting_is_built_without_recursion():
    text = "[" * 50_000 + "]" * 50_000
    documents = fast._build_compiled(text, [])
    node, depth = documents[0], 1
    while node.items:
        node, depth = node.items[0], depth + 1
    assert depth == 50_000


def test_offsets_and_short_texts_are_the_shared_objects():
    text = "name: hello\nparameters:\n  description: " + "x" * 40 + "\n"
    share_offsets(len(text))
    root = fast._build_compiled(text, [])[0]
    assert isinstance(root, Mapping)
    for pair in root.pairs:
        assert pair.key.span.start is SHARED_OFFSETS[pair.key.span.start]
        assert pair.key.text is sys.intern(pair.key.text)
    assert root.value("name").text is sys.intern("hello")
    long_value = root.value("parameters").value("description")
    assert isinstance(long_value, Scalar) and long_value.text is not sys.intern("".join(["x"] * 40))  # a long value: its own


def test_no_object_outlives_a_build_refusal_or_error():
    texts = [
        (HERE.parent / "packs").rglob("*.yaml").__next__().read_text(encoding="utf-8"),
        "a: &x [1, {b: *x}]\nc: 1\nc: 2\n",
        "a: 1\nb: &x 2\nc: &x 3\n",  # refused half-way
        "a: [1, {b: 2\n",  # a YAML error half-way
        "- word\n" * (fast.MAX_VALUES + 1),  # raises half-way
    ]
    for text in texts:  # warm every cache (interned texts, typed plain values)
        outcome(fast._build_compiled, text)
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        for _ in range(10):
            for text in texts:
                outcome(fast._build_compiled, text)
        grown = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    assert grown < 4096  # 0 when nothing leaks; one leaked scalar per pair of these texts comes to ~25 KB


YAMLISH = st.text(alphabet=st.sampled_from(MUTATION_CHARS + list("aé&*- :")), max_size=60)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(YAMLISH)
def test_generated_texts_build_or_refuse_as_the_python_builder_does(text):
    if fast.accepts(text):
        assert same_outcome(text)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=200))
def test_any_text_at_all_is_built_refused_or_rejected_without_harm(text):
    """Even texts the pre-check would never pass on (tabs, surrogates, NULs, BOMs) leave the builder standing."""
    share_offsets(len(text))
    try:
        built = fast._build_compiled(text, [])
    except (fast.TooManyValues, ValueError):
        return
    assert built is None or isinstance(built, list)
