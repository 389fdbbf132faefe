"""Readable unit tests for packls.versions (spec: docs/version-semantics.md).

Attune's own unit-test expectations, the worked examples of §14, the surprises of §13,
and the packls-only additions: error locations, explanations, the §10 worker rule.
"""

from __future__ import annotations

import itertools
import pickle
from dataclasses import dataclass

import pytest
from packls.versions import (
    RUST_WHITESPACE,
    Comparator,
    Constraint,
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


@dataclass(frozen=True, eq=False)
class Row:
    """A registered runtime version row (identity matters: selection returns the object)."""

    version: str
    is_default: bool = False
    available: bool = True


def rows(spec: str) -> list[Row]:
    """``"3.11.0,3.12.0*,3.14.0!"``: ``*`` marks the default, ``!`` an unavailable row."""
    out = []
    for raw in spec.split(",") if spec else []:
        text = raw.rstrip("*!")
        marks = raw[len(text) :]
        out.append(Row(text, "*" in marks, "!" not in marks))
    return out


def select(constraint: str | None, spec: str) -> str | None:
    chosen = select_best_version(rows(spec), constraint)
    return None if chosen is None else chosen.version


# ---------------------------------------------------------------------------
# Attune's own unit tests (version_matching.rs)
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("3.12.1", Version(3, 12, 1)),
        ("3.12", Version(3, 12, 0)),
        ("3", Version(3, 0, 0)),
        ("v3.12.1", Version(3, 12, 1)),
        ("V20.11.0", Version(20, 11, 0)),
        ("  3.12.1  ", Version(3, 12, 1)),
    ],
)
def test_attune_parse_version(text: str, expected: Version) -> None:
    assert parse_version(text) == expected


def test_attune_parse_version_invalid() -> None:
    with pytest.raises(VersionError):
        parse_version("not-a-version")


@pytest.mark.parametrize(
    ("version", "constraint", "expected"),
    [
        ("3.12.0", ">=3.12", True),
        ("3.13.0", ">=3.12", True),
        ("4.0.0", ">=3.12", True),
        ("3.11.9", ">=3.12", False),
        ("3.12.1", "=3.12.1", True),
        ("3.12.2", "=3.12.1", False),
        ("3.12.0", "3.12", True),
        ("3.12.9", "3.12", True),
        ("3.13.0", "3.12", False),
        ("3.11.0", "3.12", False),
        ("3.12.99", "~3.12", True),
        ("3.13.0", "~3.12", False),
        ("3.99.0", "^3.12", True),
        ("3.15.0", "^3.12", True),
        ("4.0.0", "^3.12", False),
        ("3.11.0", "^3.12", False),
        ("3.12.5", ">=3.12,<4.0", True),
        ("4.0.0", ">=3.12,<4.0", False),
        ("0.0.1", "", True),
        ("999.0.0", "", True),
        ("3.99.99", "<4.0", True),
        ("4.0.0", "<4.0", False),
        ("3.12.0", "<=3.12", True),
        ("3.12.1", "<=3.12", False),
        ("3.13.0", "<=3.12", False),
        ("3.12.0", ">3.12", False),
        ("3.12.1", ">3.12", True),
        ("3.13.0", ">3.12", True),
        ("20.11.0", ">=18", True),
        ("18.0.0", ">=18", True),
        ("16.20.0", ">=18", False),
    ],
)
def test_attune_matches_constraint(version: str, constraint: str, expected: bool) -> None:
    assert matches_constraint(version, constraint) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("3.12.1", (3, 12, 1)),
        ("20.11", (20, 11, None)),
        ("20", (20, None, None)),
        ("not-a-version", (None, None, None)),
    ],
)
def test_attune_extract_components(text: str, expected: tuple[int | None, ...]) -> None:
    assert extract_version_components(text) == expected


