"""Findings as SARIF 2.1.0, with rule metadata and line-independent fingerprints (for code scanning)."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import Any, Iterable

from packls import __version__
from packls.checks.rules import RULES, Rule
from packls.findings import Finding, Severity
from packls.report import display_path
from packls.report.escape import json_dumps
from packls.syntax.lines import LineIndex

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
RULES_DOC = "docs/rules.md"
_LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFORMATION: "note", Severity.HINT: "note"}


def sarif_level(severity: Severity) -> str:
    """SARIF has error, warning and note; information and hint are notes."""
    return _LEVELS[severity]


def rule_descriptor(rule: Rule) -> dict[str, Any]:
    """The reportingDescriptor of one rule."""
    return {
        "id": rule.code,
        "name": "".join(part.capitalize() for part in re.split(r"[._]", rule.code)),
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": rule.summary + (" (Attune's own pack-check code.)" if rule.attune else "")},
        "help": {"text": f"See {RULES_DOC}#{rule.anchor} in the packls documentation for a bad and a good example."},
        "defaultConfiguration": {"level": sarif_level(rule.severity)},
        "properties": {"tags": [rule.area] + (["attune-pack-check"] if rule.attune else [])},
    }


def sarif_document(findings: Iterable[Finding], texts: dict[Path, str], cwd: Path | None = None) -> dict[str, Any]:
    """The SARIF log: one run, every registered rule, one result per finding."""
    rules = sorted(RULES.values(), key=lambda r: r.code)
    index_of = {rule.code: i for i, rule in enumerate(rules)}
    indexes: dict[Path, LineIndex] = {}
    occurrences: dict[str, int] = {}
    results = []

    def lines_of(path: Path) -> LineIndex:
        index = indexes.get(path)
        if index is None:
            index = indexes[path] = LineIndex.of(texts.get(path, ""))
        return index

    for item in findings:
        index = lines_of(item.path)
        path = display_path(item.path, cwd)
        result: dict[str, Any] = {
            "ruleId": item.code,
            "level": sarif_level(item.severity),
            "message": {"text": item.message},
            "locations": [_location(path, index, item.span.start, item.span.end)],
            "partialFingerprints": {"packlsFinding/v1": fingerprint(item, path, texts.get(item.path, ""), occurrences)},
        }
        if item.code in index_of:
            result["ruleIndex"] = index_of[item.code]
        if item.related:
            result["relatedLocations"] = [
                {
                    "id": number,
                    **_location(
                        display_path(r.path, cwd), lines_of(r.path),
                        r.span.start, r.span.end,
                    ),
                    "message": {"text": r.message},
                }
                for number, r in enumerate(item.related, start=1)
            ]
        results.append(result)
    return {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "packls",
                        "version": __version__,
                        "semanticVersion": __version__,
                        "rules": [rule_descriptor(rule) for rule in rules],
                    }
                },
                "columnKind": "utf16CodeUnits",
                "originalUriBaseIds": {"%SRCROOT%": {"uri": (cwd or Path.cwd()).resolve().as_uri() + "/"}},
                "results": results,
            }
        ],
    }


def render_sarif(findings: Iterable[Finding], texts: dict[Path, str], cwd: Path | None = None) -> str:
    """Serialise the SARIF log."""
    return json_dumps(sarif_document(findings, texts, cwd), indent=2)


def _location(path: str, index: LineIndex, start: int, end: int) -> dict[str, Any]:
    s_line, s_col = index.position(start, "utf-16")
    e_line, e_col = index.position(end, "utf-16")
    region = {"startLine": s_line + 1, "startColumn": s_col + 1, "endLine": e_line + 1, "endColumn": e_col + 1}
    return {"physicalLocation": {"artifactLocation": {"uri": _uri(path), "uriBaseId": "%SRCROOT%"}, "region": region}}


def _uri(path: str) -> str:
    """A relative URI reference for a POSIX path (spaces and other unsafe characters escaped)."""
    from urllib.parse import quote

    return quote(path.encode("utf-8", "surrogateescape"), safe="/._-~")  # a name that is not UTF-8: its own bytes


def fingerprint(item: Finding, path: str, text: str, occurrences: dict[str, int]) -> str:
    """Stable across edits that move lines: rule, file, the text under the finding, and its occurrence."""
    covered = " ".join(text[item.span.start : item.span.end].split())[:200]
    base = f"{item.code}\x00{path}\x00{covered}"
    number = occurrences.get(base, 0)
    occurrences[base] = number + 1
    return hashlib.sha256(f"{base}\x00{number}".encode("utf-8", "surrogatepass")).hexdigest()[:32] + f":{number + 1}"
