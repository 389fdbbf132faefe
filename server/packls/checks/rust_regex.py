"""Does a pattern compile with Rust's `regex` crate? A syntax check without a Rust toolchain.

Rust's dialect differs from Python's `re` both ways: it has no look-around and no
backreferences (Python accepts them), and it has `\\p{..}` classes, `[[:alpha:]]`, class set
operations and `\\z` (Python rejects some of them). Rust-only forms are rewritten to Python
equivalents, forms Rust rejects are reported, and what is left is compiled with `re`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_LETTER_ESCAPES = frozenset("afnrtvdDsSwWbBAzxuUpP")
_COUNTED = re.compile(r"\{(\d+)(,(\d*))?\}")
_FLAGS = frozenset("imsUuxR")


@dataclass(frozen=True)
class RegexProblem:
    """Why Rust's regex crate would reject a pattern, and where (code-point offsets in the pattern)."""

    reason: str
    start: int
    end: int


def rust_regex_problem(pattern: str) -> RegexProblem | None:
    """The first reason Rust's `regex` would not compile pattern, or None."""
    out: list[str] = []
    i, n = 0, len(pattern)
    depth_class = 0
    while i < n:
        c = pattern[i]
        if c == "\\":
            if i + 1 >= n:
                return RegexProblem("a pattern cannot end with a lone backslash", i, i + 1)
            e = pattern[i + 1]
            if e.isdigit():
                return RegexProblem(f"backreferences and octal escapes (\\{e}) are not supported by Rust's regex", i, i + 2)
            if e in "pP":
                end = _unicode_class_end(pattern, i + 2)
                if end is None:
                    return RegexProblem("\\p needs a class name: \\pL or \\p{Letter}", i, i + 2)
                out.append("\\w" if e == "p" else "\\W")
                i = end
                continue
            if e == "z":
                out.append("\\Z")
                i += 2
                continue
            if e in "<>":
                out.append("\\b")
                i += 2
                continue
            if e == "Z":
                return RegexProblem("\\Z is not supported by Rust's regex; use \\z for the end of the text", i, i + 2)
            if e.isalpha() and e not in _LETTER_ESCAPES:
                return RegexProblem(f"unrecognized escape sequence \\{e}", i, i + 2)
            if e in "xuU":
                end = _hex_escape_end(pattern, i + 1)
                if end is None:
                    return RegexProblem(f"invalid hexadecimal escape \\{e}", i, i + 2)
                out.append(pattern[i:end] if e == "x" and pattern[i + 2 : i + 3] != "{" else ".")
                i = end
                continue
            out.append(pattern[i : i + 2])
            i += 2
            continue
        if depth_class:
            if c == "[" and pattern.startswith("[:", i):
                close = pattern.find(":]", i + 2)
                if close < 0:
                    return RegexProblem("unclosed ASCII class [:name:]", i, i + 2)
                out.append("a-z")
                i = close + 2
                continue
            if c == "[":
                depth_class += 1
                out.append("\\[")  # nested classes: keep Python's parser balanced
                i += 1
                continue
            if pattern.startswith(("&&", "--", "~~"), i):
                i += 2
                continue
            if c == "]":
                depth_class -= 1
                out.append("]" if depth_class == 0 else "")
                i += 1
                continue
            out.append(c)
            i += 1
            continue
        if c == "[":
            depth_class = 1
            out.append(c)
            i += 1
            if pattern.startswith("^", i):
                out.append("^")
                i += 1
            if pattern.startswith("]", i):
                out.append("\\]")
                i += 1
            continue
        if c == "(" and pattern.startswith("(?", i):
            problem, consumed, replacement = _group_prefix(pattern, i)
            if problem is not None:
                return problem
            out.append(replacement)
            i += consumed
            continue
        if c == "{":
            match = _COUNTED.match(pattern, i)
            if match is None:
                return RegexProblem("'{' starts a repetition like {2} or {1,3}; escape it as \\{ to match a brace", i, i + 1)
            low, high = int(match.group(1)), match.group(3)
            if high and int(high) < low:
                return RegexProblem(f"invalid repetition range {{{low},{high}}}: the maximum is below the minimum", i, match.end())
            out.append(match.group(0))
            i = match.end()
            if pattern.startswith(("+",), i):
                return RegexProblem("possessive repetition (+ after a quantifier) is not supported by Rust's regex", i, i + 1)
            continue
        if c in "*+?" and i + 1 < n and pattern[i + 1] == "+" and out and out[-1] not in "(|":
            return RegexProblem("possessive repetition (+ after a quantifier) is not supported by Rust's regex", i + 1, i + 2)
        out.append(c)
        i += 1
    if depth_class:
        return RegexProblem("unclosed character class '['", pattern.rfind("["), n)
    try:
        re.compile("".join(out))
    except re.error as error:
        position = min(error.pos if error.pos is not None else 0, max(n - 1, 0))
        return RegexProblem(str(error.msg), position, min(position + 1, n))
    except RecursionError:
        return RegexProblem("the pattern is nested too deeply", 0, n)
    return None


