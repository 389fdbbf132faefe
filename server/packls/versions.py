"""Attune's runtime version matching, reproduced exactly, plus explanations for editors.

Port of ``attune-system/attune crates/common/src/version_matching.rs@126b167e`` on top of
:mod:`packls._semver` (a port of the Rust ``semver`` crate). The specification is
``version-semantics.md`` (a copy lives in ``tests/data/``); agreement is checked against
the Rust oracle's recorded answers in ``tests/data/semver/``. Pure: no I/O, stdlib only,
every result immutable.

The lenient layer (§2, §3 of the spec):

* ``parse_version``: Rust-trim, drop one ``v``/``V``, strict parse, else keep the first
  three ``.``-pieces (or pad to three) and parse again.
* ``parse_constraint``: Rust-trim, split on ``,``, drop empty parts; a bare version becomes
  ``~X.Y…`` (``3`` → ``~3.0``); an operator part is padded by its total number of dots
  (``>=3`` → ``>=3.0.0``); the parts are joined with ``", "`` and handed to the crate.

"Rust-trim" removes Unicode ``White_Space`` only (:data:`RUST_WHITESPACE`), not the
U+001C to U+001F that :meth:`str.strip` also removes.
"""

from __future__ import annotations

import bisect
import enum
import functools
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol, TypeVar

from packls._semver import (
    BUILD,
    MAX_COMPARATORS,
    PRE,
    U64_MAX,
    Comparator,
    SemverError,
    Version,
    parse_comparators,
    parse_strict_version,
    pre_is_compatible,
)

__all__ = [
    "RUST_WHITESPACE",
    "CandidateVerdict",
    "Comparator",
    "Constraint",
    "ConstraintError",
    "ConstraintPart",
    "SelectionExplanation",
    "Verdict",
    "Version",
    "VersionCandidate",
    "VersionError",
    "explain_selection",
    "extract_version_components",
    "is_blank_constraint",
    "matches_constraint",
    "parse_constraint",
    "parse_version",
    "preprocess_constraint",
    "runtime_version_matches_worker",
    "select_best_version",
]

#: Exactly the characters Rust's ``str::trim`` removes (Unicode White_Space).
RUST_WHITESPACE = (
    "\t\n\x0b\x0c\r \x85\xa0\u1680"
    "\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a"
    "\u2028\u2029\u202f\u205f\u3000"
)
_WS = RUST_WHITESPACE
_I32_MAX = 2147483647
_ASCII_DIGITS = "0123456789"
_KNOWN_OPS = frozenset({"=", ">", ">=", "<", "<=", "~", "^"})
_FIRST_ASCII_DIGIT = re.compile(r"[0-9]")


# ---------------------------------------------------------------------------
# errors
# ---------------------------------------------------------------------------


class VersionError(ValueError):
    """A version string Attune's ``parse_version`` rejects; ``reason`` says why in one phrase."""

    def __init__(self, text: str, reason: str) -> None:
        self.text = text
        self.reason = reason
        super().__init__(f"{text!r} is not a version: {reason}")

    def __reduce__(self) -> tuple[object, ...]:
        """Keep the error picklable (worker threads/processes may ship it)."""
        return (self.__class__, (self.text, self.reason))


class ConstraintError(ValueError):
    """A constraint Attune's ``parse_constraint`` rejects, located so an editor can underline it."""

    def __init__(
        self, text: str, part: str, start: int, end: int, reason: str, detail: str = ""
    ) -> None:
        self.text = text  # the whole input
        self.part = part  # the offending comma part as written (trimmed), or the whole text
        self.start = start  # code-point offsets of `part` in `text`
        self.end = end
        self.reason = reason  # one sentence for the user
        self.detail = detail  # the semver crate's own message (what Attune would log)
        where = "" if part == text.strip(_WS) else f" (in {part!r})"
        super().__init__(f"invalid version constraint {text!r}{where}: {reason}")

    def __reduce__(self) -> tuple[object, ...]:
        """Keep the error picklable (worker threads/processes may ship it)."""
        return (
            self.__class__,
            (self.text, self.part, self.start, self.end, self.reason, self.detail),
        )


# ---------------------------------------------------------------------------
# small helpers
# ---------------------------------------------------------------------------


def _drop_v(s: str) -> str:
    """Attune strips one leading ``v`` (else one ``V``): the same as one of either."""
    return s[1:] if s[:1] in ("v", "V") else s


