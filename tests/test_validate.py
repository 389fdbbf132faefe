"""`packls validate` on the foundation rules: codes, spans, JSON contract and exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from packls.cli import main
from tests.packbuilder import write_pack as write_files


def write_pack(root: Path, files: dict[str, str]) -> Path:
    """A pack whose components name an entry point that exists, so only the rule under test fires."""
    scripts = {f"{folder}/run.sh": "#!/bin/sh\n" for folder in ("actions", "sensors")}
    return write_files(root, {**scripts, **files})


def validate_json(capsys, *args: str) -> tuple[int, dict]:
    code = main(["validate", "--format", "json", *args])
    return code, json.loads(capsys.readouterr().out)


def findings_of(capsys, root: Path, code_filter: str | None = None) -> list[dict]:
    _, document = validate_json(capsys, str(root))
    return [d for d in document["diagnostics"] if code_filter is None or d["code"] == code_filter]


def span_text(root: Path, finding: dict) -> str:
    text = (root / finding["path"]).read_text(encoding="utf-8").splitlines()
    start, end = finding["range"]["start"], finding["range"]["end"]
    assert start["line"] == end["line"]
    return text[start["line"]][start["character"] : end["character"]]


@pytest.fixture
def in_tmp(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_unquoted_runtime_version_is_reported_on_the_value(in_tmp, capsys):
    write_pack(in_tmp / "p", {"actions/a.yaml": "ref: demo.a\nentry_point: run.sh\nrunner_type: python\nruntime_version: 3.12\n"})
    [finding] = findings_of(capsys, in_tmp / "p")
    assert finding["code"] == "runtime_version.not_string"
    assert finding["severity"] == "error"
    assert span_text(in_tmp, finding) == "3.12"
    assert '"3.12"' in finding["message"]


def test_invalid_constraint_underlines_the_offending_part(in_tmp, capsys):
    write_pack(in_tmp / "p", {"actions/a.yaml": 'ref: demo.a\nentry_point: run.sh\nrunner_type: python\nruntime_version: ">=3.11, ~>3.12"\n'})
    [finding] = findings_of(capsys, in_tmp / "p")
    assert finding["code"] == "runtime_version.invalid"
    assert span_text(in_tmp, finding) == "~>3.12"


def test_unsatisfiable_constraint_lists_the_declared_versions(in_tmp, capsys):
    write_pack(in_tmp / "p", {"actions/a.yaml": 'ref: demo.a\nentry_point: run.sh\nrunner_type: node\nruntime_version: ">=23"\n'})
    [finding] = findings_of(capsys, in_tmp / "p")
    assert finding["code"] == "runtime_version.unsatisfiable"
    for version in ("18", "20", "22"):
        assert version in finding["message"]
    assert span_text(in_tmp, finding) == '">=23"'


def test_constraint_on_a_runtime_without_versions_says_what_attune_does(in_tmp, capsys):
    write_pack(
        in_tmp / "p",
        {
            "actions/a.yaml": 'ref: demo.a\nentry_point: run.sh\nrunner_type: shell\nruntime_version: ">=5"\n',
            "sensors/s.yaml": 'ref: demo.s\nentry_point: run.sh\nrunner_type: java\nruntime_version: ">=17"\n',
        },
    )
    found = {f["path"].split("/")[-1]: f for f in findings_of(capsys, in_tmp / "p", "runtime_version.no_versions")}
    assert found["a.yaml"]["severity"] == "warning" and "still runs" in found["a.yaml"]["message"]
    assert found["s.yaml"]["severity"] == "error" and "refuses to start" in found["s.yaml"]["message"]


def test_unknown_runner_type_suggests_the_runtime_it_probably_means(in_tmp, capsys):
    write_pack(in_tmp / "p", {"actions/a.yaml": "ref: demo.a\nentry_point: run.sh\nrunner_type: golang\n"})
    [finding] = findings_of(capsys, in_tmp / "p")
    assert finding["code"] == "runner_type.unknown"
    assert "core.go" in finding["message"]
    assert span_text(in_tmp, finding) == "golang"


RUNTIME_PROBLEMS = """
ref: demo.rb
name: Rb
versions:
  - version: "3.2"
    is_default: true
  - version: "3.3"
    is_default: true
  - version: "3.2"
  - version: 3.4
  - "3.5"
  - version: "three"