@pytest.mark.parametrize(
    ("constraint", "spec", "expected"),
    [
        (None, "3.11.0,3.12.0*,3.14.0", "3.12.0"),  # default preferred without constraint
        (None, "3.11.0,3.12.0,3.14.0", "3.14.0"),  # else the highest
        (">=3.12,<3.14", "3.11.0,3.12.0,3.14.0", "3.12.0"),
        ("~3.12", "3.11.0,3.12.0,3.12.5,3.13.0", "3.12.5"),
        (">=3.12", "3.12.0,3.14.0!", "3.12.0"),  # unavailable skipped
        (">=4.0", "3.11.0,3.12.0", None),
        (None, "", None),
        (None, "3.12.0!,3.14.0!", None),
    ],
)
def test_attune_select_best_version(constraint: str | None, spec: str, expected: str | None) -> None:
    assert select(constraint, spec) == expected


@pytest.mark.parametrize(
    ("registered", "advertised", "expected"),
    [
        ("3.12.9", "3.12.1", False),
        ("3.12.9", "3.12.9", True),
        ("3.12", "3.12.7", True),
        ("20", "20.11.1", True),
        ("20", "21.0.0", False),
    ],
)
def test_attune_runtime_version_matches_worker(registered: str, advertised: str, expected: bool) -> None:
    assert runtime_version_matches_worker(registered, advertised) is expected


# ---------------------------------------------------------------------------
# §14 worked examples
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("version", "constraint", "expected"),
    [
        ("3.12.5", "3.12", True),  # 1 bare = tilde
        ("3.1.0", "3", False),  # 2 bare 3 -> ~3.0 = 3.0.x only
        ("3.1.0", "3.*", True),  # 3 bare 3.* -> ~3 = 3.x
        ("3.1.0", "~3", False),  # 4 ~3 padded to ~3.0.0
        ("3.12.4", "=3.12", False),  # 5 =3.12 padded to =3.12.0 (exact)
        ("3.12.1", "<=3.12", False),  # 6
        ("3.12.9", "<=3.12.*", True),  # 7 crate: <3.13.0
        ("3.12.9", ">3.12.*", False),  # 8 crate: >=3.13.0
        ("0.1.0", "^0", False),  # 9 ^0 padded to ^0.0.0 = exactly 0.0.0
        ("20.11.1", "20", False),  # 10 bare 20 = 20.0.x only
        ("3.12.5", " >= 3.12 , <4 ", True),  # 11
        ("3.12.1-rc.1", "", False),  # 12 empty = * never admits a pre-release
        ("3.12.1-rc.1", ">=3.12", False),  # 13
        ("3.12.0-rc.1", "<3.12.0", False),  # 14 lower, still excluded
        ("3.12.1-rc.2", ">=3.12.1-rc.1", True),  # 15 same triple with a pre-release
        ("3.12.1-RC.1", ">=3.12.1-alpha", False),  # 16 ASCII: RC < alpha
        ("3.12.1.4", "=3.12.1", True),  # 17 4th component truncated
    ],
)
def test_worked_examples_match(version: str, constraint: str, expected: bool) -> None:
    assert matches_constraint(version, constraint) is expected


@pytest.mark.parametrize(
    "constraint",
    [">=3.*", ">=v3", ">=3 <4", "*, >=3", "3.12-rc.1", ",".join([">=1"] * 33)],  # 18-23
)
def test_worked_examples_constraint_errors(constraint: str) -> None:
    with pytest.raises(ConstraintError):
        parse_constraint(constraint)


def test_worked_examples_versions() -> None:
    assert str(parse_version("3.12.1-rc.01")) == "3.12.1-rc"  # 24
    with pytest.raises(VersionError):
        parse_version("\x1c3.12")  # 25: U+001C is not Rust whitespace
    with pytest.raises(VersionError):
        parse_version("\u0663.12")  # 26: Arabic-Indic digit
    assert extract_version_components("3000000000.1.2") == (None, 1, 2)  # 27


@pytest.mark.parametrize(
    ("constraint", "spec", "expected"),
    [
        ("", "3.11.0,3.12.0*,3.14.0", "3.12.0"),  # 28
        ("*", "3.12.0-rc.1,3.10.0*,3.11.0", "3.11.0"),  # 29 * is non-blank
        ("", "3.12.0-rc.1,3.10.0*,3.11.0", "3.10.0"),  # 29 contrast
        ("", "3.12.0-rc.1,3.11.0", "3.12.0-rc.1"),  # 30
        (">=3", "3.12,3.12.0", "3.12"),  # 31 tie -> first listed
        ("", "3.12,3.12.0+b", "3.12.0+b"),  # 32 build breaks the tie
        ("", "bogus*,3.12", "bogus"),  # 33 unparseable default still wins
    ],
)
def test_worked_examples_select(constraint: str, spec: str, expected: str) -> None:
    assert select(constraint, spec) == expected


