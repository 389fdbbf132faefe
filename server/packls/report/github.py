"""Findings as GitHub Actions workflow commands: one `::error`/`::warning`/`::notice` annotation each."""

from __future__ import annotations

from pathlib import Path
from typing import Iterable

from packls.findings import Finding, Severity
from packls.report import display_path
from packls.report.escape import github_data, github_property
from packls.syntax.lines import LineIndex

_COMMANDS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFORMATION: "notice", Severity.HINT: "notice"}


def render_github(findings: Iterable[Finding], texts: dict[Path, str], cwd: Path | None = None) -> str:
    """One annotation line per finding; lines and columns are 1-based, columns in characters."""
    lines = []
    indexes: dict[Path, LineIndex] = {}
    for item in findings:
        index = indexes.get(item.path)
        if index is None:
            index = indexes[item.path] = LineIndex.of(texts.get(item.path, ""))
        s_line, s_col = index.position(item.span.start, "utf-32")
        e_line, e_col = index.position(item.span.end, "utf-32")
        properties = ",".join(
            [
                f"file={github_property(display_path(item.path, cwd))}",
                f"line={s_line + 1}",
                f"col={s_col + 1}",
                f"endLine={e_line + 1}",
                f"endColumn={e_col + 1}",
                f"title={github_property(item.code)}",
            ]
        )
        lines.append(f"::{_COMMANDS[item.severity]} {properties}::{github_data(item.message)}")
    return "\n".join(lines)