"""


def test_runtime_version_entries_get_attunes_own_codes_and_messages(in_tmp, capsys):
    write_pack(in_tmp / "p", {"runtimes/rb.yaml": RUNTIME_PROBLEMS})
    found = [(f["code"], f["message"], span_text(in_tmp, f)) for f in findings_of(capsys, in_tmp / "p")]
    assert ("runtime.multiple_defaults", "Only one runtime version may be the default", "true") in found
    assert ("runtime.duplicate_version", "Duplicate runtime version '3.2'", '"3.2"') in found
    invalid = [(message, text) for code, message, text in found if code == "runtime.invalid_version"]
    assert [text for _, text in invalid] == ["3.4", '"3.5"', '"three"']
    assert invalid[1][0].startswith("Runtime versions must be objects")


def test_a_broken_file_does_not_stop_the_rest_of_the_pack(in_tmp, capsys):
    write_pack(
        in_tmp / "p",
        {
            "actions/broken.yaml": "ref: demo.b\nentry_point: run.sh\nrunner_type: [\n",
            "actions/a.yaml": 'ref: demo.a\nentry_point: run.sh\nrunner_type: python\nruntime_version: ">=9"\n',
        },
    )
    codes = sorted(f["code"] for f in findings_of(capsys, in_tmp / "p"))
    assert codes == ["runtime_version.unsatisfiable", "yaml.syntax"]


def test_json_document_counts_files_and_uses_utf16_characters(in_tmp, capsys):
    write_pack(in_tmp / "p", {"actions/a.yaml": 'ref: demo.a\nentry_point: run.sh\ndescription: "😀"\nrunner_type: python\nruntime_version: 3\n'})
    code, document = validate_json(capsys, "p")
    assert code == 1
    assert document["files"] == 2
    [finding] = document["diagnostics"]
    assert finding["path"] == "p/actions/a.yaml"
    assert finding["range"] == {"start": {"line": 4, "character": 17}, "end": {"line": 4, "character": 18}}


def test_fail_on_decides_the_exit_code(in_tmp, capsys):
    write_pack(in_tmp / "p", {"actions/a.yaml": 'ref: demo.a\nentry_point: run.sh\nrunner_type: shell\nruntime_version: ">=5"\n'})
    assert main(["validate", "p"]) == 0  # a warning does not fail by default
    assert main(["validate", "p", "--fail-on", "warning"]) == 1
    assert main(["validate", "p", "--fail-on", "never"]) == 0
    capsys.readouterr()


def test_usage_problems_exit_2(in_tmp, capsys):
    assert main(["validate", "does-not-exist"]) == 2
    (in_tmp / "empty").mkdir()
    assert main(["validate", "empty"]) == 2
    assert "no pack found" in capsys.readouterr().err


def test_text_output_shows_the_line_and_a_caret(in_tmp, capsys):
    write_pack(in_tmp / "p", {"actions/a.yaml": "ref: demo.a\nentry_point: run.sh\nrunner_type: golang\n"})
    main(["validate", "p"])
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("p/actions/a.yaml:3:14: error runner_type.unknown ")
    assert out[1] == "  runner_type: golang"
    assert out[2] == "               ^~~~~~"


def test_naming_a_file_reports_only_that_file_but_resolves_across_the_pack(in_tmp, capsys):
    write_pack(
        in_tmp / "p",
        {
            "runtimes/py.yaml": 'ref: demo.py\nversions:\n  - version: "3.9"\n',
            "actions/a.yaml": 'ref: demo.a\nentry_point: run.sh\nrunner_type: demo.py\nruntime_version: "3.9"\n',
            "actions/b.yaml": "ref: demo.b\nentry_point: run.sh\nrunner_type: golang\n",
        },
    )
    code, document = validate_json(capsys, "p/actions/a.yaml")
    assert (code, document["files"], document["diagnostics"]) == (0, 1, [])
