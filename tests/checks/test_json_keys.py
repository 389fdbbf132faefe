"""Keys JSON cannot hold: every component and workflow file is converted to JSON before Attune reads it.

pack_check.rs@776988df `check_environment_metadata` reports the failed conversion as environment.invalid
(dashboard.invalid_yaml_value too, for a dashboard), and registration stops on any environment problem.
"""

from __future__ import annotations

import pytest

from packls.findings import Severity
from tests.checks.helpers import codes, only, run

ACTION = "ref: demo.run\nrunner_type: native\nentry_point: run\n"


@pytest.mark.parametrize("key, what, reason", [
    ("~", "a null key", "key must be a string"),
    ("null", "a null key", "key must be a string"),
    ("? [a, b]\n  ", "a sequence used as a key", "key must be a string"),
    ("!secret token", "a tagged key", "key must be a string"),
    (".nan", "the key .nan", "float key must be finite (got NaN or +/-inf)"),
])
def test_a_key_json_cannot_hold_stops_the_pack_from_loading(tmp_path, key, what, reason):
    text = ACTION + f"parameters:\n  {key}: {{type: string}}\n"
    [item] = only(run(tmp_path, {"actions/run.yaml": text, "actions/run": "x"}), "environment.invalid")
    assert item.severity is Severity.ERROR
    assert item.message.startswith(f"{what} cannot be a JSON object key ({reason})")
    assert "refuses to load the pack" in item.message


def test_keys_json_can_hold_are_fine(tmp_path):
    text = ACTION + "parameters:\n  count: {type: integer, enum: [1, 2]}\nmeta:\n  1: one\n  true: yes\n  2.5: x\n"
    assert "environment.invalid" not in codes(run(tmp_path, {"actions/run.yaml": text, "actions/run": "x"}))


def test_a_dashboard_gets_pack_checks_own_code(tmp_path):
    dashboard = (
        "ref: demo.ops\nlabel: Ops\ndata_sources: {events: {kind: events}}\ncards: []\n"
        "layout:\n  breakpoints: {lg: 12}\n  ~: stray\n"
    )
    [item] = run(tmp_path, {"dashboards/ops.yaml": dashboard})
    assert item.code == "dashboard.invalid_yaml_value"
    assert dashboard[item.span.start:item.span.end] == "~"


def test_the_first_bad_key_in_document_order_is_the_one_reported(tmp_path):
    text = ACTION + "parameters:\n  a:\n    ~: 1\n  .inf: 2\n"
    [item] = only(run(tmp_path, {"actions/run.yaml": text, "actions/run": "x"}), "environment.invalid")
    assert item.message.startswith("a null key")


def test_a_workflow_with_such_a_key_is_one_environment_finding_and_fails_its_action(tmp_path):
    workflow = 'version: "1"\nvars:\n  ~: 1\ntasks:\n  - name: go\n    action: core.echo\n'
    findings = run(tmp_path, {
        "actions/deploy.yaml": "ref: demo.deploy\nworkflow_file: workflows/deploy.yaml\n",
        "actions/workflows/deploy.yaml": workflow,
    })
    assert sorted(codes(findings)) == ["action.invalid_workflow", "environment.invalid"]
    [linked] = only(findings, "action.invalid_workflow")
    assert linked.message.endswith("Validation error: key must be a string")
