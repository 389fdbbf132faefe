"""Findings as JUnit XML: a test suite per file with findings, a failed test case per finding (CI test reports)."""

from __future__ import annotations

from pathlib import Path
from typing import Iterable
from xml.etree import ElementTree

from packls.findings import Finding
from packls.report import display_path
from packls.report.escape import printable
from packls.syntax.lines import LineIndex


def render_junit(findings: Iterable[Finding], texts: dict[Path, str], files: int, cwd: Path | None = None) -> str:
    """The XML document; with no finding, one passing test case says so (a report is never empty)."""
    by_path: dict[Path, list[Finding]] = {}
    for item in findings:
        by_path.setdefault(item.path, []).append(item)
    total = sum(len(items) for items in by_path.values())
    root = ElementTree.Element("testsuites", name="packls", tests=str(max(total, 1)), failures=str(total))
    for path, items in by_path.items():
        shown = printable(display_path(path, cwd))
        suite = ElementTree.SubElement(root, "testsuite", name=shown, tests=str(len(items)), failures=str(len(items)))
        index = LineIndex.of(texts.get(path, ""))
        for item in items:
            line, column = index.position(item.span.start, "utf-32")
            where = f"{shown}:{line + 1}:{column + 1}"
            case = ElementTree.SubElement(suite, "testcase", name=f"{item.code} at {where}", classname=shown, file=shown, line=str(line + 1))
            failure = ElementTree.SubElement(case, "failure", message=printable(item.message), type=item.severity.label)
            failure.text = printable(f"{where}: {item.severity.label} {item.code} {item.message}")
    if not total:
        suite = ElementTree.SubElement(root, "testsuite", name="packls", tests="1", failures="0")
        ElementTree.SubElement(suite, "testcase", name=f"{files} file{'s' if files != 1 else ''} checked: no problems", classname="packls")
    ElementTree.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ElementTree.tostring(root, encoding="unicode")
