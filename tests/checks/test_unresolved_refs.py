"""Refs into another workspace pack that does not define the target: what registration then does.

loader.rs@e76cd03a skips a rule whose trigger or action it cannot find, and register_pack_internal
refuses a pack with a skipped rule (HTTP 422); the permission plan refuses unknown permission sets.
Sensors, workflows, queues and policies are only partly registered, so their finding stays a warning.
"""

from __future__ import annotations

from packls.findings import Severity
from tests.checks.helpers import only, run

OPS = {"../ops/pack.yaml": 'ref: ops\nversion: "1.0.0"\n'}


def unknown(tmp_path, files):
    return only(run(tmp_path, {**OPS, **files}), "reference.unknown_target")


def test_a_rule_whose_trigger_another_pack_lacks_fails_registration(tmp_path):
    [item] = unknown(tmp_path, {"rules/r.yaml": "ref: r\ntrigger_ref: ops.created\naction_ref: core.echo\n"})
    assert item.severity is Severity.ERROR
    assert "registration fails" in item.message and "HTTP 422" in item.message


def test_a_rule_whose_action_another_pack_lacks_fails_registration(tmp_path):
    [item] = unknown(tmp_path, {"rules/r.yaml": "ref: r\ntrigger_ref: core.intervaltimer\naction_ref: ops.restart\n"})
    assert item.severity is Severity.ERROR and "'ops.restart'" in item.message


def test_a_permission_set_another_pack_lacks_fails_registration(tmp_path):
    action = "ref: demo.run\nrunner_type: native\nentry_point: run\ndefault_execution_permission_set_refs: [ops.deployer]\n"
    [item] = unknown(tmp_path, {"actions/run.yaml": action, "actions/run": "x"})
    assert item.severity is Severity.ERROR
    assert "unavailable execution permission sets" in item.message


def test_a_sensor_trigger_another_pack_lacks_is_a_warning_naming_the_missing_link(tmp_path):
    sensor = "ref: demo.watch\nrunner_type: native\nentry_point: watch\ntrigger_types: [ops.created]\n"
    [item] = unknown(tmp_path, {"sensors/watch.yaml": sensor, "sensors/watch": "x"})
    assert item.severity is Severity.WARNING and "registered without a link to that trigger" in item.message


def test_a_workflow_task_action_another_pack_lacks_is_a_warning(tmp_path):
    workflow = 'version: "1"\ntasks:\n  - name: go\n    action: ops.restart\n'
    [item] = unknown(tmp_path, {"actions/workflows/w.yaml": workflow})
    assert item.severity is Severity.WARNING and "registered without it" in item.message


def test_a_queue_dispatch_action_another_pack_lacks_skips_the_queue(tmp_path):
    queue = "ref: demo.jobs\nlabel: Jobs\ndispatch_action: ops.restart\n"
    findings = unknown(tmp_path, {"queues/jobs.yaml": queue})
    assert [f.severity for f in findings] == [Severity.WARNING]
    assert "skips the work queue" in findings[0].message


def test_the_severity_of_the_rule_case_follows_the_configuration(tmp_path):
    (tmp_path / "packls.toml").write_text('[severity]\n"reference.unknown_target" = "warning"\n', encoding="utf-8")
    [item] = unknown(tmp_path, {"rules/r.yaml": "ref: r\ntrigger_ref: ops.created\naction_ref: core.echo\n"})
    assert item.severity is Severity.WARNING


def test_an_unknown_core_trigger_says_what_a_missing_one_does_to_the_rule(tmp_path):
    [item] = only(run(tmp_path, {"rules/r.yaml": "ref: r\ntrigger_ref: core.nosuch\naction_ref: core.echo\n"}), "reference.unknown_core")
    assert item.severity is Severity.INFORMATION
    assert "if the installed core pack lacks it, registration fails" in item.message
