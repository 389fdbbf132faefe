"""Hover, completion, navigation, symbols, inlay hints and quick fixes through a real stdio client."""

from __future__ import annotations

from pathlib import Path

import pytest
from lsprotocol import types
from pygls.uris import from_fs_path

from tests.lsp.harness import Doc, Harness, units, wait_for

pytestmark = pytest.mark.asyncio(loop_scope="module")


def apply_edits(text: str, edits: list[types.TextEdit], encoding: str) -> str:
    """Apply LSP edits (last first) with an independent position decoder."""

    def offset(pos: types.Position) -> int:
        lines = text.split("\n")
        start = sum(len(line) + 1 for line in lines[: pos.line])
        line = lines[pos.line] if pos.line < len(lines) else ""
        used = 0
        for index, char in enumerate(line):
            if used >= pos.character:
                return start + index
            used += units(char, encoding)
        return start + len(line)

    for edit in sorted(edits, key=lambda e: (e.range.start.line, e.range.start.character), reverse=True):
        text = text[: offset(edit.range.start)] + edit.new_text + text[offset(edit.range.end) :]
    return text


async def hover_text(h: Harness, doc: Doc, needle: str, delta: int = 1) -> str:
    result = await h.client.text_document_hover_async(types.HoverParams(h.ident(doc), h.at(doc, needle, delta)))
    assert result is not None, f"no hover at {needle!r}"
    assert isinstance(result.contents, types.MarkupContent)
    return result.contents.value


async def completion_items(h: Harness, doc: Doc, needle: str, delta: int = 0) -> list[types.CompletionItem]:
    result = await h.client.text_document_completion_async(types.CompletionParams(h.ident(doc), h.at(doc, needle, delta)))
    assert isinstance(result, types.CompletionList)
    return list(result.items)


# -- hover ---------------------------------------------------------------------------------------------


async def test_hover_explains_the_version_selection(shared: Harness) -> None:
    h = shared
    pack = h.fresh()
    doc = h.open(pack / "actions/newest.yaml")
    text = await hover_text(h, doc, '">=3.11')
    assert f"on **{pack.name}.python** (DataPython{pack.name.rsplit('_', 1)[1]}) → **3.13**" in text
    assert "| **3.13** |  | **selected** — highest matching version |" in text
    assert "| 3.10 |  | excluded by >=3.11.0 (from '>=3.11') |" in text
    assert "pre-release not admitted" in text and "| 3.12 | yes | lower than 3.13 |" in text
    assert "runtime_envs" not in text  # the environment directory and fallback are packls/explain's (tests/lsp/test_explain.py)
    sensor = h.open(pack / "sensors/folder_watch.yaml")
    text = await hover_text(h, sensor, '"~3.12"')
    assert "**core.python** (Python) → **3.12**" in text
    h.close(doc)
    h.close(sensor)


async def test_hover_on_runner_type_and_version_entries(shared: Harness) -> None:
    h = shared
    pack = h.fresh()
    action = h.open(pack / "actions/legacy_report.yaml")
    name = "DataPython" + pack.name.rsplit("_", 1)[1]
    text = await hover_text(h, action, name)
    assert f"→ **{pack.name}.python** ({name}), resolved by runtime name" in text
    runtime = h.open(pack / "runtimes/python.yaml")
    text = await hover_text(h, runtime, '"3.12"')
    assert f"**{pack.name}.python 3.12** (default)" in text
    assert f"`{pack.name}.summarize` (action) — no constraint" in text
    text = await hover_text(h, runtime, '"3.10"')
    assert f"`{pack.name}.legacy_report` (action) — `3.10`" in text
    text = await hover_text(h, runtime, "execution_config", 2)
    assert "**execution_config**" in text
    h.close(action)
    h.close(runtime)


async def test_hover_on_an_edited_version_entry_says_who_saving_would_move(shared: Harness) -> None:
    h = shared
    pack = h.fresh()
    runtime = h.open(pack / "runtimes/python.yaml")
    text = await hover_text(h, runtime, '"3.13"')
    assert "Selected by 1 action:" in text and "Unsaved" not in text
    h.edit(runtime, '  - version: "3.14.0-rc.1"', '  - version: "3.14"\n  - version: "3.14.0-rc.1"')
    text = await hover_text(h, runtime, '"3.13"')
    assert f"- Saving moves 1 action from 3.13 to 3.14: `{pack.name}.newest`" in text
    text = await hover_text(h, runtime, "is_default: true", len("is_default: t"))
    assert "(default)" in text and "saving moves no action or sensor into or out of this version (2 other selections" in text
    h.edit(runtime, '    is_default: true\n', "")
    h.edit(runtime, '  - version: "3.13"\n', '  - version: "3.13"\n    is_default: true\n')
    text = await hover_text(h, runtime, '"3.12"')
    assert text.endswith(f"- Saving moves 1 action from 3.12 to 3.13: `{pack.name}.summarize`")
    h.close(runtime)


