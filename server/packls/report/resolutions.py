"""Resolutions (which version each action or sensor gets, and why) as text or JSON."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Iterable

from packls.report import display_path
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


def render_resolutions_json(resolutions: Iterable[Resolution], cwd: Path | None = None) -> str:
    """The JSON document of `packls resolve`."""
    return json.dumps({"components": [resolution_record(r, cwd) for r in resolutions]}, indent=2, ensure_ascii=False)


def render_resolutions_text(resolutions: Iterable[Resolution], cwd: Path | None = None) -> str:
    """A readable block per component."""
    blocks = []
    for resolution in resolutions:
        record = resolution_record(resolution, cwd)
        lines = [f"{record['ref'] or '(no ref)'} ({record['kind']})  {record['path']}"]
        if resolution.runner is not None:
            lines.append(f"  runtime: {resolution.runner.description}")
        if resolution.runtime is not None:
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
        else:
            lines.append(f"  why: {resolution.reason}")
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)
