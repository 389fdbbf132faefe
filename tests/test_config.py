"""Configuration: the same settings from files and from editor dicts, and how they shape findings."""

from __future__ import annotations

from pathlib import Path

from packls.config import Config, apply_config, load_config
from packls.config_files import find_config_root
from packls.findings import Finding, Severity
from packls.suppress import parse_suppressions
from packls.syntax.nodes import Span


def finding(path: Path, start: int, code: str = "key.ignored", severity: Severity = Severity.WARNING) -> Finding:
    return Finding(path, Span(start, start + 1), severity, code, "m")


def test_packls_toml_wins_over_pyproject(tmp_path):
    (tmp_path / "pyproject.toml").write_text('[tool.packls]\nruntime-envs-dir = "/from/pyproject"\n')
    (tmp_path / "packls.toml").write_text('runtime_envs_dir = "/from/packls"\n')
    config, problems = load_config(tmp_path)
    assert (config.runtime_envs_dir, problems) == ("/from/packls", [])
    assert config.source == tmp_path / "packls.toml"


def test_pyproject_without_a_packls_table_means_defaults(tmp_path):
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\n')
    config, problems = load_config(tmp_path)
    assert (config.source, config.severity, problems) == (None, {}, [])
    assert find_config_root(tmp_path) is None


def test_every_setting_is_read(tmp_path):
    (tmp_path / "packls.toml").write_text(
        'exclude = ["legacy/**", "*.bak.yaml"]\nextra-catalog-paths = ["../shared"]\n'
        'runtime-envs-dir = "/envs"\ndatabase = "sqlite:///x.db"\ndiagnose-closed-files = false\n'
        '[severity]\n"key.ignored" = "hint"\n"constraint.*" = "off"\n'
    )
    config, problems = load_config(tmp_path)
    assert problems == []
    assert config.severity == {"key.ignored": Severity.HINT, "constraint.*": None}
    assert config.exclude == ("legacy/**", "*.bak.yaml")
    assert config.extra_catalog_paths == ((tmp_path / "../shared"),) or config.extra_catalog_paths[0].name == "shared"
    assert (config.runtime_envs_dir, config.database, config.diagnose_closed_files) == ("/envs", "sqlite:///x.db", False)


def test_from_mapping_accepts_camel_case_and_ignores_nulls():
    config, problems = Config.from_mapping(
        {"severity": {"runner_type.unknown": "warning"}, "runtimeEnvsDir": "/e", "diagnoseClosedFiles": False, "database": None}
    )
    assert problems == []
    assert (config.severity, config.runtime_envs_dir, config.diagnose_closed_files) == (
        {"runner_type.unknown": Severity.WARNING}, "/e", False
    )


def test_bad_settings_and_unknown_codes_are_problems_with_spans(tmp_path):
    text = 'colour = "red"\n[severity]\n"key.ignord" = "off"\n"yaml.syntax" = "loud"\n'
    (tmp_path / "packls.toml").write_text(text)
    config, problems = load_config(tmp_path)
    assert [(p.code, text[p.span.start : p.span.end]) for p in problems] == [
        ("config.invalid", "colour"),
        ("config.unknown_code", '"key.ignord"'),
        ("config.invalid", '"yaml.syntax"'),
    ]
    assert "did you mean 'key.ignored'" in problems[1].message
    assert config.severity == {}


def test_invalid_toml_is_one_problem(tmp_path):
    (tmp_path / "packls.toml").write_text("severity = [\n")
    _, problems = load_config(tmp_path)
    assert [p.code for p in problems] == ["config.invalid"]


def test_severity_overrides_exact_code_then_longest_pattern():
    config = Config(severity={"constraint.*": Severity.HINT, "constraint.bare_major": None})
    assert config.severity_for("constraint.bare_major", Severity.WARNING) is None
    assert config.severity_for("constraint.caret_zero", Severity.WARNING) is Severity.HINT
    assert config.severity_for("key.ignored", Severity.WARNING) is Severity.WARNING


def test_exclude_globs(tmp_path):
    config = Config(root=tmp_path, exclude=("legacy/**", "*.bak.yaml", "/top.yaml"))
    assert config.is_excluded(tmp_path / "legacy" / "a" / "b.yaml")
    assert config.is_excluded(tmp_path / "packs" / "x" / "old.bak.yaml")
    assert config.is_excluded(tmp_path / "top.yaml")
    assert not config.is_excluded(tmp_path / "packs" / "top.yaml")
    assert not config.is_excluded(tmp_path / "packs" / "x.yaml")


