"""Differential test: packls.versions must agree 100% with the Rust semver-oracle's recorded answers.

``tests/data/semver/cases.tsv`` is the oracle's shipped case file (20,002 cases, seed 0x5E3A7E);
``extra_seeds.tsv`` holds cases from ``gen_cases.py --seed 1/2/3`` not already in it. Both were
answered by the oracle built on the real Rust ``semver`` crate; every case runs in-process through
the same protocol adapter the command-line check uses (``tests/versions_port.py``).
"""

from __future__ import annotations

import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from versions_port import answer

DATA = Path(__file__).parent / "data" / "semver"
ARITY = {
    "match": 2,
    "parse_version": 1,
    "parse_constraint": 1,
    "preprocess": 1,
    "select": 2,
    "select_index": 2,
    "components": 1,
    "cmp": 2,
}

Case = tuple[int, str, str, tuple[str, ...], str]  # line number, class, command, args, expected


def read_cases(path: Path) -> list[Case]:
    """Read a case file: split on '\\n' only and never strip (fields carry exotic whitespace)."""
    cases: list[Case] = []
    data = path.read_bytes().decode("utf-8")  # no newline translation
    for lineno, line in enumerate(data.split("\n"), 1):
        if not line or line.startswith("#"):
            continue
        fields = line.split("\t")
        cls, cmd = fields[0], fields[1]
        k = ARITY[cmd]
        assert len(fields) == 3 + k, f"{path.name}:{lineno}: malformed case line"
        cases.append((lineno, cls, cmd, tuple(fields[2 : 2 + k]), fields[2 + k]))
    return cases


def _disagreements(cases: list[Case]) -> list[tuple[Case, str]]:
    return [(case, got) for case in cases if (got := answer("\t".join((case[2],) + case[3]))) != case[4]]


def _report(name: str, cases: list[Case], bad: list[tuple[Case, str]]) -> str:
    lines = [f"{name}: {len(bad)} of {len(cases)} cases disagree with the oracle"]
    per_class = Counter(case[1] for case, _ in bad)
    lines += [f"  {cls}: {n}" for cls, n in per_class.most_common(10)]
    lines.append("first disagreements:")
    for (lineno, cls, cmd, args, expected), got in bad[:15]:
        shown = ", ".join(repr(a) for a in args)
        lines.append(f"  line {lineno} [{cls}] {cmd}({shown}): oracle {expected!r}, packls {got!r}")
    return "\n".join(lines)


@pytest.fixture(scope="module")
def shipped() -> list[Case]:
    return read_cases(DATA / "cases.tsv")


@pytest.fixture(scope="module")
def extra() -> list[Case]:
    return read_cases(DATA / "extra_seeds.tsv")


def test_case_files_are_complete(shipped: list[Case], extra: list[Case]) -> None:
    """Guard against a vacuous pass: both files present, shipped file whole, all commands covered."""
    assert len(shipped) == 20002
    assert Counter(c[2] for c in shipped) == {
        "match": 10502,
        "parse_version": 1500,
        "parse_constraint": 1500,
        "preprocess": 1500,
        "select": 2500,
        "components": 1500,
        "cmp": 1000,
    }
    seeds = Counter(c[1].split("/", 1)[0] for c in extra)
    assert set(seeds) == {"seed1", "seed2", "seed3"}
    assert all(n > 10000 for n in seeds.values())
    assert not {(c[2], c[3]) for c in shipped} & {(c[2], c[3]) for c in extra}


def test_shipped_cases_agree(shipped: list[Case]) -> None:
    bad = _disagreements(shipped)
    assert not bad, _report("cases.tsv", shipped, bad)


@pytest.mark.parametrize("seed", ["seed1", "seed2", "seed3"])
def test_extra_seed_cases_agree(extra: list[Case], seed: str) -> None:
    cases = [c for c in extra if c[1].startswith(seed + "/")]
    bad = _disagreements(cases)
    assert not bad, _report(f"extra_seeds.tsv ({seed})", cases, bad)


def test_port_speaks_the_line_protocol() -> None:
    """The adapter also works as a program (what ``gen_cases.py --check-impl`` runs)."""
    requests = (
        "match\t3.12.1\t<=3.12\n"
        "select\t>=3.12\t3.11.0,3.12.0*,3.14.0!\r\n"
        "components\tv20.11\n"
        "parse_version\t\u00a03.12\u3000\n"
        "\n"
        "cmp\t1.0.0+01\t1.0.0+1"
    ).encode("utf-8") + b"\nmatch\t\xff\tx\n"
    out = subprocess.run(
        [sys.executable, str(Path(__file__).parent / "versions_port.py")],
        input=requests,
        capture_output=True,
        check=True,
    ).stdout.decode("utf-8")
    assert out.split("\n") == [
        "false",
        "3.12.0",
        "20,11,-",
        "3.12.0",
        "error:protocol",
        ">",
        "error:utf8",
        "",
    ]
