"""Every output format carries exactly the same findings, in the same order, and is valid for its consumer."""

from __future__ import annotations

import json
import re
from pathlib import Path
from xml.etree import ElementTree

import jsonschema
import pytest

from packls.cli import main

ROOT = Path(__file__).resolve().parents[2]
PACKS = ROOT / "packs"
SARIF_SCHEMA = json.loads((ROOT / "tests" / "data" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
_TEXT = re.compile(r"^(?P<path>\S+):(?P<line>\d+):(?P<col>\d+): (?P<severity>\w+) (?P<code>\S+) ")
_GITHUB = re.compile(
    r"^::(?P<command>error|warning|notice) file=(?P<path>[^,]+),line=(?P<line>\d+),col=(?P<col>\d+),"
    r"endLine=(?P<end_line>\d+),endColumn=(?P<end_col>\d+),title=(?P<code>[^:]+)::(?P<message>.*)$"
)


@pytest.fixture
def in_repo(monkeypatch):
    monkeypatch.chdir(ROOT)


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(["validate", "--no-config", *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def json_rows(out: str) -> list[tuple[str, int, str, str]]:
    return [
        (d["path"], d["range"]["start"]["line"] + 1, d["code"], d["severity"])
        for d in json.loads(out)["diagnostics"]
    ]


def test_all_four_formats_agree_on_the_example_packs(in_repo, capsys):
    _, out_json, _ = run(capsys, "packs", "--format", "json")
    rows = json_rows(out_json)
    assert rows, "the example packs should have findings (broken_pack, version_traps)"

    _, out_text, _ = run(capsys, "packs", "--format", "text")
    text_rows = [
        (m["path"], int(m["line"]), m["code"], m["severity"])
        for m in map(_TEXT.match, out_text.splitlines()) if m
    ]
    assert text_rows == rows

    _, out_github, _ = run(capsys, "packs", "--format", "github")
    labels = {"error": "error", "warning": "warning"}
    github_rows = []
    for line in out_github.splitlines():
        m = _GITHUB.match(line)
        assert m, line
        github_rows.append((m["path"], int(m["line"]), m["code"], m["command"]))
    assert [(p, l, c) for p, l, c, _ in github_rows] == [(p, l, c) for p, l, c, _ in rows]
    for (_, _, _, command), (_, _, _, severity) in zip(github_rows, rows):
        assert command == labels.get(severity, "notice")

    _, out_sarif, _ = run(capsys, "packs", "--format", "sarif")
    results = json.loads(out_sarif)["runs"][0]["results"]
    sarif_rows = [
        (r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
         r["locations"][0]["physicalLocation"]["region"]["startLine"], r["ruleId"])
        for r in results
    ]
    assert sarif_rows == [(p, l, c) for p, l, c, _ in rows]

    _, out_concise, _ = run(capsys, "packs", "--output-format", "concise")
    concise = out_concise.splitlines()
    assert [(m["path"], int(m["line"]), m["code"], m["severity"]) for m in map(_TEXT.match, concise[:-1])] == rows
    assert concise[-1].startswith(f"{json.loads(out_json)['files']} files checked: ")

    _, out_gitlab, _ = run(capsys, "packs", "--output-format", "gitlab")
    issues = json.loads(out_gitlab)
    assert [(i["location"]["path"], i["location"]["positions"]["begin"]["line"], i["check_name"]) for i in issues] == [
        (p, l, c) for p, l, c, _ in rows
    ]
    assert len({i["fingerprint"] for i in issues}) == len(issues)
    assert {i["severity"] for i in issues} <= {"info", "minor", "major", "critical", "blocker"}

    _, out_junit, _ = run(capsys, "packs", "--output-format", "junit")
    root = ElementTree.fromstring(out_junit)
    cases = [(case.get("classname"), int(case.get("line")), case.get("name").split(" at ")[0]) for case in root.iter("testcase")]
    assert cases == [(p, l, c) for p, l, c, _ in rows]
    assert root.get("failures") == str(len(rows)) and all(case.find("failure") is not None for case in root.iter("testcase"))


def test_format_is_an_alias_of_output_format(in_repo, capsys):
    assert run(capsys, "packs", "--format", "concise")[1] == run(capsys, "packs", "--output-format", "concise")[1]


def test_junit_and_gitlab_for_a_clean_pack(in_repo, capsys):
    code, out, _ = run(capsys, "packs/web_hooks", "--output-format", "junit")
    root = ElementTree.fromstring(out)
    assert code == 0 and root.get("failures") == "0" and len(list(root.iter("testcase"))) == 1
    assert json.loads(run(capsys, "packs/web_hooks", "--output-format", "gitlab")[1]) == []


def test_colour_follows_the_option_and_the_environment(in_repo, capsys, monkeypatch):
    plain = run(capsys, "packs/version_traps")[1]
    assert "\x1b[" not in plain  # captured output is not a terminal
    coloured = run(capsys, "packs/version_traps", "--color", "always")[1]
    assert "\x1b[1;31merror\x1b[0m" in coloured and "\x1b[35mruntime_version.unsatisfiable\x1b[0m" in coloured
    assert re.sub(r"\x1b\[[0-9;]*m", "", coloured) == plain  # colour adds nothing but colour
    monkeypatch.setenv("FORCE_COLOR", "1")
    assert run(capsys, "packs/version_traps")[1] == coloured
    assert run(capsys, "packs/version_traps", "--color", "never")[1] == plain
    monkeypatch.setenv("NO_COLOR", "1")
    assert run(capsys, "packs/version_traps")[1] == plain
    assert run(capsys, "packs/version_traps", "--output-format", "json", "--color", "always")[1].count("\x1b") == 0


def test_colour_never_lets_a_pack_value_through_unescaped(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "p" / "actions").mkdir(parents=True)
    (tmp_path / "p" / "pack.yaml").write_text('ref: demo\nversion: "1.0.0"\n')
    (tmp_path / "p" / "actions" / "a.yaml").write_text('ref: demo.a\nrunner_type: "go\\e]52;c;x\\a"\nentry_point: a\n')
    for option in ("always", "never"):
        out = run(capsys, "p", "--color", option)[1]
        assert "\x1b]" not in out and "\x07" not in out and "\\x1b]52" in out


def test_sarif_is_valid_against_the_official_schema(in_repo, capsys):
    _, out, _ = run(capsys, "packs", "--format", "sarif")
    document = json.loads(out)
    jsonschema.Draft4Validator(SARIF_SCHEMA).validate(document)
    driver = document["runs"][0]["tool"]["driver"]
    rule_ids = [rule["id"] for rule in driver["rules"]]
    for result in document["runs"][0]["results"]:
        assert rule_ids[result["ruleIndex"]] == result["ruleId"]
        assert result["partialFingerprints"]


def test_sarif_fingerprints_do_not_depend_on_line_numbers(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    action = 'ref: demo.a\nrunner_type: python\nentry_point: a.py\nruntime_version: 3.12\n'
    (tmp_path / "p" / "actions").mkdir(parents=True)
    (tmp_path / "p" / "pack.yaml").write_text('ref: demo\nversion: "1.0.0"\n')
    (tmp_path / "p" / "actions" / "a.py").write_text("")
    (tmp_path / "p" / "actions" / "a.yaml").write_text(action)
    _, before, _ = run(capsys, "p", "--format", "sarif")
    (tmp_path / "p" / "actions" / "a.yaml").write_text("# a comment\n\n" + action)
    _, after, _ = run(capsys, "p", "--format", "sarif")
    first, second = (json.loads(doc)["runs"][0]["results"][0] for doc in (before, after))
    assert first["locations"][0]["physicalLocation"]["region"]["startLine"] + 2 == (
        second["locations"][0]["physicalLocation"]["region"]["startLine"]
    )
    assert first["partialFingerprints"] == second["partialFingerprints"]


def test_github_annotations_escape_messages_and_use_notice_for_information(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    root = tmp_path / "p"
    (root / "actions").mkdir(parents=True)
    (root / "pack.yaml").write_text('ref: demo\nversion: "1.0.0"\n')
    (root / "actions" / "a.yaml").write_text("ref: demo.a\nrunner_type: native\nlaunch: {type: native, artifact: a}\n")
    (root / "notes.yaml").write_text("a: 1\n")
    code, out, _ = run(capsys, "p", "--format", "github", "--fail-on", "warning")
    lines = out.splitlines()
    assert code == 1
    assert any(line.startswith("::notice file=p/actions/a.yaml,line=3,col=1,") and "title=action.release_launch::" in line for line in lines)
    assert any(line.startswith("::warning file=p/notes.yaml,line=1,col=1,endLine=1,endColumn=1,title=metadata.ignored_location::") for line in lines)


def test_exit_codes_follow_fail_on(in_repo, capsys):
    assert run(capsys, "packs/version_traps")[0] == 1  # an error (caret_zero is unsatisfiable)
    assert run(capsys, "packs/web_hooks", "--fail-on", "hint")[0] == 0
    assert run(capsys, "packs/version_traps", "--fail-on", "never")[0] == 0
    assert run(capsys, "does/not/exist")[0] == 2


def test_stats_go_to_stderr_for_machine_formats(in_repo, capsys):
    _, out, err = run(capsys, "packs", "--format", "json", "--stats")
    json.loads(out)
    assert "by rule:" in err and "runtime_version.invalid" in err
    _, out, err = run(capsys, "packs", "--stats")
    assert "by rule:" in out and err == ""


def test_paths_are_relative_to_the_current_folder(monkeypatch, capsys):
    monkeypatch.chdir(PACKS)
    _, out, _ = run(capsys, "broken_pack", "--format", "json")
    paths = {d["path"] for d in json.loads(out)["diagnostics"]}
    assert paths and all(p.startswith("broken_pack/") for p in paths)


def test_output_order_is_deterministic(in_repo, capsys):
    outputs = {run(capsys, "packs", "--format", "json")[1] for _ in range(3)}
    assert len(outputs) == 1


def test_auto_colour_is_for_terminals_only():
    from packls.report.colour import wants_colour

    class Terminal:
        def isatty(self) -> bool:
            return True

    assert wants_colour("auto", Terminal(), {}) is True
    assert wants_colour("auto", Terminal(), {"TERM": "dumb"}) is False
    assert wants_colour("auto", Terminal(), {"NO_COLOR": "1", "FORCE_COLOR": "1"}) is False
    assert wants_colour("auto", object(), {"FORCE_COLOR": "1"}) is True  # type: ignore[arg-type]
    assert wants_colour("auto", object(), {"FORCE_COLOR": "0"}) is False  # type: ignore[arg-type]
    assert wants_colour("always", object(), {"NO_COLOR": "1"}) is True  # type: ignore[arg-type]
