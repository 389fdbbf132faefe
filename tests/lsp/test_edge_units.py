"""The LSP edge without a server: edit application, encodings, settings parsing."""

from __future__ import annotations

from pathlib import Path

from packls.config import Config
from packls.lsp import messages
from packls.lsp.documents import apply_changes
from packls.lsp.messages import ContentChange, Position, Range
from packls.lsp.positions import Positions, encoding_name
from packls.lsp.settings import Settings, overlay, split_settings
from packls.syntax.nodes import Span


def test_incremental_edits_use_lsp_line_breaks_not_splitlines() -> None:
    text = 'a: "x\u2028y"\nb: 1\n'
    change = ContentChange("2", Range(Position(1, 3), Position(1, 4)))
    assert apply_changes(text, [change], "utf-16") == 'a: "x\u2028y"\nb: 2\n'
    whole = ContentChange("c: 3\n")
    assert apply_changes(text, [change, whole], "utf-8") == "c: 3\n"


def test_positions_in_every_encoding() -> None:
    text = "c😋: [😋, yy]\n"
    start = text.index("yy")
    for encoding, column in (("utf-16", 10), ("utf-8", 14), ("utf-32", 8)):
        positions = Positions(text, encoding)
        assert positions.position(start) == {"line": 0, "character": column}
        assert positions.offset(Position(0, column)) == start
        assert positions.span(messages.range_(positions.range(Span(start, start + 2)))) == Span(start, start + 2)
    assert encoding_name("utf-8") == "utf-8" and encoding_name(None) == "utf-16"


def test_server_only_settings_are_split_from_the_shared_config() -> None:
    shared, tuning, problems = split_settings({"debounceMs": 5, "watch": {"pollIntervalMs": 0}, "severity": {}, "exclude": None})
    assert shared == {"severity": {}} and tuning.debounce_ms == 5 and tuning.poll_interval_ms == 0 and problems == []
    _, tuning, problems = split_settings({"debounceMs": "soon"})
    assert tuning.debounce_ms == 50 and problems and "debounceMs" in problems[0]
    assert split_settings([1, 2])[2]


def test_the_on_off_settings_take_booleans_only() -> None:
    _, tuning, problems = split_settings({"coldStartHelper": False, "cache": {"persistent": False}})
    assert (tuning.cold_start_helper, tuning.persistent_cache, problems) == (False, False, [])
    assert split_settings({"diagnostics": {"coldStartHelper": False}})[1].cold_start_helper is False
    _, tuning, problems = split_settings({"coldStartHelper": "no", "persistentCache": 0})
    assert (tuning.cold_start_helper, tuning.persistent_cache) == (True, True)
    assert problems == ["persistentCache must be true or false, not 0; using true",
                        "coldStartHelper must be true or false, not 'no'; using true"]


def test_the_project_file_overlays_editor_settings(tmp_path: Path) -> None:
    editor = Config(severity={"a.b": None}, diagnose_closed_files=False, root=tmp_path)
    project = Config(exclude=("rules/**",), root=tmp_path / "repo", source=tmp_path / "repo/packls.toml")
    merged = overlay(editor, project)
    assert merged.exclude == ("rules/**",) and merged.root == tmp_path / "repo"
    assert merged.severity == {"a.b": None} and merged.diagnose_closed_files is False


def test_settings_per_folder_fall_back_to_initialization_options(tmp_path: Path) -> None:
    settings = Settings()
    settings.set_initialization({"diagnoseClosedFiles": False, "debounceMs": 7})
    config, problems = settings.config_for(tmp_path / "a.yaml", tmp_path)
    assert config.diagnose_closed_files is False and problems == [] and settings.tuning.debounce_ms == 7
    settings.set_folders({tmp_path: {"diagnoseClosedFiles": True}})
    config, _ = settings.config_for(tmp_path / "a.yaml")
    assert config.diagnose_closed_files is True and settings.tuning.debounce_ms == 7
    settings.set_folders({tmp_path: {"severity": {"runtime_version.unsatisfiable": "loud"}}})
    _, problems = settings.config_for(tmp_path / "a.yaml")
    assert problems and "loud" in problems[0].message
