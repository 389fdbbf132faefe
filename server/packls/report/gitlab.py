"""Findings as GitLab Code Quality JSON: one issue per finding, with the line-independent SARIF fingerprint."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Iterable

from packls.findings import Finding, Severity
from packls.report import display_path
from packls.report.escape import json_dumps
from packls.report.sarif import fingerprint
from packls.syntax.lines import LineIndex

# Code Quality severities: info, minor, major, critical, blocker.
_SEVERITIES = {Severity.ERROR: "major", Severity.WARNING: "minor", Severity.INFORMATION: "info", Severity.HINT: "info"}


def gitlab_issues(findings: Iterable[Finding], texts: dict[Path, str], cwd: Path | None = None) -> list[dict[str, Any]]:
    """The Code Quality report: description, check_name, fingerprint, severity and location of each finding."""
    indexes: dict[Path, LineIndex] = {}
    occurrences: dict[str, int] = {}
    issues = []
    for item in findings:
        index = indexes.get(item.path)
        if index is None:
            index = indexes[item.path] = LineIndex.of(texts.get(item.path, ""))
        path = display_path(item.path, cwd)
        s_line, s_col = index.position(item.span.start, "utf-32")
        e_line, e_col = index.position(item.span.end, "utf-32")
        issues.append({
            "type": "issue",
            "description": item.message,
            "check_name": item.code,
            "fingerprint": fingerprint(item, path, texts.get(item.path, ""), occurrences),
            "severity": _SEVERITIES[item.severity],
            "location": {
                "path": path,
                "positions": {"begin": {"line": s_line + 1, "column": s_col + 1}, "end": {"line": e_line + 1, "column": e_col + 1}},
            },
        })
    return issues


def render_gitlab(findings: Iterable[Finding], texts: dict[Path, str], cwd: Path | None = None) -> str:
    """Serialise the report (an array, as GitLab's `codequality` artifact expects)."""
    return json_dumps(gitlab_issues(findings, texts, cwd), indent=2)
