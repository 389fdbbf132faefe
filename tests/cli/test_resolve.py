"""`packls resolve` lists every action and sensor, including broken ones, and fails as `--fail-on` says."""

from __future__ import annotations

import json
from pathlib import Path

from packls.cli import main
from tests.checks.helpers import make_pack

BROKEN_RUNTIME = "ref: demo.mypy\nname: MyPy\nversions:\n  - version: \"3.12\"\n   bad: indent\n"
FILES = {
    "runtimes/python.yaml": BROKEN_RUNTIME,
    "actions/a.yaml": "ref: demo.a\nrunner_type: mypy\nentry_point: a.py\n",
    "actions/b.yaml": "ref: demo.b\nrunner_type: shell\n\tentry_point: b.sh\n",
    "actions/c.yaml": "ref: demo.c\nentry_point: c.sh\n",
    "actions/a.py": "", "actions/b.sh": "", "actions/c.sh": "",
}


def resolve_json(capsys, *argv: str) -> tuple[int, dict[str, dict]]:
    code = main(["resolve", "--format", "json", *argv])
    return code, {c["path"].rsplit("/", 1)[-1]: c for c in json.loads(capsys.readouterr().out)["components"]}


def test_a_broken_action_is_listed_as_unresolved_and_fails_the_default_threshold(tmp_path, capsys, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    make_pack(tmp_path, FILES)
    code, listed = resolve_json(capsys, "demo")
    assert code == 1
    assert sorted(listed) == ["a.yaml", "b.yaml", "c.yaml"]
    b = listed["b.yaml"]
    assert (b["ref"], b["unresolved"], b["runtime"]) == ("demo.b", True, None)
    assert b["reason"] == "actions/b.yaml does not parse (line 3), so it declares no action and registration fails until it does"
    assert [(f["severity"], f["code"]) for f in b["findings"]] == [("error", "yaml.syntax")]
    a = listed["a.yaml"]
    assert a["unresolved"] is True
    assert a["reason"] == "runner_type 'mypy' cannot be checked: runtimes/python.yaml does not parse (line 5), and registration fails until it does"
    assert [f["code"] for f in a["findings"]] == ["reference.broken_target"]
    c = listed["c.yaml"]
    assert (c["unresolved"], c["runtime"], c["findings"]) == (False, "core.shell", [])


def test_fail_on_never_and_a_configured_severity_decide_the_exit_code(tmp_path, capsys, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    make_pack(tmp_path, FILES)
    assert resolve_json(capsys, "--fail-on", "never", "demo")[0] == 0
    (tmp_path / "packls.toml").write_text('[severity]\n"yaml.syntax" = "warning"\n"reference.broken_target" = "information"\n')
    code, listed = resolve_json(capsys, "demo")
    assert code == 0
    assert [f["severity"] for f in listed["b.yaml"]["findings"]] == ["warning"]
    assert resolve_json(capsys, "--fail-on", "warning", "demo")[0] == 1


def test_a_clean_pack_resolves_with_exit_zero_and_text_shows_unresolved_reasons(tmp_path, capsys, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    make_pack(tmp_path, {"actions/c.yaml": FILES["actions/c.yaml"], "actions/c.sh": ""})
    assert main(["resolve", "demo"]) == 0
    capsys.readouterr()
    make_pack(tmp_path, FILES)
    assert main(["resolve", "demo"]) == 1
    out = capsys.readouterr().out
    assert "demo.b (action)  demo/actions/b.yaml\n  unresolved: actions/b.yaml does not parse (line 3)" in out
    assert "  error yaml.syntax: not valid YAML" in out
    assert "  unresolved: runner_type 'mypy' cannot be checked" in out and "  error reference.broken_target\n" in out


def test_control_characters_from_pack_files_are_escaped_in_text(tmp_path, capsys, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    make_pack(tmp_path, {"actions/x.yaml": 'ref: "demo.x\\e[31m"\nrunner_type: "go\\e]0;owned\\a"\nentry_point: x\n', "actions/x": ""})
    main(["resolve", "demo"])
    out = capsys.readouterr().out
    assert "\x1b" not in out and "\x07" not in out
    assert "\\x1b[31m" in out