async def test_hover_keeps_working_while_the_yaml_is_broken(shared: Harness) -> None:
    h = shared
    pack = h.fresh()
    doc = h.open(pack / "actions/newest.yaml")
    await hover_text(h, doc, '">=3.11')
    h.edit(doc, "entry_point: newest.py", "entry_point: [newest.py")
    text = await hover_text(h, doc, '">=3.11')
    assert "→ **3.13**" in text
    h.close(doc)


# -- completion ----------------------------------------------------------------------------------------


async def test_completion_of_runtime_version_shows_what_each_selects(shared: Harness) -> None:
    h = shared
    pack = h.fresh()
    doc = h.open(pack / "actions/newest.yaml")
    h.edit(doc, '">=3.11,<4.0"', '""')
    items = await completion_items(h, doc, 'runtime_version: "', len('runtime_version: "'))
    by_label = {item.label: item for item in items}
    assert by_label["^3.12"].detail == "→ 3.13"
    assert by_label["~3.12"].detail == "→ 3.12"
    assert by_label["3.10"].detail == "→ 3.10"
    assert by_label[">=3.12,<4.0"].detail == "→ 3.13"
    edit = by_label["~3.12"].text_edit
    assert isinstance(edit, types.TextEdit) and edit.new_text == '"~3.12"'
    assert apply_edits(doc.text, [edit], h.encoding).count('runtime_version: "~3.12"\n') == 1
    h.close(doc)


async def test_completion_of_runner_types_keys_enums_and_refs(shared: Harness) -> None:
    h = shared
    pack = h.fresh()
    doc = h.open(pack / "sensors/folder_watch.yaml")
    items = await completion_items(h, doc, "runner_type: python", len("runner_type: pyt"))
    details = {item.label: item.detail for item in items}
    assert details["python"] == "→ core.python (built-in alias)"
    assert details[f"{pack.name}.python"] == f"→ {pack.name}.python (runtime ref)"
    assert details["datapython" + pack.name.rsplit("_", 1)[1]] == f"→ {pack.name}.python (runtime name)"
    items = await completion_items(h, doc, f"[{pack.name}.new_file]", 1)
    assert f"{pack.name}.new_file" in [item.label for item in items]
    h.edit(doc, "entry_point: folder_watch.py\n", "entry_point: folder_watch.py\nlog_retention_policy: d\n")
    items = await completion_items(h, doc, "log_retention_policy: d", len("log_retention_policy: d"))
    assert {"versions", "days", "hours", "minutes"} <= {item.label for item in items}
    h.edit(doc, "log_retention_policy: d\n", "worker_sel\n")
    items = await completion_items(h, doc, "worker_sel", len("worker_sel"))
    labels = {item.label for item in items}
    assert "worker_selector" in labels and "runner_type" not in labels  # present keys are not offered again
    snippet = next(item for item in items if item.label == "worker_selector")
    assert (snippet.insert_text_format == types.InsertTextFormat.Snippet) == bool(
        h.client.capabilities.text_document.completion.completion_item.snippet_support  # type: ignore[union-attr]
    )
    h.close(doc)


async def test_completion_of_a_new_versions_entry(shared: Harness) -> None:
    h = shared
    pack = h.fresh()
    doc = h.open(pack / "runtimes/python.yaml")
    h.replace(doc, doc.text + "  - \n")
    items = await completion_items(h, doc, "  - \n", 4)
    labels = [item.label for item in items]
    assert "version" in labels and "is_default" in labels and "new versions entry" in labels
    h.close(doc)


# -- navigation ----------------------------------------------------------------------------------------


