"""Reparsing one top-level entry of a big document gives the tree a full parse gives."""

from __future__ import annotations

import copy
import math
import pickle
import random
from typing import Iterable

import pytest

from packls.syntax import incremental
from packls.syntax.fast import available, compose_fast
from packls.syntax.incremental_ends import common_prefix, common_suffix
from packls.syntax.nodes import Mapping, Node, Scalar, Sequence
from packls.syntax.parse import ParsedYaml, parse_yaml
from packls.syntax.shifted import ShiftedMapping, ShiftedSequence, shift, shifted

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


def same_tree(a: Node, b: Node) -> bool:
    """Same nodes for any reader (a shifted collection counts as the collection it stands for)."""
    if any(isinstance(a, cls) != isinstance(b, cls) for cls in (Scalar, Mapping, Sequence)) or a.span != b.span:
        return False
    if isinstance(a, Scalar):
        assert isinstance(b, Scalar)
        nan = isinstance(a.value, float) and math.isnan(a.value) and isinstance(b.value, float) and math.isnan(b.value)
        same_value = nan or (type(a.value) is type(b.value) and a.value == b.value)
        return same_value and a.text == b.text and a.style == b.style
    if a.flow != b.flow:
        return False
    if isinstance(a, Mapping):
        assert isinstance(b, Mapping)
        return len(a.pairs) == len(b.pairs) and all(
            same_tree(x.key, y.key) and same_tree(x.value, y.value) for x, y in zip(a.pairs, b.pairs)
        )
    assert isinstance(a, Sequence) and isinstance(b, Sequence)
    return len(a.items) == len(b.items) and all(same_tree(x, y) for x, y in zip(a.items, b.items))


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
    duplicates: list = []
    want = compose_fast(new, duplicates)
    assert want is not None, "incremental accepted a text the full parse refuses"
    assert not duplicates, "incremental accepted a text with duplicate keys"
    return len(got) == len(want) and all(same_tree(a, b) for a, b in zip(got, want))


def test_a_value_edit_near_the_top_reuses_the_rest(small_threshold):
    old = big_action(300)
    new = old.replace("output_format: json", "output_format: jsonx", 1)
    assert check_edit(old, new) is True


def accepted_edits(old: str, edits: Iterable[str]) -> int:
    """How many edits of old the incremental parse took, each one equal to a full parse; broken YAML is always declined."""
    accepted = 0
    for new in edits:
        if compose_fast(new, []) is None:
            assert check_edit(old, new) is None
            continue
        verdict = check_edit(old, new)
        assert verdict is not False, new
        accepted += verdict is True
    return accepted


def test_random_edits_either_match_a_full_parse_or_are_declined(small_threshold):
    rng = random.Random(8)
    old = big_action(150)
    edits = (random_edit(rng, old, ("extra: 1", "  nested: 2", "# note", "", "- item", "ref: dup")) for _ in range(300))
    assert accepted_edits(old, edits) > 75


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


NEW_LINES = ("extra_key: 1", "  nested: 2", "# note", "", "- item", "    type: 5")


def random_edit(rng: random.Random, text: str, new_lines: tuple[str, ...] = NEW_LINES) -> str:
    """One keystroke-like edit anywhere: a character typed or deleted, a line added or emptied."""
    lines = text.split("\n")
    k = rng.randrange(len(lines))
    line = lines[k]
    op = rng.random()
    if op < 0.45 and line:
        i = rng.randrange(len(line) + 1)
        changed = line[:i] + rng.choice("ax1 :-#'\"[]{}") + line[i:]
    elif op < 0.75 and line:
        i = rng.randrange(len(line))
        changed = line[:i] + line[i + 1 :]
    elif op < 0.9:
        changed = line + "\n" + rng.choice(new_lines)
    else:
        changed = ""
    return "\n".join(lines[:k] + [changed] + lines[k + 1 :])


