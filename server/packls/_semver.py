"""Strict SemVer as the Rust ``semver`` crate (1.0.14 to 1.0.28) implements it.

Private to :mod:`packls.versions`. Every function here is a line-by-line port of the
crate's ``parse.rs`` (parsing), ``eval.rs`` (matching), ``impls.rs`` (ordering) and
``display.rs`` (Display), so that packls reaches exactly the verdicts Attune reaches.
Attune's lenient layer (trimming, ``v`` stripping, padding, bare versions) lives in
:mod:`packls.versions`; nothing here trims anything except the ASCII spaces the crate
itself skips.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Final

__all__ = [
    "MAX_COMPARATORS",
    "U64_MAX",
    "Comparator",
    "SemverError",
    "Version",
    "parse_comparators",
    "parse_strict_version",
    "pre_is_compatible",
]

U64_MAX: Final = 18446744073709551615
MAX_COMPARATORS: Final = 32  # the crate refuses a 33rd comma-separated comparator

# Positions, worded as the crate's ``Display for Position``.
MAJOR: Final = "major version number"
MINOR: Final = "minor version number"
PATCH: Final = "patch version number"
PRE: Final = "pre-release identifier"
BUILD: Final = "build metadata"

OPS: Final = ("=", ">", ">=", "<", "<=", "~", "^", "*")
_WILDCARDS: Final = "*xX"

_DIGITS = re.compile(r"[0-9]+")
_IDENT_SEGMENT = re.compile(r"[0-9A-Za-z-]+")

Ident = tuple[str, ...]
SortKey = tuple[Any, ...]  # heterogeneous, but only ever compared with keys of the same shape


# ---------------------------------------------------------------------------
# errors
# ---------------------------------------------------------------------------


def _quoted(ch: str) -> str:
    """Rust's ``{:?}`` of a char, close enough for messages (invisible chars escaped)."""
    if ch == "\0":
        return "'\\0'"
    if ch.isprintable() and (ch == " " or not ch.isspace()):
        return "'\\''" if ch == "'" else f"'{ch}'"
    return f"'\\u{{{ord(ch):x}}}'"


class SemverError(ValueError):
    """A crate parse error: ``kind`` says what, ``index`` where (offset into the parsed text)."""

    def __init__(self, kind: str, position: str | None, char: str | None, index: int) -> None:
        self.kind = kind
        self.position = position
        self.char = char
        self.index = index
        self.start = 0  # offset of the comparator being parsed (set by parse_comparators)
        super().__init__(self._message())

    def __reduce__(self) -> tuple[object, ...]:
        """Keep the error picklable despite the custom constructor."""
        return (self.__class__, (self.kind, self.position, self.char, self.index))

    def _message(self) -> str:
        """The crate's ``Display for Error`` wording."""
        pos, ch, kind = self.position, self.char, self.kind
        if kind == "unexpected_end":
            return f"unexpected end of input while parsing {pos}"
        if kind == "unexpected_char":
            return f"unexpected character {_quoted(ch or '')} while parsing {pos}"
        if kind == "unexpected_char_after":
            return f"unexpected character {_quoted(ch or '')} after {pos}"
        if kind == "expected_comma":
            return f"expected comma after {pos}, found {_quoted(ch or '')}"
        if kind == "leading_zero":
            return f"invalid leading zero in {pos}"
        if kind == "overflow":
            return f"value of {pos} exceeds u64::MAX"
        if kind == "empty_segment":
            return f"empty identifier segment in {pos}"
        if kind == "wildcard_not_only":
            return f"wildcard req ({ch}) must be the only comparator in the version req"
        if kind == "unexpected_after_wildcard":
            return "unexpected character after wildcard in version req"
        if kind == "excessive_comparators":
            return "excessive number of version comparators"
        return kind


# ---------------------------------------------------------------------------
# ordering keys (impls.rs)
# ---------------------------------------------------------------------------


def _pre_key(pre: Ident) -> SortKey:
    """Sort key reproducing ``Ord for Prerelease``: a release sorts above all its pre-releases."""
    if not pre:
        return (1,)
    # numeric ids: by length, then text (no leading zeros, so this is by value);
    # numeric < alphanumeric; alphanumeric in ASCII order; more ids win a shared prefix.
    return (0, *((0, len(i), i) if i.isdigit() else (1, i) for i in pre))


def _build_key(build: Ident) -> SortKey:
    """Sort key reproducing ``Ord for BuildMetadata`` (0 < 00 < 1 < 01 < 001 < 2)."""
    key: list[SortKey] = []
    for i in build:
        if i.isdigit():
            value = i.lstrip("0")
            key.append((0, len(value), value, len(i)))
        else:
            key.append((1, i))
    return tuple(key)


