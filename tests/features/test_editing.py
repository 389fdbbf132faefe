"""Completion, navigation, symbols, inlay hints and quick fixes as pure functions."""

from __future__ import annotations

from pathlib import Path

from packls.features.code_actions import TextEdit, nearest_constraints, quick_fixes
from packls.features.completion import complete
from packls.features.inlay_hints import inlay_hints
from packls.features.locate import Tree, edit_context, locate
from packls.features.navigation import definition, references
from packls.facts import RegistryFacts, VersionAvailability
from packls.features.session import Session
from packls.features.symbols import document_symbols, workspace_symbols
from packls.resolve import candidates_for
from packls.syntax import parse_yaml
from tests.features.conftest import NEWEST, RUNTIME, at, edit


def completions(session: Session, path: Path, text: str, snippets: bool = True) -> dict[str, object]:
    offset = text.index("|")
    text = text.replace("|", "")
    edit(session, path, text, 9)
    view = session.documents[path].view()
    assert view is not None
    return {item.label: item for item in complete(session, view[0], view[1], text, offset, snippets)}


def apply(text: str, edits: list[TextEdit]) -> str:
    for item in sorted(edits, key=lambda e: e.span.start, reverse=True):
        text = text[: item.span.start] + item.new_text + text[item.span.end :]
    return text


# -- locate -------------------------------------------------------------------------------------------


def test_locate_keys_values_items_and_empty_values() -> None:
    text = "a: 1\nversions:\n  - version: '3'\nempty:\nlist: [x, y]\n"
    root = parse_yaml(text).root
    assert locate(root, at(text, "version:"), text).path == ("versions", 0, "version")  # type: ignore[union-attr]
    cursor = locate(root, at(text, "'3'"), text)
    assert cursor is not None and cursor.role == "value" and cursor.path == ("versions", 0, "version")
    cursor = locate(root, at(text, "empty:", 6), text)
    assert cursor is not None and cursor.role == "value" and cursor.path == ("empty",)
    cursor = locate(root, at(text, "y]"), text)
    assert cursor is not None and cursor.role == "item" and cursor.path == ("list", 1)


def test_locate_in_big_block_collections_finds_what_a_scan_from_the_start_finds(monkeypatch) -> None:
    """Big mappings and sequences are entered near the cursor; the answer is the full scan's at every offset."""
    import packls.features.locate as located

    entries = "".join(f"  p{i}:\n    type: string\n    empty:\n    items: [a, {{b: {i}}}]\n" for i in range(60))
    steps = "".join(f"- name: s{i}\n  do: [x]\n-\n" for i in range(40))
    text = f"parameters:\n{entries}steps:\n{steps}"
    root = parse_yaml(text).root
    halved = [locate(root, offset, text) for offset in range(len(text) + 1)]
    monkeypatch.setattr(located, "_HALVE_FROM", 10**9)
    scanned = [locate(root, offset, text) for offset in range(len(text) + 1)]
    assert halved == scanned
    cursor = locate(root, at(text, "empty:", 6), text)
    assert cursor is not None and cursor.path == ("parameters", "p0", "empty")


def test_locate_with_aliases_answers_as_a_full_scan() -> None:
    """An alias item carries its anchor's span (out of source order): such texts are scanned whole."""
    items = "".join(f"  - item{i}\n" for i in range(40))
    text = f"first: &shared\n  - a\nlist:\n{items}  - *shared\n  - last\n"
    root = parse_yaml(text).root
    cursor = locate(root, at(text, "- a", 2), text)
    assert cursor is not None and cursor.path == ("first", 0)
    cursor = locate(root, at(text, "last"), text)
    assert cursor is not None and cursor.path == ("list", 41)


def test_edit_context_reads_half_typed_lines_against_the_last_tree() -> None:
    good = "ref: a.b\nversions:\n  - version: '3'\n"
    tree = Tree.current(parse_yaml(good).root, good)
    text = good + "    is_"
    context = edit_context(text, len(text), tree)
    assert context is not None and context.role == "key" and context.path == ("versions", 0) and context.prefix == "is_"
    text = good + "  - "
    context = edit_context(text, len(text), tree)
    assert context is not None and context.new_item and context.path == ("versions", 1)
    text = good + 'runtime_version: ">=3'
    context = edit_context(text, len(text), tree)
    assert context is not None and context.role == "value" and context.quote == '"' and context.prefix == ">=3"


# -- completion ---------------------------------------------------------------------------------------


