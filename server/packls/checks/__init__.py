"""All checks, wired once: which checks run on which file kinds, and how results are collected."""

from __future__ import annotations

from pathlib import Path
from typing import Callable, Iterable, Iterator

from packls.checks.constraints import check_runnable
from packls.checks.rules import RULES, Rule
from packls.checks.runtimes import check_runtime_versions
from packls.checks.syntax import check_readable
from packls.findings import Finding
from packls.model import FileKind
from packls.workspace import SourceFile, Workspace

Check = Callable[[SourceFile, Workspace], Iterable[Finding]]

ALL_KINDS = frozenset(FileKind)

# One registration place: (file kinds, check).
CHECKS: tuple[tuple[frozenset[FileKind], Check], ...] = (
    (ALL_KINDS, check_readable),
    (frozenset({FileKind.RUNTIME}), check_runtime_versions),
    (frozenset({FileKind.ACTION, FileKind.SENSOR}), check_runnable),
)


def check_source(source: SourceFile, workspace: Workspace) -> list[Finding]:
    """Every finding for one file, in a deterministic order."""
    findings: list[Finding] = []
    for kinds, check in CHECKS:
        if source.kind in kinds:
            findings.extend(check(source, workspace))
    findings.sort(key=Finding.sort_key)
    return findings


def check_workspace(workspace: Workspace, only: Iterable[Path] | None = None) -> dict[Path, list[Finding]]:
    """Findings for every workspace file (or only the given files), keyed by path."""
    wanted = set(only) if only is not None else None
    results: dict[Path, list[Finding]] = {}
    for source in workspace.sources():
        if wanted is None or source.path in wanted:
            results[source.path] = check_source(source, workspace)
    return results


def iter_findings(results: dict[Path, list[Finding]]) -> Iterator[Finding]:
    """All findings of a result map, sorted."""
    for path in sorted(results, key=str):
        yield from results[path]


__all__ = ["CHECKS", "RULES", "Rule", "check_source", "check_workspace", "iter_findings"]