def _ident(value: Ident | str) -> Ident:
    """Accept ``"rc.1"`` as well as ``("rc", "1")`` when constructing by hand."""
    if isinstance(value, str):
        return tuple(value.split(".")) if value else ()
    return tuple(value)


# ---------------------------------------------------------------------------
# Version
# ---------------------------------------------------------------------------


@dataclass(frozen=True, order=False, slots=True)
class Version:
    """A SemVer version whose ==, <, hash are the crate's (build metadata included)."""

    major: int
    minor: int
    patch: int
    pre: Ident = ()
    build: Ident = ()
    _pre_key: SortKey = field(init=False, repr=False, compare=False)
    _key: SortKey = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        """Normalise identifiers and precompute the total-order key once."""
        pre, build = _ident(self.pre), _ident(self.build)
        pre_key = _pre_key(pre)
        object.__setattr__(self, "pre", pre)
        object.__setattr__(self, "build", build)
        object.__setattr__(self, "_pre_key", pre_key)
        object.__setattr__(self, "_key", (self.major, self.minor, self.patch, pre_key, _build_key(build)))

    @property
    def is_prerelease(self) -> bool:
        """True when a pre-release is present (the §6 opt-in rule then applies)."""
        return bool(self.pre)

    @property
    def triple(self) -> tuple[int, int, int]:
        """major.minor.patch, which the pre-release opt-in rule compares."""
        return (self.major, self.minor, self.patch)

    def __str__(self) -> str:
        """Crate Display: ``3.12.0``, ``1.2.3-rc.1+b``."""
        text = f"{self.major}.{self.minor}.{self.patch}"
        if self.pre:
            text += "-" + ".".join(self.pre)
        if self.build:
            text += "+" + ".".join(self.build)
        return text

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, Version):
            return NotImplemented
        return self._key < other._key

    def __le__(self, other: object) -> bool:
        if not isinstance(other, Version):
            return NotImplemented
        return self._key <= other._key

    def __gt__(self, other: object) -> bool:
        if not isinstance(other, Version):
            return NotImplemented
        return self._key > other._key

    def __ge__(self, other: object) -> bool:
        if not isinstance(other, Version):
            return NotImplemented
        return self._key >= other._key

    @property
    def sort_key(self) -> SortKey:
        """Key for ``sorted()``; equal keys exactly when the versions are equal."""
        return self._key


# ---------------------------------------------------------------------------
# Comparator and its evaluation (eval.rs)
# ---------------------------------------------------------------------------


def _exact(c: Comparator, v: Version) -> bool:
    if v.major != c.major:
        return False
    if c.minor is not None and v.minor != c.minor:
        return False
    if c.patch is not None and v.patch != c.patch:
        return False
    return v.pre == c.pre


def _greater(c: Comparator, v: Version) -> bool:
    if v.major != c.major:
        return v.major > c.major
    if c.minor is None:
        return False
    if v.minor != c.minor:
        return v.minor > c.minor
    if c.patch is None:
        return False
    if v.patch != c.patch:
        return v.patch > c.patch
    return v._pre_key > c._pre_key


def _less(c: Comparator, v: Version) -> bool:
    if v.major != c.major:
        return v.major < c.major
    if c.minor is None:
        return False
    if v.minor != c.minor:
        return v.minor < c.minor
    if c.patch is None:
        return False
    if v.patch != c.patch:
        return v.patch < c.patch
    return v._pre_key < c._pre_key


def _greater_eq(c: Comparator, v: Version) -> bool:
    return _exact(c, v) or _greater(c, v)


def _less_eq(c: Comparator, v: Version) -> bool:
    return _exact(c, v) or _less(c, v)


def _tilde(c: Comparator, v: Version) -> bool:
    if v.major != c.major:
        return False
    if c.minor is not None and v.minor != c.minor:
        return False
    if c.patch is not None and v.patch != c.patch:
        return v.patch > c.patch
    return v._pre_key >= c._pre_key


def _caret(c: Comparator, v: Version) -> bool:
    if v.major != c.major:
        return False
    minor = c.minor
    if minor is None:
        return True
    patch = c.patch
    if patch is None:
        return v.minor >= minor if c.major > 0 else v.minor == minor
    if c.major > 0:
        if v.minor != minor:
            return v.minor > minor
        if v.patch != patch:
            return v.patch > patch
    elif minor > 0:
        if v.minor != minor:
            return False
        if v.patch != patch:
            return v.patch > patch
    elif v.minor != minor or v.patch != patch:
        return False
    return v._pre_key >= c._pre_key