def test_worked_example_cmp() -> None:
    assert parse_version("1.0.0-dev") > parse_version("1.0.0-alpha")  # 34


# ---------------------------------------------------------------------------
# §13 surprises and §5 tables
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("constraint", "normalized"),
    [
        ("3", "~3.0"),
        ("3.12", "~3.12"),
        ("3.12.1", "~3.12.1"),
        ("0", "~0.0"),
        ("=3", "=3.0.0"),
        (">3.12", ">3.12.0"),
        ("<=3.12", "<=3.12.0"),
        ("~3", "~3.0.0"),
        ("^0", "^0.0.0"),
        ("3.*", "~3"),
        ("3.x", "~3"),
        ("v3.x", "~3"),
        ("3.*.*", "~3"),
        ("3.12.*", "~3.12"),
        (">=3.12.*", ">=3.12"),
        ("<=3.12.*", "<=3.12"),
        ("=3.*.*", "=3"),
        ("^0.0.*", "^0.0"),
        ("v3.12", "~3.12"),
        ("3.12.1-rc.1", "~3.12.1-rc.1"),
        ("3.12.1+build.5", "~3.12.1"),  # build dropped
        (">= 3.12 , <4", ">=3.12.0, <4.0.0"),
        (">=\u00a03", ">=3.0.0"),  # any Rust whitespace after the operator
        ("", "*"),
        ("  ", "*"),
        (",", "*"),
        (", ,", "*"),
        ("*,", "*"),
        ("x", "*"),
        ("X", "*"),
        (",".join([">=1"] * 32), ", ".join([">=1.0.0"] * 32)),
    ],
)
def test_normalized_display(constraint: str, normalized: str) -> None:
    assert str(parse_constraint(constraint)) == normalized


@pytest.mark.parametrize(
    ("text", "sent"),
    [
        ("", None),
        (" , ", None),
        ("*", "*"),
        (">=3.*", ">=3.*.0"),
        (">=3-rc", ">=3-rc.0.0"),
        (">=3.12-rc.1", ">=3.12-rc.1"),
        (">= v3", ">= v3.0.0"),
        ("abc", "abc"),
        ("3, >=4", "~3.0, >=4.0.0"),
    ],
)
def test_preprocess_is_what_attune_hands_to_the_crate(text: str, sent: str | None) -> None:
    assert preprocess_constraint(text) == sent


@pytest.mark.parametrize(
    ("version", "constraint", "expected"),
    [
        ("3.0.9", "3", True),
        ("3.5.0", "=3", False),
        ("3.0.1", ">3", True),
        ("0.0.1", "^0.0", False),
        ("0.0.0", "^0", True),
        ("3.13.0", ">3.12.*", True),
        ("3.99.0", "^3.12.*", True),
        ("4.0.0", "<=3.*.*", False),
        ("3.99.0", "<=3.*.*", True),
        ("3.12.1-rc.1", "*", False),
        ("3.12.1-rc.1", ",", False),
        ("3.12.0+b7", "=3.12.0", True),  # build ignored in matching
        ("3.12.0", "=3.12.0+b7", True),
        ("3.12.0-rc.1+b", "=3.12.0-rc.1", True),
        ("3.12.1-rc.1", "<4, >=3.12.1-alpha", True),  # one naming comparator suffices
        ("3.12.5", "3.12.1-rc.1", True),
        ("3.12.2-rc.1", "3.12.1-rc.1", False),
        ("3.12.0-beta", "^3.12.0-rc.1", False),
        ("3.12.0-rc.7", "~3.12.0-0", True),
        ("18446744073709551615.0.0", ">=1", True),
    ],
)
def test_surprises(version: str, constraint: str, expected: bool) -> None:
    assert matches_constraint(version, constraint) is expected