def _show(text: str) -> str:
    """User text fit for a one-line message: invisible and line-breaking characters escaped."""
    return text if text.isprintable() else repr(text)[1:-1]


def _odd_char(text: str) -> str | None:
    """Name an invisible character that Rust does not trim (U+001C, U+200B, U+FEFF …)."""
    for ch in text:
        if ch in _WS or ch == " ":
            continue
        if ch.isspace() or unicodedata.category(ch) in ("Cc", "Cf"):
            name = unicodedata.name(ch, "control character")
            return (
                f"it contains the invisible character U+{ord(ch):04X} ({name}), "
                "which Attune does not treat as whitespace"
            )
    return None


def _non_ascii_digit(text: str) -> str | None:
    """Name a Unicode digit that is not 0-9 (Attune only accepts ASCII digits)."""
    for ch in text:
        if ch not in _ASCII_DIGITS and (ch.isdigit() or ch.isdecimal()):
            return f"only ASCII digits 0-9 are allowed, not {ch!r} (U+{ord(ch):04X})"
    return None


# ---------------------------------------------------------------------------
# versions (§2)
# ---------------------------------------------------------------------------


def _shape_reason(ver: str, err: SemverError) -> str | None:
    """Why the version text ``ver`` (after any operator or ``v``) fails, if a common mistake explains it."""
    if not ver or ver[0] not in _ASCII_DIGITS:
        return "a version starts with a number (e.g. '3.12' or 'v3.12.1')"
    if any(ch.isspace() for ch in ver):
        return "unexpected whitespace inside the version"
    m = re.match(r"[0-9]+(?:\.[0-9*xX]+)?([-+])", ver)
    if m:
        if m.group(1) == "-":
            return "a pre-release needs a full X.Y.Z version (e.g. '3.12.0-rc.1')"
        return "build metadata needs a full X.Y.Z version (e.g. '3.12.0+build.5')"
    if err.kind == "leading_zero":
        return f"leading zeros are not allowed in the {err.position}"
    if err.kind == "overflow":
        return f"the {err.position} is larger than {U64_MAX}"
    core = re.split(r"[-+]", ver, maxsplit=1)[0]
    if ".." in core or core.endswith("."):
        return "a '.' must be followed by a number"
    if err.position in (PRE, BUILD) or err.kind == "empty_segment":
        tail = ver[len(core) :]
        if re.search(r"[^0-9A-Za-z.+-]", tail):
            return "pre-release and build identifiers may only use ASCII letters, digits and '-'"
        return (
            "pre-release and build identifiers cannot be empty "
            "(check for '..' or a trailing '.', '-' or '+')"
        )
    return None


def _version_reason(text: str, body: str, err: SemverError) -> str:
    """One phrase on why ``text`` is not a version, in the author's terms rather than the crate's."""
    if not text.strip(_WS):
        return "it is empty"
    odd = _odd_char(text) or _non_ascii_digit(text)
    if odd:
        return odd
    if not body:
        return "a 'v' must be followed by a version number"
    if body[0] in "vV":
        return "only one leading 'v' is allowed"
    if body[0] in "=<>~^!":
        return "a version cannot carry an operator (operators belong in constraints)"
    if re.search(r"(?:^|\.)[*xX](?:\.|$|[-+])", body):
        return "a version cannot contain a wildcard (wildcards belong in constraints)"
    return _shape_reason(body, err) or str(err)


@functools.lru_cache(maxsize=8192)
def _lenient_version(text: str) -> Version | str:
    """Attune ``parse_version`` (cached); a ``str`` result is the rejection reason."""
    body = _drop_v(text.strip(_WS))
    try:
        return parse_strict_version(body)
    except SemverError:
        pass
    pieces = body.split(".")
    if len(pieces) == 1:
        candidate = pieces[0] + ".0.0"
    elif len(pieces) == 2:
        candidate = f"{pieces[0]}.{pieces[1]}.0"
    else:
        candidate = ".".join(pieces[:3])
    try:
        return parse_strict_version(candidate)
    except SemverError as err:
        return _version_reason(text, body, err)


def parse_version(text: str) -> Version:
    """Parse a version as Attune does: ``3`` → 3.0.0, ``v3.12`` → 3.12.0, ``3.12.1.4`` → 3.12.1."""
    result = _lenient_version(text)
    if isinstance(result, str):
        raise VersionError(text, result)
    return result


