"""The example packs in packs/ show what they promise: clean packs, different selections, a broken pack."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from packls.cli import main

PACKS = Path(__file__).resolve().parent.parent / "packs"


def resolve_json(capsys, path: Path) -> dict[str, dict]:
    assert main(["resolve", "--format", "json", str(path)]) == 0
    return {c["ref"]: c for c in json.loads(capsys.readouterr().out)["components"]}


@pytest.mark.parametrize("pack", ["data_tools", "web_hooks"])
def test_clean_example_packs_have_no_findings(capsys, pack):
    assert main(["validate", "--format", "json", "--fail-on", "hint", str(PACKS / pack)]) == 0
    assert json.loads(capsys.readouterr().out)["diagnostics"] == []


def test_data_tools_actions_select_different_versions(capsys):
    components = resolve_json(capsys, PACKS / "data_tools")
    selected = {ref: c["selected"] for ref, c in components.items()}
    assert selected == {
        "data_tools.summarize": "3.12",
        "data_tools.newest": "3.13",
        "data_tools.legacy_report": "3.10",
        "data_tools.preview": "3.14.0-rc.1",
        "data_tools.folder_watch": "3.12",
    }
    assert components["data_tools.legacy_report"]["resolved_by"] == "name"
    assert components["data_tools.newest"]["env_dir"] == "/opt/attune/runtime_envs/data_tools/datapython-3.13"


def test_the_broken_pack_fails_validation_with_the_foundation_codes(capsys):
    assert main(["validate", "--format", "json", str(PACKS / "broken_pack")]) == 1
    codes = {d["code"] for d in json.loads(capsys.readouterr().out)["diagnostics"]}
    assert {
        "yaml.syntax",
        "runtime_version.not_string",
        "runtime_version.invalid",
        "runtime_version.unsatisfiable",
        "runtime_version.no_versions",
        "runner_type.unknown",
        "runtime.duplicate_version",
        "runtime.multiple_defaults",
        "runtime.invalid_version",
    } <= codes