@pytest.mark.parametrize(
    "constraint",
    [
        "==3.12", "!=3", "~=3.12", "~>3.12", "=>3", ">>3", "> =3", "=v3.12", "^V3", "vv3", "v",
        "||", ">=3||<2", "3.12 - 3.14", "3.12.1.4", "~", "=", "latest", "python3", "03.12",
        "18446744073709551616", "x, 3", ">=3, *", "3.*.1", "x.y", ">=*", "*.*", "=3.x",
        "3+b", "3.12+b", "3.", ">=3.12.1-rc.01", "\uff13.12", "3.12\u200b",
    ],
)
def test_rejected_constraints(constraint: str) -> None:
    with pytest.raises(ConstraintError):
        parse_constraint(constraint)


@pytest.mark.parametrize(
    "text",
    [
        "3.12-rc.1", "3-rc", "3.12+build", "3.", ".3", "3. 12", "vv3", "=3.12", "3.x", "", " ",
        "03.12", "3.012", "18446744073709551616", "\uff13.12", "1.2.3-", "1.2.3+", "3.12.1-01",
        "3.12.1-\u00df", "\u200b3.12", "\ufeff3.12",
    ],
)
def test_rejected_versions(text: str) -> None:
    with pytest.raises(VersionError):
        parse_version(text)


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("3.12.1.4", "3.12.1"),
        ("3.12.1.", "3.12.1"),
        ("3.12.1.4-rc", "3.12.1"),  # pre-release lost
        ("1.2.3-a..b", "1.2.3-a"),
        ("3.12.1+build..5", "3.12.1+build"),
        ("\u00a03.12\u3000", "3.12.0"),
        ("\x853\u2028", "3.0.0"),
        ("18446744073709551615", "18446744073709551615.0.0"),
        ("1.2.3-rc.1+b.01", "1.2.3-rc.1+b.01"),
    ],
)
def test_lenient_versions(text: str, shown: str) -> None:
    assert str(parse_version(text)) == shown


def test_rust_whitespace_is_not_python_whitespace() -> None:
    assert "\x1c" not in RUST_WHITESPACE and "\x1c".isspace()
    assert "\u200b" not in RUST_WHITESPACE and "\ufeff" not in RUST_WHITESPACE
    assert is_blank_constraint("\u3000\u00a0")
    assert not is_blank_constraint("\x1c")
    assert select("\x1c", "3.11.0,3.10.0*") is None  # non-blank, invalid -> nothing
    assert select("\u00a0", "3.11.0,3.10.0*") == "3.10.0"  # blank -> default


def test_version_error_messages_say_what_is_wrong() -> None:
    with pytest.raises(VersionError, match=r"'3\.x' is not a version: .*wildcard"):
        parse_version("3.x")
    with pytest.raises(VersionError, match=r"full X\.Y\.Z"):
        parse_version("3.12-rc.1")
    with pytest.raises(VersionError, match=r"U\+001C"):
        parse_version("\x1c3.12")


# ---------------------------------------------------------------------------
# §7 ordering
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "ascending",
    [
        ["3.12.0-rc.1", "3.12.0"],
        ["1.0.0-beta.2", "1.0.0-beta.11"],
        ["1.0.0-1", "1.0.0-a"],
        ["1.0.0-A", "1.0.0-a"],
        ["1.0.0-RC", "1.0.0-alpha", "1.0.0-beta", "1.0.0-dev", "1.0.0-rc"],
        ["1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta"],
        ["1.0.0-alpha.2", "1.0.0-alpha-2"],
        ["1.0.0", "1.0.0+b"],
        ["1.0.0+0", "1.0.0+00", "1.0.0+1", "1.0.0+01", "1.0.0+001", "1.0.0+2"],
        ["1.0.0+9", "1.0.0+a", "1.0.0+a.0"],
        ["1.0.0-99999999999999999999998", "1.0.0-99999999999999999999999"],
    ],
)
def test_ordering(ascending: list[str]) -> None:
    versions = [parse_version(t) for t in ascending]
    assert versions == sorted(reversed(versions))
    for a, b in itertools.pairwise(versions):
        assert a < b and b > a and a != b and a <= b and not b <= a


