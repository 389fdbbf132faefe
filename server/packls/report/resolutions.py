"""Resolutions (which version each action or sensor gets, and why) as text or JSON."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Iterable

from packls.findings import Finding
from packls.report import display_path
from packls.report.escape import json_dumps, output_line
from packls.resolutions import Listed
from packls.resolve import Resolution


def resolution_record(resolution: Resolution, cwd: Path | None = None) -> dict[str, Any]:
    """One component's answer as plain data."""
    component = resolution.component
    runner = resolution.runner
    explanation = resolution.explanation
    verdicts = []
    if explanation is not None:
        for verdict in explanation.verdicts:
            candidate = verdict.candidate
            fact = candidate.availability
            verdicts.append(
                {
                    "version": verdict.version_text,
                    "is_default": candidate.is_default,
                    "available": candidate.available,
                    "verified_at": fact.verified_at.isoformat() if fact and fact.verified_at else None,
                    "detected": fact.detected if fact else None,
                    "verdict": verdict.verdict.name.lower(),
                    "reason": verdict.reason,
                }
            )
    return {
        "ref": component.ref,
        "kind": component.kind.value,
        "path": display_path(component.path, cwd),
        "runner_type": runner.runner_type if runner else None,
        "runner_type_defaulted": runner.defaulted if runner else False,
        "resolved_by": runner.how if runner else None,
        "runtime": resolution.runtime.ref if resolution.runtime else None,
        "constraint": resolution.constraint,
        "selected": resolution.selected.version if resolution.selected else None,
        "reason": resolution.reason,
        "env_dir": resolution.env_dir,
        "candidates": verdicts,
    }


def listed_record(entry: Listed, cwd: Path | None = None) -> dict[str, Any]:
    """One listed action or sensor as plain data: its resolution (or why there is none) and its findings."""
    if entry.resolution is not None:
        record = resolution_record(entry.resolution, cwd)
    else:
        record = {
            "ref": entry.ref, "kind": entry.kind.value, "path": display_path(entry.path, cwd), "runner_type": None,
            "runner_type_defaulted": False, "resolved_by": None, "runtime": None, "constraint": None, "selected": None,
            "reason": entry.reason, "env_dir": None, "candidates": [],
        }
    record["unresolved"] = entry.unresolved
    record["findings"] = [_finding_record(item) for item in entry.findings]
    return record


def _finding_record(item: Finding) -> dict[str, str]:
    return {"severity": item.severity.label, "code": item.code, "message": item.message}


def render_resolutions_json(listed: Iterable[Listed], cwd: Path | None = None) -> str:
    """The JSON document of `packls resolve`."""
    return json_dumps({"components": [listed_record(entry, cwd) for entry in listed]}, indent=2)


def render_resolutions_text(listed: Iterable[Listed], cwd: Path | None = None) -> str:
    """A readable block per component."""
    blocks = []
    for entry in listed:
        record = listed_record(entry, cwd)
        resolution = entry.resolution
        lines = [f"{record['ref'] or '(no ref)'} ({record['kind']})  {record['path']}"]
        if resolution is None:
            lines.append(f"  unresolved: {entry.reason}")
        elif resolution.runtime is not None:
            if resolution.runner is not None:
                lines.append(f"  runtime: {resolution.runner.description}")
            constraint = f"'{resolution.constraint}'" if resolution.constraint is not None else "none"
            chosen = record["selected"] or "none"
            lines.append(f"  runtime_version: {constraint}  ->  {chosen}")
            lines.append(f"  why: {resolution.reason}")
            width = max((len(v["version"]) for v in record["candidates"]), default=0) + 2
            verdict_width = max((len(v["verdict"]) for v in record["candidates"]), default=0) + 2  # never run together
            for verdict in record["candidates"]:
                flags = "default" if verdict["is_default"] else ""
                lines.append(f"    {verdict['version']:<{width}}{flags:<9}{verdict['verdict']:<{verdict_width}}{verdict['reason']}")
            if record["env_dir"]:
                lines.append(f"  env: {record['env_dir']}")
        elif entry.unresolved:
            lines.append(f"  unresolved: {resolution.reason}")
        else:
            lines.append(f"  why: {resolution.reason}")
        for item in entry.findings:
            said = item.message == entry.reason  # already the "unresolved:" line
            lines.append(f"  {item.severity.label} {item.code}" + ("" if said else f": {item.message}"))
        blocks.append("\n".join(output_line(line) for line in lines))
    return "\n\n".join(blocks)

