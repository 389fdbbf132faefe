"""The command line around validate: configuration, serve and sync wiring."""

from __future__ import annotations

import json
import sys
import types

from packls.cli import build_parser, main


def write(path, text):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def pack_with_warning(root):
    write(root / "pack.yaml", 'ref: demo\nversion: "1.0.0"\n')
    write(root / "actions" / "a.yaml", "ref: demo.a\nrunner_type: native\nentry_point: a\ntimeout: 30\n")


def diagnostics(capsys, *args):
    code = main(["validate", "--format", "json", *args])
    return code, json.loads(capsys.readouterr().out)["diagnostics"]


def test_config_file_changes_severities_and_is_found_above_the_pack(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    pack_with_warning(tmp_path / "packs" / "demo")
    write(tmp_path / "pyproject.toml", '[project]\nname = "x"\n\n[tool.packls.severity]\n"key.ignored" = "error"\n')
    code, found = diagnostics(capsys, "packs")
    assert code == 1 and [(d["code"], d["severity"]) for d in found] == [("key.ignored", "error")]
    code, found = diagnostics(capsys, "packs", "--no-config")
    assert code == 0 and found[0]["severity"] == "warning"


def test_explicit_config_and_its_problems_are_reported(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    pack_with_warning(tmp_path / "demo")
    write(tmp_path / "ci.toml", 'exclude = ["demo/actions/**"]\n[severity]\n"key.ignord" = "off"\n')
    code, found = diagnostics(capsys, "demo", "--config", "ci.toml")
    assert [(d["path"], d["code"]) for d in found] == [("ci.toml", "config.unknown_code")]
    assert "did you mean 'key.ignored'" in found[0]["message"]


def test_missing_config_file_is_a_usage_error(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    pack_with_warning(tmp_path / "demo")
    assert main(["validate", "demo", "--config", "nope.toml"]) == 2
    assert "no such config file" in capsys.readouterr().err


def test_serve_is_wired_to_the_language_server_lazily(monkeypatch):
    seen = {}
    module = types.ModuleType("packls.lsp.server")
    module.run_server = lambda args: seen.setdefault("args", args) and 0
    monkeypatch.setitem(sys.modules, "packls.lsp.server", module)
    assert main(["serve", "--tcp", "127.0.0.1:2087", "--log-file", "x.log", "-vv"]) == 0
    args = seen["args"]
    assert (args.tcp, str(args.log_file), args.verbose) == ("127.0.0.1:2087", "x.log", 2)


def test_sync_is_wired_to_the_registry_command_lazily(monkeypatch):
    calls = []
    module = types.ModuleType("packls.registry.command")
    module.add_sync_arguments = lambda parser: parser.add_argument("--status", action="store_true")
    module.run_sync = lambda args: calls.append(args.status) or 0
    monkeypatch.setitem(sys.modules, "packls.registry.command", module)
    assert main(["sync", "--status"]) == 0
    assert calls == [True]


def test_parser_works_without_the_optional_subsystems(monkeypatch):
    monkeypatch.setitem(sys.modules, "packls.registry.command", None)
    parser = build_parser()
    assert parser.parse_args(["validate", "--format", "sarif"]).format == "sarif"


def test_jobs_gives_the_same_findings_and_rejects_nonsense(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    pack_with_warning(tmp_path / "demo")
    assert diagnostics(capsys, "demo", "-j", "1") == diagnostics(capsys, "demo", "--jobs", "2")
    for bad in ("0", "two"):
        try:
            main(["validate", "demo", "--jobs", bad])
        except SystemExit as error:
            assert error.code == 2
        else:
            raise AssertionError(f"--jobs {bad} was accepted")
        assert "--jobs" in capsys.readouterr().err