def test_equal_forms_are_equal_and_hash_alike() -> None:
    a, b, c = parse_version("3.12"), parse_version("3.12.0"), parse_version("v3.12")
    assert a == b == c and hash(a) == hash(b) == hash(c)
    assert parse_version("3.12.0+b") != a  # build metadata takes part in equality
    assert Version(1, 2, 3, "rc.1", "b") == parse_version("1.2.3-rc.1+b")


def test_version_display_and_flags() -> None:
    v = parse_version("v1.2.3-rc.1+b.5")
    assert str(v) == "1.2.3-rc.1+b.5"
    assert v.is_prerelease and not parse_version("1.2.3+b").is_prerelease
    assert v.pre == ("rc", "1") and v.build == ("b", "5")


# ---------------------------------------------------------------------------
# Comparator / Constraint objects
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("comparator", "shown"),
    [
        (Comparator(">=", 3, 12, 0), ">=3.12.0"),
        (Comparator("~", 3), "~3"),
        (Comparator("*", 3), "3.*"),
        (Comparator("*", 3, 12), "3.12.*"),
        (Comparator("=", 1, 2, 3, ("rc", "1")), "=1.2.3-rc.1"),
        (Comparator("^", 0, 0), "^0.0"),
    ],
)
def test_comparator_display(comparator: Comparator, shown: str) -> None:
    assert str(comparator) == shown


def test_comparator_matches_ignores_the_prerelease_rule() -> None:
    c = Comparator(">=", 3, 12, 0)
    v = parse_version("3.13.0-rc.1")
    assert c.matches(v)
    assert not parse_constraint(">=3.12.0").matches(v)


def test_constraint_parts_keep_offsets_and_rewrites() -> None:
    text = "\u00a0>= 3.12 ,, <4 "
    c = parse_constraint(text)
    assert isinstance(c, Constraint) and not c.is_star
    assert [(p.text, p.rewritten) for p in c.parts] == [(">= 3.12", ">=3.12.0"), ("<4", "<4.0.0")]
    for p in c.parts:
        assert text[p.start : p.end] == p.text
        assert len(p.comparators) == 1
    assert c.comparators == (Comparator(">=", 3, 12, 0), Comparator("<", 4, 0, 0))
    assert str(c) == ">=3.12.0, <4.0.0"


def test_star_constraints() -> None:
    blank = parse_constraint("  ")
    assert blank.is_star and blank.parts == () and blank.comparators == ()
    star = parse_constraint(" * ")
    assert star.is_star and [p.text for p in star.parts] == ["*"] and star.comparators == ()
    assert star.matches(parse_version("0.0.0")) and not star.matches(parse_version("1.0.0-rc.1"))


def test_first_rejecting_names_the_part() -> None:
    c = parse_constraint(">=3.12, <3.13")
    hit = c.first_rejecting(parse_version("3.13.1"))
    assert hit is not None
    part, comparator = hit
    assert part.text == "<3.13" and str(comparator) == "<3.13.0"
    assert c.first_rejecting(parse_version("3.12.4")) is None
    # every comparator accepts the pre-release; only the opt-in rule excludes it
    assert c.first_rejecting(parse_version("3.12.5-rc.1")) is None
    assert not c.matches(parse_version("3.12.5-rc.1"))


def test_parse_constraint_is_cached() -> None:
    assert parse_constraint(">=3.12, <4") is parse_constraint(">=3.12, <4")


# ---------------------------------------------------------------------------
# ConstraintError: location and reason
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "part", "reason"),
    [
        (">=3.*", ">=3.*", "nothing may follow a wildcard: write '3.*' or '>=3.0'"),
        (">=3.12,  >=v3", ">=v3", "'v' is allowed only on a bare version: write '>=3'"),
        (" >=3 <4", ">=3 <4", "separate comparators with a comma: write '>=3, <4'"),
        ("*, >=3", "*", "lone wildcard"),
        (">=3, *", "*", "lone wildcard"),
        ("3.12-rc.1", "3.12-rc.1", "full X.Y.Z"),
        ("==3.12", "==3.12", "'=3.12'"),
        ("~>3.12", "~>3.12", "'~3.12'"),
        ("> =3", "> =3", "write '>=3'"),
        ("3.12 - 3.14", "3.12 - 3.14", "write '>=3.12, <=3.14'"),
        (">=3||<2", ">=3||<2", "no OR"),
        ("3.12.1.4", "3.12.1.4", "at most three components"),
        ("latest", "latest", "not a version constraint"),
        (">=3.012", ">=3.012", "leading zeros"),
        ("<18446744073709551616", "<18446744073709551616", "18446744073709551615"),
        ("\u00a0>=3,\u0663.12", "\u0663.12", "ASCII digits"),
        (">=3.12\u200b", ">=3.12\u200b", "U+200B"),
        ("~", "~", "followed by a version"),
    ],
)
def test_constraint_error_location_and_reason(text: str, part: str, reason: str) -> None:
    with pytest.raises(ConstraintError) as info:
        parse_constraint(text)
    err = info.value
    assert err.text == text
    assert err.part == part
    assert text[err.start : err.end] == part
    assert reason in err.reason
    assert err.detail  # the crate's own message, for logs