async def test_definition_of_runner_type_runtime_version_and_refs(shared: Harness) -> None:
    h = shared
    pack = h.fresh()
    doc = h.open(pack / "actions/newest.yaml")
    runtime_uri = from_fs_path(str(pack / "runtimes/python.yaml"))
    found = await h.client.text_document_definition_async(types.DefinitionParams(h.ident(doc), h.at(doc, "python", 1)))
    assert isinstance(found, list) and found[0].uri == runtime_uri and found[0].range.start.line == 0
    found = await h.client.text_document_definition_async(types.DefinitionParams(h.ident(doc), h.at(doc, '">=3.11', 2)))
    runtime_text = (pack / "runtimes/python.yaml").read_text()
    line = runtime_text[: runtime_text.index('"3.13"')].count("\n")
    assert isinstance(found, list) and found[0].uri == runtime_uri and found[0].range.start.line == line
    sensor = h.open(pack / "sensors/folder_watch.yaml")
    found = await h.client.text_document_definition_async(types.DefinitionParams(h.ident(sensor), h.at(sensor, "new_file", 1)))
    assert isinstance(found, list) and found[0].uri == from_fs_path(str(pack / "triggers/new_file.yaml"))
    h.close(doc)
    h.close(sensor)


async def test_references_of_a_version_entry_and_a_trigger(shared: Harness) -> None:
    h = shared
    pack = h.fresh()
    runtime = h.open(pack / "runtimes/python.yaml")
    found = await h.client.text_document_references_async(
        types.ReferenceParams(text_document=h.ident(runtime), position=h.at(runtime, '"3.12"', 1), context=types.ReferenceContext(include_declaration=False))
    )
    assert [Path(loc.uri).name for loc in found or []] == ["summarize.yaml"]
    found = await h.client.text_document_references_async(
        types.ReferenceParams(text_document=h.ident(runtime), position=h.at(runtime, f"{pack.name}.python", 1), context=types.ReferenceContext(include_declaration=False))
    )
    assert sorted(Path(loc.uri).name for loc in found or []) == ["legacy_report.yaml", "newest.yaml", "preview.yaml", "summarize.yaml"]
    trigger = h.open(pack / "triggers/new_file.yaml")
    found = await h.client.text_document_references_async(
        types.ReferenceParams(text_document=h.ident(trigger), position=h.at(trigger, "new_file", 1), context=types.ReferenceContext(include_declaration=True))
    )
    assert sorted(Path(loc.uri).name for loc in found or []) == ["folder_watch.yaml", "new_file.yaml"]
    h.close(runtime)
    h.close(trigger)


async def test_a_pack_file_the_client_has_not_opened_still_answers(shared: Harness) -> None:
    h = shared
    pack = h.fresh()
    action = h.open(pack / "actions/newest.yaml")  # loads the pack; the runtime file stays closed
    await hover_text(h, action, '">=3.11')
    path = pack / "runtimes/python.yaml"
    closed = Doc(from_fs_path(str(path)) or "", path, path.read_text(encoding="utf-8"), 0)
    found = await h.client.text_document_references_async(
        types.ReferenceParams(text_document=h.ident(closed), position=h.at(closed, '"3.12"', 1), context=types.ReferenceContext(include_declaration=False))
    )
    assert [Path(loc.uri).name for loc in found or []] == ["summarize.yaml"]
    symbols = await h.client.text_document_document_symbol_async(types.DocumentSymbolParams(h.ident(closed)))
    assert symbols and symbols[0].name == f"{pack.name}.python"  # type: ignore[union-attr]
    assert f"**{pack.name}.python 3.12** (default)" in await hover_text(h, closed, '"3.12"')
    h.close(action)


# -- symbols -------------------------------------------------------------------------------------------


async def test_document_and_workspace_symbols(shared: Harness) -> None:
    h = shared
    pack = h.fresh()
    runtime = h.open(pack / "runtimes/python.yaml")
    symbols = await h.client.text_document_document_symbol_async(types.DocumentSymbolParams(h.ident(runtime)))
    assert symbols and isinstance(symbols[0], types.DocumentSymbol)
    assert symbols[0].name == f"{pack.name}.python" and symbols[0].kind == types.SymbolKind.Class
    versions = next(s for s in symbols[0].children or [] if s.name == "versions")
    assert [s.name for s in versions.children or []][:3] == ["3.10", "3.11", "3.12 (default)"]
    found = await h.client.workspace_symbol_async(types.WorkspaceSymbolParams(query=f"{pack.name}.pyth"))
    names = [s.name for s in found or []]
    assert f"{pack.name}.python" in names and f"{pack.name}.python@3.12" in names
    h.close(runtime)


# -- inlay hints ---------------------------------------------------------------------------------------