_MATCHERS: Final[dict[str, Callable[[Comparator, Version], bool]]] = {
    "=": _exact,
    "*": _exact,
    ">": _greater,
    ">=": _greater_eq,
    "<": _less,
    "<=": _less_eq,
    "~": _tilde,
    "^": _caret,
}


@dataclass(frozen=True, slots=True)
class Comparator:
    """One crate comparator; ``op`` is one of = > >= < <= ~ ^ or ``*`` (a wildcard like ``3.*``)."""

    op: str
    major: int
    minor: int | None = None
    patch: int | None = None
    pre: Ident = ()
    _pre_key: SortKey = field(init=False, repr=False, compare=False)
    _fn: Callable[[Comparator, Version], bool] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        """Precompute the pre-release key and the evaluation function for speed."""
        if self.op not in _MATCHERS:
            raise ValueError(f"unknown comparator operator {self.op!r}")
        pre = _ident(self.pre)
        object.__setattr__(self, "pre", pre)
        object.__setattr__(self, "_pre_key", _pre_key(pre))
        object.__setattr__(self, "_fn", _MATCHERS[self.op])

    def matches(self, v: Version) -> bool:
        """Comparator semantics only (Cargo rules); the pre-release opt-in rule is not applied."""
        return self._fn(self, v)

    def allows_prerelease_of(self, v: Version) -> bool:
        """True when this comparator names v's exact major.minor.patch with a pre-release (§6)."""
        return pre_is_compatible(self, v)

    @property
    def is_partial(self) -> bool:
        """True when minor or patch is left open (Cargo's partial-version rules apply)."""
        return self.minor is None or self.patch is None

    def __str__(self) -> str:
        """Crate Display: ``>=3.12.0``, ``~3``, ``3.12.*``."""
        op = "" if self.op == "*" else self.op
        text = f"{op}{self.major}"
        if self.minor is not None:
            text += f".{self.minor}"
            if self.patch is not None:
                text += f".{self.patch}"
                if self.pre:
                    text += "-" + ".".join(self.pre)
            elif self.op == "*":
                text += ".*"
        elif self.op == "*":
            text += ".*"
        return text


def pre_is_compatible(c: Comparator, v: Version) -> bool:
    """eval.rs ``pre_is_compatible``: same triple, minor and patch written out, non-empty pre."""
    return c.major == v.major and c.minor == v.minor and c.patch == v.patch and bool(c.pre)


# ---------------------------------------------------------------------------
# parsing (parse.rs)
# ---------------------------------------------------------------------------


def _numeric(text: str, i: int, pos: str) -> tuple[int, int]:
    """``numeric_identifier``: ASCII digits, no leading zero, at most u64::MAX."""
    m = _DIGITS.match(text, i)
    if m is None:
        if i < len(text):
            raise SemverError("unexpected_char", pos, text[i], i)
        raise SemverError("unexpected_end", pos, None, i)
    digits = m.group()
    if len(digits) > 1 and digits[0] == "0":
        raise SemverError("leading_zero", pos, None, i)
    if len(digits) > 20:  # also keeps int() clear of Python's digit limit
        raise SemverError("overflow", pos, None, i)
    value = int(digits)
    if value > U64_MAX:
        raise SemverError("overflow", pos, None, i)
    return value, m.end()


def _dot(text: str, i: int, pos: str) -> int:
    """``dot``: the separator between numeric components."""
    if i < len(text):
        if text[i] == ".":
            return i + 1
        raise SemverError("unexpected_char_after", pos, text[i], i)
    raise SemverError("unexpected_end", pos, None, i)


def _identifiers(text: str, i: int, pos: str) -> tuple[Ident, int]:
    """``identifier``: dot-separated ``[0-9A-Za-z-]+`` segments (no leading zero in numeric pre ids)."""
    m = _IDENT_SEGMENT.match(text, i)
    if m is None:
        if i < len(text) and text[i] == ".":
            raise SemverError("empty_segment", pos, None, i)
        return (), i
    ids: list[str] = []
    while True:
        seg = m.group()
        if pos == PRE and len(seg) > 1 and seg[0] == "0" and seg.isdigit():
            raise SemverError("leading_zero", pos, None, m.start())
        ids.append(seg)
        j = m.end()
        if j < len(text) and text[j] == ".":
            m = _IDENT_SEGMENT.match(text, j + 1)
            if m is None:
                raise SemverError("empty_segment", pos, None, j + 1)
        else:
            return tuple(ids), j


