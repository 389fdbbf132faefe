"""Findings as compiler-style text: `path:line:col: severity code message`, the line and a caret."""

from __future__ import annotations

from pathlib import Path
from typing import Iterable

from packls.findings import Finding
from packls.report import display_path
from packls.syntax.lines import LineIndex


def render_text(findings: Iterable[Finding], texts: dict[Path, str], cwd: Path | None = None) -> str:
    """Every finding with its source line; columns are 1-based characters."""
    out: list[str] = []
    indexes: dict[Path, LineIndex] = {}
    for item in findings:
        text = texts.get(item.path, "")
        index = indexes.get(item.path)
        if index is None:
            index = indexes[item.path] = LineIndex.of(text)
        line, column = index.position(item.span.start, "utf-32")
        out.append(f"{display_path(item.path, cwd)}:{line + 1}:{column + 1}: {item.severity.label} {item.code} {item.message}")
        if text:
            source_line = index.line_text(line)
            end_line, end_column = index.position(item.span.end, "utf-32")
            width = (end_column if end_line == line else len(source_line)) - column
            out.append(f"  {source_line}")
            out.append("  " + _prefix(source_line[:column]) + "^" + "~" * max(width - 1, 0))
        for related in item.related:
            related_text = texts.get(related.path, "")
            r_line, r_col = LineIndex.of(related_text).position(related.span.start, "utf-32")
            out.append(f"  note: {display_path(related.path, cwd)}:{r_line + 1}:{r_col + 1}: {related.message}")
    return "\n".join(out)


def _prefix(before: str) -> str:
    """Keep tabs so the caret lines up under tab-indented text."""
    return "".join("\t" if c == "\t" else " " for c in before)
