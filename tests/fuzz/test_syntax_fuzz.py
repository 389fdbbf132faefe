"""The syntax layer on anything at all: never raises, same answer twice, every span inside the text.

And the libyaml fast path (`packls.syntax.fast`) against the ruamel reference path
(`PACKLS_YAML_FAST=0`): whatever a text is, both give the same nodes, spans, duplicates and
problem — the fast path may only ever change how long parsing takes.
"""

from __future__ import annotations

from hypothesis import example, given
from hypothesis import strategies as st

from packls.syntax.lines import LineIndex
from packls.syntax.parse import parse_yaml
from tests.fuzz.conftest import count, fuzz_settings
from tests.fuzz.support import any_text, assert_parse_invariants, dump, mutated, parse_both, yaml_documents


@fuzz_settings(400)
@given(any_text)
@example("a: &r [*r]\n")
@example("- &b \n  - x: *b\n# comment\n")
@example("b: |\n  \n    deep\n")
@example("\ufeffa: 1\r\nb: [1,\r\n 2]\r\n")
@example("a: \ud800\n")
@example(": &0\n:\n- *0")  # a block sequence ending with an alias spanned backwards (found by this test)
def test_parsing_any_text_never_raises_and_keeps_spans_inside(text: str) -> None:
    count("syntax")
    first = parse_yaml(text)
    assert_parse_invariants(text, first)
    assert dump(parse_yaml(text)) == dump(first)  # deterministic


@fuzz_settings(150)
@given(st.binary(max_size=300))
def test_random_bytes_read_as_text_never_raise(data: bytes) -> None:
    count("syntax")
    for text in (data.decode("latin-1"), data.decode("utf-8", "replace"), data.decode("utf-8", "surrogateescape")):
        assert_parse_invariants(text, parse_yaml(text))


@fuzz_settings(300)
@given(yaml_documents())
@example("a: &anc # c\n  - *anc\n")  # an alias to its own collection (found by this test)
@example("'<<': >-\n  \n    more\n")  # a blank line shorter than the text (found by this test)
def test_the_fast_path_gives_exactly_what_ruamel_gives_on_generated_yaml(text: str) -> None:
    count("syntax-differential")
    fast, reference = parse_both(text)
    assert dump(fast) == dump(reference)


@fuzz_settings(300)
@given(mutated())
def test_the_fast_path_gives_exactly_what_ruamel_gives_on_mutated_pack_files(text: str) -> None:
    count("syntax-differential")
    fast, reference = parse_both(text)
    assert dump(fast) == dump(reference)


@fuzz_settings(300)
@given(st.text(st.sampled_from("a\n\r😀é\t \u2028"), max_size=40), st.sampled_from(["utf-8", "utf-16", "utf-32"]))
def test_line_index_round_trips_every_offset(text: str, encoding: str) -> None:
    count("positions")
    index = LineIndex.of(text)
    assert index.starts == _reference_line_starts(text)
    for offset in range(len(text) + 1):
        line, character = index.position(offset, encoding)
        back = index.offset(line, character, encoding)
        if offset > 0 and text[offset - 1] == "\r" and offset < len(text) and text[offset] == "\n":
            assert back == offset - 1  # inside a CRLF: the position is the line end
        elif offset <= len(text):
            assert back == offset


def _reference_line_starts(text: str) -> tuple[int, ...]:
    """LSP's line breaks, counted the slow, obvious way."""
    starts = [0]
    i = 0
    while i < len(text):
        if text[i] == "\r" and i + 1 < len(text) and text[i + 1] == "\n":
            i += 1
            starts.append(i + 1)
        elif text[i] in "\r\n":
            starts.append(i + 1)
        i += 1
    return tuple(starts)