def test_chains_of_edits_equal_full_parses_at_every_version(small_threshold):
    """Each version is reparsed from the previous one (shifts of shifts, undone edits, nested reads)."""
    rng = random.Random(11)
    incremental.forget()
    text = big_action(120)
    parse_yaml(text)
    shifted_seen = 0
    for step in range(250):
        text = random_edit(rng, text) if rng.random() < 0.85 else text.replace("json", "jsonx", 1)
        got = parse_yaml(text)
        want = compose_fast(text, [])
        if want is None or got.problem is not None:
            incremental.forget()  # broken text: start again from a clean full parse
            text = big_action(120 + step % 7)
            parse_yaml(text)
            continue
        root = got.root_mapping
        assert root is not None and len(got.documents) == len(want) == 1
        shifted_seen += sum(bool(found and found[1]) for found in map(shifted, (p.value for p in root.pairs)))
        if step % 3 == 0:  # read some trees only partly, so later versions shift half-built ones
            continue
        assert same_tree(root, want[0]), step
    assert shifted_seen > 100


def test_a_tail_moved_by_an_edit_is_built_only_when_read(small_threshold):
    incremental.forget()
    old = big_action(200)
    first = parse_yaml(old).root_mapping
    second = parse_yaml(old.replace("output_format: json", "output_format: jsonx", 1)).root_mapping
    assert first is not None and second is not None
    params = second.value("parameters")
    assert isinstance(params, ShiftedMapping)
    found = shifted(params)
    assert found is not None and found[1] == 1 and found[0] is not params
    with pytest.raises(AttributeError):
        Mapping.__dict__["pairs"].__get__(params, ShiftedMapping)  # nothing built yet
    assert params.span.start == first.value("parameters").span.start + 1
    built = params.pairs
    assert params.pairs is built  # built once
    want = compose_fast(old.replace("output_format: json", "output_format: jsonx", 1), [])
    assert want is not None and same_tree(second, want[0])
    # a shift of a shift points at the same base with the summed delta and the same notes
    again = shift(params, -1)
    assert isinstance(again, ShiftedMapping) and shifted(again)[0] is found[0] and shifted(again)[1] == 0
    assert shifted(again)[2] is found[2]
    assert same_tree(again, first.value("parameters"))


def test_shifted_nodes_copy_and_pickle_as_plain_nodes(small_threshold):
    incremental.forget()
    old = big_action(40)
    parse_yaml(old)
    root = parse_yaml(old.replace("output_format: json", "output_format: yaml2", 1)).root_mapping
    assert root is not None
    tags = root.value("tags")
    assert isinstance(tags, ShiftedSequence)
    for node in (root.value("parameters"), tags):
        for clone in (copy.deepcopy(node), pickle.loads(pickle.dumps(node))):
            assert type(clone) in (Mapping, Sequence)
            assert same_tree(clone, node)


def test_common_prefix_and_suffix_match_a_character_scan():
    rng = random.Random(6)

    def scan(a: str, b: str, limit: int, step: int) -> int:
        n = 0
        while n < limit and a[n * step - (step < 0)] == b[n * step - (step < 0)]:
            n += 1
        return n

    for _ in range(300):
        base = "".join(rng.choice("ab\n") for _ in range(rng.choice([0, 5, 100, 40_000])))
        at = rng.randrange(len(base) + 1)
        other = base[:at] + rng.choice(["", "x", "ab", "\n\n"]) + base[at + rng.choice([0, 1, 3]) :]
        limit = min(len(base), len(other))
        prefix = common_prefix(base, other)
        assert prefix == scan(base, other, limit, 1)
        rest = limit - prefix
        assert common_suffix(base, other, rest) == scan(base, other, rest, -1)


