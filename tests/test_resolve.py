"""runner_type resolution and version selection, exactly as Attune's loader and worker do them."""

from __future__ import annotations

from pathlib import Path

import pytest

from packls.facts import RegistryFacts, VersionAvailability
from packls.model import Runnable
from packls.resolve import resolve, resolve_runner_type
from packls.model import FileKind
from packls.workspace import Workspace
from tests.packbuilder import write_pack

RUNTIME = """
ref: demo.py
name: MyPython
versions:
  - version: "3.11"
  - version: "3.12"
    is_default: true
  - version: "3.13"
  - version: "3.14.0-rc.1"
"""


def workspace_with(tmp_path: Path, files: dict[str, str], facts: RegistryFacts | None = None) -> Workspace:
    write_pack(tmp_path / "demo", files)
    return Workspace.load([tmp_path], facts) if facts else Workspace.load([tmp_path])


def action(workspace: Workspace, ref: str) -> Runnable:
    found = next(c for c in workspace.runnables() if c.ref == ref)
    return found


@pytest.mark.parametrize(
    ("word", "ref", "how"),
    [
        ("python", "core.python", "alias"),
        ("PYTHON3", "core.python", "alias"),
        ("node.js", "core.nodejs", "alias"),
        ("standalone", "core.native", "alias"),
        ("Core.Python", "core.python", "ref"),
        ("ruby", "core.ruby", "name"),
        ("R", "core.r", "name"),
        ("demo.py", "demo.py", "ref"),
        ("mypython", "demo.py", "name"),
    ],
)
def test_runner_type_resolves_by_alias_then_ref_then_name(tmp_path, word, ref, how):
    workspace = workspace_with(tmp_path, {"runtimes/py.yaml": RUNTIME})
    resolution = resolve_runner_type(word, FileKind.ACTION, workspace)
    assert (resolution.runtime.ref, resolution.how) == (ref, how)


@pytest.mark.parametrize("word", ["golang", "rb", "perl5", "rscript", "jdk", "openjdk", " python"])
def test_declared_aliases_never_resolve_a_runner_type(tmp_path, word):
    workspace = workspace_with(tmp_path, {})
    assert resolve_runner_type(word, FileKind.ACTION, workspace).runtime is None


def test_defaults_are_shell_for_actions_and_native_for_sensors(tmp_path):
    workspace = workspace_with(tmp_path, {})
    assert resolve_runner_type(None, FileKind.ACTION, workspace).runtime.ref == "core.shell"
    assert resolve_runner_type(None, FileKind.SENSOR, workspace).runtime.ref == "core.native"


@pytest.mark.parametrize(
    ("constraint", "selected"),
    [
        (None, "3.12"),  # the default wins without a constraint
        (">=3.12,<4.0", "3.13"),  # highest matching; the pre-release is not admitted
        ("3.11", "3.11"),  # bare = tilde
        ("*", "3.13"),  # a star ignores the default
        (">=3.14.0-rc.1", "3.14.0-rc.1"),  # naming the triple opts in
        (">=4", None),
    ],
)
def test_selection_follows_the_worker(tmp_path, constraint, selected):
    line = f'runtime_version: "{constraint}"\n' if constraint else ""
    workspace = workspace_with(
        tmp_path, {"runtimes/py.yaml": RUNTIME, "actions/a.yaml": f"ref: demo.a\nrunner_type: demo.py\n{line}"}
    )
    resolution = resolve(action(workspace, "demo.a"), workspace)
    assert (resolution.selected.version if resolution.selected else None) == selected


def test_env_dir_uses_the_component_pack_and_the_runtime_name(tmp_path):
    workspace = workspace_with(
        tmp_path,
        {"actions/a.yaml": 'ref: demo.a\nrunner_type: node\nruntime_version: ">=20"\n'},
    )
    resolution = resolve(action(workspace, "demo.a"), workspace, "/envs")
    assert resolution.env_dir == "/envs/demo/node.js-22"


def test_unavailable_versions_are_skipped_once_availability_is_synced(tmp_path):
    facts = RegistryFacts(
        availability={
            ("core.python", "3.13"): VersionAvailability("core.python", "3.13", False),
            ("core.python", "3.12"): VersionAvailability("core.python", "3.12", True),
            ("core.python", "3.11"): VersionAvailability("core.python", "3.11", True),
        }
    )
    workspace = workspace_with(
        tmp_path, {"actions/a.yaml": 'ref: demo.a\nrunner_type: python\nruntime_version: ">=3.11"\n'}, facts
    )
    resolution = resolve(action(workspace, "demo.a"), workspace)
    assert resolution.selected.version == "3.12"
    verdicts = {v.version_text: v.verdict.name for v in resolution.explanation.verdicts}
    assert verdicts["3.13"] == "UNAVAILABLE"


def test_no_match_says_what_attune_does_for_actions_and_sensors(tmp_path):
    workspace = workspace_with(
        tmp_path,
        {
            "actions/a.yaml": 'ref: demo.a\nrunner_type: python\nruntime_version: ">=4"\n',
            "sensors/s.yaml": 'ref: demo.s\nrunner_type: python\nruntime_version: ">=4"\n',
        },
    )
    assert "still runs" in resolve(action(workspace, "demo.a"), workspace).reason
    assert "refuses to start" in resolve(action(workspace, "demo.s"), workspace).reason


def test_workflow_actions_have_no_runtime(tmp_path):
    workspace = workspace_with(tmp_path, {"actions/w.yaml": "ref: demo.w\nworkflow_file: workflows/w.yaml\n"})
    resolution = resolve(action(workspace, "demo.w"), workspace)
    assert resolution.runner is None and resolution.selected is None
