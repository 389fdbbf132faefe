"""Does a verification pattern compile with Rust's `regex` crate? The core's answer, shaped for findings.

The answer comes from `packls.rustregex`, a reader of Rust's regex syntax that reports the same
first error at the same span as regex-syntax does (checked against the real crate's answers in
tests/data/rust-regex/cases.tsv), and refuses by size only what certainly exceeds Rust's 10 MiB
limit.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class RegexProblem:
    """Why Rust's regex crate would reject a pattern, and where (code-point offsets in the pattern)."""

    reason: str
    start: int
    end: int
    kind: str


def rust_regex_problem(pattern: str) -> RegexProblem | None:
    """The first reason Rust's `regex` would not compile pattern, or None."""
    from packls.rustregex.check import rust_regex_error  # ~15 ms of imports, needed only by packs with verification patterns

    error = rust_regex_error(pattern)
    if error is None:
        return None
    return RegexProblem(error.message, error.start, error.end, error.kind)
