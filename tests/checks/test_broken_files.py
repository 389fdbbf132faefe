"""No cascades: a file that does not parse gives each dependent one finding naming it, never a wrong one."""

from __future__ import annotations

from pathlib import Path

import pytest

from packls.broken import ABSENT, UNKNOWN, identity_lines
from tests.checks.helpers import only, run

RUNTIME_BROKEN = "ref: demo.mypy\nname: MyPy\nversions:\n  - version: \"3.12\"\n    execution_config: {}\n   bad: indent\n"
ACTION = "ref: demo.run\nrunner_type: {runner}\nentry_point: run.py\n"


def files(runner: str, runtime: str = RUNTIME_BROKEN) -> dict[str, str]:
    return {"runtimes/python.yaml": runtime, "actions/run.yaml": ACTION.format(runner=runner), "actions/run.py": ""}


@pytest.mark.parametrize("runner", ["mypy", "MyPy", "demo.mypy"])
def test_a_runner_type_the_broken_runtime_could_declare_gets_one_finding_naming_it(tmp_path: Path, runner: str) -> None:
    found = run(tmp_path, files(runner))
    assert sorted(f.code for f in found) == ["reference.broken_target", "yaml.syntax"]
    broken = only(found, "reference.broken_target")[0]
    assert broken.path.name == "run.yaml"
    assert broken.message == (
        f"runner_type '{runner}' cannot be checked: runtimes/python.yaml does not parse (line 6), and registration fails until it does"
    )
    assert [(r.path.name, r.span.start) for r in broken.related] == [("python.yaml", 0)]


def test_a_runner_type_the_broken_runtime_cannot_declare_is_still_unknown(tmp_path: Path) -> None:
    # the broken file's ref and name lines are readable, and neither is `golang`
    assert sorted(f.code for f in run(tmp_path, files("golang"))) == ["runner_type.unknown", "yaml.syntax"]


def test_a_broken_runtime_whose_ref_line_cannot_be_read_could_declare_anything(tmp_path: Path) -> None:
    runtime = "ref: [demo.mypy\nname: MyPy\n"
    assert sorted(f.code for f in run(tmp_path, files("golang", runtime))) == ["reference.broken_target", "yaml.syntax"]


def test_a_runtime_that_is_not_a_mapping_blocks_by_name_only_when_nothing_shows_its_ref(tmp_path: Path) -> None:
    found = run(tmp_path, files("mypy", "- ref: demo.mypy\n"))
    assert sorted(f.code for f in found) == ["component.not_object", "runner_type.unknown"]


def test_a_tab_in_an_action_does_not_make_a_rule_report_a_missing_local_action(tmp_path: Path) -> None:
    found = run(tmp_path, {
        "actions/run.yaml": "ref: demo.run\nrunner_type: shell\n\tentry_point: run.sh\n",
        "triggers/t.yaml": "ref: demo.t\n",
        "rules/r.yaml": "ref: demo.r\ntrigger_ref: demo.t\naction_ref: run\n",
    })
    assert sorted(f.code for f in found) == ["reference.broken_target", "yaml.syntax"]
    assert only(found, "reference.broken_target")[0].message.startswith(
        "action_ref 'demo.run' cannot be checked: actions/run.yaml does not parse (line 3)"
    )


def test_sensors_and_workflow_tasks_name_the_broken_file_of_their_trigger_or_action(tmp_path: Path) -> None:
    found = run(tmp_path, {
        "triggers/t.yaml": "ref: demo.t\nparameters:\n  a: {type: string\n",
        "sensors/s.yaml": "ref: demo.s\nentry_point: s\nrunner_type: native\ntrigger_types: [demo.t]\n",
        "actions/flow.yaml": "ref: demo.flow\nworkflow_file: workflows/flow.workflow.yaml\n",
        "actions/workflows/flow.workflow.yaml": "version: \"1.0\"\ntasks:\n  - name: one\n    action: demo.step\n",
        "actions/step.yaml": "ref: demo.step\nrunner_type: shell\nentry_point: [step.sh\n",
    })
    assert sorted((f.path.name, f.code) for f in found if f.code != "yaml.syntax") == [
        ("flow.workflow.yaml", "reference.broken_target"), ("s.yaml", "reference.broken_target"),
    ]


def test_a_broken_file_of_another_pack_is_named_with_its_pack_folder(tmp_path: Path) -> None:
    found = run(tmp_path, {
        "../other/pack.yaml": 'ref: other\nversion: "1.0.0"\n',
        "../other/runtimes/r.yaml": "ref: other.r\nname: Arr\n  x: [\n",
        "actions/run.yaml": ACTION.format(runner="other.r"),
        "actions/run.py": "",
    })
    assert only(found, "reference.broken_target")[0].message.startswith("runner_type 'other.r' cannot be checked: other/runtimes/r.yaml")


@pytest.mark.parametrize(
    ("text", "ref", "name"),
    [
        ("ref: a.b\nname: Bee\n", "a.b", "Bee"),
        ("ref: 'a.b'  # the ref\nname: \"Bee\"\n", "a.b", "Bee"),
        ("description: x\n  ref: nested.only\n", ABSENT, ABSENT),
        ("ref: [a.b\n", UNKNOWN, ABSENT),
        ("ref: *anchor\nname: &n Bee\n", UNKNOWN, UNKNOWN),
        ("ref:\n  a.b\n", UNKNOWN, ABSENT),
    ],
)
def test_identity_lines_read_only_what_a_top_level_line_shows(text: str, ref: object, name: object) -> None:
    assert identity_lines(text) == (ref, name)