def test_too_many_comparators_points_at_the_33rd_part() -> None:
    text = ", ".join(f">={i}" for i in range(1, 34))
    with pytest.raises(ConstraintError) as info:
        parse_constraint(text)
    err = info.value
    assert err.part == ">=33" and text[err.start : err.end] == ">=33"
    assert "at most 32" in err.reason
    parse_constraint(", ".join(f">={i}" for i in range(1, 33)))  # 32 is fine
    parse_constraint(",".join([">=1"] * 32 + [""] * 5))  # empty parts do not count


def test_version_is_parsed_before_the_constraint() -> None:
    with pytest.raises(VersionError):
        matches_constraint("bad", "bad")
    with pytest.raises(ConstraintError):
        matches_constraint("3", "bad")


def test_errors_pickle() -> None:
    with pytest.raises(ConstraintError) as info:
        parse_constraint("3, >=3.*")
    copy = pickle.loads(pickle.dumps(info.value))
    assert (copy.part, copy.start, copy.end, copy.reason) == (">=3.*", 3, 8, info.value.reason)
    with pytest.raises(VersionError) as vinfo:
        parse_version("x")
    assert str(pickle.loads(pickle.dumps(vinfo.value))) == str(vinfo.value)


# ---------------------------------------------------------------------------
# §9 components, §10 worker rule
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("v3.12", (3, 12, None)),
        (" v3.12 ", (3, 12, None)),
        ("3.12.1-rc.1", (3, 12, 1)),
        ("3.12.1.4", (3, 12, 1)),
        ("3.12.1.4-rc", (3, 12, 1)),
        ("2147483647.2147483648", (2147483647, None, None)),
        ("18446744073709551615", (None, None, None)),
        ("3.12-rc.1", (None, None, None)),
    ],
)
def test_extract_version_components(text: str, expected: tuple[int | None, ...]) -> None:
    assert extract_version_components(text) == expected


@pytest.mark.parametrize(
    ("registered", "advertised", "expected"),
    [
        ("3.12", "3.12.0-rc.1", True),  # only major.minor compared
        ("3.12.1", "v3.12.1", True),  # parsed versions equal
        ("3.12.1", "3.12.1+b", False),  # build metadata takes part in equality
        ("latest", "latest", True),  # equal strings match even when unparseable
        ("latest", "3.12", False),  # unparseable registration never matches otherwise
        ("3.12", "python 3.12", False),  # unparseable advertisement never matches
        ("3.2147483648", "3.0.0", True),  # minor beyond i32 is stored as NULL -> major only
    ],
)
def test_runtime_version_matches_worker_edges(registered: str, advertised: str, expected: bool) -> None:
    assert runtime_version_matches_worker(registered, advertised) is expected


# ---------------------------------------------------------------------------
# selection and its explanation
# ---------------------------------------------------------------------------


def test_select_returns_the_same_object_and_never_raises() -> None:
    candidates = rows("3.11.0,3.12.0,3.12.0")
    assert select_best_version(candidates, ">=3") is candidates[1]
    assert select_best_version(candidates, ">=3.*") is None  # invalid constraint -> None
    assert select_best_version(iter(candidates), None) is candidates[1]  # any iterable
    weird = [Row(None), Row("3.1")]  # type: ignore[arg-type]
    assert select_best_version(weird, None) is weird[1]