def nested_action(params: int = 120) -> str:
    """An action whose parameters hold varied nested entries (block scalars, empty values, lists, comments)."""
    head = ["ref: bench.nested", "runner_type: python", "", "parameters:"]
    body = []
    for i in range(params):
        body += [f"  p_{i}:", "    type: string", f'    description: "Parameter {i}"']
        kind = i % 7
        if kind == 0:
            body += ["    default: |+", "      kept", "", ""]
        elif kind == 1:
            body += ["    enum:", "    - a", "    - b", "    secret:"]
        elif kind == 2:
            body += ["    # a comment", "    default: >", "      folded", "      text", "    position:"]
        elif kind == 3:
            body += ["    meta:", "      deep: 1", "      deeper:", "        x: [1, 2]", "        y: {a: b}"]
        elif kind == 4:
            body += ["    default: 'single", "      quoted'", "", "# column-0 comment"]
        elif kind == 5:
            body += ["    required: true", "    default:"]
        else:
            body += ["    default: plain", "      continued"]
    tail = ["output:", "  status:", "    type: integer", "  items:"]
    for i in range(60):
        tail += [f"    k_{i}:", f"      type: {'string' if i % 2 else 'integer'}", "      default:"]
    tail += ["last: |", "  text", ""]
    return "\n".join(head + body + tail)


def nested_edit(rng: random.Random, text: str) -> str:
    """A keystroke-like edit on a line indented by 2 or more (inside a nested entry), or on a line next to one."""
    lines = text.split("\n")
    candidates = [k for k, line in enumerate(lines) if line.startswith("  ")]
    k = rng.choice(candidates)
    line = lines[k]
    op = rng.random()
    if op < 0.45:
        i = rng.randrange(len(line) + 1)
        changed = line[:i] + rng.choice("ax1 :-#'\"[]{}|>&*") + line[i:]
    elif op < 0.7:
        i = rng.randrange(len(line))
        changed = line[:i] + line[i + 1 :]
    elif op < 0.9:
        changed = line + "\n" + rng.choice(
            ["  p_3:", "    type: 5", "    extra:", "      deeper: 2", "  # note", "", "   odd: 1", "top: 1",
             "    - item", "  new_param:", "---", "...", "    type: string"]
        )
    elif op < 0.95:
        changed = ""
    else:
        changed = " " + line if rng.random() < 0.5 else line[1:]
    return "\n".join(lines[:k] + [changed] + lines[k + 1 :])


@pytest.fixture
def small_nested(monkeypatch):
    """Small documents through, and nested entries reparsed from small regions on (two levels down here)."""
    monkeypatch.setattr(incremental, "MIN_CHARS", 1000)
    monkeypatch.setattr(incremental, "NESTED_MIN", 150)


def spy_splices(monkeypatch, name: str = "_splice") -> list:
    """Record each nested reparse (by `_splice`, or the function named) that succeeded."""
    done: list = []
    real = getattr(incremental, name)

    def spy(*args):
        result = real(*args)
        if result is not None:
            done.append(result)
        return result

    monkeypatch.setattr(incremental, name, spy)
    return done


def edit_chain(seed: int, make, edit) -> None:
    """400 versions, each reparsed from the previous one (reused, replaced and shifted again and again): full parses' trees."""
    rng = random.Random(seed)
    incremental.forget()
    text = make(0)
    parse_yaml(text)
    for step in range(400):
        text = edit(rng, text)
        got = parse_yaml(text)
        want = compose_fast(text, [])
        if want is None or got.problem is not None or got.duplicates:
            incremental.forget()
            text = make(step % 5)
            parse_yaml(text)
            continue
        assert got.duplicates == [] and len(got.documents) == len(want) == 1
        if step % 3 == 0:
            continue  # read only partly, so later versions shift half-built trees
        assert same_tree(got.documents[0], want[0]), step


def test_random_edits_inside_nested_entries_match_a_full_parse_or_are_declined(small_nested, monkeypatch):
    done = spy_splices(monkeypatch)
    rng = random.Random(21)
    old = nested_action()
    assert accepted_edits(old, (nested_edit(rng, old) for _ in range(600))) > 250 and len(done) > 200


