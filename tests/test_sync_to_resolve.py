"""From `packls sync --detect` to what validate and resolve say: selection follows real availability."""

from __future__ import annotations

import json
import sys

from packls.cli import main
from tests.packbuilder import write_pack

RUNTIME = f"""
ref: demo.py
name: DemoPython
versions:
  - version: "3.11"
    distributions:
      verification:
        commands:
          - {{binary: {sys.executable}, args: ["--version"], pattern: 'Python 3\\.'}}
  - version: "3.99"
    is_default: true
    distributions:
      verification:
        commands:
          - {{binary: packls-test-no-such-python, args: ["--version"]}}
"""


def test_detected_availability_changes_selection_and_findings(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write_pack(
        tmp_path / "p",
        {
            "runtimes/py.yaml": RUNTIME,
            "actions/any.yaml": "ref: demo.any\nentry_point: run.sh\nrunner_type: demo.py\n",
            "actions/new.yaml": 'ref: demo.new\nentry_point: run.sh\nrunner_type: demo.py\nruntime_version: ">=3.50"\n',
            "actions/run.sh": "#!/bin/sh\n",
        },
    )
    database = str(tmp_path / "registry.sqlite3")

    # Before any sync every declared version counts: the default 3.99 wins.
    assert main(["resolve", "--format", "json", "--database", database, "p"]) == 0
    before = {c["ref"]: c["selected"] for c in json.loads(capsys.readouterr().out)["components"]}
    assert before == {"demo.any": "3.99", "demo.new": "3.99"}

    assert main(["sync", "--detect", "p", "--database", database]) == 0
    capsys.readouterr()

    assert main(["resolve", "--format", "json", "--database", database, "p"]) == 0
    after = {c["ref"]: c for c in json.loads(capsys.readouterr().out)["components"]}
    assert after["demo.any"]["selected"] == "3.11"
    rows = {row["version"]: row for row in after["demo.any"]["candidates"]}
    assert rows["3.99"]["verdict"] == "unavailable" and rows["3.99"]["verified_at"]
    assert rows["3.11"]["available"] and rows["3.11"]["detected"] == "%d.%d.%d" % sys.version_info[:3]
    assert after["demo.new"]["selected"] is None

    assert main(["validate", "--format", "json", "--database", database, "p"]) == 0
    codes = [d["code"] for d in json.loads(capsys.readouterr().out)["diagnostics"]]
    assert codes == ["runtime_version.unavailable"]