def _verdicts(constraint: str | None, spec: str) -> list[tuple[str, Verdict, str]]:
    exp = explain_selection(rows(spec), constraint)
    return [(r.version_text, r.verdict, r.reason) for r in exp.verdicts]


def test_explain_with_constraint() -> None:
    candidates = rows("3.11,3.12.0,3.12.5,3.13.0-rc.1,3.13!,bogus,3.12.5")
    exp = explain_selection(candidates, ">=3.12, <3.13")
    assert exp.selected is candidates[2]
    assert exp.selected is select_best_version(candidates, ">=3.12, <3.13")
    assert not exp.blank and exp.constraint is not None and exp.constraint_error is None
    got = [(r.verdict, r.reason) for r in exp.verdicts]
    assert got == [
        (Verdict.EXCLUDED, "excluded by >=3.12.0 (from '>=3.12')"),
        (Verdict.LOWER, "lower than 3.12.5"),
        (Verdict.SELECTED, "selected: highest matching version"),
        (Verdict.PRERELEASE, "pre-release not admitted: no comparator names 3.13.0 with a pre-release"),
        (Verdict.UNAVAILABLE, "not available"),
        (Verdict.UNPARSEABLE, got[5][1]),
        (Verdict.TIE, "same version as the selected 3.12.5, listed later"),
    ]
    assert got[5][1].startswith("does not parse: ")
    excluded = exp.verdicts[0]
    assert excluded.part is not None and excluded.part.text == ">=3.12"
    assert str(excluded.comparator) == ">=3.12.0"
    assert exp.summary == "3.12.5 is the highest available version that satisfies '>=3.12, <3.13'"


def test_explain_no_constraint_with_default() -> None:
    assert _verdicts(None, "3.11.0,3.12.0*,3.14.0!,3.15*") == [
        ("3.11.0", Verdict.NOT_DEFAULT, "a default exists (3.12.0)"),
        ("3.12.0", Verdict.SELECTED, "selected: default (no constraint)"),
        ("3.14.0", Verdict.UNAVAILABLE, "not available"),
        ("3.15", Verdict.NOT_DEFAULT, "another default is listed first (3.12.0)"),
    ]
    exp = explain_selection(rows("bogus*,3.12"), "  ")
    assert exp.blank and exp.constraint is None
    assert exp.verdicts[0].verdict is Verdict.SELECTED
    assert exp.summary == "no constraint, so the default bogus is selected"


def test_explain_star_ignores_default_and_prereleases() -> None:
    exp = explain_selection(rows("3.12.0-rc.1,3.10.0*,3.11.0"), "*")
    assert [r.verdict for r in exp.verdicts] == [Verdict.PRERELEASE, Verdict.LOWER, Verdict.SELECTED]
    assert "the default 3.10.0 does not count" in exp.summary


def test_explain_nothing_matches() -> None:
    exp = explain_selection(rows("3.11,3.12,3.13,4.1!"), ">=4.0")
    assert exp.selected is None
    assert exp.summary == (
        "no available version satisfies '>=4.0' (declared: 3.11, 3.12, 3.13, 4.1); "
        "4.1 would match but is not available"
    )


def test_explain_invalid_constraint() -> None:
    exp = explain_selection(rows("3.11,3.12"), ">=3.*")
    assert exp.selected is None and exp.constraint is None
    assert exp.constraint_error is not None and exp.constraint_error.part == ">=3.*"
    assert all(r.verdict is Verdict.EXCLUDED and r.part is None for r in exp.verdicts)
    assert "invalid" in exp.summary


def test_explain_empty_and_unavailable() -> None:
    assert explain_selection([], None).summary == "no versions are declared"
    exp = explain_selection(rows("3.12!,3.13!"), "3.12")
    assert exp.selected is None and "no declared version is available" in exp.summary


def test_summary_names_an_unavailable_default_when_the_highest_wins_instead() -> None:
    exp = explain_selection(rows("3.11,3.12*!,3.13"), None)
    assert exp.selected is not None and exp.selected.version == "3.13"
    assert exp.summary == "no constraint, and the default 3.12 is not available, so the highest available version 3.13 is selected"
    assert explain_selection(rows("3.11,3.13"), None).summary == "no constraint and no default, so the highest version 3.13 is selected"