def test_chains_of_nested_edits_equal_full_parses_at_every_version(small_nested, monkeypatch):
    """Versions reparsed from the previous one: nested entries reused, replaced and shifted again and again."""
    done = spy_splices(monkeypatch)
    edit_chain(5, lambda extra: nested_action(100 + extra), nested_edit)
    assert len(done) > 150


def test_an_edit_inside_one_parameter_reparses_only_that_parameter(small_threshold):
    incremental.forget()
    old = big_action(400)
    first = parse_yaml(old).root_mapping
    new = old.replace('description: "Parameter 200"', 'description: "Parameter 200x"', 1)
    second = parse_yaml(new).root_mapping
    assert first is not None and second is not None
    before, after = first.value("parameters"), second.value("parameters")
    assert isinstance(before, Mapping) and isinstance(after, Mapping)
    assert all(a is b for a, b in zip(before.pairs[:200], after.pairs[:200]))  # shared
    assert after.pairs[200] is not before.pairs[200]
    moved = after.pairs[201].value
    assert isinstance(moved, ShiftedMapping) and shifted(moved)[1] == 1
    assert all(isinstance(p.value, ShiftedMapping) for p in after.pairs)  # the checks can memoise each one
    want = compose_fast(new, [])
    assert want is not None and same_tree(second, want[0])
    # a duplicate parameter key is left to the full parse (which reports it)
    dup = old.replace("  p_201:", "  p_17:", 1)
    assert parse_yaml(dup).duplicates


def big_workflow(tasks: int = 80) -> str:
    """A workflow whose `tasks` is one big block sequence of varied items (transitions, block scalars, comments)."""
    lines = ['version: "1.0.0"', "tasks:"]
    for i in range(tasks):
        lines += [f"  - name: step_{i}", "    action: bench.run"]
        kind = i % 5
        if kind == 0:
            lines += ["    input:", f"      url: https://example.org/{i}", "    next:", "      - when: ok", f"        do: [step_{i + 1}]"]
        elif kind == 1:
            lines += ["    # a comment", "    with_items: |", "      one", "      two", ""]
        elif kind == 2:
            lines += ["    retry:", "      count: 3", "# column-0 comment", "    timeout:"]
        elif kind == 3:
            lines += ["    next:", "    - do:", "      - a", "      - b"]
        else:
            lines += ["    input: {a: 1, b: [2, 3]}"]
    lines += ["output_map:", "  result: x", ""]
    return "\n".join(lines)


def item_edit(rng: random.Random, text: str) -> str:
    """A keystroke-like edit on a line inside the `tasks` items (indented by 2 or more), or a line added after one."""
    lines = text.split("\n")
    k = rng.choice([k for k, line in enumerate(lines) if line.startswith("  ") and k < len(lines) - 3])
    line = lines[k]
    op = rng.random()
    if op < 0.45:
        i = rng.randrange(len(line) + 1)
        changed = line[:i] + rng.choice("ax1 :-#'\"[]{}|>") + line[i:]
    elif op < 0.7:
        i = rng.randrange(len(line))
        changed = line[:i] + line[i + 1 :]
    elif op < 0.95:
        changed = line + "\n" + rng.choice(
            ["  - name: extra", "  -", "  - x", "    action: again", "  name: odd", " - shallow", "  # note", "", "top: 1",
             "    - item", "      deeper: 2", "---", "# c"]
        )
    else:
        changed = " " + line if rng.random() < 0.5 else line[1:]
    return "\n".join(lines[:k] + [changed] + lines[k + 1 :])


def test_random_edits_inside_sequence_items_match_a_full_parse_or_are_declined(small_nested, monkeypatch):
    done = spy_splices(monkeypatch, "_splice_items")
    rng = random.Random(34)
    old = big_workflow()
    assert accepted_edits(old, (item_edit(rng, old) for _ in range(600))) > 250 and len(done) > 200


