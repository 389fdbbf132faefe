"""The text reporter shows a window of a long source line, with the caret still under the span."""

from __future__ import annotations

from pathlib import Path

import pytest

from packls.cli import main
from packls.findings import Finding, Severity
from packls.report.findings_text import ELLIPSIS, MAX_SHOWN, render_text
from packls.syntax.nodes import Span

PATH = Path("/p/actions/a.yaml")
NEEDLE = "runner_type: nope"


def _render(text: str, start: int, end: int) -> tuple[str, str, str]:
    """The header, source and caret lines of one finding at [start, end)."""
    finding = Finding(PATH, Span(start, end), Severity.ERROR, "runner_type.unknown", "unknown runner type")
    header, source, caret = render_text([finding], {PATH: text}, cwd=Path("/p")).splitlines()
    return header, source.removeprefix("  "), caret.removeprefix("  ")


def _underlined(source: str, caret: str) -> str:
    """The characters of the shown line that the caret line marks."""
    first = caret.index("^")
    return source[first:len(caret)]


def _long_line(position: str) -> tuple[str, int]:
    """A 1 MB one-line flow mapping with the needle at the start, middle or end; returns it and the needle's offset."""
    filler = "k: " + "x" * 1_000_000
    parts = {"start": [NEEDLE, filler], "middle": [filler[:500_000], NEEDLE, filler[500_000:]], "end": [filler, NEEDLE]}[position]
    text = "{" + ", ".join(parts) + "}"
    return text, text.index(NEEDLE)


@pytest.mark.parametrize("position", ["start", "middle", "end"])
def test_a_huge_line_is_cut_to_a_window_around_the_finding(position: str) -> None:
    text, offset = _long_line(position)
    header, source, caret = _render(text, offset, offset + len(NEEDLE))
    assert header.startswith(f"actions/a.yaml:1:{offset + 1}: error runner_type.unknown")
    assert len(source) <= MAX_SHOWN + 2 * len(ELLIPSIS)
    assert _underlined(source, caret) == NEEDLE
    assert source.startswith(ELLIPSIS) == (position != "start")
    assert source.endswith(ELLIPSIS) == (position != "end")
    assert caret.strip() == "^" + "~" * (len(NEEDLE) - 1)


def test_a_span_wider_than_the_window_is_underlined_up_to_the_cut() -> None:
    text = "a" * 100 + "b" * 1000 + "c" * 100
    _, source, caret = _render(text, 100, 1100)
    assert source.startswith(ELLIPSIS) and source.endswith(ELLIPSIS)
    underlined = _underlined(source, caret)
    assert underlined.startswith("b") and set(underlined) == {"b"}
    assert len(caret) == len(source) - len(ELLIPSIS)  # the underline reaches the cut, not beyond
    assert source[caret.index("^") - 1] == "a"  # some context is kept before the span


def test_tabs_and_wide_characters_before_the_span_keep_the_caret_in_place() -> None:
    before = "\t" + "字" * 150 + "é" * 150
    text = before + NEEDLE + "y" * 1000
    _, source, caret = _render(text, len(before), len(before) + len(NEEDLE))
    assert source.startswith(ELLIPSIS)
    assert _underlined(source, caret) == NEEDLE
    assert set(caret[: caret.index("^")]) == {" "}  # one space per character, as for short lines


def test_a_tab_inside_the_window_stays_a_tab_in_the_caret_line() -> None:
    text = "x" * 1000 + "\t" + NEEDLE + "y" * 1000
    _, source, caret = _render(text, 1001, 1001 + len(NEEDLE))
    assert caret[caret.index("^") - 1] == "\t"
    assert _underlined(source, caret) == NEEDLE


def test_a_finding_at_the_very_end_of_a_long_line() -> None:
    text = "z" * 5000
    _, source, caret = _render(text, 5000, 5000)
    assert source == ELLIPSIS + "z" * MAX_SHOWN
    assert caret == " " * (len(source)) + "^"


def test_a_short_line_is_printed_in_full() -> None:
    text = "ref: demo.a\n\trunner_type: nope\n"
    start = text.index("nope")
    _, source, caret = _render(text, start, start + 4)
    assert source == "\trunner_type: nope"
    assert caret == "\t" + " " * len("runner_type: ") + "^~~~"


def test_validate_prints_a_readable_excerpt_of_a_minified_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    pack = tmp_path / "p"
    (pack / "actions").mkdir(parents=True)
    (pack / "pack.yaml").write_text('ref: demo\nversion: "1.0.0"\n', encoding="utf-8")
    (pack / "actions" / "a.sh").write_text("#!/bin/sh\n", encoding="utf-8")
    padding = ", ".join(f"k{i}: {'v' * 40}" for i in range(12_000))  # ~600 kB on one line
    text = "{" + padding + ", ref: demo.a, entry_point: a.sh, runner_type: no_such_runner, " + padding.replace("k", "m") + "}"
    (pack / "actions" / "a.yaml").write_text(text, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    main(["validate", "--no-config", "--format", "text", "p"])
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert any("runner_type.unknown" in line for line in lines), out[:2000]
    assert max(len(line) for line in lines if not line.startswith("p/")) <= MAX_SHOWN + 10
    shown = next(i for i, line in enumerate(lines) if "runner_type.unknown" in line) + 1
    assert _underlined(lines[shown][2:], lines[shown + 1][2:]).startswith("no_such_runner")
