"""Version constraints that parse but do not mean what they seem to (version-semantics §5, §13).

Each trap names the comma part it comes from, says in one line what Attune really does, and
offers the constraint the author most likely meant (`meant`, for a quick fix).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from packls._semver import Comparator, Version
from packls.checks.rules import (
    CONSTRAINT_BARE_MAJOR,
    CONSTRAINT_CARET_ZERO,
    CONSTRAINT_EMPTY_RANGE,
    CONSTRAINT_EXACT_PARTIAL,
    CONSTRAINT_INCLUSIVE_PARTIAL,
    CONSTRAINT_PRERELEASE_ONLY,
    CONSTRAINT_WILDCARD_OPERATOR,
    Rule,
)
from packls.versions import Constraint, ConstraintError, parse_constraint

_OP_WILDCARD = re.compile(r"^(>=|<=|>|<|=|~|\^)\s*[vV]?(\d+)\.[*xX](?:\.[*xX])?$")
_BARE_MAJOR = re.compile(r"^[vV]?(\d+)$")
_TILDE_MAJOR = re.compile(r"^~\s*(\d+)$")
_PARTIAL = re.compile(r"^(<=|=)\s*(\d+)(?:\.(\d+))?$")
_CARET_ZERO = re.compile(r"^\^\s*0(?:\.0)?$")


@dataclass(frozen=True)
class Trap:
    """One trap in a constraint: the rule, a one-line explanation, where, and what was probably meant."""

    rule: Rule
    message: str
    start: int  # code-point offsets in the constraint text
    end: int
    meant: str | None = None


def wildcard_operator_trap(error: ConstraintError) -> Trap | None:
    """`>=3.*` and friends: an operator before `X.*` does not parse, while bare `X.*` does."""
    match = _OP_WILDCARD.match(error.part)
    if match is None:
        return None
    op, major = match.group(1), int(match.group(2))
    meant = {
        ">=": f">={major}", ">": f">={major + 1}", "<": f"<{major}", "<=": f"<{major + 1}",
        "=": f"{major}.*", "~": f"{major}.*", "^": f"{major}.*",
    }[op]
    return Trap(
        CONSTRAINT_WILDCARD_OPERATOR,
        f"'{error.part}' does not parse: Attune pads it to '{op}{major}.*.0' and nothing may follow a wildcard, "
        f"while a bare '{major}.*' works; write '{meant}'",
        error.start, error.end, meant,
    )


def constraint_traps(constraint: Constraint) -> list[Trap]:
    """Every trap in a parsed constraint."""
    return list(_traps(constraint))


@functools.lru_cache(maxsize=4096)
def _traps(constraint: Constraint) -> tuple[Trap, ...]:
    """constraint_traps, once per constraint: a workspace has a few hundred, checked on every runnable that writes one."""
    traps: list[Trap] = []
    for part in constraint.parts:
        text = part.text
        if (m := _BARE_MAJOR.match(text)) is not None:
            major = m.group(1)
            traps.append(Trap(
                CONSTRAINT_BARE_MAJOR,
                f"'{text}' means {major}.0.x only (Attune reads a bare version as ~{major}.0), not any {major}.x; "
                f"write '{major}.*' for any {major}.x, or '>={major}' for {major} and newer",
                part.start, part.end, f"{major}.*",
            ))
        elif (m := _TILDE_MAJOR.match(text)) is not None:
            major = m.group(1)
            traps.append(Trap(
                CONSTRAINT_BARE_MAJOR,
                f"'{text}' means {major}.0.x only (Attune pads it to ~{major}.0.0), not any {major}.x; write '{major}.*'",
                part.start, part.end, f"{major}.*",
            ))
        elif (m := _PARTIAL.match(text)) is not None:
            traps.append(_partial_trap(text, part.start, part.end, m.group(1), int(m.group(2)), m.group(3)))
        elif _CARET_ZERO.match(text):
            written = text.replace(" ", "")
            meant = "0.*" if written == "^0" else "0.0.*"
            traps.append(Trap(
                CONSTRAINT_CARET_ZERO,
                f"'{text}' matches only 0.0.0: Attune pads it to ^0.0.0, which allows no other version; "
                f"write '{meant}' for {'any 0.x' if meant == '0.*' else 'any 0.0.x'}",
                part.start, part.end, meant,
            ))
    whole = _satisfiability_trap(constraint)
    if whole is not None:
        traps.append(whole)
    return tuple(traps)


def _partial_trap(text: str, start: int, end: int, op: str, major: int, minor: str | None) -> Trap:
    written = f"{major}.{minor}" if minor is not None else f"{major}"
    padded = f"{written}.0" if minor is not None else f"{written}.0.0"
    if op == "<=":
        upper = f"{major}.{int(minor) + 1}" if minor is not None else f"{major + 1}"
        meant = f"<{upper}"
        return Trap(
            CONSTRAINT_INCLUSIVE_PARTIAL,
            f"'{text}' means <={padded}: it excludes {written}.1 and later patches; write '{meant}' "
            f"(or '<={written}.*') to include every {written}.x",
            start, end, meant,
        )
    meant = f"{written}.*"
    return Trap(
        CONSTRAINT_EXACT_PARTIAL,
        f"'{text}' means exactly {padded}, not any {written}.x; write '{meant}' for any {written}.x, "
        f"or '={padded}' to pin it visibly",
        start, end, meant,
    )


def _satisfiability_trap(constraint: Constraint) -> Trap | None:
    """Constraints no release can satisfy: only pre-releases, or nothing at all."""
    comparators = constraint.comparators
    if len(comparators) < 1 or constraint.is_star:
        return None
    if any(_matches(constraint, v) for v in _release_candidates(comparators)):
        return None
    start = constraint.parts[0].start if constraint.parts else 0
    end = constraint.parts[-1].end if constraint.parts else len(constraint.text)
    if any(_matches(constraint, v) for v in _prerelease_candidates(comparators)):
        meant = None
        if len(comparators) == 1 and comparators[0].pre and comparators[0].op in ("=", "<", "<="):
            c = comparators[0]
            meant = f">={c.major}.{c.minor}.{c.patch}-{'.'.join(c.pre)}"
        return Trap(
            CONSTRAINT_PRERELEASE_ONLY,
            f"'{constraint.text.strip()}' can only match pre-release versions: no release satisfies it, so a runtime "
            "with only releases never matches" + (f"; '{meant}' also admits the final release" if meant else ""),
            start, end, meant,
        )
    meant = _swapped(constraint)
    return Trap(
        CONSTRAINT_EMPTY_RANGE,
        f"no version can ever satisfy '{constraint.text.strip()}': its comparators exclude each other"
        + (f"; did you mean '{meant}'?" if meant else ""),
        start, end, meant,
    )


def _matches(constraint: Constraint, version: Version) -> bool:
    return constraint.matches(version)


def _release_candidates(comparators: tuple[Comparator, ...]) -> list[Version]:
    """Releases at and just above every bound a comparator can draw: enough to find one inside any interval."""
    points: set[tuple[int, int, int]] = {(0, 0, 0)}
    for c in comparators:
        major, minor, patch = c.major, c.minor or 0, c.patch or 0
        for triple in ((major, minor, patch), (major, minor + 1, 0), (major + 1, 0, 0)):
            points.add(triple)
            points.add((triple[0], triple[1], triple[2] + 1))
    return [Version(*p) for p in sorted(points)]


def _prerelease_candidates(comparators: tuple[Comparator, ...]) -> list[Version]:
    found: list[Version] = []
    for c in comparators:
        if c.pre and c.minor is not None and c.patch is not None:
            for pre in (c.pre, (*c.pre, "0"), ("0",)):
                found.append(Version(c.major, c.minor, c.patch, pre))
    return found


def _swapped(constraint: Constraint) -> str | None:
    """For a reversed range (`>=4,<3`), the same bounds the other way round."""
    parts = constraint.parts
    if len(parts) != 2:
        return None
    lower = [p for p in parts if p.text.startswith(">")]
    upper = [p for p in parts if p.text.startswith("<")]
    if len(lower) != 1 or len(upper) != 1:
        return None
    lo_op = re.match(r"[<>]=?", lower[0].text).group(0)  # type: ignore[union-attr]
    hi_op = re.match(r"[<>]=?", upper[0].text).group(0)  # type: ignore[union-attr]
    lo_ver = lower[0].text[len(lo_op):].strip()
    hi_ver = upper[0].text[len(hi_op):].strip()
    swapped = f"{lo_op}{hi_ver}, {hi_op}{lo_ver}"
    try:
        parsed = parse_constraint(swapped)
    except ConstraintError:
        return None
    return swapped if any(parsed.matches(v) for v in _release_candidates(parsed.comparators)) else None
