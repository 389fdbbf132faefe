"""The YAML layer: typed scalars with exact spans, problems instead of exceptions."""

from __future__ import annotations

from packls.syntax import LineIndex, Mapping, Scalar, Sequence, parse_yaml


def value(text: str, key: str) -> Scalar:
    root = parse_yaml(text).root_mapping
    assert root is not None
    node = root.value(key)
    assert isinstance(node, Scalar)
    return node


def test_scalars_are_typed_the_yaml_1_2_way():
    text = 'a: 3.12\nb: "3.12"\nc: true\nd: yes\ne: ~\nf: 0777\ng: 2025-04-30\n'
    assert value(text, "a").value == 3.12
    assert value(text, "b").value == "3.12"
    assert value(text, "c").value is True
    assert value(text, "d").value == "yes"  # YAML 1.2: not a boolean
    assert value(text, "e").value is None
    assert value(text, "f").value == 777
    assert value(text, "g").value == "2025-04-30"  # no timestamp type in YAML 1.2 core


def test_spans_cover_exactly_the_written_value():
    text = 'runtime_version: ">=3.12"\n'
    node = value(text, "runtime_version")
    assert text[node.span.start : node.span.end] == '">=3.12"'


def test_block_collections_end_at_their_last_child_not_the_next_line():
    text = "versions:\n  - version: '3.12'\n  - version: '3.13'\nname: x\n"
    root = parse_yaml(text).root_mapping
    versions = root.value("versions")
    assert isinstance(versions, Sequence)
    assert text[versions.span.start : versions.span.end] == "- version: '3.12'\n  - version: '3.13'"


def test_syntax_errors_become_a_problem_on_the_offending_line():
    text = "ref: a.b\nruntime_version: [\">=3\"\nentry_point: x\n"
    parsed = parse_yaml(text)
    assert parsed.documents == []
    assert parsed.problem is not None
    line = LineIndex.of(text).line_of(parsed.problem.span.start)
    assert line == 2
    assert parsed.problem.span.end > parsed.problem.span.start


def test_an_error_at_the_end_of_the_file_points_at_the_last_written_character():
    text = "owner_ref: [\n\n"
    problem = parse_yaml(text).problem
    assert problem is not None
    assert text[problem.span.start : problem.span.end] == "["


def test_duplicate_keys_are_all_reported_with_both_spans():
    text = "a: 1\nb: 2\na: 3\na: 4\n"
    parsed = parse_yaml(text)
    assert [(d.key, text[d.first.start : d.first.end], d.again.start) for d in parsed.duplicates] == [
        ("a", "a", 10),
        ("a", "a", 15),
    ]


def test_aliases_share_nodes_instead_of_expanding_them():
    laughs = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 10)}]\n" for i in range(2)
    )
    parsed = parse_yaml(laughs)
    assert parsed.problem is None
    root = parsed.root_mapping
    last = root.value("c")
    assert isinstance(last, Sequence) and last.items[0] is last.items[1]


def test_an_alias_bomb_is_a_problem_found_without_expanding_it():
    bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 10)}]\n" for i in range(8)
    )
    parsed = parse_yaml(bomb)
    assert parsed.problem is not None and parsed.problem.kind == "aliases"
    assert "repetition limit exceeded" in parsed.problem.message and parsed.documents == []


def test_recursive_aliases_are_a_problem_not_a_cycle():
    parsed = parse_yaml("a: &r [*r]\n")
    assert parsed.problem is not None and parsed.problem.kind == "aliases"
    assert "recursion limit exceeded" in parsed.problem.message and parsed.documents == []


def test_control_characters_and_tabs_are_problems_not_exceptions():
    assert parse_yaml("a: \x07\n").problem.kind == "character"
    assert "tab" in parse_yaml("a:\n\t- b\n").problem.message


def test_deep_nesting_is_a_problem_not_a_recursion_error():
    parsed = parse_yaml("a: " + "[" * 5000 + "]" * 5000 + "\n")
    assert parsed.problem is not None and parsed.problem.kind == "depth"


def test_multi_document_files_keep_every_document():
    parsed = parse_yaml("a: 1\n---\nb: 2\n")
    assert len(parsed.documents) == 2 and isinstance(parsed.documents[1], Mapping)


def test_empty_text_has_no_root_and_no_problem():
    parsed = parse_yaml("")
    assert parsed.root is None and parsed.problem is None


def test_line_index_converts_between_offsets_and_every_encoding():
    text = "a: é😀x\r\nb\rc"
    index = LineIndex.of(text)
    x = text.index("x")
    assert index.position(x, "utf-32") == (0, 5)
    assert index.position(x, "utf-16") == (0, 6)
    assert index.position(x, "utf-8") == (0, 9)
    for encoding in ("utf-8", "utf-16", "utf-32"):
        line, character = index.position(x, encoding)
        assert index.offset(line, character, encoding) == x
    assert index.position(text.index("c")) == (2, 0)
    assert index.line_text(0) == "a: é😀x"


def test_a_lookup_finds_the_first_entry_with_the_key_at_every_mapping_size():
    """Small mappings are scanned, middle ones search their key texts, big ones a dict: one answer for all."""
    for size in (1, 8, 9, 20, 32, 33, 60):
        keys = [f"k{i}" for i in range(size)]
        text = "".join(f"{k}: {i}\n" for i, k in enumerate(keys)) + "[complex, key]: x\n" + f"{keys[-1]}: again\n"
        root = parse_yaml(text).root_mapping
        assert root is not None
        for i, key in enumerate(keys):
            pair = root.get(key)
            assert pair is not None and pair.value.value == (i if i < size - 1 else size - 1), (size, key)
        assert root.get("missing") is None
        assert root.get("[complex, key]") is None  # a sequence key is never found by text