def test_chains_of_item_edits_equal_full_parses_at_every_version(small_nested, monkeypatch):
    """Versions reparsed from the previous one: items shared, replaced and shifted again and again."""
    done = spy_splices(monkeypatch, "_splice_items")
    edit_chain(6, lambda extra: big_workflow(70 + extra), item_edit)
    assert len(done) > 150


def test_an_edit_inside_one_task_reparses_only_that_task(small_threshold):
    incremental.forget()
    old = big_workflow(300)
    first = parse_yaml(old).root_mapping
    new = old.replace("name: step_150\n", "name: step_150x\n", 1)
    second = parse_yaml(new).root_mapping
    assert first is not None and second is not None
    before, after = first.value("tasks"), second.value("tasks")
    assert isinstance(before, Sequence) and isinstance(after, Sequence)
    assert all(a is b for a, b in zip(before.items[:150], after.items[:150]))  # shared
    assert after.items[150] is not before.items[150]
    moved = after.items[151]
    assert isinstance(moved, ShiftedMapping) and shifted(moved)[1] == 1
    assert all(isinstance(item, ShiftedMapping) for item in before.items)  # the checks can memoise each one
    want = compose_fast(new, [])
    assert want is not None and same_tree(second, want[0])


def typed_line(rng: random.Random, lines: list[str], line: int, prefix: str) -> int:
    """Where the next keystroke goes: mostly the line typed in last, sometimes another line starting with prefix."""
    if rng.random() < 0.2 or not lines[line].startswith(prefix):
        return rng.choice([k for k, each in enumerate(lines) if each.startswith(prefix)])
    return line


def keystroke(rng: random.Random, line: str, at: int, first: int, typed: str) -> str:
    """The line after one character of typed is inserted at `at`, or (less often, never at `first`) the one before it deleted."""
    if rng.random() < 0.6 or at == first:
        return line[:at] + rng.choice(typed) + line[at:]
    return line[: at - 1] + line[at:]


def test_typing_on_in_one_parameter_equals_full_parses_and_builds_no_other_parameter(small_nested):
    """Keystrokes mostly in the description typed in last: its entry replaced again, the others unbuilt until read."""
    from packls.syntax.incremental_entries import lazily_spliced

    rng = random.Random(8)
    incremental.forget()
    text = nested_action(100)
    parse_yaml(text)
    line, typed_on = 40, 0
    for step in range(300):
        lines = text.split("\n")
        line = typed_line(rng, lines, line, "    description")
        opening, closing = lines[line].index('"') + 1, lines[line].rindex('"')  # typed between the quotes
        i = rng.randrange(opening, closing + 1)
        key_line = max(k for k in range(line) if lines[k].startswith("  p_"))
        renamed = lines[key_line][2:].split(":")[0]
        if rng.random() < 0.1:  # the entry's key typed in: the old name must be gone, the new one found
            lines[key_line] = lines[key_line].replace(":", "z:", 1) if len(renamed) < 8 else f"  {renamed.rstrip('z')}:"
        else:
            lines[line] = keystroke(rng, lines[line], i, opening, "ab1 :#")
        text = "\n".join(lines)
        got = parse_yaml(text)
        want = compose_fast(text, [])
        assert want is not None and got.problem is None
        params = got.root_mapping.value("parameters")  # type: ignore[union-attr]
        lazy = lazily_spliced(params)  # type: ignore[arg-type]
        if lazy is not None:
            typed_on += 1
            reference = want[0].value("parameters")
            for key in ("p_0", f"p_{rng.randrange(100)}", "p_99", "missing", "type", renamed, renamed + "z", renamed.rstrip("z")):
                found, expected = lazy.get(key), reference.get(key)
                assert (found is None) == (expected is None) and (found is None or same_tree(found.value, expected.value)), key
        if step % 4 == 0:
            continue  # unread: the next version splices unbuilt entries again
        assert same_tree(got.documents[0], want[0]), step
        if step % 25 == 1:
            assert same_tree(pickle.loads(pickle.dumps(got.documents[0])), want[0])
            assert type(copy.deepcopy(params)) is Mapping
    assert typed_on > 150


