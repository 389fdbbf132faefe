"""`packls config [PATH]`: every setting in effect, and the file line, option, variable or default it came from."""

from __future__ import annotations

import json

from packls.cli import main


def show(capsys, *args: str) -> dict:
    assert main(["config", "--format", "json", *args]) == 0
    return json.loads(capsys.readouterr().out)


def test_each_setting_says_where_it_came_from(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("PACKLS_DATABASE", raising=False)
    (tmp_path / "pack").mkdir()
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "x"\n\n[tool.packls]\nexclude = ["legacy/**"]\nruntime-envs-dir = "/srv/envs"\n\n'
        '[tool.packls.severity]\n"key.ignored" = "error"\n'
    )
    document = show(capsys, "pack")
    assert document["config_file"] == "pyproject.toml"
    sources = {row["setting"]: (row["value"], row["source"]) for row in document["settings"]}
    assert sources["exclude"] == (["legacy/**"], "pyproject.toml:5")
    assert sources["runtime-envs-dir"] == ("/srv/envs", "pyproject.toml:6")
    assert sources["severity"] == ({"key.ignored": "error"}, "pyproject.toml:8")
    assert sources["diagnose-closed-files"] == (True, "default")
    assert document["registry_store"]["source"] == "default: the per-user file"


def test_the_registry_store_follows_option_then_config_then_environment(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("PACKLS_DATABASE", str(tmp_path / "env.db"))
    assert show(capsys)["registry_store"] == {"value": str(tmp_path / "env.db"), "source": "$PACKLS_DATABASE"}
    (tmp_path / "packls.toml").write_text(f'database = "{tmp_path / "team.db"}"\n')
    assert show(capsys)["registry_store"] == {"value": str(tmp_path / "team.db"), "source": "packls.toml:1"}
    assert show(capsys, "--database", "x.db")["registry_store"] == {"value": "x.db", "source": "--database"}
    assert show(capsys, "--no-registry")["registry_store"]["source"] == "--no-registry"


def test_text_output_and_problems(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "packls.toml").write_text('exlude = ["x"]\n')
    assert main(["config"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("configuration for .: packls.toml\n")
    assert "  exclude                []  (default)\n" in out
    assert "problem: unknown packls setting 'exlude'; did you mean 'exclude'?" in out
