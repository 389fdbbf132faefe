"""docs/rules.md documents every rule, and its examples behave as documented.

Each bad example must produce the rule's code; each good example must produce no finding at all.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from packls.checks.rules import RULES
from tests.checks.helpers import BASE_MANIFEST, run, write_files

DOCS = Path(__file__).resolve().parents[2] / "docs" / "rules.md"
_SECTION = re.compile(r"^## `([^`]+)`\n(.*?)(?=^## |\Z)", re.S | re.M)
_BLOCK = re.compile(r"^```(\w+)([^\n]*)\n(.*?)^```", re.S | re.M)
_ENTRY = re.compile(r"^entry_point:\s*(\S+)", re.M)
# Rules whose example is about the entry-point file itself: no scripts are added for them.
_ENTRY_RULES = {"action.entrypoint", "action.entrypoint_missing", "sensor.entrypoint", "sensor.entrypoint_missing"}


@dataclass
class Example:
    files: dict[str, str] = field(default_factory=dict)
    illustration: bool = False


@dataclass
class Section:
    code: str
    severity: str
    attune: bool
    fixable: bool
    bad: Example
    good: Example


def _example(text: str) -> Example:
    example = Example()
    for _, info, body in _BLOCK.findall(text):
        match = re.search(r"file=(\S+)", info)
        if match is None:
            example.illustration = True
        else:
            example.files[match.group(1)] = body
    return example


def parse_docs() -> dict[str, Section]:
    sections = {}
    for code, body in _SECTION.findall(DOCS.read_text(encoding="utf-8")):
        severity = re.search(r"^Severity: \*\*(\w+)\*\*", body, re.M)
        bad_at, good_at = body.find("**Bad**"), body.find("**Good**")
        assert severity and 0 <= bad_at < good_at, f"section {code} needs a severity, **Bad** and **Good**"
        sections[code] = Section(
            code, severity.group(1), "*Attune pack check*" in body, "fixable (`--fix`)" in body.split("\n\n", 1)[0],
            _example(body[bad_at:good_at]), _example(body[good_at:]),
        )
    return sections


SECTIONS = parse_docs()


def test_every_rule_has_a_section_and_every_section_a_rule():
    assert sorted(SECTIONS) == sorted(RULES)


@pytest.mark.parametrize("code", sorted(RULES))
def test_section_states_the_rule_severity_and_origin(code):
    rule, section = RULES[code], SECTIONS[code]
    assert section.severity == rule.severity.label
    assert section.attune == rule.attune
    assert section.fixable == rule.fixable, f"docs/rules.md and the registry disagree on whether {code} is fixable"


def _materialise(tmp_path: Path, code: str, example: Example) -> None:
    files: dict[str, str] = {}
    for name, body in example.files.items():
        files[name.lstrip("/") if name.startswith("/") else f"demo/{name}"] = body
    files.setdefault("demo/pack.yaml", BASE_MANIFEST)
    if code not in _ENTRY_RULES:
        for name, body in list(files.items()):
            folder = name.split("/")[-2] if name.count("/") >= 2 else ""
            if folder in ("actions", "sensors"):
                for entry in _ENTRY.findall(body):
                    if "/" not in entry and not entry.startswith("."):
                        files.setdefault(f"{name.rsplit('/', 1)[0]}/{entry}", "")
    write_files(tmp_path, files)


RUNNABLE = sorted(code for code, s in SECTIONS.items() if s.bad.files)


@pytest.mark.parametrize("code", RUNNABLE)
def test_bad_example_produces_the_rule(tmp_path, code):
    _materialise(tmp_path, code, SECTIONS[code].bad)
    found = {f.code for f in run(tmp_path)}
    assert code in found, f"{code} not in {sorted(found)}"


# Fixable rules whose fix needs a close match the bad example does not have (tests/cli/test_fix.py shows one).
FIX_NEEDS_A_CLOSE_MATCH = {"reference.missing_local_target", "reference.unknown_core", "reference.unknown_target",
                           "value.not_allowed", "value.wrong_type", "constraint.prerelease_only", "permission_set.invalid_grants"}


@pytest.mark.parametrize("code", RUNNABLE)
def test_bad_example_is_fixed_exactly_when_the_rule_says_fixable(tmp_path, code):
    _materialise(tmp_path, code, SECTIONS[code].bad)
    fixed = codes_with_a_fix(tmp_path)
    if RULES[code].fixable and code not in FIX_NEEDS_A_CLOSE_MATCH:
        assert code in fixed, f"{code} is marked fixable but --fix has no fix for its bad example"
    if not RULES[code].fixable:
        assert code not in fixed, f"{code} has a fix ({fixed[code]}) but is not marked fixable"


def codes_with_a_fix(root: Path) -> dict[str, str]:
    """Each code --fix would fix under root, with the title of its fix."""
    from packls.cli.loading import RegistryUse, check_loaded, load
    from packls.config import Config
    from packls.features.fixing import plan

    loaded = load([root], Config(root=root), RegistryUse())
    findings, _, _ = check_loaded(loaded, jobs=1)
    titles = {}
    for item in findings:
        source = loaded.workspace.source(item.path)
        for planned in plan(loaded.workspace, source, [item]) if source is not None else ():
            titles[item.code] = planned.fix.title
    return titles


@pytest.mark.parametrize("code", sorted(c for c, s in SECTIONS.items() if s.good.files))
def test_good_example_is_clean(tmp_path, code):
    _materialise(tmp_path, code, SECTIONS[code].good)
    assert [(f.code, f.message) for f in run(tmp_path)] == []


def test_only_a_few_rules_are_illustrated_instead_of_runnable():
    illustrated = sorted(code for code, s in SECTIONS.items() if not s.bad.files)
    assert illustrated == [
        "dependency.unknown_pack",
        "dependency.version_mismatch",
        "limits.metadata_file_too_large",
        "limits.metadata_files_exceeded",
        "limits.too_many_findings",
        "limits.too_many_values",
        "limits.traversed_entries_exceeded",
        "metadata.directory_unreadable",
        "metadata.unreadable",
        "runtime_version.unavailable",
    ]
