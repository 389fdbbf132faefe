"""All checks, wired once: which checks run on which file kinds, and how results are collected."""

from __future__ import annotations

from collections import Counter
from itertools import islice
from pathlib import Path
from typing import Callable, Iterable, Iterator

from packls.checks.base import file_start
from packls.checks.caches import check_cache
from packls.checks.components import KIND_WORDS, check_component
from packls.checks.constraints import check_runnable
from packls.checks.dashboards import check_dashboard
from packls.checks.pack_dependencies import check_pack_dependencies
from packls.checks.dependencies import check_python_dependencies, check_requirements_file, check_runtime_deps
from packls.checks.environment import check_environment
from packls.checks.files import check_ignored_location, check_pack_layout
from packls.checks.json_keys import check_json_keys
from packls.checks.flat_schema import check_flat_schemas
from packls.checks.keys import check_keys
from packls.checks.manifest import check_manifest
from packls.checks.permission_refs import check_permission_refs
from packls.checks.per_source import MAX_FINDINGS
from packls.checks.permission_sets import check_permission_set
from packls.checks.policies import check_policy
from packls.checks.queues import check_queue
from packls.checks.refs import check_references, check_rule_refs
from packls.checks.rules import LIMITS_TOO_MANY_FINDINGS, RULES, Rule
from packls.checks.runnables import check_action, check_sensor
from packls.checks.runtimes import check_runtime_configs, check_runtime_versions, check_shared_interpreters
from packls.checks.settings import check_settings
from packls.checks.syntax import check_readable, check_root_object
from packls.checks.workflows import check_workflow_file
from packls.findings import Finding
from packls.model import FileKind
from packls.workspace import SourceFile, Workspace

Check = Callable[[SourceFile, Workspace], Iterable[Finding]]

K = FileKind
YAML_KINDS = frozenset(FileKind) - {K.IGNORED, K.PYTHON_REQUIREMENTS}
COMPONENT_KINDS = frozenset(KIND_WORDS)
RUNNABLE_KINDS = frozenset({K.ACTION, K.SENSOR})
WORKFLOW_KINDS = frozenset({K.WORKFLOW, K.LEGACY_WORKFLOW})

# One registration place: (file kinds, check).
CHECKS: tuple[tuple[frozenset[FileKind], Check], ...] = (
    (YAML_KINDS, check_readable),
    (YAML_KINDS, check_root_object),
    (frozenset({K.IGNORED}), check_ignored_location),
    (frozenset({K.MANIFEST}), check_pack_layout),
    (frozenset({K.MANIFEST}), check_manifest),
    (COMPONENT_KINDS, check_component),
    (YAML_KINDS, check_keys),
    (frozenset({K.MANIFEST, K.ACTION, K.SENSOR, K.TRIGGER}), check_flat_schemas),
    (frozenset({K.RUNTIME}), check_runtime_versions),
    (frozenset({K.RUNTIME}), check_runtime_configs),
    (frozenset({K.RUNTIME}), check_shared_interpreters),
    (RUNNABLE_KINDS, check_runnable),
    (frozenset({K.ACTION}), check_action),
    (frozenset({K.SENSOR}), check_sensor),
    (frozenset({K.ACTION, K.SENSOR, K.TRIGGER, K.RULE, K.MANIFEST}), check_settings),
    (frozenset({K.RULE}), check_rule_refs),
    (frozenset({K.ACTION, K.SENSOR, K.RULE, K.QUEUE, K.POLICY}) | WORKFLOW_KINDS, check_references),
    (WORKFLOW_KINDS, check_workflow_file),
    (frozenset({K.PERMISSION_SET}), check_permission_set),
    (frozenset({K.ACTION, K.RULE, K.QUEUE, K.RUNTIME}) | WORKFLOW_KINDS, check_environment),
    (COMPONENT_KINDS, check_json_keys),
    (frozenset({K.ACTION, K.RULE, K.QUEUE, K.SENSOR, K.WORKFLOW}), check_permission_refs),
    (frozenset({K.POLICY}), check_policy),
    (frozenset({K.QUEUE}), check_queue),
    (frozenset({K.CACHE}), check_cache),
    (frozenset({K.DASHBOARD}), check_dashboard),
    (frozenset({K.MANIFEST}), check_runtime_deps),
    (frozenset({K.MANIFEST}), check_pack_dependencies),
    (frozenset({K.MANIFEST}), check_python_dependencies),
    (frozenset({K.PYTHON_REQUIREMENTS}), check_requirements_file),
)


MAX_PER_RULE = 100  # in a file over MAX_FINDINGS, findings kept per rule: one mistake repeated says enough


def check_source(source: SourceFile, workspace: Workspace) -> list[Finding]:
    """Every finding for one file, in a deterministic order (duplicates of one problem dropped).

    A file with more than MAX_FINDINGS findings (a generated or mangled file, a million duplicate
    keys) gets the most telling of them and one `limits.too_many_findings`: each check stops after
    MAX_FINDINGS, so the cost stays bounded whatever the file holds.
    """
    findings: list[Finding] = []
    seen: set[tuple[object, ...]] = set()
    cut = False
    for kinds, check in CHECKS:
        if source.kind in kinds:
            produced = 0
            for item in islice(check(source, workspace), MAX_FINDINGS + 1):
                produced += 1
                key = (item.path, item.span, item.code, item.message)
                if key not in seen:
                    seen.add(key)
                    findings.append(item)
            cut = cut or produced > MAX_FINDINGS
    if cut or len(findings) > MAX_FINDINGS:
        worst = min(f.severity for f in findings)
        findings = _most_telling(findings)
        message = (f"this file has more than {MAX_FINDINGS} findings; packls shows at most {MAX_PER_RULE} of each kind, "
                   "the most severe first, and stops there — fix these (often one mistake repeated) and the rest will show")
        findings.append(Finding(source.path, file_start(source), worst, LIMITS_TOO_MANY_FINDINGS.code, message))
    findings.sort(key=Finding.sort_key)
    return findings


def _most_telling(findings: list[Finding]) -> list[Finding]:
    """At most MAX_PER_RULE findings of each rule and MAX_FINDINGS in all: the most severe first, the earliest among equals
    (so an error in the middle of a file is not crowded out by a thousand warnings before it)."""
    per_rule: Counter[str] = Counter()
    chosen: list[Finding] = []
    for item in sorted(findings, key=lambda f: (f.severity, f.span.start, f.span.end)):
        if per_rule[item.code] < MAX_PER_RULE:
            per_rule[item.code] += 1
            chosen.append(item)
            if len(chosen) == MAX_FINDINGS:
                break
    return chosen


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
