"""Pull diagnostics: textDocument/diagnostic for open files, workspace/diagnostic for closed ones.

Both always answer with a report (never null); result ids change only when the text or the
findings do. The workspace pull is held open until something the client holds is out of date.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from lsprotocol import types

from packls.lsp.diagnostics import SLICE_SECONDS, file_uri, result_id, to_diagnostic
from packls.lsp.positions import Positions

if TYPE_CHECKING:
    from packls.lsp.diagnostics import DiagnosticsService


async def pull_document(service: DiagnosticsService, params: types.DocumentDiagnosticParams) -> types.DocumentDiagnosticReport:
    """textDocument/diagnostic: always a report, never null."""
    server, uri = service.server, params.text_document.uri
    document = server.documents.get(uri)
    await server.sync_all(asking=uri)
    path = document.path if document is not None else server.path_of(uri)
    source = server.session.source(path) if path else None
    if path is None or (document is None and source is None):
        return types.RelatedFullDocumentDiagnosticReport(items=[], result_id="none")
    if document is not None:
        state = server.session.documents.get(path)
        if state is None or state.text != document.text:
            return types.RelatedFullDocumentDiagnosticReport(items=[])
        text, positions = document.text, document.positions(server.encoding)
    else:
        assert source is not None
        text, positions = source.text, server.positions_for_path(path) or Positions(source.text, server.encoding)
    findings = await service.findings_for(path)
    if findings is None:
        findings = server.session.findings(path)  # raced an edit: answer for the state now
    rid = result_id(text, findings)
    if params.previous_result_id == rid:
        return types.RelatedUnchangedDocumentDiagnosticReport(result_id=rid)
    items = [to_diagnostic(f, positions, server.positions_for_path) for f in findings]
    return types.RelatedFullDocumentDiagnosticReport(items=items, result_id=rid)


async def pull_workspace(service: DiagnosticsService, params: types.WorkspaceDiagnosticParams) -> types.WorkspaceDiagnosticReport:
    """workspace/diagnostic for every closed file (open ones are pulled per document), held open.

    The LSP's long poll: the answer comes as soon as a closed file's report differs from what
    the client holds (at once on the first pull), otherwise only after a change makes one differ.
    VS Code pulls again 2 s after every answer, so an immediate "unchanged" answer would cost a
    workspace check every 2 s forever. A cancelled pull is answered with the unchanged reports.
    """
    await service.server.indexed.wait()
    previous = {p.uri: p.value for p in params.previous_result_ids}
    reports: list[types.WorkspaceDocumentDiagnosticReport] = []
    try:
        while True:
            ticket = service.changes.ticket()
            await service.server.sync_all()
            reports, news = await _closed_file_reports(service, previous)
            if news or service.stopped:
                break
            await service.changes.wait(ticket)
    except asyncio.CancelledError:
        return types.WorkspaceDiagnosticReport(items=[r for r in reports if isinstance(r, types.WorkspaceUnchangedDocumentDiagnosticReport)])
    service.removed.clear()
    service.server.warm_start.save_soon()  # every closed file's findings are computed now
    return types.WorkspaceDiagnosticReport(items=reports)


async def _closed_file_reports(
    service: DiagnosticsService, previous: dict[str, str],
) -> tuple[list[types.WorkspaceDocumentDiagnosticReport], bool]:
    """A report per closed file (unchanged where the client's result id still holds), and whether any is news."""
    reports: list[types.WorkspaceDocumentDiagnosticReport] = []
    news = False
    session = service.server.session
    opened = {d.path for d in service.server.documents}
    loop = asyncio.get_running_loop()
    started = loop.time()
    for path in session.tracked_paths():
        source = session.source(path)
        if path in opened or source is None:
            continue
        findings = await service.findings_for(path) if service.server.config_for(path).diagnose_closed_files else []
        if findings is None:
            continue  # changed while checking: the change that follows brings it
        uri, rid = file_uri(path), result_id(source.text, findings)
        if previous.get(uri) == rid:
            reports.append(types.WorkspaceUnchangedDocumentDiagnosticReport(uri=uri, result_id=rid, version=None))
        else:
            positions = service.server.positions_for_path(path) or Positions(source.text, service.server.encoding)
            items = [to_diagnostic(f, positions, service.server.positions_for_path) for f in findings]
            reports.append(types.WorkspaceFullDocumentDiagnosticReport(uri=uri, items=items, result_id=rid, version=None))
            news = True
        if loop.time() - started > SLICE_SECONDS:
            await asyncio.sleep(0)
            started = loop.time()
    for path in sorted(service.removed):
        if path not in opened and session.source(path) is None:
            reports.append(types.WorkspaceFullDocumentDiagnosticReport(uri=file_uri(path), items=[], version=None))
            news = True
    return reports, news
