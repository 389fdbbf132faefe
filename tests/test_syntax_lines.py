"""A big text's lazy line index answers exactly as the full index does, before and after it is built."""

from __future__ import annotations

import random

from packls.syntax.lines import LAZY_MIN, LineIndex, _starts


def big_text(rng: random.Random, breaks: str) -> str:
    words = ["key: value", "  - item", "é", "😀 wide", "", "    deep: 1", "\t tab"]
    lines = [rng.choice(words) for _ in range(LAZY_MIN // 5)]
    return "".join(line + rng.choice(breaks) for line in lines) + "last"


def test_lazy_lookups_equal_the_full_index() -> None:
    rng = random.Random(3)
    for breaks in ("\n", "\n\r\n", "\r"):
        text = big_text(rng, breaks)
        full = LineIndex(text, _starts(text))
        shared = LineIndex.of(text)  # crosses its counting budget and builds its index on the way
        offsets = [rng.randrange(-3, len(text) + 3) for _ in range(120)] + [0, len(text), len(text) - 1]
        for offset in offsets:
            for encoding in ("utf-16", "utf-8", "utf-32"):
                want = full.position(offset, encoding)
                assert LineIndex.of(text).position(offset, encoding) == want, (offset, encoding)
                assert shared.position(offset, encoding) == want
            assert LineIndex.of(text).line_of(offset) == full.line_of(offset)
        assert shared.starts == full.starts == LineIndex.of(text).starts
        line = rng.randrange(len(full.starts))
        assert LineIndex.of(text).offset(line, 3) == full.offset(line, 3)
        assert LineIndex.of(text).line_text(line) == full.line_text(line)


def test_a_few_lookups_in_a_big_text_do_not_index_every_line() -> None:
    text = "key: value\n" * (LAZY_MIN // 10)
    index = LineIndex.of(text)
    assert index.position(25) == (2, 3)
    assert index._starts is None
    for _ in range(20):
        index.position(len(text) - 1)
    assert index._starts is not None and index.position(25) == (2, 3)
    assert LineIndex.of("a\nb") == LineIndex("a\nb", (0, 2))


def test_an_index_derived_across_edits_equals_a_rescan() -> None:
    rng = random.Random(9)
    text = big_text(rng, "\n")
    index = LineIndex(text, _starts(text))
    for _ in range(300):
        start = rng.randrange(len(text) + 1)
        end = min(len(text), start + rng.choice([0, 0, 1, 2, 7, 40, 300]))
        inserted = rng.choice(["", "x", "\n", "a\nb", "\n\n", "é😀\n", "key: 1\n  - x\n"])
        edited = text[:start] + inserted + text[end:]
        derived = index.after_edit(start, end, inserted, edited)
        assert derived is not None and derived.starts == _starts(edited)
        text, index = edited, derived
    assert index.after_edit(0, 0, "\r", "\r" + text) is None  # a \r: only a rescan knows
    assert LineIndex.of(text).after_edit(0, 0, "x", "x" + text) is None  # nothing collected yet


def test_typing_in_a_big_buffer_keeps_each_versions_index_exact() -> None:
    from lsprotocol import types

    from packls.features.offsets import line_index
    from packls.lsp.documents import apply_changes

    rng = random.Random(2)
    text = big_text(rng, "\n")
    line_index(text).starts  # the first version's index is collected (as converting an edit does)
    for _ in range(40):
        line = rng.randrange(text.count("\n") + 1)
        at = types.Position(line=line, character=rng.randrange(4))
        change = types.TextDocumentContentChangePartial(range=types.Range(start=at, end=at), text=rng.choice(["x", "\n", "é\n"]))
        text = apply_changes(text, [change], "utf-16")
        assert line_index(text)._starts is not None  # derived from the previous version's, not collected again
        assert line_index(text).starts == _starts(text)
