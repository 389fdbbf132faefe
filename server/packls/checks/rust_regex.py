"""Does a pattern compile with Rust's `regex` crate? A syntax check without a Rust toolchain.

Rust's dialect differs from Python's `re` both ways: it has no look-around and no
backreferences (Python accepts them), and it has `\\p{..}` classes, `[[:alpha:]]`, class set
operations and `\\z` (Python rejects some of them). Rust-only forms are rewritten to Python
equivalents, forms Rust rejects are reported, and what is left is compiled with `re`.

Rust also refuses patterns by size, with its default limits: a repetition count must fit in
32 bits ("decimal literal invalid"), groups nest at most 250 deep, and the compiled NFA may
take at most 10 MiB ("Compiled regex exceeds size limit of 10485760 bytes"). The size is
checked with a lower bound (every byte a pattern matches is at least one NFA state of at
least 16 bytes, counted repetitions copy their operand), so a pattern reported as too big
certainly is; one just under the limit may still be refused by Rust.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_LETTER_ESCAPES = frozenset("afnrtvdDsSwWbBAzxuUpP")
_COUNTED = re.compile(r"\{(\d+)(,(\d*))?\}")
_FLAGS = frozenset("imsUuxR")
MAX_REPETITION = 2**32 - 1  # regex-syntax reads counts as u32
NEST_LIMIT = 250  # regex::RegexBuilder's default nest_limit
SIZE_LIMIT = 10 * (1 << 20)  # regex::RegexBuilder's default size_limit, in bytes
MIN_STATE_BYTES = 16  # no NFA state of regex-automata's builder is smaller
_CHECKED_REPETITION = 1000  # what Python compiles in place of a bigger count (only the syntax is checked there)
_FLAG_GROUP = re.compile(r"\(\?[A-Za-z-]*\)")
_GROUP_PREFIX = re.compile(r"\(\?(?:P?<[^>]*>|[A-Za-z-]*:)")


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
            if max(low, int(high or 0)) > MAX_REPETITION:
                return RegexProblem(
                    f"repetition count {max(low, int(high or 0))} is too large (decimal literal invalid): "
                    f"Rust's regex allows at most {MAX_REPETITION}", i, match.end(),
                )
            if high and int(high) < low:
                return RegexProblem(f"invalid repetition range {{{low},{high}}}: the maximum is below the minimum", i, match.end())
            out.append(_clamped(low, match.group(2), high))
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
    except (RecursionError, OverflowError, ValueError):
        return RegexProblem("the pattern is nested too deeply", 0, n)
    return _size_problem(pattern)


def _clamped(low: int, comma: str | None, high: str | None) -> str:
    """A counted repetition Python can compile, same shape (only syntax is checked by `re`; sizes by `_size_problem`)."""
    small = str(min(low, _CHECKED_REPETITION))
    if comma is None:
        return f"{{{small}}}"
    return f"{{{small},{min(int(high), _CHECKED_REPETITION) if high else ''}}}"


def _size_problem(pattern: str) -> RegexProblem | None:
    """Rust's nest limit and a lower bound of its compiled size, for a pattern whose syntax is fine."""
    sums: list[int] = [0]  # NFA states at least, per open group
    opened: list[int] = []  # where each open group starts
    last = 0  # states of the last atom or group, which a quantifier copies
    i, n = 0, len(pattern)
    while i < n:
        c = pattern[i]
        if c == "\\":
            end = _escape_end(pattern, i)
            last = 0 if pattern[i + 1 : i + 2] in ("b", "B", "A", "z", "<", ">") else 1
            sums[-1] += last
            i = end
            continue
        if c == "[":
            i = _class_end(pattern, i)
            last = 1
            sums[-1] += 1
            continue
        if c == "(":
            flags_only = _FLAG_GROUP.match(pattern, i)
            if flags_only is not None:  # `(?i)`: sets flags, opens nothing
                i = flags_only.end()
                continue
            opened.append(i)
            if len(opened) > NEST_LIMIT:
                return RegexProblem(f"groups are nested more than {NEST_LIMIT} deep, Rust's regex nest limit", i, i + 1)
            sums.append(0)
            last = 0
            prefix = _GROUP_PREFIX.match(pattern, i)
            i = prefix.end() if prefix is not None else i + 1
            continue
        elif c == ")" and opened:
            opened.pop()
            last = sums.pop()
            sums[-1] += last
        elif c == "{":
            match = _COUNTED.match(pattern, i)
            if match is not None:
                low, high = int(match.group(1)), match.group(3)
                copies = (int(high) if high else low + 1) if match.group(2) else low
                sums[-1] += last * (copies - 1)
                last *= copies
                i = match.end()
                continue
        elif c not in "|*+?^$)":
            last = len(c.encode("utf-8", "surrogatepass"))
            sums[-1] += last
        i += 1
    states = sum(sums)
    if states * MIN_STATE_BYTES > SIZE_LIMIT:
        return RegexProblem(
            f"it compiles to at least {states} NFA states, over Rust's size limit "
            f"(Compiled regex exceeds size limit of {SIZE_LIMIT} bytes)", 0, n,
        )
    return None


def _escape_end(pattern: str, i: int) -> int:
    """End of the escape at i (`\\x{…}`, `\\p{…}` or one character)."""
    letter = pattern[i + 1 : i + 2]
    if letter in ("x", "u", "U", "p", "P") and pattern.startswith("{", i + 2):
        close = pattern.find("}", i + 2)
        return close + 1 if close > 0 else len(pattern)
    if letter in ("p", "P"):
        return i + 3
    if letter in ("x", "u", "U"):
        return i + 2 + {"x": 2, "u": 4, "U": 8}[letter]
    return i + 2


def _class_end(pattern: str, i: int) -> int:
    """End of the bracketed class at i (nested classes and escapes skipped)."""
    depth, i = 0, i
    n = len(pattern)
    while i < n:
        c = pattern[i]
        if c == "\\":
            i += 2
            continue
        if c == "[" and not pattern.startswith("[:", i):
            depth += 1
            i += 1
            if pattern.startswith("^", i):
                i += 1
            if pattern.startswith("]", i):
                i += 1
            continue
        if c == "]":
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    return n


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