def test_apply_config_overrides_drops_and_excludes(tmp_path):
    a, b = tmp_path / "a.yaml", tmp_path / "skip" / "b.yaml"
    texts = {a: "x: 1\ny: 2\n", b: "z: 3\n"}
    config = Config(root=tmp_path, exclude=("skip/**",), severity={"key.ignored": Severity.ERROR, "value.wrong_type": None})
    result = apply_config(
        [finding(a, 0), finding(a, 5, "value.wrong_type"), finding(b, 0)], config, texts
    )
    assert [(f.path, f.code, f.severity) for f in result] == [(a, "key.ignored", Severity.ERROR)]


def test_inline_suppressions_on_the_line_above_and_file_wide(tmp_path):
    path = tmp_path / "a.yaml"
    text = (
        "# packls: ignore[value.wrong_type]\n"   # line 0: silences line 1
        "a: 1\n"                                   # line 1
        "b: 2  # packls: ignore[key.ignored, key.misspelled]\n"  # line 2
        "c: 3\n"                                   # line 3
    )
    offsets = [0, text.index("a:"), text.index("b:"), text.index("c:")]
    found = [
        finding(path, offsets[1], "value.wrong_type"),
        finding(path, offsets[1], "key.ignored"),
        finding(path, offsets[2], "key.misspelled"),
        finding(path, offsets[3], "key.ignored"),
    ]
    result = apply_config(found, Config(root=tmp_path), {path: text})
    assert [(f.code, f.span.start) for f in result] == [("key.ignored", offsets[1]), ("key.ignored", offsets[3])]
    whole = "# packls: ignore-file[key.ignored]\n" + text
    result = apply_config(found, Config(root=tmp_path), {path: whole})
    assert all(f.code != "key.ignored" for f in result)


def test_unknown_codes_in_comments_are_reported_where_written(tmp_path):
    path = tmp_path / "a.yaml"
    text = "a: 1  # packls: ignore[key.ignord, area.*]\n"
    result = apply_config([], Config(root=tmp_path), {path: text})
    assert [(f.code, text[f.span.start : f.span.end]) for f in result] == [
        ("suppression.unknown_code", "key.ignord"),
        ("suppression.unknown_code", "area.*"),
    ]


def test_bare_ignore_silences_every_code_on_its_line():
    suppressions = parse_suppressions("a: 1  # packls: ignore\nb: 2\n")
    assert suppressions.silences("anything.at_all", 0)
    assert not suppressions.silences("anything.at_all", 1)


def test_a_hash_inside_a_value_is_not_a_comment():
    suppressions = parse_suppressions('a: "x#packls: ignore[key.ignored]"\n')
    assert suppressions.mentions == []


def test_a_bad_value_is_reported_on_its_own_line_in_the_users_spelling(tmp_path):
    text = 'exclude = ["x"]\nruntime-envs-dir = 5\n'
    (tmp_path / "packls.toml").write_text(text)
    _, [problem] = load_config(tmp_path)
    assert text[problem.span.start : problem.span.end] == "runtime-envs-dir"
    assert problem.message == "runtime-envs-dir must be a string, not int 5"


def test_a_misspelt_setting_gets_a_did_you_mean(tmp_path):
    (tmp_path / "packls.toml").write_text('exlude = ["legacy/**"]\n')
    _, [problem] = load_config(tmp_path)
    assert problem.message == "unknown packls setting 'exlude'; did you mean 'exclude'?"


def test_a_setting_written_under_severity_is_said_to_be_misplaced(tmp_path):
    text = '[severity]\n"key.ignored" = "off"\nexclude = ["legacy/**"]\n'
    (tmp_path / "packls.toml").write_text(text)
    config, [problem] = load_config(tmp_path)
    assert problem.code == "config.invalid"
    assert problem.message == "'exclude' is a setting, not a rule code: write it above the [severity] table, not inside it"
    assert text[problem.span.start : problem.span.end] == "exclude"
    assert config.severity == {"key.ignored": None}


def test_indexes_accept_urls_and_tables_with_priorities(tmp_path):
    (tmp_path / "packls.toml").write_text(
        'indexes = ["https://a.example/index.json", {url = "https://b.example/index.json", priority = 7}, {url = 3}]\n'
    )
    config, [problem] = load_config(tmp_path)
    assert config.indexes == (("https://a.example/index.json", 0), ("https://b.example/index.json", 7))
    assert "indexes[2]" in problem.message
