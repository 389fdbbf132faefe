"""`packls validate --fix / --diff / --unsafe-fixes`: the editor's quick fixes, applied headlessly."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from packls.cli import main

RUNTIME = (
    "ref: demo.py\nname: DemoPython\nversions:\n"
    '  - version: "3.12"\n    is_default: true\n    execution_config: {interpreter: {binary: python3.12}}\n'
    '  - version: "3.13"\n    execution_config: {interpreter: {binary: python3.13}}\n'
)


def write(root: Path, files: dict[str, str | bytes]) -> None:
    for relative, content in {"pack.yaml": 'ref: demo\nversion: "1.0.0"\n', "actions/run.sh": "", **files}.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))


@pytest.fixture
def pack(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    root = tmp_path / "demo"
    write(root, {"runtimes/py.yaml": RUNTIME})
    return root


def validate(capsys, *args: str) -> tuple[int, str, str]:
    code = main(["validate", "--no-config", "--no-registry", *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def codes(capsys, root: Path) -> list[str]:
    _, out, _ = validate(capsys, str(root), "--format", "json")
    return [d["code"] for d in json.loads(out)["diagnostics"]]


def test_fix_applies_safe_fixes_keeps_every_other_byte_and_reports_what_remains(pack, capsys):
    # CRLF line ends, a comment and a byte-order mark must survive the edit byte for byte.
    original = (
        "\ufeff# keep me\r\nref: demo.run\r\nrunner_type: demo.py\r\nentry_point: run.sh\r\n"
        "parameter_delivry: stdin   # typo\r\nruntime_version: 3.12\r\n"
    ).encode("utf-8")
    write(pack, {"actions/run.yaml": original, "actions/far.yaml": 'ref: demo.far\nrunner_type: demo.py\nentry_point: run.sh\nruntime_version: ">=4"\n'})
    code, out, _ = validate(capsys, "demo", "--fix")
    assert "fixed 2 findings in 1 file:" in out
    assert "demo/actions/run.yaml:5:1: key.misspelled: Rename 'parameter_delivry' to 'parameter_delivery'" in out
    assert 'demo/actions/run.yaml:6:18: runtime_version.not_string: Quote it: "3.12"' in out
    assert "runtime_version.unsatisfiable" in out and "1 fixable with --fix --unsafe-fixes" in out  # what remains
    assert code == 1
    assert (pack / "actions/run.yaml").read_bytes() == original.replace(b"parameter_delivry", b"parameter_delivery").replace(
        b"runtime_version: 3.12", b'runtime_version: "3.12"'
    )


def test_fix_is_idempotent(pack, capsys):
    write(pack, {"actions/run.yaml": "ref: demo.run\nrunner_type: demo.py\nentry_point: run.sh\ntimeout: 30\nruntime_version: 3.12\n"})
    validate(capsys, "demo", "--fix")
    after_first = (pack / "actions/run.yaml").read_bytes()
    assert after_first == b'ref: demo.run\nrunner_type: demo.py\nentry_point: run.sh\ntimeout_seconds: 30\nruntime_version: "3.12"\n'
    code, out, _ = validate(capsys, "demo", "--fix")
    assert out.startswith("nothing to fix\n") and code == 0
    assert (pack / "actions/run.yaml").read_bytes() == after_first


def test_a_fix_that_changes_the_selected_version_needs_unsafe_fixes(pack, capsys):
    # Unquoted 3.13 is ignored by Attune, which then runs the default 3.12: quoting it selects 3.13.
    write(pack, {"actions/run.yaml": "ref: demo.run\nrunner_type: demo.py\nentry_point: run.sh\nruntime_version: 3.13\n"})
    code, out, _ = validate(capsys, "demo", "--fix")
    assert "nothing to fix" in out and "1 fixable with --fix --unsafe-fixes" in out and code == 1
    assert b"3.13\n" in (pack / "actions/run.yaml").read_bytes()
    code, out, _ = validate(capsys, "demo", "--fix", "--unsafe-fixes")
    assert 'Quote it: "3.13" (unsafe)' in out and code == 0
    assert (pack / "actions/run.yaml").read_text() == 'ref: demo.run\nrunner_type: demo.py\nentry_point: run.sh\nruntime_version: "3.13"\n'


def test_unsafe_fixes_rewrite_an_unsatisfiable_constraint_in_the_authors_style(pack, capsys):
    write(pack, {"actions/run.yaml": "ref: demo.run\nrunner_type: demo.py\nentry_point: run.sh\nruntime_version: '>=3.14'\n"})
    code, out, _ = validate(capsys, "demo", "--fix", "--unsafe-fixes")
    assert code == 0, out
    assert (pack / "actions/run.yaml").read_text().endswith("runtime_version: '>=3.13'\n")


def test_diff_prints_a_unified_diff_and_writes_nothing(pack, capsys):
    text = "ref: demo.run\nrunner_type: demo.py\nentry_point: run.sh\nruntime_version: 3.12\n"
    write(pack, {"actions/run.yaml": text})
    code, out, err = validate(capsys, "demo", "--diff")
    assert code == 1
    assert out == (
        "--- a/demo/actions/run.yaml\n+++ b/demo/actions/run.yaml\n@@ -1,4 +1,4 @@\n ref: demo.run\n"
        " runner_type: demo.py\n entry_point: run.sh\n-runtime_version: 3.12\n+runtime_version: \"3.12\"\n"
    )
    assert "would fix 1 finding in 1 file" in err
    assert (pack / "actions/run.yaml").read_text() == text
    validate(capsys, "demo", "--fix")
    assert validate(capsys, "demo", "--diff")[:2] == (0, "")


def test_a_file_that_does_not_parse_is_never_touched(pack, capsys):
    broken = "ref: demo.run\nrunner_typ: demo.py\nentry_point: run.sh\nparameters: [unclosed\n"
    write(pack, {"actions/run.yaml": broken})
    code, out, _ = validate(capsys, "demo", "--fix")
    assert "nothing to fix" in out and "yaml.syntax" in out and code == 1
    assert (pack / "actions/run.yaml").read_text() == broken


def test_fix_follows_rule_selection(pack, capsys):
    write(pack, {"actions/run.yaml": "ref: demo.run\nrunner_type: demo.py\nentry_point: run.sh\ntimeout: 30\nruntime_version: 3.12\n"})
    validate(capsys, "demo", "--fix", "--select", "key")
    assert (pack / "actions/run.yaml").read_text().endswith("timeout_seconds: 30\nruntime_version: 3.12\n")


@pytest.mark.parametrize(
    ("line", "fixed"),
    [
        ("parameter_delivery: stdn", "parameter_delivery: stdin"),  # value.not_allowed, a close value
        ("description: 42", 'description: "42"'),  # value.wrong_type, a string that was a number
    ],
)
def test_value_fixes_exist_when_packls_can_tell_what_was_meant(pack, capsys, line, fixed):
    write(pack, {"actions/run.yaml": f"ref: demo.run\nrunner_type: demo.py\nentry_point: run.sh\n{line}\n"})
    validate(capsys, "demo", "--fix")
    assert (pack / "actions/run.yaml").read_text().endswith(f"{fixed}\n")
    assert codes(capsys, pack) == []


def test_a_misspelt_local_ref_is_fixed_to_the_component_that_exists(pack, capsys):
    write(pack, {
        "actions/run.yaml": "ref: demo.run\nrunner_type: demo.py\nentry_point: run.sh\n",
        "triggers/created.yaml": "ref: demo.created\n",
        "rules/on.yaml": "ref: demo.on\ntrigger_ref: demo.craeted\naction_ref: demo.run\n",
    })
    assert "reference.missing_local_target" in codes(capsys, pack)
    validate(capsys, "demo", "--fix")
    assert "trigger_ref: demo.created\n" in (pack / "rules/on.yaml").read_text()


def test_stdin_with_fix_prints_the_fixed_text_and_writes_no_file(pack, capsys, monkeypatch):
    on_disk = "ref: demo.run\nrunner_type: demo.py\nentry_point: run.sh\n"
    write(pack, {"actions/run.yaml": on_disk})
    monkeypatch.setattr("sys.stdin", io.StringIO(on_disk + "runtime_version: 3.12\n"))
    code, out, err = validate(capsys, "-", "--stdin-filename", "demo/actions/run.yaml", "--fix")
    assert out == on_disk + 'runtime_version: "3.12"\n'
    assert "fixed 1 finding" in err and code == 0
    assert (pack / "actions/run.yaml").read_text() == on_disk


def test_every_rule_that_gets_a_fix_on_real_packs_says_it_is_fixable():
    from packls.checks.rules import RULES
    from packls.cli.fix import fixability
    from packls.cli.loading import RegistryUse, check_loaded, load
    from packls.config import Config

    root = Path(__file__).resolve().parents[2]
    for tree in (root / "packs", root / "tests" / "data" / "corpus"):
        loaded = load([tree], Config(root=tree), RegistryUse())
        findings, _, _ = check_loaded(loaded, jobs=1)
        fixed = {finding.code for finding in fixability(loaded, findings)}
        assert sorted(code for code in fixed if not RULES[code].fixable) == []


def test_the_quick_selection_of_a_value_edit_agrees_with_parsing_the_file_again(tmp_path):
    from packls.features.code_actions import TextEdit
    from packls.features.fixing import _selection, _value_edit_selection, apply_edits, reparse
    from packls.model import Runnable
    from packls.syntax.nodes import Span
    from packls.workspace import Workspace

    write(tmp_path / "demo", {
        "runtimes/py.yaml": RUNTIME,
        "actions/run.yaml": 'ref: demo.run\nrunner_type: demo.py\nentry_point: run.sh\nruntime_version: ">=3.12, <3.13"\n',
        "actions/typo.yaml": "ref: demo.typo\nrunner_typ: demo.py\nentry_point: run.sh\n",
    })
    workspace = Workspace.load([tmp_path / "demo"])

    def edit(name: str, needle: str, new_text: str, offset: int = 0, length: int | None = None) -> tuple[object, object]:
        source = workspace.source(tmp_path / "demo/actions" / name)
        start = source.text.index(needle) + offset
        change = TextEdit(source.path, Span(start, start + (len(needle) if length is None else length)), new_text)
        after = reparse(source, apply_edits(source.text, [change])).component
        return _value_edit_selection(source, [change], workspace), _selection(after, workspace) if isinstance(after, Runnable) else None

    value = '">=3.12, <3.13"'
    cases = [
        edit("run.yaml", value, "3.13"),  # a number: no constraint, so the default
        edit("run.yaml", value, ">=3.13", offset=1, length=13),  # inside the quotes
        edit("run.yaml", value, "'~3.13'"),
        edit("run.yaml", "demo.py", "python"),  # another runtime
        edit("typo.yaml", "runner_typ", "runner_type"),  # a rename that sets the runtime
        edit("typo.yaml", "runner_typ", "runtime_version"),  # a constraint that names no runtime
    ]
    assert [quick for quick, _ in cases] == [
        ("demo.py", "3.12"), ("demo.py", "3.13"), ("demo.py", "3.13"), ("core.python", "3.12"), ("demo.py", "3.12"),
        ("core.shell", None),
    ]
    assert [quick for quick, _ in cases] == [slow for _, slow in cases]
