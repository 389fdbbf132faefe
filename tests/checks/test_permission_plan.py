"""Permission sets and permission-set refs as registration's permission plan admits them (permissions.rs, rbac.rs)."""

from __future__ import annotations

import pytest

from tests.checks.helpers import codes, only, run

ACTION = "ref: demo.run\nrunner_type: shell\nentry_point: run.sh\n"


def grant(constraints: str, resource: str = "actions") -> str:
    return f"ref: demo.ops\ngrants:\n  - resource: {resource}\n    actions: [read]\n    constraints: {constraints}\n"


def test_a_misspelt_grant_key_fails_the_set_and_offers_the_rename(tmp_path):
    text = "ref: demo.ops\ngrants:\n  - resource: actions\n    actions: [read]\n    constraint: {refs: [demo.run]}\n"
    findings = run(tmp_path, {"permission_sets/ops.yaml": text})
    [item] = only(findings, "permission_set.invalid_grants")
    assert text[item.span.start : item.span.end] == "constraint"
    assert item.data == {"rename_to": "constraints"} and "unknown field `constraint`" in item.message
    assert "key.misspelled" not in codes(findings)  # the grant is strict: an error, not a guess


def test_a_misspelt_constraint_key_is_offered_the_constraint_name(tmp_path):
    [item] = only(run(tmp_path, {"permission_sets/ops.yaml": grant("{pack_ref: [demo]}")}), "permission_set.invalid_grants")
    assert item.data == {"rename_to": "pack_refs"}


@pytest.mark.parametrize("constraints, wrong", [("{owner_types: [team]}", "team"), ("{visibility: [internal]}", "internal")])
def test_owner_types_and_visibility_are_enums(tmp_path, constraints, wrong):
    [item] = only(run(tmp_path, {"permission_sets/ops.yaml": grant(constraints)}), "permission_set.invalid_grants")
    assert f"unknown variant `{wrong}`" in item.message and item.data is None


def test_known_owner_types_and_visibilities_pass(tmp_path):
    text = grant("{owner_types: [system, identity, pack, action, sensor], visibility: [public, private]}", "artifacts")
    assert run(tmp_path, {"permission_sets/ops.yaml": text}) == []


@pytest.mark.parametrize("constraints, at, words", [
    ("{ids: [7]}", "ids", "database ids"),
    ("{pack_refs: [demo], refs: [demo.run]}", "refs", "combines pack_refs and refs"),
    ("{owner_refs: []}", "[]", "empty owner_refs"),
    ("{pack_refs: [demo, ' ']}", "' '", "empty pack_refs"),
])
def test_the_plan_scopes_grants_by_literal_refs(tmp_path, constraints, at, words):
    text = grant(constraints)
    [item] = only(run(tmp_path, {"permission_sets/ops.yaml": text}), "permission_set.invalid_scope")
    assert text[item.span.start : item.span.end] == at and words in item.message


def test_bare_permission_refs_other_than_standard_cannot_exist(tmp_path):
    text = ACTION + "default_execution_permission_set_refs: [standard, privileged, core.admin]\n"
    [item] = only(run(tmp_path, {"actions/run.yaml": text, "actions/run.sh": ""}), "permission_refs.unavailable")
    assert text[item.span.start : item.span.end] == "privileged" and item.data is None


def test_a_bare_ref_naming_an_own_set_is_given_its_prefix(tmp_path):
    files = {
        "actions/run.yaml": ACTION + "default_execution_permission_set_refs: [ops]\n", "actions/run.sh": "",
        "permission_sets/ops.yaml": "ref: demo.ops\ngrants: []\n",
    }
    [item] = only(run(tmp_path, files), "permission_refs.unavailable")
    assert item.data == {"replacement": "demo.ops"} and "did you mean 'demo.ops'" in item.message


def test_templates_are_refused_outside_workflow_tasks(tmp_path):
    rule = "ref: demo.on_tick\ntrigger_ref: core.intervaltimer\naction_ref: demo.run\npermission_set_refs: '{{ x }}'\n"
    sensor = "ref: demo.watch\nentry_point: watch\ntrigger_types: [core.intervaltimer]\nconfig:\n  cache_permission_set_refs: ['{{ y }}', '']\n"
    found = only(run(tmp_path, {"rules/on_tick.yaml": rule, "sensors/watch.yaml": sensor}), "permission_refs.invalid")
    assert sorted((f.path.name, f.message.split(";")[0]) for f in found) == [
        ("on_tick.yaml", "'{{ x }}' is a template, and templates are rendered only in workflow tasks, not in a rule"),
        ("watch.yaml", "'{{ y }}' is a template, and templates are rendered only in workflow tasks, not in a sensor's cache refs"),
        ("watch.yaml", "config.cache_permission_set_refs cannot contain an empty ref"),
    ]


def test_workflow_tasks_may_use_templates_but_not_bare_refs(tmp_path):
    workflow = (
        'version: "1.0"\ntasks:\n  - name: a\n    action: demo.run\n'
        "    permission_set_refs: ['{{ parameters.set }}', standard, admin]\n"
        "  - name: b\n    action: demo.run\n    permission_set_ref: [3]\n"
    )
    files = {
        "actions/run.yaml": ACTION, "actions/run.sh": "",
        "actions/flow.yaml": "ref: demo.flow\nworkflow_file: workflows/flow.workflow.yaml\n",
        "actions/workflows/flow.workflow.yaml": workflow,
    }
    findings = run(tmp_path, files)
    [bare] = only(findings, "permission_refs.unavailable")
    assert workflow[bare.span.start : bare.span.end] == "admin" and "whose action links this workflow" in bare.message
    [wrong] = only(findings, "permission_refs.invalid")
    assert "tasks[1].permission_set_ref entries must be strings" in wrong.message


def test_rule_ref_shapes_stay_with_the_rule_check(tmp_path):
    rule = "ref: demo.on_tick\ntrigger_ref: core.intervaltimer\naction_ref: demo.run\npermission_set_refs: [1]\n"
    found = codes(run(tmp_path, {"rules/on_tick.yaml": rule, "actions/run.yaml": ACTION, "actions/run.sh": ""}))
    assert "rule.invalid_permission_set_refs" in found and "permission_refs.invalid" not in found
