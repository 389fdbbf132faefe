"""Reparsing one top-level entry of a big document gives the tree a full parse gives."""

from __future__ import annotations

import random

import pytest

from packls.syntax import incremental
from packls.syntax.fast import available, compose_fast
from packls.syntax.parse import ParsedYaml, parse_yaml
from tests.test_syntax_fast import _same

pytestmark = pytest.mark.skipif(not available(), reason="PyYAML's C extension (libyaml) is not installed")


def big_action(params: int = 6000) -> str:
    head = [
        "# a generated action", "ref: bench.big", "runner_type: python", 'runtime_version: ">=3.11,<4"',
        "entry_point: big.py", "output_format: json", "", "parameters:",
    ]
    body = []
    for i in range(params):
        body += [f"  p_{i}:", "    type: string", f'    description: "Parameter {i}"', f"    default: {i}"]
    tail = ["output:", "  status:", "    type: integer", "tags: [a, b]", "empty:", "", "last: |", "  text", ""]
    return "\n".join(head + body + tail)


@pytest.fixture
def small_threshold(monkeypatch):
    """Let small documents through, so the random-edit tests stay fast."""
    monkeypatch.setattr(incremental, "MIN_CHARS", 1000)


def full(text: str) -> list:
    documents = compose_fast(text, [])
    assert documents is not None
    return documents


def check_edit(old: str, new: str) -> bool | None:
    """None when the incremental path declines; else whether it equals a full parse."""
    incremental.forget()
    base = ParsedYaml(old, documents=full(old))
    incremental.remember(base)
    got = incremental.reparse(new)
    if got is None:
        return None
    want = compose_fast(new, [])
    assert want is not None, "incremental accepted a text the full parse refuses"
    return len(got) == len(want) and all(_same(a, b, {}) for a, b in zip(got, want))


def test_a_value_edit_near_the_top_reuses_the_rest(small_threshold):
    old = big_action(300)
    new = old.replace("output_format: json", "output_format: jsonx", 1)
    assert check_edit(old, new) is True


def test_random_edits_either_match_a_full_parse_or_are_declined(small_threshold):
    rng = random.Random(8)
    old = big_action(150)
    lines = old.split("\n")
    accepted = 0
    for _ in range(300):
        k = rng.randrange(len(lines))
        line = lines[k]
        op = rng.random()
        if op < 0.4 and line:
            i = rng.randrange(len(line) + 1)
            changed = line[:i] + rng.choice("ax1 :-#'\"[]{}") + line[i:]
        elif op < 0.6 and line:
            i = rng.randrange(len(line))
            changed = line[:i] + line[i + 1 :]
        elif op < 0.8:
            changed = line + "\n" + rng.choice(["extra: 1", "  nested: 2", "# note", "", "- item", "ref: dup"])
        else:
            changed = ""
        new = "\n".join(lines[:k] + [changed] + lines[k + 1 :])
        if compose_fast(new, []) is None:
            assert check_edit(old, new) is None
            continue
        verdict = check_edit(old, new)
        assert verdict is not False, (k, line, changed)
        accepted += verdict is True
    assert accepted > 75


def test_duplicate_top_level_keys_and_aliases_take_the_full_path(small_threshold):
    old = big_action(150)
    assert check_edit(old, old.replace("entry_point: big.py", "ref: again", 1)) is None
    assert check_edit(old, old.replace("default: 5\n", "default: *x\n", 1)) is None


def test_parse_yaml_uses_it_for_consecutive_versions_of_a_big_text():
    incremental.forget()
    old = big_action()
    first = parse_yaml(old)
    second = parse_yaml(old.replace("runtime_version: \">=3.11,<4\"", "runtime_version: \">=3.12,<4\"", 1))
    assert second.problem is None and second.root_mapping is not None
    assert second.root_mapping.pairs[0] is first.root_mapping.pairs[0]  # reused, not rebuilt
    assert second.root_mapping.value("runtime_version").value == ">=3.12,<4"
