"""Diagnostics over stdio: the validator's findings, in the negotiated encoding, pushed or pulled."""

from __future__ import annotations

from pathlib import Path

import pytest

from lsprotocol import types
from pygls.uris import from_fs_path

from packls.checks import check_workspace, iter_findings
from packls.config import apply_config, Config
from packls.workspace import Workspace
from tests.lsp.harness import Harness, position, wait_for

pytestmark = pytest.mark.asyncio(loop_scope="module")


def validate_text(path: Path, text: str) -> list[tuple[str, int, int, str]]:
    """The validator's findings for one file with the given text."""
    path.write_text(text, encoding="utf-8")
    return validate(path.parents[2], path)


def validate(workspace_dir: Path, path: Path) -> list[tuple[str, int, int, str]]:
    """What `packls validate` reports for one file: (code, start, end, message)."""
    workspace = Workspace.load([workspace_dir])
    results = check_workspace(workspace, [path])
    texts = {s.path: s.text for s in workspace.sources()}
    findings = apply_config(list(iter_findings(results)), Config(), {path: texts[path]})
    return sorted((f.code, f.span.start, f.span.end, f.message) for f in findings)


async def test_capabilities_follow_the_client(shared: Harness) -> None:
    h = shared
    caps = h.result.capabilities
    assert caps.position_encoding == ("utf-16" if h.name == "vscode" else "utf-8")
    assert (caps.diagnostic_provider is not None) == (h.name == "vscode")
    assert caps.text_document_sync.change == types.TextDocumentSyncKind.Incremental  # type: ignore[union-attr]
    assert caps.hover_provider and caps.definition_provider and caps.references_provider
    assert caps.inlay_hint_provider and caps.code_action_provider and caps.workspace_symbol_provider


async def test_closed_files_get_exactly_what_packls_validate_reports(shared: Harness) -> None:
    h = shared
    from packls.cli import validate as cli_validate

    findings, texts, _ = cli_validate([h.root])
    expected: dict[str, list[tuple[str, types.Position, str]]] = {}
    for item in findings:
        uri = from_fs_path(str(item.path)) or ""
        expected.setdefault(uri, []).append((item.code, position(texts[item.path], item.span.start, h.encoding), item.message))
    for path in sorted(h.root.rglob("*.yaml")):
        uri = from_fs_path(str(path)) or ""
        want = sorted(expected.get(uri, []))
        got = await h.closed_diagnostics(path, lambda d, want=want: sorted((str(x.code), x.range.start, x.message) for x in d) == want)
        assert sorted((str(x.code), x.range.start, x.message) for x in got) == want


async def test_open_file_gets_exactly_the_validator_findings(shared: Harness) -> None:
    h = shared
    for name in ("broken_pack/runtimes/ruby.yaml", "version_traps/actions/caret_zero.yaml", "broken_pack/actions/unquoted.yaml"):
        path = h.root / name
        doc = h.open(path)
        diagnostics = await h.diagnostics(doc)
        h.close(doc)
        expected = validate(h.root, path)
        got = sorted((str(d.code), d.range.start, d.message) for d in diagnostics)
        assert got == sorted((code, position(doc.text, start, h.encoding), message) for code, start, _, message in expected)
        assert all(d.source == "packls" for d in diagnostics)


async def test_positions_use_the_negotiated_encoding(shared: Harness) -> None:
    h = shared
    path = h.fresh() / "actions/emoji.yaml"
    text = '# 😋😋 label\nref: data_tools.emoji\nlabel: "😋 é"   \nrunner_type: python\nruntime_version: [😋, ">=9"\n'
    doc = h.open(path, text)
    diagnostics = await h.diagnostics(doc)
    assert [str(d.code) for d in diagnostics] == ["yaml.syntax"]
    expected = validate_text(path, text)
    assert [position(text, start, h.encoding) for _, start, _, _ in expected] == [d.range.start for d in diagnostics]
    doc = h.replace(doc, f'label: "😋😋"\nref: {path.parents[1].name}.emoji\nrunner_type: python\nruntime_version: ">=9"\nentry_point: x.py\n')
    diagnostics = await h.diagnostics(doc)
    unsat = [d for d in diagnostics if d.code == "runtime_version.unsatisfiable"]
    assert unsat and unsat[0].range.start == h.at(doc, '">=9"')


async def test_rapid_edits_publish_the_last_version(shared: Harness) -> None:
    h = shared
    doc = h.open(h.fresh() / "actions/newest.yaml")
    await h.diagnostics(doc)
    for constraint in (">=3.11,<5", ">=3.11,<6", ">=9", ">=10", ">=11"):
        h.edit(doc, doc.text[doc.text.index('runtime_version: "') + 18 : doc.text.index('"\nentry_point')], constraint)
    diagnostics = [d for d in await h.diagnostics(doc) if d.code == "runtime_version.unsatisfiable"]
    assert len(diagnostics) == 1 and "'>=11'" in diagnostics[0].message
    if not h.pull:
        versions = [v for uri, v, _ in h.client.publishes if uri == doc.uri]  # type: ignore[attr-defined]
        assert versions[-1] == doc.version and versions == sorted(versions)


