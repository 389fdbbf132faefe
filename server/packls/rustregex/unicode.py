"""Which `\\p{…}` names regex-syntax knows, resolved as it resolves them (UAX #44 loose matching).

The names, aliases and values come from regex-syntax's own Unicode tables (unicode_names.json,
written by tools/regex-oracle/unicode_names.py, 37 KB: 271 property names and aliases, 570 value
names, the names each table holds, and the Alphabetic and Number ranges, 12 KB, that decide which
characters a capture group name may hold; Python's unicodedata follows another Unicode version and
has no Alphabetic property). The lookup order follows regex-syntax's: a
one-letter or bare name is a binary property, then a general category, then a script;
`name=value` (or `name:value`, `name!=value`) looks the value up under the named property.
"""

from __future__ import annotations

import bisect
import json
from functools import lru_cache
from importlib import resources
from typing import Any

# Properties whose values a `name=value` query can name (the others exist but have no value sets).
VALUE_PROPERTIES = frozenset(
    ("Age", "Script_Extensions", "Grapheme_Cluster_Break", "Sentence_Break", "Word_Break")
)


# Script_Extensions has Script's value names and table names; the JSON holds them once.
_STORED_AS = {"Script_Extensions": "Script"}


@lru_cache(maxsize=1)
def _data() -> dict[str, Any]:
    """The names and tables extracted from regex-syntax (unicode_names.json)."""
    text = resources.files("packls.rustregex").joinpath("unicode_names.json").read_text(encoding="utf-8")
    return json.loads(text)


@lru_cache(maxsize=1)
def _tables() -> dict[str, frozenset[str]]:
    """The names each of regex-syntax's tables holds, as sets."""
    return {name: frozenset(names) for name, names in _data()["tables"].items()}


def normalize(name: str) -> str:
    """UAX44-LM3 as regex-syntax applies it: drop an `is` prefix, spaces, `_`, `-` and non-ASCII; lowercase."""
    body = name[2:] if len(name) >= 2 and name[:2].lower() == "is" else name
    out = "".join(c.lower() if "A" <= c <= "Z" else c for c in body if c.isascii() and c not in " _-")
    if body is not name and out == "c":  # `isc` is ISO_Comment's alias, not "is" + the category C
        return "isc"
    return out


def unicode_version() -> str:
    """The Unicode version of regex-syntax's tables."""
    return str(_data()["unicode_version"])


def resolve(name: str, value: str | None) -> tuple[str, str] | str:
    """('kind', canonical) for a class regex-syntax can build, else its error kind.

    kind is 'binary', 'General_Category', 'Script' or one of VALUE_PROPERTIES.
    """
    data, tables = _data(), _tables()
    if value is None:
        norm = normalize(name)
        if norm not in ("cf", "sc", "lc"):
            canonical = data["property_names"].get(norm)
            if canonical is not None:
                if canonical in ("Decimal_Number", "White_Space") or canonical in tables["binary"]:
                    return ("binary", canonical)
                return "UnicodePropertyNotFound"
        category = _general_category(norm)
        if category is not None:
            return category
        script = data["property_values"]["Script"].get(norm)
        if script is not None:
            return ("Script", script) if script in tables["Script"] else "UnicodePropertyValueNotFound"
        return "UnicodePropertyNotFound"
    canonical = data["property_names"].get(normalize(name))
    if canonical is None:
        return "UnicodePropertyNotFound"
    norm_value = normalize(value)
    if canonical == "General_Category":
        return _general_category(norm_value) or "UnicodePropertyValueNotFound"
    stored = _STORED_AS.get(canonical, canonical)
    values = data["property_values"].get(stored)
    if values is None or norm_value not in values:
        return "UnicodePropertyValueNotFound"
    found = values[norm_value]
    if canonical == "Script":
        return ("Script", found) if found in tables["Script"] else "UnicodePropertyValueNotFound"
    if canonical not in VALUE_PROPERTIES:
        return "UnicodePropertyNotFound"
    return (canonical, found) if found in tables[stored] else "UnicodePropertyValueNotFound"


def _general_category(norm: str) -> tuple[str, str] | str | None:
    """A general category value (with Any, Assigned and ASCII), or None when it names none."""
    special = {"any": "Any", "assigned": "Assigned", "ascii": "ASCII"}.get(norm)
    if special is not None:
        return ("General_Category", special)
    found = _data()["property_values"]["General_Category"].get(norm)
    if found is None:
        return None
    if found == "Decimal_Number" or found in _tables()["General_Category"]:
        return ("General_Category", found)
    return "UnicodePropertyValueNotFound"


@lru_cache(maxsize=2)
def _starts(table: str) -> tuple[list[int], list[int]]:
    """A range table split into first and last code points, for bisecting."""
    pairs = _data()[table]
    return [first for first, _ in pairs], [last for _, last in pairs]


def _in(table: str, c: str) -> bool:
    """Whether a character is in a range table."""
    firsts, lasts = _starts(table)
    at = bisect.bisect_right(firsts, ord(c)) - 1
    return at >= 0 and ord(c) <= lasts[at]


def is_alphabetic(c: str) -> bool:
    """Rust's `char::is_alphabetic` (the Alphabetic property)."""
    return _in("alphabetic", c)


def is_numeric(c: str) -> bool:
    """Rust's `char::is_numeric` (general category N)."""
    return _in("number", c)