def _try_version(text: object) -> Version | None:
    """Lenient parse that answers None for anything unparseable (including non-strings)."""
    if not isinstance(text, str):
        return None
    result = _lenient_version(text)
    return None if isinstance(result, str) else result


def extract_version_components(text: str) -> tuple[int | None, int | None, int | None]:
    """(major, minor, patch) as Attune stores them: None when omitted, unparseable or > i32."""
    v = _try_version(text)
    if v is None:
        return (None, None, None)
    body = _drop_v(text.strip(_WS))
    cut = len(body)
    for sep in "-+":
        k = body.find(sep)
        if k != -1 and k < cut:
            cut = k
    count = body[:cut].count(".") + 1

    def i32(x: int) -> int | None:
        return x if x <= _I32_MAX else None

    return (
        i32(v.major),
        i32(v.minor) if count >= 2 else None,
        i32(v.patch) if count >= 3 else None,
    )


def runtime_version_matches_worker(registered: str, advertised: str) -> bool:
    """Sensor-admission rule (§10): does a worker advertising ``advertised`` serve ``registered``?

    Equal strings match. Otherwise both must parse (else False, as in Attune); a
    registration without a minor (``20``) compares majors, one without a patch (``3.12``)
    compares major.minor, and a full one needs equal versions — build metadata included,
    since Attune compares ``Version`` values. "Without a minor/patch" is decided from
    :func:`extract_version_components`, so a component above i32 also counts as omitted.
    """
    if advertised == registered:
        return True
    adv = _try_version(advertised)
    reg = _try_version(registered)
    if adv is None or reg is None:
        return False
    _, minor, patch = extract_version_components(registered)
    if minor is None:
        return adv.major == reg.major
    if patch is None:
        return adv.major == reg.major and adv.minor == reg.minor
    return adv == reg


# ---------------------------------------------------------------------------
# constraints (§3)
# ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ConstraintPart:
    """One comma part of the original input and what Attune turned it into."""

    text: str  # as written (trimmed)
    start: int  # code-point offsets into the original input
    end: int
    rewritten: str  # what Attune's preprocessing made of it, e.g. "~3.12", ">=3.0.0"
    comparators: tuple[Comparator, ...] = ()


@dataclass(frozen=True, slots=True)
class Constraint:
    """A parsed constraint: comma = AND, plus the crate's pre-release opt-in rule."""

    text: str  # the original input
    parts: tuple[ConstraintPart, ...]  # empty when Attune returns STAR without parsing
    comparators: tuple[Comparator, ...]
    is_star: bool

    def matches(self, v: Version) -> bool:
        """``VersionReq::matches``: every comparator accepts, and a pre-release needs an opt-in."""
        for c in self.comparators:
            if not c._fn(c, v):
                return False
        if not v.pre:
            return True
        for c in self.comparators:
            if c.pre and c.major == v.major and c.minor == v.minor and c.patch == v.patch:
                return True
        return False

    def first_rejecting(self, v: Version) -> tuple[ConstraintPart, Comparator] | None:
        """The first part/comparator that excludes ``v``; None if all accept (see ``admits_prerelease``)."""
        for part in self.parts:
            for c in part.comparators:
                if not c._fn(c, v):
                    return (part, c)
        return None

    def admits_prerelease(self, v: Version) -> bool:
        """The §6 opt-in rule alone: a release always passes, a pre-release needs a naming comparator."""
        return not v.pre or any(pre_is_compatible(c, v) for c in self.comparators)

    def __str__(self) -> str:
        """``VersionReq`` Display after preprocessing: ``>=3.12.0, <4.0.0`` or ``*``."""
        if not self.comparators:
            return "*"
        return ", ".join(str(c) for c in self.comparators)


def _rewrite_part(part: str) -> str:
    """Attune's per-part rewrite: bare → ``~`` (padded to X.Y), operator → padded to X.Y.Z by dots."""
    if part[0] in _ASCII_DIGITS or part[0] in ("v", "V"):
        body = _drop_v(part)
        return "~" + body if "." in body else "~" + body + ".0"
    m = _FIRST_ASCII_DIGIT.search(part)
    cut = m.start() if m else len(part)
    op, ver = part[:cut], part[cut:]
    dots = ver.count(".")
    if dots == 0 and ver:
        ver += ".0.0"
    elif dots == 1:
        ver += ".0"
    return op.strip(_WS) + ver


