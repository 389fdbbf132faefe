"""Property tests for packls.versions: robustness, selection optimality, a lawful total order."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from packls._semver import parse_comparators
from packls.versions import (
    ConstraintError,
    Verdict,
    Version,
    VersionError,
    explain_selection,
    extract_version_components,
    is_blank_constraint,
    matches_constraint,
    parse_constraint,
    parse_version,
    preprocess_constraint,
    runtime_version_matches_worker,
    select_best_version,
)

SETTINGS = settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@dataclass(frozen=True, eq=False)
class Row:
    version: str
    is_default: bool
    available: bool


# --- strategies ---------------------------------------------------------------

numbers = st.one_of(
    st.sampled_from(["0", "1", "2", "3", "9", "10", "12", "20"]),
    st.sampled_from(["00", "01", "2147483648", "18446744073709551615", "18446744073709551616"]),
    st.integers(min_value=0, max_value=2**64 + 10).map(str),
)
small = st.sampled_from(["0", "1", "2", "3", "12"])
identifier = st.one_of(
    st.sampled_from(["rc", "alpha", "beta", "RC", "0", "1", "2", "10", "a-b", "-", "01", "00"]),
    st.from_regex(r"[0-9A-Za-z-]{1,4}", fullmatch=True),
)
ids = st.lists(identifier, min_size=1, max_size=3).map(".".join)
spaces = st.sampled_from(["", "", "", " ", "\u00a0", "\u3000", "\x1c", "\u200b", "\t"])
wild = st.sampled_from(["*", "x", "X"])


@st.composite
def version_texts(draw: st.DrawFn, nums: st.SearchStrategy[str] = small) -> str:
    """Version-like text: mostly valid, with the lenient layer's edge cases mixed in."""
    parts = draw(st.lists(st.one_of(nums, nums, nums, wild), min_size=1, max_size=4))
    text = ".".join(parts)
    if draw(st.booleans()):
        text += "-" + draw(ids)
    if draw(st.integers(0, 3)) == 0:
        text += "+" + draw(ids)
    prefix = draw(st.sampled_from(["", "", "", "v", "V", "vv"]))
    return draw(spaces) + prefix + text + draw(spaces)


operators = st.sampled_from(
    ["", "", "=", ">", ">=", "<", "<=", "~", "^", ">= ", "== ", "~>", "!=", "> ="]
)


@st.composite
def constraint_texts(draw: st.DrawFn) -> str:
    """Constraint-like text: comma lists of operator + version, with stray whitespace and wildcards."""
    if draw(st.integers(0, 9)) == 0:
        return draw(st.sampled_from(["", " ", "*", "x", ",", " , ", "*,", "\u00a0"]))
    parts = [
        draw(operators) + draw(version_texts()) if draw(st.integers(0, 7)) else draw(wild)
        for _ in range(draw(st.integers(1, 4)))
    ]
    return draw(st.sampled_from([",", ", ", " , ", ",,"])).join(parts)


good_pre = st.lists(
    st.sampled_from(["rc", "alpha", "beta", "RC", "0", "1", "2", "11", "a-b"]), min_size=1, max_size=2
).map(".".join)


@st.composite
def clean_version_texts(draw: st.DrawFn) -> str:
    """Mostly valid versions in a narrow range, so that constraints and candidates meet."""
    text = ".".join(draw(st.lists(small, min_size=1, max_size=3)))
    if text.count(".") == 2 and draw(st.integers(0, 2)) == 0:
        text += "-" + draw(good_pre)
    if text.count(".") == 2 and draw(st.integers(0, 5)) == 0:
        text += "+" + draw(st.sampled_from(["b", "0", "01", "1"]))
    return draw(st.sampled_from(["", "", "", "v", " "])) + text


@st.composite
def clean_constraint_texts(draw: st.DrawFn) -> str:
    """Mostly valid constraints: 1-3 comparators, bare versions and bare/X.Y.* wildcards."""
    if draw(st.integers(0, 12)) == 0:
        return draw(st.sampled_from(["", " ", "*", "x", ","]))
    parts = []
    for _ in range(draw(st.integers(1, 3))):
        op = draw(st.sampled_from(["", "=", ">", ">=", "<", "<=", "~", "^", ">= "]))
        if draw(st.integers(0, 6)) == 0:
            ver = draw(small) + "." + draw(small) + "." + draw(wild)
        elif not op and draw(st.integers(0, 6)) == 0:
            ver = draw(small) + "." + draw(wild)
        else:
            ver = draw(clean_version_texts()).strip().lstrip("v")
        parts.append(op + ver)
    return ", ".join(parts)


any_text = st.one_of(
    st.text(max_size=20),
    st.text(alphabet="0123456789.vVxX*-+=<>~^!|, \u00a0\x1c\u0663", max_size=16),
    version_texts(numbers),
    constraint_texts(),
    clean_constraint_texts(),
)

candidate_lists = st.lists(
    st.builds(
        Row,
        version=st.one_of(
            clean_version_texts(),
            clean_version_texts(),
            version_texts(),
            st.sampled_from(["bogus", "", "3.12-rc.1", "3.x"]),
        ),
        is_default=st.booleans(),
        available=st.booleans(),
    ),
    max_size=7,
)
constraints_or_none = st.one_of(
    st.none(), clean_constraint_texts(), clean_constraint_texts(), constraint_texts()
)


@st.composite
def versions(draw: st.DrawFn) -> Version:
    """Structured versions, including build metadata with leading zeros (ordered by the crate)."""
    pre = draw(st.lists(st.sampled_from(["rc", "alpha", "RC", "a-b", "0", "1", "2", "11"]), max_size=3))
    build = draw(st.lists(st.sampled_from(["b", "0", "00", "1", "01", "001", "2", "x-1"]), max_size=2))
    return Version(
        draw(st.integers(0, 3)), draw(st.integers(0, 3)), draw(st.integers(0, 3)), tuple(pre), tuple(build)
    )


