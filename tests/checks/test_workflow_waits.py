"""Workflow tasks as the newest parser reads them (workflow/parser.rs@776988df): wait_for and templated timeouts."""

from __future__ import annotations

import pytest

from tests.checks.helpers import only, run

LINK = "ref: demo.flow\nworkflow_file: workflows/flow.workflow.yaml\n"


def problems(tmp_path, tasks: str) -> list[str]:
    workflow = 'version: "1.0"\ntasks:\n' + tasks
    findings = run(tmp_path, {"actions/flow.yaml": LINK, "actions/workflows/flow.workflow.yaml": workflow})
    return [f.message for f in only(findings, "workflow.invalid_definition")]


def test_a_templated_timeout_is_rendered_at_run_time(tmp_path):
    tasks = '  - name: a\n    action: core.echo\n    timeout: "{{ parameters.timeout_seconds }}"\n  - name: b\n    action: core.echo\n    timeout: 30\n'
    assert problems(tmp_path, tasks) == []


@pytest.mark.parametrize("wait", [
    "{inquiry: '{{ result().inquiry_id }}'}", "{execution: 42}", "{work_queue_item: ' {{ vars.item }} '}",
])
def test_wait_for_accepts_its_three_targets(tmp_path, wait):
    assert problems(tmp_path, f"  - name: a\n    action: core.echo\n    wait_for: {wait}\n") == []


@pytest.mark.parametrize("wait, words", [
    ("{inquiry: 0}", "wait_for.inquiry must be a positive integer id or a single {{ }} template expression"),
    ("{execution: 'run {{ x }}'}", "wait_for.execution must be a positive integer id"),
    ("{execution: '42'}", "wait_for.execution must be a positive integer id"),
    ("{inquiry: '{{ }}'}", "wait_for.inquiry must be a positive integer id"),
    ("{approval: 1}", "data did not match any variant"),
    ("{inquiry: 1, execution: 2}", "data did not match any variant"),
])
def test_wait_for_targets_and_values_are_strict(tmp_path, wait, words):
    [message] = problems(tmp_path, f"  - name: a\n    action: core.echo\n    wait_for: {wait}\n")
    assert words in message


def test_wait_for_only_on_top_level_action_tasks_without_iteration(tmp_path):
    parallel = (
        "  - name: fan\n    type: parallel\n    wait_for: {execution: 1}\n    tasks:\n"
        "      - name: x\n        action: core.echo\n"
    )
    assert "works only on action tasks" in problems(tmp_path, parallel)[0]
    nested = "  - name: fan\n    type: parallel\n    tasks:\n      - name: x\n        action: core.echo\n        wait_for: {execution: 1}\n"
    assert "sub-task of a parallel task" in problems(tmp_path, nested)[0]
    iterating = "  - name: each\n    action: core.echo\n    with_items: '{{ vars.items }}'\n    wait_for: {execution: 1}\n"
    assert "cannot be combined with with_items or iterate_cache" in problems(tmp_path, iterating)[0]


def test_wait_for_is_refused_inside_a_cycle_but_not_on_its_way_in(tmp_path):
    loop = (
        "  - name: start\n    action: core.echo\n    wait_for: {execution: 1}\n    next: [{do: [poll]}]\n"
        "  - name: poll\n    action: core.echo\n    on_success: check\n"
        "  - name: check\n    action: core.echo\n    wait_for: {execution: 2}\n    next: [{do: [poll]}]\n"
    )
    [message] = problems(tmp_path, loop)
    assert message.startswith("Invalid field value: Task 'check' wait_for") and "cycle" in message


def test_the_wait_for_span_is_the_key(tmp_path):
    workflow = 'version: "1.0"\ntasks:\n  - name: fan\n    type: workflow\n    action: demo.other\n    wait_for: {execution: 1}\n'
    findings = run(tmp_path, {"actions/flow.yaml": LINK, "actions/workflows/flow.workflow.yaml": workflow})
    [item] = only(findings, "workflow.invalid_definition")
    assert workflow[item.span.start : item.span.end] == "wait_for"
    [linked] = only(findings, "action.invalid_workflow")
    assert "wait_for works only on action tasks" in linked.message
