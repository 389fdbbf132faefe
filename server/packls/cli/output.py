"""Findings in the format asked for, with the registry facts they depended on and the closing summary."""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from packls.cli.loading import RegistryUse
from packls.findings import Finding, Severity
from packls.report.colour import Style, wants_colour
from packls.report.escape import json_dumps

FORMATS = ("text", "concise", "json", "sarif", "github", "gitlab", "junit")
MACHINE_FORMATS = frozenset({"json", "sarif", "gitlab", "junit"})  # one document on stdout, nothing else


@dataclass
class Report:
    """One run's findings and what the formats say around them."""

    findings: list[Finding]
    texts: dict[Path, str]
    files: int
    registry: RegistryUse
    fixable: dict[Finding, bool] = field(default_factory=dict)  # finding -> its fix is safe (empty: not worked out)


def render_findings(args: argparse.Namespace, report: Report) -> str:
    """The whole output for stdout in args.format (or the statistics table)."""
    if getattr(args, "statistics", False):
        from packls.report.statistics import render_statistics

        return render_statistics(report.findings, report.fixable)
    fmt = args.format
    if fmt == "json":
        from packls.report.findings_json import findings_document

        document = findings_document(report.findings, report.texts, report.files)
        document["registry"] = report.registry.record()
        return json_dumps(document, indent=2)
    if fmt == "sarif":
        from packls.report.sarif import sarif_document

        document = sarif_document(report.findings, report.texts)
        document["runs"][0]["properties"] = {"registry": report.registry.record()}
        return json_dumps(document, indent=2)
    if fmt == "github":
        from packls.report.github import render_github

        return render_github(report.findings, report.texts)
    if fmt == "gitlab":
        from packls.report.gitlab import render_gitlab

        return render_gitlab(report.findings, report.texts)
    if fmt == "junit":
        from packls.report.junit import render_junit

        return render_junit(report.findings, report.texts, report.files)
    from packls.report.findings_text import render_text

    style = Style(wants_colour(getattr(args, "color", "auto"), sys.stdout))
    lines = [render_text(report.findings, report.texts, style=style, excerpts=fmt != "concise")] if report.findings else []
    lines.append(style.dim(summary(report)))
    return "\n".join(lines)


def summary(report: Report) -> str:
    """`3 files checked: 1 error, 2 warnings` and, when fixes exist, how to apply them."""
    counts = Counter(item.severity for item in report.findings)
    parts = [f"{counts[s]} {s.label}{'s' if counts[s] != 1 else ''}" for s in Severity if counts[s]]
    files = report.files
    line = f"{files} file{'s' if files != 1 else ''} checked: " + (", ".join(parts) if parts else "no problems")
    return line + fixable_hint(report.fixable)


def fixable_hint(fixable: dict[Finding, bool]) -> str:
    """`; 2 fixable with --fix (1 more with --unsafe-fixes)`, or nothing."""
    safe = sum(1 for ok in fixable.values() if ok)
    unsafe = len(fixable) - safe
    if not fixable:
        return ""
    if safe and unsafe:
        return f"; {safe} fixable with --fix ({unsafe} more with --unsafe-fixes)"
    if safe:
        return f"; {safe} fixable with --fix"
    return f"; {unsafe} fixable with --fix --unsafe-fixes"


def render_stats(findings: list[Finding], files: int, elapsed: float) -> str:
    """A small table: findings per severity and per rule code, and how long it took."""
    by_code = Counter((item.code, item.severity) for item in findings)
    lines = [f"packls: {files} files, {len(findings)} findings in {elapsed * 1000:.0f} ms"]
    for severity in Severity:
        count = sum(1 for item in findings if item.severity is severity)
        if count:
            lines.append(f"  {severity.label:<12}{count:>5}")
    if by_code:
        lines.append("  by rule:")
        width = max(len(code) for code, _ in by_code)
        for (code, severity), count in sorted(by_code.items(), key=lambda kv: (-kv[1], kv[0][0])):
            lines.append(f"    {code:<{width}}  {severity.label:<12}{count:>5}")
    return "\n".join(lines)