def _split_parts(text: str) -> list[tuple[str, int, int]]:
    """Non-empty trimmed comma parts with their code-point offsets in ``text``."""
    parts: list[tuple[str, int, int]] = []
    pos = 0
    for raw in text.split(","):
        stripped = raw.strip(_WS)
        if stripped:
            start = pos + len(raw) - len(raw.lstrip(_WS))
            parts.append((stripped, start, start + len(stripped)))
        pos += len(raw) + 1
    return parts


def is_blank_constraint(constraint: str | None) -> bool:
    """True for None and Rust-whitespace-only text: "no constraint", the default preference applies."""
    return constraint is None or not constraint.strip(_WS)


def preprocess_constraint(text: str) -> str | None:
    """The exact text Attune hands to ``VersionReq::parse``; None when it returns STAR unparsed."""
    if not text.strip(_WS):
        return None
    rewritten = [_rewrite_part(p) for p, _, _ in _split_parts(text)]
    return ", ".join(rewritten) if rewritten else None


_FOREIGN_OPS = {
    "==": "'==' is not an operator here: write '={v}' for exactly {v}, or a bare '{v}' for a range",
    "===": "'===' is not an operator here: write '={v}' for exactly {v}",
    "!=": "'!=' (not equal) is not supported: there is no way to exclude one version",
    "!": "'!' (not) is not supported: there is no way to exclude a version",
    "~=": "'~=' is pip syntax: write '^{v}' (same major) or '~{v}' (same minor)",
    "~>": "'~>' is Ruby syntax: write '~{v}' (same minor) or '^{v}' (same major)",
    "=>": "write '>={v}' ('=>' is not an operator)",
    "=<": "write '<={v}' ('=<' is not an operator)",
    "<>": "'<>' (not equal) is not supported: there is no way to exclude one version",
}


def _constraint_reason(part: str, rewritten: str, err: SemverError) -> str:
    """One sentence on why a comma part is rejected, in the author's terms rather than the crate's."""
    if err.kind == "wildcard_not_only":
        return (
            f"a lone wildcard ('{err.char}') must be the whole constraint: "
            "it cannot be combined with other comma parts"
        )
    odd = _odd_char(part) or _non_ascii_digit(part)
    if odd:
        return odd
    if "|" in part:
        return "'||' (OR) is not supported: a comma means AND and there is no OR"
    hyphen = re.fullmatch(r"[vV]?([0-9][^\s]*)\s+-\s+[vV]?([0-9][^\s]*)", part)
    if hyphen:
        lo, hi = hyphen.groups()
        return f"hyphen ranges are not supported: write '>={_show(lo)}, <={_show(hi)}'"
    tokens = part.split()
    if len(tokens) > 1 and all(re.match(r"[<>=~^]*[vV]?[0-9*xX]", t) for t in tokens):
        return f"separate comparators with a comma: write '{_show(', '.join(tokens))}'"
    if part[0] in ("v", "V"):
        body = part[1:]
        if not body:
            return "a 'v' must be followed by a version number"
        if body[0] in "vV":
            return "only one leading 'v' is allowed"
        ver = body
        op = ""
    elif part[0] in _ASCII_DIGITS:
        ver, op = part, ""
    else:
        m = _FIRST_ASCII_DIGIT.search(part)
        cut = m.start() if m else len(part)
        op, ver = part[:cut].strip(_WS), part[cut:]
        if not ver and op in _KNOWN_OPS:
            return f"'{op}' must be followed by a version (e.g. '{op}3.12')"
        if op not in _KNOWN_OPS:
            base = op.rstrip("vV").strip(_WS)
            if ver and base in _KNOWN_OPS and base != op:
                return f"'v' is allowed only on a bare version: write '{base}{_show(ver)}'"
            if op in _FOREIGN_OPS:
                return _FOREIGN_OPS[op].format(v=_show(ver) or "X.Y")
            squeezed = "".join(op.split())
            if ver and squeezed in _KNOWN_OPS:
                return f"no space is allowed inside an operator: write '{squeezed}{_show(ver)}'"
            if op == ".":
                return "a version starts with a number, not '.'"
            if re.fullmatch(r"[A-Za-z_]+", op):
                return (
                    f"'{_show(part)}' is not a version constraint: expected a version such as '3.12', "
                    "optionally after an operator (=, >, >=, <, <=, ~, ^)"
                )
            if not ver:
                if re.fullmatch(r"[<>=~^]*\s*[*xX](\.[*xX0-9]+)*", op):
                    return (
                        "a wildcard needs a major version in front ('3.*', '3.12.*') "
                        "or must stand alone ('*')"
                    )
                return (
                    f"'{_show(part)}' is not a version constraint: expected a version such as '3.12', "
                    "optionally after an operator (=, >, >=, <, <=, ~, ^)"
                )
            if op[-1] in "*xX":
                return "a wildcard must follow a major version ('3.*'), not precede it"
            return f"unknown operator '{_show(op)}': use =, >, >=, <, <=, ~ or ^"
    if err.kind == "unexpected_after_wildcard":
        major = re.fullmatch(r"([0-9]+)\.[*xX]", ver)
        if op and major:
            m_ = major.group(1)
            return f"nothing may follow a wildcard: write '{m_}.*' or '{op}{m_}.0'"
        return "nothing may follow a wildcard: write e.g. '3.*' or '3.12.*'"
    if re.match(r"[0-9]+\.[0-9]+\.[0-9]+\.", ver):
        return "a version in a constraint has at most three components (X.Y.Z)"
    shape = _shape_reason(ver, err)
    if shape:
        return shape
    if rewritten != part:
        return f"{err} (Attune reads '{_show(part)}' as '{_show(rewritten)}')"
    return str(err)