def _unicode_class_end(pattern: str, i: int) -> int | None:
    if i >= len(pattern):
        return None
    if pattern[i] == "{":
        close = pattern.find("}", i)
        return close + 1 if close > i + 1 else None
    return i + 1 if pattern[i].isalpha() else None


def _hex_escape_end(pattern: str, i: int) -> int | None:
    """End of \\xHH, \\x{H…}, \\uHHHH, \\UHHHHHHHH (i points at x/u/U)."""
    kind = pattern[i]
    if pattern.startswith("{", i + 1):
        close = pattern.find("}", i + 2)
        digits = pattern[i + 2 : close] if close > 0 else ""
        return close + 1 if digits and all(d in "0123456789abcdefABCDEF" for d in digits) else None
    width = {"x": 2, "u": 4, "U": 8}[kind]
    digits = pattern[i + 1 : i + 1 + width]
    return i + 1 + width if len(digits) == width and all(d in "0123456789abcdefABCDEF" for d in digits) else None


def _group_prefix(pattern: str, i: int) -> tuple[RegexProblem | None, int, str]:
    """A `(?…` group opener: named groups, flags, non-capturing; look-around is rejected."""
    rest = pattern[i + 2 :]
    for prefix in ("=", "!", "<=", "<!"):
        if rest.startswith(prefix):
            return RegexProblem("look-around assertions are not supported by Rust's regex", i, i + 2 + len(prefix)), 0, ""
    if rest.startswith(("P=", "P>", "#", "(", ">", "|")):
        what = {"P=": "named backreferences", "P>": "recursion", "#": "comment groups", "(": "conditionals", ">": "atomic groups", "|": "branch reset groups"}
        key = next(k for k in what if rest.startswith(k))
        return RegexProblem(f"{what[key]} are not supported by Rust's regex", i, i + 2 + len(key)), 0, ""
    named = re.match(r"(P?<)([A-Za-z_][A-Za-z0-9_.\[\]]*)>", rest)
    if named:
        name = re.sub(r"[^A-Za-z0-9_]", "_", named.group(2))
        return None, 2 + named.end(), f"(?P<{name}>"
    if rest.startswith(("P<", "<")):
        return RegexProblem("invalid capture group name", i, i + 3), 0, ""
    flags = re.match(r"([A-Za-z-]*)([:)])", rest)
    if flags:
        letters = flags.group(1).replace("-", "")
        bad = next((f for f in letters if f not in _FLAGS), None)
        if bad is not None:
            return RegexProblem(f"unrecognized flag '{bad}'", i, i + 2 + len(flags.group(0))), 0, ""
        if flags.group(2) == ")":
            return None, 2 + flags.end(), ""
        return None, 2 + flags.end(), "(?:"
    return RegexProblem("unrecognized group syntax after '(?'", i, i + 2), 0, ""