async def test_inlay_hints_show_the_selected_version(shared: Harness) -> None:
    h = shared
    pack = h.fresh("version_traps")
    for name, label in (("caret_zero", "→ none"), ("wildcard", "→ 3.13"), ("bare_major", "→ 20")):
        doc = h.open(pack / f"actions/{name}.yaml")
        hints = await h.client.text_document_inlay_hint_async(
            types.InlayHintParams(h.ident(doc), types.Range(types.Position(0, 0), types.Position(50, 0)))
        )
        assert [hint.label for hint in hints or []] == [label]
        value_line = doc.text.splitlines().index(next(line for line in doc.text.splitlines() if line.startswith("runtime_version")))
        assert hints and hints[0].position.line == value_line
        h.close(doc)


# -- quick fixes ---------------------------------------------------------------------------------------


async def fixes(h: Harness, doc: Doc, code: str) -> list[types.CodeAction]:
    diagnostics = [d for d in await h.diagnostics(doc) if d.code == code]
    assert diagnostics, f"no {code}"
    result = await h.client.text_document_code_action_async(
        types.CodeActionParams(h.ident(doc), diagnostics[0].range, types.CodeActionContext(diagnostics=diagnostics))
    )
    return [a for a in result or [] if isinstance(a, types.CodeAction)]


async def test_quick_fix_quotes_a_numeric_runtime_version(shared: Harness) -> None:
    h = shared
    doc = h.open(h.fresh("broken_pack") / "actions/unquoted.yaml")
    actions = await fixes(h, doc, "runtime_version.not_string")
    edit = actions[0].edit
    assert actions[0].title == 'Quote it: "3.12"' and edit is not None and edit.changes
    h.replace(doc, apply_edits(doc.text, list(edit.changes[doc.uri]), h.encoding))
    assert 'runtime_version: "3.12"' in doc.text
    assert "runtime_version.not_string" not in [d.code for d in await h.diagnostics(doc)]
    h.close(doc)


async def test_quick_fixes_for_an_unsatisfiable_constraint_work_across_files(shared: Harness) -> None:
    h = shared
    pack = h.fresh()
    path = pack / "actions/too_new.yaml"
    path.write_text(f"ref: {pack.name}.too_new\nrunner_type: {pack.name}.python\nruntime_version: '>=4.0'\nentry_point: newest.py\n")
    doc = h.open(path)
    actions = await fixes(h, doc, "runtime_version.unsatisfiable")
    titles = [a.title for a in actions]
    assert titles[0] == "Change to \">=3.13\" (selects 3.13)"
    rewrite = actions[0].edit.changes[doc.uri]  # type: ignore[union-attr,index]
    assert apply_edits(doc.text, list(rewrite), h.encoding).count("runtime_version: '>=3.13'") == 1  # quote style kept
    add = next(a for a in actions if a.title.startswith('Add version "4.0"'))
    runtime = pack / "runtimes/python.yaml"
    runtime_uri = from_fs_path(str(runtime))
    assert add.edit is not None and list(add.edit.changes or {}) == [runtime_uri]
    runtime.write_text(apply_edits(runtime.read_text(), list(add.edit.changes[runtime_uri]), h.encoding))  # type: ignore[index]
    assert '- version: "4.0"' in runtime.read_text()
    h.client.workspace_did_change_watched_files(
        types.DidChangeWatchedFilesParams(changes=[types.FileEvent(uri=runtime_uri or "", type=types.FileChangeType.Changed)])
    )
    await wait_for(lambda: True, "edit applied")
    if h.pull:
        for _ in range(100):
            if "runtime_version.unsatisfiable" not in [d.code for d in await h.diagnostics(doc)]:
                break
        assert "runtime_version.unsatisfiable" not in [d.code for d in await h.diagnostics(doc)]
    else:
        await wait_for(lambda: "runtime_version.unsatisfiable" not in [d.code for d in h.client.diagnostics.get(doc.uri, [])], "fixed")
    h.close(doc)


async def test_quick_fix_removes_a_duplicate_default(shared: Harness) -> None:
    h = shared
    doc = h.open(h.fresh("broken_pack") / "runtimes/ruby.yaml")
    actions = await fixes(h, doc, "runtime.multiple_defaults")
    assert actions[0].title == "Remove the extra is_default"
    fixed = apply_edits(doc.text, list(actions[0].edit.changes[doc.uri]), h.encoding)  # type: ignore[union-attr,index]
    assert fixed.count("is_default: true") == 1
    h.close(doc)