@functools.lru_cache(maxsize=4096)
def _constraint_cached(text: str) -> Constraint | tuple[str, int, int, str, str]:
    """Attune ``parse_constraint`` (cached); a tuple result holds ConstraintError arguments."""
    if not text.strip(_WS):
        return Constraint(text, (), (), True)
    split = _split_parts(text)
    if not split:
        return Constraint(text, (), (), True)
    rewritten = [_rewrite_part(p) for p, _, _ in split]
    joined_starts: list[int] = []
    offset = 0
    for r in rewritten:
        joined_starts.append(offset)
        offset += len(r) + 2
    joined = ", ".join(rewritten)
    try:
        parsed = parse_comparators(joined)
    except SemverError as err:
        k = max(0, bisect.bisect_right(joined_starts, err.start) - 1)
        p, s, e = split[k]
        if err.kind == "excessive_comparators":
            reason = (
                f"too many comparators: at most {MAX_COMPARATORS} comma parts are allowed "
                f"(this is part {k + 1} of {len(split)})"
            )
        else:
            reason = _constraint_reason(p, rewritten[k], err)
        return (p, s, e, reason, str(err))
    per_part: list[list[Comparator]] = [[] for _ in split]
    for comp, start in parsed:
        per_part[bisect.bisect_right(joined_starts, start) - 1].append(comp)
    parts = tuple(
        ConstraintPart(p, s, e, r, tuple(cs))
        for (p, s, e), r, cs in zip(split, rewritten, per_part, strict=True)
    )
    comparators = tuple(comp for comp, _ in parsed)
    return Constraint(text, parts, comparators, not comparators)


def parse_constraint(text: str) -> Constraint:
    """Parse a constraint as Attune does (cached); raises ConstraintError locating the bad part."""
    result = _constraint_cached(text)
    if isinstance(result, tuple):
        part, start, end, reason, detail = result
        raise ConstraintError(text, part, start, end, reason, detail)
    return result


def matches_constraint(version: str, constraint: str) -> bool:
    """Attune ``matches_constraint``: the version is parsed (and may fail) first."""
    v = parse_version(version)
    return parse_constraint(constraint).matches(v)


# ---------------------------------------------------------------------------
# selection (§8)
# ---------------------------------------------------------------------------


class VersionCandidate(Protocol):
    """What selection needs of a registered runtime version row."""

    @property
    def version(self) -> str: ...

    @property
    def is_default(self) -> bool: ...

    @property
    def available(self) -> bool: ...


C = TypeVar("C", bound=VersionCandidate)


