"""All checks, wired once: which checks run on which file kinds, and how results are collected."""

from __future__ import annotations

import functools
from collections import Counter
from importlib import import_module
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterable, Iterator

from packls.checks.per_source import MAX_FINDINGS
from packls.checks.rules import LIMITS_TOO_MANY_FINDINGS, RULES, Rule
from packls.findings import Finding
from packls.model.kinds import FileKind

if TYPE_CHECKING:
    from packls.workspace import SourceFile, Workspace

Check = Callable[["SourceFile", "Workspace"], Iterable[Finding]]

K = FileKind
YAML_KINDS = frozenset(FileKind) - {K.IGNORED, K.PYTHON_REQUIREMENTS}
COMPONENT_KINDS = YAML_KINDS - {K.MANIFEST}  # the kinds with a component ref (checks.components.KIND_WORDS)
RUNNABLE_KINDS = frozenset({K.ACTION, K.SENSOR})
WORKFLOW_KINDS = frozenset({K.WORKFLOW, K.LEGACY_WORKFLOW})

# One registration place: (file kinds, "module:function" in packls.checks). A check's module is imported
# the first time a file of one of its kinds is checked: a pack of actions never loads the workflow,
# dashboard or cache checks (`packls validate` on a small pack is mostly imports).
CHECKS: tuple[tuple[frozenset[FileKind], str], ...] = (
    (YAML_KINDS, "syntax:check_readable"),
    (YAML_KINDS, "syntax:check_root_object"),
    (frozenset({K.IGNORED}), "files:check_ignored_location"),
    (frozenset({K.MANIFEST}), "files:check_pack_layout"),
    (frozenset({K.MANIFEST}), "manifest:check_manifest"),
    (COMPONENT_KINDS, "components:check_component"),
    (YAML_KINDS, "keys:check_keys"),
    (frozenset({K.MANIFEST, K.ACTION, K.SENSOR, K.TRIGGER}), "flat_schema:check_flat_schemas"),
    (frozenset({K.RUNTIME}), "runtimes:check_runtime_versions"),
    (frozenset({K.RUNTIME}), "runtimes:check_runtime_configs"),
    (frozenset({K.RUNTIME}), "runtimes:check_shared_interpreters"),
    (RUNNABLE_KINDS, "constraints:check_runnable"),
    (frozenset({K.ACTION}), "runnables:check_action"),
    (frozenset({K.SENSOR}), "runnables:check_sensor"),
    (frozenset({K.ACTION, K.SENSOR, K.TRIGGER, K.RULE, K.MANIFEST}), "settings:check_settings"),
    (frozenset({K.RULE}), "refs:check_rule_refs"),
    (frozenset({K.ACTION, K.SENSOR, K.RULE, K.QUEUE, K.POLICY}) | WORKFLOW_KINDS, "refs:check_references"),
    (WORKFLOW_KINDS, "workflows:check_workflow_file"),
    (frozenset({K.PERMISSION_SET}), "permission_sets:check_permission_set"),
    (frozenset({K.ACTION, K.RULE, K.QUEUE, K.RUNTIME}) | WORKFLOW_KINDS, "environment:check_environment"),
    (COMPONENT_KINDS, "json_keys:check_json_keys"),
    (frozenset({K.ACTION, K.RULE, K.QUEUE, K.SENSOR, K.WORKFLOW}), "permission_refs:check_permission_refs"),
    (frozenset({K.POLICY}), "policies:check_policy"),
    (frozenset({K.QUEUE}), "queues:check_queue"),
    (frozenset({K.CACHE}), "caches:check_cache"),
    (frozenset({K.DASHBOARD}), "dashboards:check_dashboard"),
    (frozenset({K.MANIFEST}), "dependencies:check_runtime_deps"),
    (frozenset({K.MANIFEST}), "pack_dependencies:check_pack_dependencies"),
    (frozenset({K.MANIFEST}), "dependencies:check_python_dependencies"),
    (frozenset({K.PYTHON_REQUIREMENTS}), "dependencies:check_requirements_file"),
)


def load_check(name: str) -> Check:
    """The check a registration names ("module:function"), its module imported if it is not yet."""
    module, function = name.split(":")
    check: Check = getattr(import_module(f"packls.checks.{module}"), function)
    return check


@functools.cache  # CHECKS is a constant table, so a kind's answer never changes
def checks_for(kind: FileKind) -> tuple[Check, ...]:
    """The checks that read files of one kind, in registration order (imported on the first file of that kind)."""
    return tuple(load_check(name) for kinds, name in CHECKS if kind in kinds)


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
    for check in checks_for(source.kind):
        produced = 0
        for item in islice(check(source, workspace), MAX_FINDINGS + 1):
            produced += 1
            key = (item.path, item.span, item.code, item.message)
            if key not in seen:
                seen.add(key)
                findings.append(item)
        cut = cut or produced > MAX_FINDINGS
    if cut or len(findings) > MAX_FINDINGS:
        from packls.checks.base import file_start

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


__all__ = ["CHECKS", "RULES", "Rule", "check_source", "check_workspace", "checks_for", "iter_findings"]
