"""python_dependencies is pack metadata: registration stores `metadata`, and no worker installs from it.

register_pack_internal (routes/packs.rs@e76cd03a) stores `metadata` and never reads `meta`; the
worker builds a pack's Python environment from the runtime's dependency manifest, requirements.txt
(worker env_setup.rs), so only requirements.txt lines can break an environment.
"""

from __future__ import annotations

from packls.findings import Severity
from tests.checks.helpers import only, run


def manifest(section: str, deps: str) -> str:
    return f'ref: demo\nversion: "1.0.0"\n{section}:\n  python_dependencies: [{deps}]\n'


def test_an_invalid_metadata_requirement_is_a_warning_that_says_nothing_installs_it(tmp_path):
    [item] = only(run(tmp_path, {"pack.yaml": manifest("metadata", '"requests=>2.28"')}), "python.invalid_requirement")
    assert item.severity is Severity.WARNING
    assert "Attune installs nothing from python_dependencies" in item.message


def test_metadata_wins_over_meta_because_registration_stores_metadata(tmp_path):
    text = manifest("metadata", '"requests>=2.28"') + 'meta:\n  python_dependencies: ["requests=>2.28"]\n'
    assert only(run(tmp_path, {"pack.yaml": text}), "python.invalid_requirement") == []


def test_meta_is_read_when_there_is_no_metadata(tmp_path):
    [item] = only(run(tmp_path, {"pack.yaml": manifest("meta", '"requests=>2.28"')}), "python.invalid_requirement")
    assert item.severity is Severity.WARNING


def test_a_marker_in_metadata_is_not_reported_since_pip_never_sees_it(tmp_path):
    action = 'ref: demo.run\nrunner_type: python\nentry_point: run.py\nruntime_version: "3.12"\n'
    files = {"pack.yaml": manifest("metadata", '"tomli>=2; python_version < \'3.11\'"'), "actions/run.yaml": action, "actions/run.py": ""}
    assert only(run(tmp_path, files), "python.requirement_skipped") == []


def test_an_invalid_requirements_line_is_an_error_pip_refuses(tmp_path):
    findings = run(tmp_path, {"requirements.txt": "requests=>2.28\n"})
    [item] = only(findings, "python.invalid_requirement")
    assert item.severity is Severity.ERROR and "pip refuses it" in item.message