def test_typing_on_in_one_task_equals_full_parses(small_nested):
    """Keystrokes mostly in the task typed in last: its item replaced again, the others moved only when read."""
    from packls.syntax.incremental_entries import SplicedSequence, lazily_spliced

    rng = random.Random(9)
    incremental.forget()
    text = big_workflow(100)
    parse_yaml(text)
    line, typed_on = 0, 0
    for step in range(300):
        lines = text.split("\n")
        line = typed_line(rng, lines, line, "    action: ")
        i = rng.randrange(len("    action: "), len(lines[line]) + 1)
        lines[line] = keystroke(rng, lines[line], i, len("    action: "), "ab1_")
        text = "\n".join(lines)
        got = parse_yaml(text)
        want = compose_fast(text, [])
        assert want is not None and got.problem is None
        tasks = got.root_mapping.value("tasks")  # type: ignore[union-attr]
        typed_on += isinstance(lazily_spliced(tasks), SplicedSequence)  # type: ignore[arg-type]
        if step % 4 == 0:
            continue  # unread: the next version splices unbuilt items again
        assert same_tree(got.documents[0], want[0]), step
        if step % 25 == 1:
            assert same_tree(pickle.loads(pickle.dumps(got.documents[0])), want[0])
    assert typed_on > 150


def test_the_cursor_in_a_spliced_mapping_is_found_without_building_its_other_entries(small_nested):
    """Hover after a keystroke inside a big mapping reads the entries near the cursor, not all of them."""
    from packls.features.locate import locate
    from packls.syntax.incremental_entries import lazily_spliced
    from packls.syntax.shifted import _get_pairs

    incremental.forget()
    text = nested_action(100)
    parse_yaml(text)
    edited = text.replace('description: "Parameter 50"', 'description: "Parameter 50!"')
    got = parse_yaml(edited)
    lazy = lazily_spliced(got.root_mapping.value("parameters"))  # type: ignore[union-attr, arg-type]
    assert lazy is not None
    fresh = compose_fast(edited, [])
    assert fresh is not None
    for needle in ('"Parameter 50!"', '"Parameter 80"', "p_99:", '"Parameter 3"'):
        at = edited.index(needle) + 2
        found, want = locate(got.root, at, edited), locate(fresh[0], at, edited)
        assert found is not None and want is not None and found.path == want.path and found.role == want.role, needle
        assert same_tree(found.node, want.node)  # type: ignore[arg-type]
    with pytest.raises(AttributeError):
        _get_pairs(lazy, type(lazy))  # the mapping's full pair list was never built


def test_the_workflow_task_rules_after_a_keystroke_in_one_task_build_no_other_task(small_nested):
    """validate_tasks patches its whole-list summary with the replaced task, read through spliced.child."""
    from packls.checks.workflow_tasks import validate_tasks
    from packls.syntax.incremental_entries import SplicedSequence, lazily_spliced
    from packls.syntax.shifted import _get_items

    incremental.forget()
    text = big_workflow(300)
    first = parse_yaml(text).root_mapping
    assert first is not None
    validate_tasks(first.value("tasks"))  # type: ignore[arg-type]  # the whole-list summary kept for the next version
    lines = text.split("\n")
    line = [k for k, each in enumerate(lines) if each.startswith("    action: ")][150]
    lines[line] += "z"
    edited = parse_yaml("\n".join(lines)).root_mapping
    tasks = edited.value("tasks")  # type: ignore[union-attr]
    lazy = lazily_spliced(tasks)  # type: ignore[arg-type]
    assert isinstance(lazy, SplicedSequence)
    found = validate_tasks(tasks)  # type: ignore[arg-type]
    with pytest.raises(AttributeError):
        _get_items(lazy, SplicedSequence)  # the moved tasks were never built
    want = compose_fast("\n".join(lines), [])
    assert want is not None and found == validate_tasks(want[0].value("tasks"))  # type: ignore[union-attr]
