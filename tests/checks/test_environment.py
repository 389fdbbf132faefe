"""environment.invalid: env_vars only on runtimes, and never a reserved ATTUNE_ name (execution_env.rs@776988df)."""

from __future__ import annotations

from tests.checks.helpers import only, run

ACTION = "ref: demo.run\nrunner_type: shell\nentry_point: run.sh\n"


def texts(findings, source: str) -> list[str]:
    return [source[f.span.start : f.span.end] for f in findings]


def test_env_vars_in_an_action_is_refused_with_each_reserved_name(tmp_path):
    text = ACTION + "env_vars:\n  LOG: debug\n  ATTUNE_API_TOKEN: x\n"
    found = only(run(tmp_path, {"actions/run.yaml": text, "actions/run.sh": ""}), "environment.invalid")
    assert texts(found, text) == ["env_vars", "ATTUNE_API_TOKEN"]
    assert found[0].message.startswith("env_vars: environment variables cannot be set in an action")
    assert found[0].data == {"delete": True} and found[1].data is None
    assert 'env_vars["ATTUNE_API_TOKEN"]' in found[1].message
    assert only(run(tmp_path, {"actions/run.yaml": text, "actions/run.sh": ""}), "key.unknown") == []  # it has an effect
    assert all(f.severity.label == "error" for f in found)


def test_a_parameter_named_env_vars_is_an_input_not_environment_metadata(tmp_path):
    text = ACTION + "parameters:\n  env_vars: {type: object}\n"
    assert only(run(tmp_path, {"actions/run.yaml": text, "actions/run.sh": ""}), "environment.invalid") == []


def test_rules_and_queues_may_not_carry_env_vars_even_when_empty(tmp_path):
    rule = "ref: demo.on_tick\ntrigger_ref: core.intervaltimer\naction_ref: demo.run\nenv_vars:\n"
    queue = "ref: demo.jobs\nlabel: Jobs\ndispatch_action: demo.run\nenv_vars: {}\n"
    found = only(run(tmp_path, {"rules/on_tick.yaml": rule, "queues/jobs.yaml": queue}), "environment.invalid")
    assert sorted(f.path.name for f in found) == ["jobs.yaml", "on_tick.yaml"]
    assert any("in a rule" in f.message for f in found) and any("in a work queue" in f.message for f in found)


def test_every_workflow_task_is_inspected_however_deep(tmp_path):
    workflow = (
        'version: "1.0"\ntasks:\n  - name: fan\n    type: parallel\n    tasks:\n      - name: inner\n'
        "        action: core.echo\n        input: {env_vars: {ATTUNE_X: fine}}\n        env_vars: {ATTUNE_Y: no}\n"
    )
    files = {
        "actions/flow.yaml": "ref: demo.flow\nworkflow_file: workflows/flow.workflow.yaml\n",
        "actions/workflows/flow.workflow.yaml": workflow,
    }
    findings = run(tmp_path, files)
    found = only(findings, "environment.invalid")
    assert [f.message.split(":", 1)[0] for f in found] == ["tasks[0].tasks[0].env_vars", 'tasks[0].tasks[0].env_vars["ATTUNE_Y"]']
    # the workflow parser refuses it too: the action says so, the workflow file does not repeat it
    assert only(findings, "workflow.invalid_definition") == []
    [linked] = only(findings, "action.invalid_workflow")
    assert "tasks[0].tasks[0].env_vars" in linked.message


def test_legacy_workflows_count_as_workflows(tmp_path):
    legacy = "ref: demo.clean\nversion: \"1.0\"\nenv_vars: {A: b}\ntasks:\n  - name: a\n    action: core.echo\n"
    [item] = only(run(tmp_path, {"workflows/clean.yaml": legacy}), "environment.invalid")
    assert item.message.startswith("env_vars: environment variables cannot be set in a workflow")


def test_runtime_env_vars_are_allowed_but_not_reserved_names(tmp_path):
    runtime = (
        "ref: demo.py\nname: Py\nexecution_config:\n  interpreter: {binary: python3}\n"
        "  env_vars: {PYTHONPATH: lib, ATTUNE_API_URL: x}\nversions:\n  - version: \"3.12\"\n"
        "    execution_config:\n      interpreter: {binary: python3}\n      env_vars:\n"
        "        ATTUNE_EXEC_ID: {value: x}\n  - version: \"3.13\"\n    execution_config:\n"
        "      interpreter: {binary: python3}\n      env_vars: [A]\n"
    )
    found = only(run(tmp_path, {"runtimes/py.yaml": runtime}), "environment.invalid")
    assert [f.message.split(":", 1)[0] for f in found] == [
        'execution_config.env_vars["ATTUNE_API_URL"]',
        'versions[0].execution_config.env_vars["ATTUNE_EXEC_ID"]',
        "versions[1].execution_config.env_vars",
    ]
    assert "must map variable names to values" in found[2].message


def test_sensors_and_lower_case_prefixes_are_not_inspected(tmp_path):
    sensor = "ref: demo.watch\nentry_point: watch\ntrigger_types: [core.intervaltimer]\nenv_vars: {A: b}\n"
    runtime = "ref: demo.sh\nname: Sh\nexecution_config:\n  env_vars: {attune_lower: x}\n"
    assert only(run(tmp_path, {"sensors/watch.yaml": sensor, "runtimes/sh.yaml": runtime}), "environment.invalid") == []
