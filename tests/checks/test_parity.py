"""docs/attune-parity.md names a rule for every Attune check, and every rule has a row there.

The page is how the next Attune change gets absorbed: a new rule without a row, a row naming a rule
that is gone, or an Attune pack-check code missing from the Attune table fails here.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from packls.checks.rules import RULES
from tests.checks.test_rule_docs import SECTIONS

PARITY = Path(__file__).resolve().parents[2] / "docs" / "attune-parity.md"
_CODE = re.compile(r"`([a-z_]+\.[a-z_]+)`")


def table(heading: str) -> list[list[str]]:
    """The body rows of the table under a `## heading`, as lists of cells."""
    text = PARITY.read_text(encoding="utf-8")
    section = text.split(f"\n## {heading}\n", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("|")]
    return [[cell.strip() for cell in row.strip("|").split(" | ")] for row in rows[2:]]


ATTUNE_ROWS = table("Attune's checks")
BEYOND_ROWS = table("packls beyond Attune")


def packls_codes(cell: str) -> list[str]:
    return _CODE.findall(cell)


def test_the_tables_have_rows():
    assert len(ATTUNE_ROWS) > 50 and len(BEYOND_ROWS) > 30
    assert all(len(row) == 4 for row in ATTUNE_ROWS) and all(len(row) == 2 for row in BEYOND_ROWS)


@pytest.mark.parametrize("row", ATTUNE_ROWS, ids=lambda row: row[0][:60])
def test_every_attune_check_names_existing_rules(row):
    codes = packls_codes(row[3])
    assert codes, f"no packls rule for {row[0]}"
    assert [code for code in codes if code not in RULES] == []
    assert row[2], "every Attune check names its source file"


@pytest.mark.parametrize("row", BEYOND_ROWS, ids=lambda row: row[0])
def test_every_rule_beyond_attune_names_one_rule_and_its_trap(row):
    assert packls_codes(row[0]) == [row[0].strip("`")] and row[0].strip("`") in RULES
    assert len(row[1]) > 20


def test_every_rule_has_a_row():
    named = {code for row in ATTUNE_ROWS for code in packls_codes(row[3])}
    named |= {row[0].strip("`") for row in BEYOND_ROWS}
    assert sorted(set(RULES) - named) == []


def test_attune_pack_check_codes_sit_in_the_attune_table():
    attune_codes = {code for row in ATTUNE_ROWS for code in packls_codes(row[3])}
    assert sorted(code for code, rule in RULES.items() if rule.attune and code not in attune_codes) == []


def test_every_row_is_backed_by_tested_examples():
    """Each rule a row names has a bad example the suite runs (or a documented reason it cannot)."""
    named = {code for row in ATTUNE_ROWS for code in packls_codes(row[3])} | {row[0].strip("`") for row in BEYOND_ROWS}
    assert sorted(code for code in named if not SECTIONS[code].bad.files and not SECTIONS[code].bad.illustration) == []
