"""packls types plain scalars exactly as ruamel.yaml's YAML 1.2 resolver does, without importing ruamel."""

from __future__ import annotations

import itertools
import math
import random
import subprocess
import sys

import pytest

from ruamel.yaml.nodes import ScalarNode
from ruamel.yaml.resolver import VersionedResolver, implicit_resolvers

from packls.syntax.fast import available
from packls.syntax.parse import _typed_text
from packls.syntax.plain_scalars import STR_TAG, TYPED_FIRST_CHARS, TYPED_RESOLVERS, plain_tag

TYPED_TAGS = {tag for tag, _, _ in TYPED_RESOLVERS}
RUAMEL = VersionedResolver()  # what ruamel's composer uses; YAML 1.2 unless a %YAML directive says otherwise

EDGE_CASES = [
    "", "~", "null", "Null", "NULL", "nULL", "nul", "null ", " ", "true", "True", "TRUE", "tRUE", "false", "False",
    "FALSE", "yes", "no", "on", "off", "y", "n", "0", "-0", "+0", "00", "007", "08", "0o7", "0o8", "0O7", "0x1F",
    "0X1F", "0x", "0b101", "0b2", "0b", "1_000", "_1", "1_", "+", "-", "1e5", "1E5", "1e+5", "1e-5", "1.e5", ".5",
    "-.5", ".5e+1", ".5e1", "1.", "1.0", "1.0.0", "1.5_0", "3.12", ">=3.12", "^20", ".inf", "+.inf", "-.Inf", ".INF",
    ".iNf", ".nan", ".NaN", ".NAN", "-.nan", "+.nan", "nan", "inf", "1:30", "190:20:30", "2001-12-14",
    "2001-12-14t21:59:43.10-05:00", "2001-12-14 21:59:43.10 -5", "<<", "=", "12\n", "1\n2", "true\n", "0x_1", "0b_1",
    "1__0", "١٢", "１２", "1e5\n", "-1_0.5_e3", "- 1", "1 ", " 1",
]
# Characters that every rule reads, and a few that none does.
ALPHABET = "0123456789+-._eExXoObB:~nNuUlLtTrRfFaAsSiI \n<=!a"


def ruamel_tag(text: str) -> str:
    return str(RUAMEL.resolve(ScalarNode, text, (True, False)))


def same_value(a: object, b: object) -> bool:
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a):
        return math.isnan(b)
    return type(a) is type(b) and a == b


def samples() -> list[str]:
    rng = random.Random(15)
    short = ["".join(chars) for size in range(4) for chars in itertools.product("019+-._exonlt~", repeat=size)]
    longer = ["".join(rng.choice(ALPHABET) for _ in range(rng.randint(1, 12))) for _ in range(60_000)]
    numbers = [f"{rng.choice(['', '+', '-'])}{rng.choice(['', '0', '0x', '0o', '0b', '.'])}{rng.randint(0, 10**6)}"
               f"{rng.choice(['', '.', '.5', 'e3', 'E-2', '_1', ':30'])}" for _ in range(20_000)]
    return EDGE_CASES + short + longer + numbers


def test_the_rules_are_ruamels_own_yaml_1_2_rules_that_give_a_typed_value():
    ours = [(tag, pattern.pattern, pattern.flags, list(firsts)) for tag, pattern, firsts in TYPED_RESOLVERS]
    theirs = [(tag, regexp.pattern, regexp.flags, list(first)) for versions, tag, regexp, first in implicit_resolvers
              if (1, 2) in versions and tag in TYPED_TAGS]
    assert ours == theirs
    others = {tag for versions, tag, _, _ in implicit_resolvers if (1, 2) in versions} - TYPED_TAGS
    assert others, "ruamel has YAML 1.2 rules for merge keys, timestamps, ..."
    assert all(_typed_text(tag, "2001-12-14") == "2001-12-14" for tag in others)  # each leaves the text a string


def test_every_sample_gets_ruamels_tag_and_typed_value():
    wrong = []
    for text in samples():
        theirs = ruamel_tag(text)
        ours = plain_tag(text)
        if ours != (theirs if theirs in TYPED_TAGS else STR_TAG) or not same_value(_typed_text(ours, text), _typed_text(theirs, text)):
            wrong.append((text, ours, theirs))
    assert wrong == []


def test_texts_starting_with_any_other_character_are_strings_for_ruamel_too():
    for first in map(chr, range(0x20, 0x250)):
        if first not in TYPED_FIRST_CHARS:
            for text in (first, first + "1", first + "rue", first + "ull"):
                assert _typed_text(ruamel_tag(text), text) == text


@pytest.mark.skipif(not available(), reason="PyYAML's C extension (libyaml) is not installed")
def test_the_fast_path_does_not_import_ruamel():
    code = ("import sys\nfrom packls.syntax import parse_yaml\n"
            "parsed = parse_yaml('a: 1\\nb: [true, null, 1.5, 0x1F, text]\\n')\n"
            "assert parsed.problem is None and parsed.root_mapping is not None\n"
            "print(sorted(m for m in sys.modules if m.startswith('ruamel')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60)
    assert out.stdout.strip() == "[]"
