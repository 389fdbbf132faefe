"""Findings as compiler-style text: `path:line:col: severity code message`, the line and a caret."""

from __future__ import annotations

from pathlib import Path
from typing import Iterable

from packls.findings import Finding
from packls.report import display_path
from packls.report.colour import PLAIN, Style
from packls.report.escape import output_line, printable
from packls.syntax.lines import LineIndex

MAX_SHOWN = 200  # characters of a source line shown under a finding: a minified file is one huge line
MIN_CONTEXT = 20  # characters kept before a span too wide to centre in the window
ELLIPSIS = "…"  # marks a side of the line that was cut


def render_text(
    findings: Iterable[Finding], texts: dict[Path, str], cwd: Path | None = None, *, style: Style = PLAIN, excerpts: bool = True
) -> str:
    """Every finding with its source line (`excerpts=False`: one line each, the concise format); columns are 1-based characters."""
    out: list[str] = []
    indexes: dict[Path, LineIndex] = {}

    def index_of(path: Path) -> LineIndex:
        index = indexes.get(path)
        if index is None:
            index = indexes[path] = LineIndex.of(texts.get(path, ""))
        return index

    for item in findings:
        index = index_of(item.path)
        line, column = index.position(item.span.start, "utf-32")
        where = output_line(f"{display_path(item.path, cwd)}:{line + 1}:{column + 1}:")  # (first on its line)
        out.append(f"{style.location(where)} {style.severity(item.severity)} {style.code(printable(item.code))} {printable(item.message)}")
        if not excerpts:
            continue
        if index.text:
            source_line = index.line_text(line)
            end_line, end_column = index.position(item.span.end, "utf-32")
            width = (end_column if end_line == line else len(source_line)) - column
            shown, caret = excerpt(source_line, column, width)
            out.append(output_line(f"  {shown}"))
            out.append(f"  {style.severity(item.severity, caret)}")
        for related in item.related:
            r_line, r_col = index_of(related.path).position(related.span.start, "utf-32")
            place = printable(f"{display_path(related.path, cwd)}:{r_line + 1}:{r_col + 1}: {related.message}")
            out.append(f"  {style.note('note:')} {place}")
    return "\n".join(out)


def excerpt(source_line: str, column: int, width: int) -> tuple[str, str]:
    """The line (a window of it when it is long) and the caret line under the span, so output stays readable.

    The line is shown `printable` (a control character is a visible escape several columns wide),
    and the caret is placed under the escaped text.
    """
    start, end = _window(len(source_line), column, width)
    head = ELLIPSIS if start > 0 else ""
    tail = ELLIPSIS if end < len(source_line) else ""
    shown = source_line[start:end]
    underline = min(width, end - column)  # the underline stops where the line is cut
    covered = len(printable(shown[column - start : column - start + underline]))
    caret = _prefix(head) + _prefix(printable(shown[: column - start])) + "^" + "~" * max(covered - 1, 0)
    return head + printable(shown) + tail, caret


def _window(length: int, column: int, width: int) -> tuple[int, int]:
    """Which characters to show: all of a short line, else MAX_SHOWN around the span's start."""
    if length <= MAX_SHOWN:
        return 0, length
    context = max((MAX_SHOWN - max(width, 1)) // 2, MIN_CONTEXT)
    start = min(max(column - context, 0), length - MAX_SHOWN)
    return start, start + MAX_SHOWN


def _prefix(before: str) -> str:
    """Keep tabs so the caret lines up under tab-indented text."""
    return "".join("\t" if c == "\t" else " " for c in before)
