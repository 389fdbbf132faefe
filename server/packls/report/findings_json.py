"""Findings as JSON with LSP ranges (0-based lines, UTF-16 characters), for other tools."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Iterable

from packls.findings import Finding
from packls.report import display_path
from packls.report.escape import json_dumps
from packls.syntax.lines import LineIndex


def lsp_range(index: LineIndex, start: int, end: int) -> dict[str, dict[str, int]]:
    """An LSP range in UTF-16 code units, exactly what a client would receive."""
    s_line, s_char = index.position(start, "utf-16")
    e_line, e_char = index.position(end, "utf-16")
    return {"start": {"line": s_line, "character": s_char}, "end": {"line": e_line, "character": e_char}}


def findings_document(
    findings: Iterable[Finding], texts: dict[Path, str], files: int, cwd: Path | None = None
) -> dict[str, Any]:
    """The JSON document: file count and every finding."""
    indexes: dict[Path, LineIndex] = {}

    def index_of(path: Path) -> LineIndex:
        index = indexes.get(path)
        if index is None:
            index = indexes[path] = LineIndex.of(texts.get(path, ""))
        return index

    items = []
    for item in findings:
        index = index_of(item.path)
        entry: dict[str, Any] = {
            "path": display_path(item.path, cwd),
            "range": lsp_range(index, item.span.start, item.span.end),
            "severity": item.severity.label,
            "code": item.code,
            "message": item.message,
        }
        if item.related:
            entry["related"] = [
                {
                    "path": display_path(r.path, cwd),
                    "range": lsp_range(index_of(r.path), r.span.start, r.span.end),
                    "message": r.message,
                }
                for r in item.related
            ]
        items.append(entry)
    return {"files": files, "diagnostics": items}


def render_json(findings: Iterable[Finding], texts: dict[Path, str], files: int, cwd: Path | None = None) -> str:
    """Serialise the JSON document."""
    return json_dumps(findings_document(findings, texts, files, cwd), indent=2)