def test_runtime_version_completion_details_show_the_selection(session: Session, pack: Path) -> None:
    items = completions(session, pack / "actions/newest.yaml", NEWEST.replace('">=3.11,<4.0"', '"|"'))
    assert items["~3.12"].detail == "→ 3.12" and items["^3.11"].detail == "→ 3.13"  # type: ignore[attr-defined]
    assert items[">=3.12,<4.0"].insert_text == '">=3.12,<4.0"'  # type: ignore[attr-defined]


def test_constraints_that_select_nothing_are_offered_last(session: Session, pack: Path) -> None:
    session.set_facts(RegistryFacts(availability={
        ("demo.python", "3.13"): VersionAvailability("demo.python", "3.13", False),
        ("demo.python", "3.12"): VersionAvailability("demo.python", "3.12", True),
        ("demo.python", "3.11"): VersionAvailability("demo.python", "3.11", True),
    }))
    items = completions(session, pack / "actions/newest.yaml", NEWEST.replace('">=3.11,<4.0"', '"|"'))
    ordered = sorted(items.values(), key=lambda item: item.sort_text)  # type: ignore[attr-defined]
    details = [item.detail for item in ordered]  # type: ignore[attr-defined]
    assert details[0] == "→ 3.12" and "→ none" in details
    assert details.index("→ none") > max(i for i, d in enumerate(details) if d != "→ none")


def test_a_fresh_buffer_ending_in_an_open_quote_still_gets_constraints(session: Session, pack: Path) -> None:
    path = pack / "actions/fresh.yaml"
    text = 'ref: demo.fresh\nrunner_type: demo.python\nentry_point: newest.py\nruntime_version: "'
    session.open(path, text, 1)  # never parsed: no earlier tree to fall back on
    view = session.documents[path].view()
    assert view is not None and view[0].component is None
    items = {item.label: item for item in complete(session, view[0], view[1], text, len(text), True)}
    assert items["~3.12"].detail == "→ 3.12" and items["~3.12"].insert_text == '"~3.12"'


def test_runner_type_keys_and_snippets(session: Session, pack: Path) -> None:
    path = pack / "actions/newest.yaml"
    items = completions(session, path, NEWEST.replace("runner_type: demo.python", "runner_type: |"))
    assert items["demopython"].detail == "→ demo.python (runtime name)"  # type: ignore[attr-defined]
    assert items["node.js"].detail == "→ core.nodejs (built-in alias)"  # type: ignore[attr-defined]
    items = completions(session, path, NEWEST + "para|\n")
    assert "runner_type" not in items and "parameters" in items
    assert items["parameters"].insert_text.startswith("parameters:\n  ${1:name}:")  # type: ignore[attr-defined]
    plain = completions(session, path, NEWEST + "para|\n", snippets=False)
    assert plain["parameters"].insert_text == "parameters:" and not plain["parameters"].is_snippet  # type: ignore[attr-defined]


def test_new_versions_entry_snippet(session: Session, pack: Path) -> None:
    items = completions(session, pack / "runtimes/python.yaml", RUNTIME + "  - |\n")
    entry = items["new versions entry"]
    assert entry.insert_text.startswith('version: "${1:3.12}"\n  execution_config:')  # type: ignore[attr-defined]


# -- navigation ---------------------------------------------------------------------------------------


def test_definitions_and_references(session: Session, pack: Path) -> None:
    newest = session.source(pack / "actions/newest.yaml")
    assert newest is not None
    [target] = definition(session, newest, at(newest.text, "demo.python", 1))
    assert target.path == pack / "runtimes/python.yaml"
    [target] = definition(session, newest, at(newest.text, '">=3', 1))
    runtime = session.source(pack / "runtimes/python.yaml")
    assert runtime is not None and runtime.text[target.span.start : target.span.end] == '"3.13"'
    found = references(session, runtime, at(runtime.text, "demo.python", 1), include_declaration=False)
    assert sorted(t.path.name for t in found) == ["defaulted.yaml", "newest.yaml"]
    trigger = session.source(pack / "triggers/new_file.yaml")
    assert trigger is not None
    found = references(session, trigger, at(trigger.text, "new_file"), include_declaration=False)
    assert sorted(t.path.name for t in found) == ["on_new_file.yaml", "watch.yaml"]


# -- symbols and hints --------------------------------------------------------------------------------