def select_best_version(candidates: Iterable[C], constraint: str | None) -> C | None:
    """Attune ``select_best_version``: the very object Attune's worker would pick, or None.

    Unavailable rows never count. With no constraint (None or blank) the first available
    default wins even if it does not parse, else the highest parseable version (a
    pre-release may win). Otherwise ``is_default`` is ignored and the highest matching
    version wins; ties go to the row listed first. An invalid constraint selects nothing.
    """
    available = [c for c in candidates if c.available]
    if not available:
        return None
    req: Constraint | None = None
    if not is_blank_constraint(constraint):
        assert constraint is not None
        result = _constraint_cached(constraint)
        if isinstance(result, tuple):
            return None
        req = result
    else:
        for c in available:
            if c.is_default:
                return c
    best: C | None = None
    best_key: tuple[object, ...] | None = None
    for c in available:
        v = _try_version(c.version)
        if v is None or (req is not None and not req.matches(v)):
            continue
        if best_key is None or v._key > best_key:
            best, best_key = c, v._key
    return best


class Verdict(enum.Enum):
    """Why a candidate was or was not selected."""

    SELECTED = "selected"
    UNAVAILABLE = "unavailable"  # available is false
    UNPARSEABLE = "unparseable"  # parse_version rejects its text
    EXCLUDED = "excluded"  # a comparator rejects it (or the constraint itself is invalid)
    PRERELEASE = "prerelease"  # every comparator accepts, but the pre-release opt-in rule does not
    LOWER = "lower"  # eligible, but a higher one won
    TIE = "tie"  # equal to the winner, listed later
    NOT_DEFAULT = "not_default"  # no constraint and a default exists elsewhere


@dataclass(frozen=True, slots=True)
class CandidateVerdict:
    """One row of the explanation table."""

    candidate: object
    version_text: str
    version: Version | None
    verdict: Verdict
    part: ConstraintPart | None = None  # for EXCLUDED: which part …
    comparator: Comparator | None = None  # … and which comparator rejected it
    reason: str = ""  # one short phrase for a table cell


@dataclass(frozen=True, slots=True)
class SelectionExplanation:
    """Everything an editor needs to say why this version (or none) was chosen."""

    constraint_text: str | None
    constraint: Constraint | None  # None when blank or invalid
    constraint_error: ConstraintError | None
    blank: bool  # no constraint: the default preference applies
    selected: object | None  # the identical object select_best_version returns
    verdicts: tuple[CandidateVerdict, ...]  # input order, one per candidate
    summary: str  # one sentence: why this one / why none

    @property
    def selected_verdict(self) -> CandidateVerdict | None:
        """The winner's row, if any."""
        for row in self.verdicts:
            if row.verdict is Verdict.SELECTED:
                return row
        return None


def _declared(texts: Sequence[str]) -> str:
    """Short list of declared version texts for a summary sentence."""
    shown = [_show(t.strip(_WS)) or repr(t) for t in texts[:8]]
    more = f", … ({len(texts)} in all)" if len(texts) > 8 else ""
    return ", ".join(shown) + more