def parse_strict_version(text: str) -> Version:
    """``Version::parse``: exactly ``X.Y.Z[-pre][+build]``, nothing trimmed."""
    major, i = _numeric(text, 0, MAJOR)
    i = _dot(text, i, MAJOR)
    minor, i = _numeric(text, i, MINOR)
    i = _dot(text, i, MINOR)
    patch, i = _numeric(text, i, PATCH)
    n = len(text)
    if i == n:
        return Version(major, minor, patch)
    pos = PATCH
    pre: Ident = ()
    build: Ident = ()
    if text[i] == "-":
        pos = PRE
        pre, i = _identifiers(text, i + 1, PRE)
        if not pre:
            raise SemverError("empty_segment", pos, None, i)
    if i < n and text[i] == "+":
        pos = BUILD
        build, i = _identifiers(text, i + 1, BUILD)
        if not build:
            raise SemverError("empty_segment", pos, None, i)
    if i < n:
        raise SemverError("unexpected_char_after", pos, text[i], i)
    return Version(major, minor, patch, pre, build)


def _skip_spaces(text: str, i: int) -> int:
    """``trim_start_matches(' ')``: the crate skips ASCII spaces only."""
    n = len(text)
    while i < n and text[i] == " ":
        i += 1
    return i


def _comparator(text: str, i: int) -> tuple[Comparator, str, int]:
    """``comparator``: operator, version (maybe partial or wildcard), pre-release; build is dropped."""
    n = len(text)
    ch = text[i] if i < n else ""
    nxt = text[i + 1] if i + 1 < n else ""
    default_op = False
    if ch == "=":
        op, i = "=", i + 1
    elif ch == ">":
        op, i = (">=", i + 2) if nxt == "=" else (">", i + 1)
    elif ch == "<":
        op, i = ("<=", i + 2) if nxt == "=" else ("<", i + 1)
    elif ch == "~":
        op, i = "~", i + 1
    elif ch == "^":
        op, i = "^", i + 1
    else:
        op, default_op = "^", True
    i = _skip_spaces(text, i)

    pos = MAJOR
    major, i = _numeric(text, i, pos)
    has_wildcard = False
    minor: int | None = None
    patch: int | None = None
    if i < n and text[i] == ".":
        pos = MINOR
        if i + 1 < n and text[i + 1] in _WILDCARDS:
            has_wildcard = True
            if default_op:
                op = "*"
            i += 2
        else:
            minor, i = _numeric(text, i + 1, pos)
    if i < n and text[i] == ".":
        pos = PATCH
        if i + 1 < n and text[i + 1] in _WILDCARDS:
            if default_op:
                op = "*"
            i += 2
        elif has_wildcard:
            raise SemverError("unexpected_after_wildcard", None, None, i + 1)
        else:
            patch, i = _numeric(text, i + 1, pos)

    pre: Ident = ()
    if patch is not None and i < n and text[i] == "-":
        pos = PRE
        pre, i = _identifiers(text, i + 1, PRE)
        if not pre:
            raise SemverError("empty_segment", pos, None, i)
    if patch is not None and i < n and text[i] == "+":
        pos = BUILD
        build, i = _identifiers(text, i + 1, BUILD)
        if not build:
            raise SemverError("empty_segment", pos, None, i)
    i = _skip_spaces(text, i)
    return Comparator(op, major, minor, patch, pre), pos, i


def _comparator_failure(text: str, start: int, err: SemverError) -> SemverError:
    """A failed comparator that is a lone wildcard is reported as a misplaced wildcard, like the crate."""
    n = len(text)
    if start < n and text[start] in _WILDCARDS:
        j = _skip_spaces(text, start + 1)
        if j == n or text[j] == ",":
            err = SemverError("wildcard_not_only", None, text[start], start)
    err.start = start
    return err


def parse_comparators(text: str) -> list[tuple[Comparator, int]]:
    """``VersionReq::parse``: comparators with their start offsets; ``[]`` is STAR (``*``, ``x``, ``X``)."""
    n = len(text)
    i = _skip_spaces(text, 0)
    if i < n and text[i] in _WILDCARDS:
        j = _skip_spaces(text, i + 1)
        if j == n:
            return []
        if text[j] == ",":
            err = SemverError("wildcard_not_only", None, text[i], i)
        else:
            err = SemverError("unexpected_after_wildcard", None, None, j)
        err.start = i
        raise err

    out: list[tuple[Comparator, int]] = []
    while True:
        start = i
        try:
            comp, pos, i = _comparator(text, i)
        except SemverError as err:
            raise _comparator_failure(text, start, err) from None
        if i == n:
            out.append((comp, start))
            return out
        if text[i] != ",":
            problem = SemverError("expected_comma", pos, text[i], i)
            problem.start = start
            raise problem
        i = _skip_spaces(text, i + 1)
        if len(out) + 1 == MAX_COMPARATORS:
            problem = SemverError("excessive_comparators", None, None, i)
            problem.start = i
            raise problem
        out.append((comp, start))