def test_symbols(session: Session, pack: Path) -> None:
    runtime = session.source(pack / "runtimes/python.yaml")
    assert runtime is not None
    [main] = document_symbols(runtime)
    assert main.name == "demo.python" and main.kind == "class"
    versions = next(s for s in main.children if s.name == "versions")
    assert [s.name for s in versions.children] == ["3.11", "3.12 (default)", "3.13"]
    names = [s.name for s in workspace_symbols(session.workspace, "demo.py")]
    assert names[0] == "demo.python" and "demo.python@3.12" in names


def test_inlay_hint_after_the_constraint(session: Session, pack: Path) -> None:
    newest = session.source(pack / "actions/newest.yaml")
    assert newest is not None
    [hint] = inlay_hints(session, newest)
    assert hint.label == "→ 3.13" and newest.text[hint.offset - 1] == '"'
    edit(session, newest.path, NEWEST.replace(">=3.11,<4.0", ">=5"))
    [hint] = inlay_hints(session, session.source(newest.path))  # type: ignore[arg-type]
    assert hint.label == "→ none"


# -- quick fixes --------------------------------------------------------------------------------------


def test_nearest_constraints_keep_the_operator_style(session: Session, pack: Path) -> None:
    runtime = session.workspace.runtime_by_ref("demo.python")
    assert runtime is not None
    candidates = candidates_for(runtime, session.workspace)
    assert nearest_constraints(">=4.0", candidates)[0] == (">=3.13", "3.13")
    assert nearest_constraints("^0", candidates)[0] == ("^3", "3.13")
    assert nearest_constraints(">= 4.0, <5", candidates)[0] == (">= 3.13, <5", "3.13")


def test_unsatisfiable_fixes_rewrite_and_add_a_version(session: Session, pack: Path) -> None:
    path = pack / "actions/newest.yaml"
    edit(session, path, NEWEST.replace('">=3.11,<4.0"', "'>=4.0'"))
    source = session.source(path)
    assert source is not None
    fixes = quick_fixes(session, source, session.findings(path))
    titles = [f.title for f in fixes]
    assert titles[0] == 'Change to ">=3.13" (selects 3.13)'
    assert apply(source.text, list(fixes[0].edits)).count("runtime_version: '>=3.13'") == 1
    add = next(f for f in fixes if f.title.startswith('Add version "4.0" to demo.python'))
    [change] = add.edits
    runtime = pack / "runtimes/python.yaml"
    assert change.path == runtime
    assert apply(runtime.read_text(), [change]).endswith('  - version: "3.13"\n  - version: "4.0"\n')


def test_fixes_from_finding_data(session: Session, pack: Path) -> None:
    runtime = pack / "runtimes/python.yaml"
    edit(session, runtime, RUNTIME.replace('  - version: "3.13"', '  - version: "3.13"\n    is_default: true'))
    source = session.source(runtime)
    assert source is not None
    fixes = quick_fixes(session, source, [f for f in session.findings(runtime) if f.code == "runtime.multiple_defaults"])
    assert apply(source.text, list(fixes[0].edits)).count("is_default: true") == 1
    path = pack / "actions/newest.yaml"
    edit(session, path, NEWEST.replace('">=3.11,<4.0"', "3.12") + "timeout: 5\n")
    source = session.source(path)
    assert source is not None
    titles = {f.title: f for f in quick_fixes(session, source, session.findings(path))}
    assert apply(source.text, list(titles['Quote it: "3.12"'].edits)).count('runtime_version: "3.12"') == 1
    assert apply(source.text, list(titles["Rename 'timeout' to 'timeout_seconds'"].edits)).endswith("timeout_seconds: 5\n")


def test_misspelled_keys_and_refs_are_fixed_by_nearest_match(session: Session, pack: Path) -> None:
    rule = pack / "rules/on_new_file.yaml"
    edit(session, rule, "ref: on_new_file\ntrigger_ref: demo.new_fil\naction_ref: demo.newest\n")
    source = session.source(rule)
    assert source is not None
    titles = {f.title: f for f in quick_fixes(session, source, session.findings(rule))}
    fix = titles["Change to 'demo.new_file'"]
    assert apply(source.text, list(fix.edits)).startswith("ref: on_new_file\ntrigger_ref: demo.new_file\n")
    action = pack / "actions/newest.yaml"
    edit(session, action, NEWEST.replace("runner_type:", "runer_type:"))
    source = session.source(action)
    assert source is not None
    titles = {f.title: f for f in quick_fixes(session, source, session.findings(action))}
    assert apply(source.text, list(titles["Rename 'runer_type' to 'runner_type'"].edits)) == NEWEST