def explain_selection(candidates: Iterable[C], constraint: str | None) -> SelectionExplanation:
    """Explain ``select_best_version`` row by row; ``selected`` is always its exact answer."""
    rows = list(candidates)
    texts = [c.version if isinstance(c.version, str) else repr(c.version) for c in rows]
    parsed: list[Version | None] = [_try_version(c.version) for c in rows]
    blank = is_blank_constraint(constraint)
    req: Constraint | None = None
    error: ConstraintError | None = None
    if not blank:
        assert constraint is not None
        try:
            req = parse_constraint(constraint)
        except ConstraintError as err:
            error = err

    available = [i for i, c in enumerate(rows) if c.available]
    winner: int | None = None
    default_win = False
    if available and error is None:
        if blank:
            winner = next((i for i in available if rows[i].is_default), None)
            default_win = winner is not None
        if winner is None:
            for i in available:
                v = parsed[i]
                if v is None or (req is not None and not req.matches(v)):
                    continue
                if winner is None or v > parsed[winner]:
                    winner = i
    win_v = parsed[winner] if winner is not None else None
    # Name the winner as the author wrote it ("3.13", not the normalised "3.13.0").
    win_label = _show(texts[winner].strip(_WS)) if winner is not None else ""

    verdicts: list[CandidateVerdict] = []
    for i, c in enumerate(rows):
        v, text = parsed[i], texts[i]
        part: ConstraintPart | None = None
        comp: Comparator | None = None
        if i == winner:
            verdict = Verdict.SELECTED
            if default_win:
                reason = "selected: default (no constraint)"
                if v is None:
                    reason += "; its version does not parse"
            elif blank:
                reason = "selected: highest version (no constraint, no default)"
            else:
                reason = "selected: highest matching version"
        elif not c.available:
            verdict, reason = Verdict.UNAVAILABLE, "not available"
        elif v is None:
            msg = _lenient_version(text) if isinstance(c.version, str) else "not a string"
            verdict, reason = Verdict.UNPARSEABLE, f"does not parse: {msg}"
        elif default_win:
            if c.is_default:
                verdict = Verdict.NOT_DEFAULT
                reason = f"another default is listed first ({win_label})"
            else:
                verdict, reason = Verdict.NOT_DEFAULT, f"a default exists ({win_label})"
        elif error is not None:
            verdict = Verdict.EXCLUDED
            reason = f"constraint is invalid: {error.reason}"
        elif req is not None and (hit := req.first_rejecting(v)) is not None:
            part, comp = hit
            verdict = Verdict.EXCLUDED
            origin = f" (from '{_show(part.text)}')" if part.text != str(comp) else ""
            reason = f"excluded by {comp}{origin}"
        elif req is not None and not req.admits_prerelease(v):
            verdict = Verdict.PRERELEASE
            if req.comparators:
                reason = (
                    f"pre-release not admitted: no comparator names "
                    f"{v.major}.{v.minor}.{v.patch} with a pre-release"
                )
            else:
                reason = "pre-release not admitted: '*' never matches a pre-release"
        elif win_v is not None and v == win_v:
            verdict, reason = Verdict.TIE, f"same version as the selected {win_label}, listed later"
        else:
            verdict, reason = Verdict.LOWER, f"lower than {win_label}"
        verdicts.append(CandidateVerdict(c, text, v, verdict, part, comp, reason))

    summary = _summary(rows, texts, verdicts, constraint, req, error, winner, default_win)
    return SelectionExplanation(
        constraint_text=constraint,
        constraint=req,
        constraint_error=error,
        blank=blank,
        selected=rows[winner] if winner is not None else None,
        verdicts=tuple(verdicts),
        summary=summary,
    )


def _summary(
    rows: Sequence[VersionCandidate],
    texts: Sequence[str],
    verdicts: Sequence[CandidateVerdict],
    constraint: str | None,
    req: Constraint | None,
    error: ConstraintError | None,
    winner: int | None,
    default_win: bool,
) -> str:
    """The one-sentence summary of an explanation."""
    if not rows:
        return "no versions are declared"
    declared = _declared(texts)
    if not any(c.available for c in rows):
        return f"no declared version is available (declared: {declared})"
    if error is not None:
        return f"the constraint {constraint!r} is invalid, so no version is selected: {error.reason}"
    if winner is not None:
        chosen = _show(texts[winner].strip(_WS))
        if default_win:
            return f"no constraint, so the default {chosen} is selected"
        if req is None:
            unavailable = next((i for i, c in enumerate(rows) if c.is_default and not c.available), None)
            if unavailable is not None:
                return (
                    f"no constraint, and the default {_show(texts[unavailable].strip(_WS))} is not available, "
                    f"so the highest available version {chosen} is selected"
                )
            return f"no constraint and no default, so the highest version {chosen} is selected"
        summary = f"{chosen} is the highest available version that satisfies {constraint!r}"
        default = next((i for i, c in enumerate(rows) if c.available and c.is_default), None)
        if default is not None and default != winner:
            summary += (
                f"; the default {_show(texts[default].strip(_WS))} "
                "does not count because a constraint is given"
            )
        return summary
    if req is None:
        return f"no constraint, no default, and no available version parses (declared: {declared})"
    summary = f"no available version satisfies {constraint!r} (declared: {declared})"
    notes: list[str] = []
    would = [
        _show(row.version_text.strip(_WS))
        for c, row in zip(rows, verdicts, strict=True)
        if not c.available and row.version is not None and req.matches(row.version)
    ]
    if would:
        notes.append(f"{', '.join(would)} would match but {'is' if len(would) == 1 else 'are'} not available")
    pre = [_show(row.version_text.strip(_WS)) for row in verdicts if row.verdict is Verdict.PRERELEASE]
    if pre:
        notes.append(f"{', '.join(pre)}: pre-release not admitted by any comparator")
    return summary + ("; " + "; ".join(notes) if notes else "")
