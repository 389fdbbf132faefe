"""The command line a ruff user expects: did-you-mean, -V, help, rule selection, `packls rule` and `packls rules`."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from packls import __version__
from packls.checks.rules import RULES
from tests.cli.support import run


@pytest.fixture
def pack(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    root = tmp_path / "demo"
    (root / "actions").mkdir(parents=True)
    (root / "pack.yaml").write_text('ref: demo\nversion: "1.0.0"\n')
    (root / "actions/run.sh").write_text("")
    (root / "actions/run.yaml").write_text(
        "ref: demo.run\nrunner_type: python\nentry_point: run.sh\ntimeout: 30\nparameter_delivry: stdin\nruntime_version: 3.12\n"
    )
    return root


def found_codes(capsys, *args: str) -> list[str]:
    code, out, err = run(capsys, "validate", "demo", "--no-registry", "--format", "json", *args)
    assert code in (0, 1), err
    return [d["code"] for d in json.loads(out)["diagnostics"]]


@pytest.mark.parametrize(
    ("argv", "suggestion"),
    [
        (["valdate"], "did you mean 'validate'?"),
        (["validate", "--fxi"], "--fxi (did you mean --fix?)"),
        (["validate", "--format", "jsn"], "did you mean 'json'?"),
        (["rules", "--formt", "json"], "did you mean --format?"),
    ],
)
def test_mistakes_are_usage_errors_with_a_suggestion(capsys, argv, suggestion):
    code, _, err = run(capsys, *argv)
    assert code == 2
    assert suggestion in err


def test_version_and_help(capsys):
    assert run(capsys, "-V")[:2] == (0, f"packls {__version__}\n")
    code, out, _ = run(capsys, "--help")
    assert code == 0 and "exit codes:" in out and "validate" in out and "completion" in out
    code, out, _ = run(capsys, "validate", "--help")
    assert code == 0 and "exit codes:" in out


def test_every_argument_of_every_command_has_help():
    from packls.cli import build_parser

    parser = build_parser()
    commands = next(a for a in parser._actions if a.dest == "command").choices
    for name, command in commands.items():
        for action in command._actions:
            assert action.help, f"packls {name} {action.option_strings or action.dest} has no help text"


def test_validate_does_not_import_the_language_server(pack):
    script = (
        "import sys; from packls.cli import main; main(['validate', 'demo', '--no-registry', '--format', 'json']);"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('pygls', 'lsprotocol')))"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=pack.parent, timeout=60)
    assert result.stdout.strip().splitlines()[-1] == "[]"


def test_validate_loads_no_registry_code_when_nothing_was_synced_and_serve_loads_no_checks(pack, tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    env = {"HOME": str(home), "XDG_DATA_HOME": str(home / "data"), "PATH": "/usr/bin:/bin"}
    validate = (
        "import sys; from packls.cli import main; main(['validate', 'demo', '--format', 'json']);"
        "print(sorted(m for m in sys.modules if m.startswith(('packls.registry.', 'packls.lsp', 'pygls', 'lsprotocol'))))"
    )
    result = subprocess.run([sys.executable, "-c", validate], capture_output=True, text=True, cwd=pack.parent, timeout=60, env=env)
    assert result.stdout.strip().splitlines()[-1] == "['packls.registry.loaded', 'packls.registry.location']", result.stderr
    serve = (
        "import sys; from packls.cli.main import build_parser; import packls.lsp.server;"
        "build_parser('serve').parse_args(['serve', '-v']);"
        "print(sorted(m for m in sys.modules if m.startswith(('packls.checks', 'packls.workspace', 'packls.syntax', 'packls.registry'))))"
    )
    result = subprocess.run([sys.executable, "-c", serve], capture_output=True, text=True, timeout=60, env=env)
    assert result.stdout.strip() == "[]", result.stderr


def test_select_ignore_and_extend_select(pack, capsys):
    everything = found_codes(capsys)
    assert sorted(everything) == ["key.ignored", "key.misspelled", "runtime_version.not_string"]
    assert found_codes(capsys, "--select", "key") == ["key.ignored", "key.misspelled"]
    assert found_codes(capsys, "--select", "key.", "--ignore", "key.misspelled") == ["key.ignored"]
    assert found_codes(capsys, "--select", "runtime_version.not") == ["runtime_version.not_string"]
    assert sorted(found_codes(capsys, "--ignore", "key.ignored,runtime_version")) == ["key.misspelled"]


def test_command_line_selection_overrides_the_config_file(pack, capsys):
    (pack.parent / "packls.toml").write_text('[severity]\n"key.*" = "off"\n"runtime_version.not_string" = "hint"\n')
    code, out, _ = run(capsys, "validate", "demo", "--no-registry", "--format", "json")
    assert [(d["code"], d["severity"]) for d in json.loads(out)["diagnostics"]] == [("runtime_version.not_string", "hint")]
    assert sorted(found_codes(capsys, "--extend-select", "key.ignored")) == ["key.ignored", "runtime_version.not_string"]
    assert found_codes(capsys, "--select", "key.misspelled") == ["key.misspelled"]


def test_unknown_selectors_are_usage_errors_with_did_you_mean(pack, capsys):
    code, _, err = run(capsys, "validate", "demo", "--select", "key.ignord")
    assert code == 2 and "'key.ignord' is not a packls rule code or prefix; did you mean 'key.ignored'?" in err
    code, _, err = run(capsys, "validate", "demo", "--ignore", "runtim_version")
    assert code == 2 and "did you mean 'runtime_version'?" in err


def test_rule_prints_its_documentation_with_examples(capsys):
    code, out, _ = run(capsys, "rule", "runtime_version.not_string")
    assert code == 0
    assert out.startswith("## `runtime_version.not_string`\n\nSeverity: **error** · fixable (`--fix`)\n")
    assert "**Bad**" in out and "**Good**" in out and "runtime_version: 3.12" in out
    docs = (Path(__file__).resolve().parents[2] / "docs" / "rules.md").read_text(encoding="utf-8")
    assert out.strip().split("\n", 1)[1].strip() in docs  # the same words as docs/rules.md
    code, out, _ = run(capsys, "rule", "key.ignored", "--format", "json")
    record = json.loads(out)
    assert (record["code"], record["fixable"], record["origin"]) == ("key.ignored", True, "packls")
    assert "output_schema" in record["explanation"]


def test_rule_with_an_unknown_code_suggests_the_closest(capsys):
    code, _, err = run(capsys, "rule", "runtime_version.not_strng")
    assert code == 2 and "did you mean 'runtime_version.not_string'?" in err


def test_rules_lists_every_rule_with_severity_fixable_and_origin(capsys):
    code, out, _ = run(capsys, "rules", "--format", "json")
    rows = json.loads(out)
    assert code == 0 and [r["code"] for r in rows] == sorted(RULES)
    by_code = {r["code"]: r for r in rows}
    assert by_code["component.duplicate_ref"] == {
        "code": "component.duplicate_ref", "severity": "error", "fixable": False, "origin": "attune",
        "summary": RULES["component.duplicate_ref"].summary,
    }
    assert by_code["runtime_version.not_string"]["fixable"] is True
    code, out, _ = run(capsys, "rules")
    assert code == 0 and len(out.splitlines()) == len(RULES) + 1
    assert any(line.startswith("key.misspelled ") and " yes " in line and " packls " in line for line in out.splitlines())


def test_statistics_counts_by_code_and_says_what_is_fixable(pack, capsys):
    code, out, _ = run(capsys, "validate", "demo", "--no-registry", "--statistics")
    assert code == 1
    lines = out.splitlines()
    assert lines[0].split() == ["1", "key.ignored", "warning", "[*]", "1", "fixable"]
    assert any(line.split()[:3] == ["1", "runtime_version.not_string", "error"] for line in lines)
    assert lines[-1] == "Found 3 findings; [*] 3 fixable with --fix."


def test_stdin_is_checked_as_the_named_file(pack, capsys, monkeypatch):
    import io

    monkeypatch.setattr("sys.stdin", io.StringIO("ref: demo.run\nrunner_type: pyhton\nentry_point: run.sh\n"))
    code, out, _ = run(capsys, "validate", "-", "--stdin-filename", "demo/actions/run.yaml", "--no-registry", "--format", "json")
    found = json.loads(out)["diagnostics"]
    assert code == 1 and [(d["path"], d["code"]) for d in found] == [("demo/actions/run.yaml", "runner_type.unknown")]
    assert "timeout" in (pack / "actions/run.yaml").read_text()  # the file on disk is not what was checked


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["validate", "-"], "needs --stdin-filename"),
        (["validate", "-", "demo"], "cannot be combined with other paths"),
        (["validate", "demo", "--stdin-filename", "x.yaml"], "applies only when the path is `-`"),
        (["validate", "-", "--stdin-filename", "elsewhere/a.yaml"], "is in no pack"),
        (["validate", "demo", "--unsafe-fixes"], "only with --fix or --diff"),
        (["validate", "demo", "--watch", "--fix"], "--watch cannot be combined"),
        (["validate", "demo", "--watch", "--format", "json"], "--watch prints findings as they change"),
    ],
)
def test_option_combinations_that_make_no_sense_are_usage_errors(pack, capsys, monkeypatch, argv, message):
    import io

    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    code, _, err = run(capsys, *argv)
    assert code == 2 and message in err


def test_a_quick_exit_still_delivers_all_output_and_the_exit_code(tmp_path):
    """validate leaves without the interpreter's teardown: every byte written reaches the pipe first."""
    broken = Path(__file__).parents[2] / "packs" / "broken_pack"
    for argv, code in ((["validate", str(broken), "--output-format", "json"], 1), (["rules", "--format", "json"], 0)):
        done = subprocess.run([sys.executable, "-m", "packls", *argv], capture_output=True, text=True, timeout=60)
        assert done.returncode == code, done.stderr
        assert json.loads(done.stdout)  # the whole document arrived (a lost buffer would cut it short)
    usage = subprocess.run([sys.executable, "-m", "packls", "validate", str(tmp_path / "nowhere")], capture_output=True, text=True, timeout=60)
    assert usage.returncode == 2 and "no such file or directory" in usage.stderr
