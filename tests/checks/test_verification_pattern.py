"""verification.invalid_pattern: exactly the patterns Rust's regex refuses, underlined where Rust points."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.checks.helpers import only, run

RUNTIME = (
    "ref: demo.tool\nname: Tool\ndistributions:\n  verification:\n    commands:\n"
    "      - binary: tool\n        args: [--version]\n        pattern: '{pattern}'\n"
)


def pattern_findings(tmp_path: Path, pattern: str) -> list[tuple[str, str]]:
    """(underlined text, message) of each finding on the pattern."""
    text = RUNTIME.format(pattern=pattern.replace("'", "''"))
    found = only(run(tmp_path, {"runtimes/tool.yaml": text}), "verification.invalid_pattern")
    return [(text[f.span.start : f.span.end], f.message) for f in found]


@pytest.mark.parametrize(
    "pattern",
    [
        r"\pL+ \p{Greek}\P{Han}",  # Python's re has no \p
        r"(?x) Python \s 3 \. 12  # the version",
        r"[[:alpha:]]+ [[:^space:]]",
        r"Python 3\.12\.\d+\z",  # Python spells the end of the text \Z
        r"[a-z&&[^aeiou]]", r"[\w--\d]", r"[a-c~~b-d]",  # class set operations
        r"\b{start}go\b{end}", r"\<go\>",
        r"(?<version>\d+)\.(?P<minor>\d+)",
        r"x{ 2 , 3 }", "a++",  # spaces in a counted repetition; a repeated repetition
        "(?U)a+", "(?R)^v$",
    ],
)
def test_patterns_rust_accepts_are_never_reported(tmp_path: Path, pattern: str) -> None:
    assert pattern_findings(tmp_path, pattern) == []


@pytest.mark.parametrize(
    "pattern, underlined, words",
    [
        ("Lua (?=5)", "(?=", "look-around"),
        (r"(a)\1", r"\1", "backreferences"),
        (r"Python 3\.12\Z", r"\Z", r"write \z for the end of the text"),
        ("(?>atomic)", ">", "atomic groups (?>…) are not supported"),
        ("v(?i-)1", "-", "followed by the flags it turns off"),
        (r"\p{Greekish}", r"\p{Greekish}", "no Unicode property"),
        ("[z-a]", "z-a", "starts after it ends"),
        ("go(1.2", "(", "never closed with ')'"),
        ("a{2", "{2", "never closed with '}'"),
        ("a{,3}", ",", "write {0,n}"),
        (r"(?-u)\xFF", r"\xFF", "not UTF-8"),
        ("a{4294967296}", "4294967296", "too large"),
    ],
)
def test_patterns_rust_refuses_are_reported_at_the_place_rust_names(
    tmp_path: Path, pattern: str, underlined: str, words: str
) -> None:
    [(text, message)] = pattern_findings(tmp_path, pattern)

    assert text == underlined
    assert words in message and "Rust" in message
