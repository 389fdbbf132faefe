"""Trees of different files share one object per offset and per mapping key (a workspace's RSS)."""

from __future__ import annotations

import pytest

from packls.syntax.fast import available, compose_fast
from packls.syntax.nodes import Mapping, Scalar

pytestmark = pytest.mark.skipif(not available(), reason="PyYAML's C extension (libyaml) is not installed")


def _root(text: str) -> Mapping:
    documents = compose_fast(text, [])
    assert documents is not None and isinstance(documents[0], Mapping)
    return documents[0]


def _padded(key: str, value: str) -> str:
    return "description: " + "x" * 300 + "\n" + f"{key}: {value}\n"


def test_two_files_share_their_mapping_keys_as_one_string() -> None:
    key = "".join(["runner", "_type"])  # built at run time: not a literal the compiler interned
    first = _root(_padded(key, "python")).pairs[1].key
    second = _root(_padded(key, "shell")).pairs[1].key
    assert isinstance(first, Scalar) and isinstance(second, Scalar)
    assert first.text == second.text == "runner_type"
    assert first.text is second.text and first.value is first.text


def test_offsets_past_the_small_ints_are_one_object_across_files() -> None:
    first = _root(_padded("name", "one")).pairs[1]
    second = _root(_padded("name", "two")).pairs[1]
    assert first.key.span.start == second.key.span.start == len("description: ") + 300 + 1
    assert first.key.span.start is second.key.span.start
    assert first.key.span.end is second.key.span.end


def test_a_text_longer_than_the_shared_table_keeps_exact_offsets() -> None:
    long_value = "y" * 70_000
    text = f"a: {long_value}\nb: 1\n"
    pairs = _root(text).pairs
    assert pairs[1].key.span.start == len("a: ") + len(long_value) + 1
    assert pairs[1].value.span.end == len(text) - 1


def test_a_file_saved_on_windows_shares_its_offsets_too() -> None:
    windows = _root("\ufeff" + _padded("name", "one").replace("\n", "\r\n")).pairs[1]  # BOM and CRLF moved back
    unix = _root("description: " + "x" * 302 + "\nname: one\n").pairs[1]
    assert windows.key.span.start == unix.key.span.start == len("description: ") + 302 + 1
    assert windows.key.span.start is unix.key.span.start
