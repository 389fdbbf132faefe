"""`--statistics`: how many findings each rule has and how many of them --fix can fix."""

from __future__ import annotations

from collections import Counter
from typing import Iterable, Mapping

from packls.findings import Finding


def statistics_rows(findings: Iterable[Finding], fixable: Mapping[Finding, bool]) -> list[dict[str, object]]:
    """One row per code, most frequent first: count, severity, safe and unsafe fixes."""
    counts: Counter[str] = Counter()
    severity: dict[str, str] = {}
    safe: Counter[str] = Counter()
    unsafe: Counter[str] = Counter()
    for item in findings:
        counts[item.code] += 1
        severity.setdefault(item.code, item.severity.label)
        if item in fixable:
            (safe if fixable[item] else unsafe)[item.code] += 1
    return [
        {"code": code, "count": count, "severity": severity[code], "fixable": safe[code], "unsafe_fixable": unsafe[code]}
        for code, count in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    ]


def render_statistics(findings: list[Finding], fixable: Mapping[Finding, bool]) -> str:
    """A table: `  3  key.misspelled  information  [*] 3 fixable`, then the totals."""
    rows = statistics_rows(findings, fixable)
    if not rows:
        return "no findings"
    width = max(len(str(row["code"])) for row in rows)
    count_width = max(len(str(row["count"])) for row in rows)
    lines = []
    for row in rows:
        marks = []
        if row["fixable"]:
            marks.append(f"[*] {row['fixable']} fixable")
        if row["unsafe_fixable"]:
            marks.append(f"[-] {row['unsafe_fixable']} with --unsafe-fixes")
        line = f"{row['count']:>{count_width}}  {row['code']:<{width}}  {row['severity']:<11}  {', '.join(marks)}"
        lines.append(line.rstrip())
    safe = sum(int(row["fixable"]) for row in rows)  # type: ignore[call-overload]
    unsafe = sum(int(row["unsafe_fixable"]) for row in rows)  # type: ignore[call-overload]
    total = len(findings)
    tail = f"Found {total} finding{'s' if total != 1 else ''}"
    if safe or unsafe:
        tail += f"; [*] {safe} fixable with --fix"
        if unsafe:
            tail += f", [-] {unsafe} more with --unsafe-fixes"
    lines.append(tail + ".")
    return "\n".join(lines)