async def test_incremental_edits_respect_lsp_line_breaks(shared: Harness) -> None:
    h = shared
    pack = h.fresh()
    path = pack / "actions/newest.yaml"
    text = f'ref: {pack.name}.newest\ndescription: "a\u2028b"\nrunner_type: {pack.name}.python\nruntime_version: ">=3.11"\nentry_point: newest.py\n'
    doc = h.open(path, text)
    before = {str(d.code) for d in await h.diagnostics(doc)}
    assert "runtime_version.unsatisfiable" not in before
    h.edit(doc, ">=3.11", ">=9.0")
    diagnostics = [d for d in await h.diagnostics(doc) if d.code == "runtime_version.unsatisfiable"]
    assert diagnostics and diagnostics[0].range.start == h.at(doc, '">=9.0"')


async def test_close_clears_or_shows_the_file_on_disk(shared: Harness) -> None:
    h = shared
    path = h.fresh() / "actions/newest.yaml"
    doc = h.open(path)
    clean = [str(d.code) for d in await h.diagnostics(doc)]
    h.replace(doc, doc.text.replace(">=3.11,<4.0", ">=7"))
    assert "runtime_version.unsatisfiable" in [d.code for d in await h.diagnostics(doc)]
    h.close(doc)
    after = await h.closed_diagnostics(path, lambda d: "runtime_version.unsatisfiable" not in [x.code for x in d])
    assert sorted(str(d.code) for d in after) == sorted(clean)


async def test_closed_files_are_diagnosed_after_indexing(shared: Harness) -> None:
    h = shared
    path = h.root / "broken_pack/actions/golang.yaml"
    diagnostics = await h.closed_diagnostics(path, lambda d: bool(d))
    assert sorted(str(d.code) for d in diagnostics) == [code for code, *_ in validate(h.root, path)]
    assert "runner_type.unknown" in [d.code for d in diagnostics]
    if h.name == "vscode":
        tokens = h.client.progress_reports  # type: ignore[attr-defined]
        assert tokens, "indexing reports work-done progress"
        kinds = [r.kind for reports in tokens.values() for r in reports]
        assert kinds[0] == "begin" and kinds[-1] == "end"


async def test_pull_never_returns_null(shared: Harness) -> None:
    h = shared
    if not h.pull:
        return
    unknown = from_fs_path(str(h.root / "nowhere/never.yaml"))
    report = await h.client.text_document_diagnostic_async(
        types.DocumentDiagnosticParams(types.TextDocumentIdentifier(uri=unknown or ""))
    )
    assert isinstance(report, types.RelatedFullDocumentDiagnosticReport) and list(report.items) == []
    doc = h.open(h.fresh("broken_pack") / "actions/too_new.yaml")
    first = await h.client.text_document_diagnostic_async(types.DocumentDiagnosticParams(h.ident(doc)))
    assert isinstance(first, types.RelatedFullDocumentDiagnosticReport) and first.result_id
    again = await h.client.text_document_diagnostic_async(
        types.DocumentDiagnosticParams(h.ident(doc), previous_result_id=first.result_id)
    )
    assert isinstance(again, types.RelatedUnchangedDocumentDiagnosticReport)


async def test_files_outside_packs_get_nothing(shared: Harness, tmp_path: Path) -> None:
    h = shared
    path = tmp_path / "elsewhere.yaml"
    doc = h.open(path, "a: [\n")
    if h.pull:
        assert await h.diagnostics(doc) == []
    hover = await h.client.text_document_hover_async(types.HoverParams(h.ident(doc), types.Position(0, 0)))
    assert hover is None
    await wait_for(lambda: True, "nothing")
    assert not [m for m in h.client.messages if m.type == types.MessageType.Error]


async def test_large_files_are_checked_off_the_event_loop(shared: Harness) -> None:
    h = shared
    pack = h.fresh()
    params = "".join(f"  p{i}:\n    type: string\n    description: parameter number {i}\n" for i in range(900))
    text = f'ref: {pack.name}.big\nrunner_type: {pack.name}.python\nruntime_version: ">=3.11"\nentry_point: newest.py\nparameters:\n{params}'
    assert len(text) > 50_000
    doc = h.open(pack / "actions/big.yaml", text)
    assert "runtime_version.unsatisfiable" not in [d.code for d in await h.diagnostics(doc)]
    h.edit(doc, '">=3.11"', '">=9"')
    hover = await h.client.text_document_hover_async(types.HoverParams(h.ident(doc), h.at(doc, "p899:", 1)))
    assert hover is None or isinstance(hover.contents, types.MarkupContent)
    assert "runtime_version.unsatisfiable" in [d.code for d in await h.diagnostics(doc)]
    hover = await h.client.text_document_hover_async(types.HoverParams(h.ident(doc), h.at(doc, '">=9"', 1)))
    assert hover is not None and "→ **none**" in hover.contents.value  # type: ignore[union-attr]
    h.close(doc)