# --- robustness -----------------------------------------------------------------


@SETTINGS
@given(any_text, any_text)
def test_arbitrary_text_raises_only_our_errors(a: str, b: str) -> None:
    try:
        parse_version(a)
    except VersionError as err:
        assert err.reason.isprintable()
    with contextlib.suppress(ConstraintError):
        parse_constraint(b)
    with contextlib.suppress(VersionError, ConstraintError):
        matches_constraint(a, b)
    extract_version_components(a)
    runtime_version_matches_worker(a, b)
    preprocess_constraint(b)
    select_best_version([Row(a, True, True), Row(b, False, True)], b)


@SETTINGS
@given(any_text)
def test_error_and_part_offsets_point_into_the_text(text: str) -> None:
    try:
        constraint = parse_constraint(text)
    except ConstraintError as err:
        assert err.text == text
        assert text[err.start : err.end] == err.part
        assert err.reason and err.reason.isprintable()  # one line, fit for a diagnostic
    else:
        for part in constraint.parts:
            assert text[part.start : part.end] == part.text
        assert constraint.comparators == tuple(c for p in constraint.parts for c in p.comparators)


@SETTINGS
@given(version_texts(numbers))
def test_version_display_round_trips(text: str) -> None:
    try:
        v = parse_version(text)
    except VersionError:
        return
    assert parse_version(str(v)) == v
    assert str(parse_version(str(v))) == str(v)


@SETTINGS
@given(st.one_of(clean_constraint_texts(), constraint_texts()))
def test_constraint_display_reparses_to_the_same_comparators(text: str) -> None:
    try:
        constraint = parse_constraint(text)
    except ConstraintError:
        return
    reparsed = [c for c, _ in parse_comparators(str(constraint))]
    assert tuple(reparsed) == constraint.comparators


# --- matching and selection -------------------------------------------------------


@SETTINGS
@given(st.one_of(clean_constraint_texts(), constraint_texts()), versions())
def test_matches_is_comparators_plus_prerelease_rule(text: str, v: Version) -> None:
    try:
        constraint = parse_constraint(text)
    except ConstraintError:
        return
    all_accept = all(c.matches(v) for c in constraint.comparators)
    assert (constraint.first_rejecting(v) is None) == all_accept
    expected = all_accept and (not v.pre or any(c.allows_prerelease_of(v) for c in constraint.comparators))
    assert constraint.matches(v) is expected


@SETTINGS
@given(candidate_lists, constraints_or_none)
def test_selection_winner_is_optimal(candidates: list[Row], constraint: str | None) -> None:
    winner = select_best_version(candidates, constraint)
    if winner is None:
        return
    assert any(winner is c for c in candidates) and winner.available
    if is_blank_constraint(constraint):
        defaults = [c for c in candidates if c.available and c.is_default]
        if defaults:
            assert winner is defaults[0]
            return
        req = None
    else:
        assert constraint is not None
        req = parse_constraint(constraint)
    best = parse_version(winner.version)
    if req is not None:
        assert req.matches(best)
    for c in candidates:
        if not c.available:
            continue
        try:
            v = parse_version(c.version)
        except VersionError:
            continue
        if req is None or req.matches(v):
            assert not v > best
    first_equal = next(
        c for c in candidates
        if c.available and _parses_to(c.version, best) and (req is None or req.matches(best))
    )
    assert winner is first_equal  # ties go to the row listed first


def _parses_to(text: str, v: Version) -> bool:
    try:
        return parse_version(text) == v
    except VersionError:
        return False


@SETTINGS
@given(candidate_lists, constraints_or_none)
def test_explanation_agrees_with_selection(candidates: list[Row], constraint: str | None) -> None:
    exp = explain_selection(candidates, constraint)
    winner = select_best_version(candidates, constraint)
    assert exp.selected is winner
    assert len(exp.verdicts) == len(candidates)
    assert all(row.candidate is c for row, c in zip(exp.verdicts, candidates, strict=True))
    selected = [row for row in exp.verdicts if row.verdict is Verdict.SELECTED]
    if winner is None:
        assert not selected
    else:
        assert len(selected) == 1 and selected[0].candidate is winner
    for row in exp.verdicts:
        assert row.reason.isprintable() and exp.summary.isprintable()
        if row.verdict is Verdict.EXCLUDED and row.part is not None:
            assert row.comparator is not None and row.version is not None
            assert not row.comparator.matches(row.version)
        if row.verdict is Verdict.PRERELEASE:
            assert exp.constraint is not None and row.version is not None
            assert exp.constraint.first_rejecting(row.version) is None


# --- ordering ---------------------------------------------------------------------


@SETTINGS
@given(versions(), versions(), versions())
def test_ordering_is_a_total_order_consistent_with_equality(a: Version, b: Version, c: Version) -> None:
    for x, y in ((a, b), (b, c), (a, c)):
        assert [x < y, x == y, x > y].count(True) == 1
        assert (x <= y) == (x < y or x == y) and (x >= y) == (x > y or x == y)
        assert (x == y) == (x.sort_key == y.sort_key)
        if x == y:
            assert hash(x) == hash(y) and str(x) == str(y)
    if a <= b and b <= c:
        assert a <= c
    if a < b and b < c:
        assert a < c
    assert sorted([a, b, c]) == sorted([c, b, a])


@SETTINGS
@given(versions())
def test_release_sorts_above_its_prereleases(v: Version) -> None:
    release = Version(v.major, v.minor, v.patch)
    if v.pre:
        assert v < release
    assert Version(v.major, v.minor, v.patch, v.pre) <= v  # no build <= any build
