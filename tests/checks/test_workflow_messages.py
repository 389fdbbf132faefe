"""Workflow parse errors worded as the newest parser words them (workflow/parser.rs@776988df).

`parse_workflow_yaml` reads the YAML into a value first and then converts it, so serde's message
carries no line, column or field path; packls keeps serde's words, adds the path in its own words,
and points the finding at the place.
"""

from __future__ import annotations

from tests.checks.helpers import only, run

ACTION = "ref: demo.deploy\nworkflow_file: workflows/deploy.yaml\n"


def test_a_type_error_names_the_field_path_but_no_line_or_column(tmp_path):
    workflow = 'version: "1"\ntasks:\n  - name: build\n    action: core.echo\n    join: many\n'
    [item] = only(run(tmp_path, {"actions/workflows/deploy.yaml": workflow}), "workflow.invalid_definition")
    assert item.message == (
        "YAML parsing error: invalid type: string \"many\", expected usize (at tasks[0].join)"
    )
    assert "line" not in item.message and "column" not in item.message
    assert workflow[item.span.start:item.span.end] == "many"


def test_a_missing_root_field_has_no_path(tmp_path):
    [item] = only(run(tmp_path, {"actions/workflows/deploy.yaml": "tasks: []\n"}), "workflow.invalid_definition")
    assert item.message == "YAML parsing error: missing field `version`"


def test_the_action_linking_a_broken_workflow_points_at_the_place_in_the_workflow(tmp_path):
    workflow = 'version: "1"\ntasks:\n  - name: build\n    action: core.echo\n    next:\n      - do: [publish]\n'
    findings = run(tmp_path, {"actions/deploy.yaml": ACTION, "actions/workflows/deploy.yaml": workflow})
    [item] = only(findings, "action.invalid_workflow")
    assert item.message == (
        "Invalid workflow file 'workflows/deploy.yaml': Invalid task reference: Task 'build' references "
        "non-existent task 'publish'"
    )
    [note] = item.related
    assert note.path == tmp_path / "demo" / "actions" / "workflows" / "deploy.yaml"
    assert workflow[note.span.start:note.span.end] == "publish"
