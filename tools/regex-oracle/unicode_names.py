"""Write server/packls/rustregex/unicode_names.json from regex-syntax's Unicode tables.

The tables come from Debian's librust-regex-syntax-dev (unpacked by build.sh under crates/): which
property names, aliases and values `\\p{…}` accepts, and the Alphabetic and Number ranges that decide
which characters a capture group name may hold. Only names and ranges are kept (Unicode facts), so
packls can answer `\\p{Greek}` / `\\p{Foo}` exactly as regex-syntax does without a Rust toolchain.

    python3 tools/regex-oracle/unicode_names.py
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
TABLES = HERE / "crates/root/usr/share/cargo/registry/regex-syntax-0.8.11/src/unicode_tables"
OUT = HERE.parents[1] / "server/packls/rustregex/unicode_names.json"
PAIR = re.compile(r'\("([^"]*)",\s*"([^"]*)"\)')
BY_NAME_ENTRY = re.compile(r'^\s*\("([^"]+)",\s*[A-Z0-9_]+\),?$', re.M)
CHAR = r"'((?:\\u\{[0-9A-Fa-f]+\}|\\.|[^'\\])+)'"
RANGE = re.compile(r"\(" + CHAR + r",\s*" + CHAR + r"\)")


def _char(text: str) -> int:
    if text.startswith("\\u{"):
        return int(text[3:-1], 16)
    if text.startswith("\\"):
        return {"\\0": 0, "\\t": 9, "\\n": 10, "\\r": 13, "\\'": 39, '\\"': 34, "\\\\": 92}[text]
    return ord(text)


def by_name(file: str) -> list[str]:
    """The canonical names a table file's BY_NAME index holds."""
    text = (TABLES / file).read_text()
    start = text.index("pub const BY_NAME")
    return BY_NAME_ENTRY.findall(text[start : text.index("];", start)])


def ranges(file: str, const: str) -> list[list[int]]:
    """The (first, last) code points of one table constant."""
    text = (TABLES / file).read_text()
    start = text.index(f"pub const {const}: ")
    body = text[start : text.index("];", start)]
    return [[_char(a), _char(b)] for a, b in RANGE.findall(body)]


def main() -> int:
    if not TABLES.is_dir():
        print(f"missing {TABLES}: run tools/regex-oracle/build.sh first", file=sys.stderr)
        return 1
    names = (TABLES / "property_names.rs").read_text()
    version = re.search(r"Unicode version: (\d+(?:\.\d+)*)", names).group(1)
    values_text = (TABLES / "property_values.rs").read_text()
    values: dict[str, dict[str, str]] = {}
    for block in re.finditer(r'\(\s*"([A-Za-z_]+)",\s*&\[(.*?)\],\s*\)', values_text, re.S):
        values[block.group(1)] = dict(PAIR.findall(block.group(2)))
    # regex-syntax resolves Script_Extensions values with Script's value table, and both tables
    # hold the same names: stored once (packls.rustregex.unicode reads Script's for both).
    assert values.pop("Script_Extensions") == values["Script"]
    assert by_name("script_extension.rs") == by_name("script.rs")
    data = {
        "source": "regex-syntax 0.8.11 unicode_tables (Debian librust-regex-syntax-dev 0.8.11+dfsg-1)",
        "unicode_version": version,
        "property_names": dict(PAIR.findall(names)),
        "property_values": values,
        "tables": {
            "binary": by_name("property_bool.rs"),
            "General_Category": by_name("general_category.rs"),
            "Script": by_name("script.rs"),
            "Age": by_name("age.rs"),
            "Grapheme_Cluster_Break": by_name("grapheme_cluster_break.rs"),
            "Word_Break": by_name("word_break.rs"),
            "Sentence_Break": by_name("sentence_break.rs"),
        },
        "alphabetic": ranges("property_bool.rs", "ALPHABETIC"),
        "number": ranges("general_category.rs", "NUMBER"),
    }
    OUT.write_text(json.dumps(data, separators=(",", ":"), sort_keys=True) + "\n")
    print(f"{OUT}: {len(data['property_names'])} property names, {sum(map(len, values.values()))} values, "
          f"{len(data['alphabetic'])} + {len(data['number'])} ranges")
    return 0


if __name__ == "__main__":
    sys.exit(main())
