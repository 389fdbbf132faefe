"""Write server/packls/rustregex/class_costs.json: NFA builder bytes one class adds, as Rust's regex measures them.

A Unicode class compiles to a UTF-8 automaton of many states (`\\w` adds about 20 KB to the
forward NFA, 50 KB to the reverse one), which the size bound in packls.rustregex.size needs to know to report `\\w{600}`
(refused by Rust for size) without a Rust toolchain. For every Perl class, `.`, and `\\p{…}` /
`\\P{…}` of each binary property, general category and script, the oracle's `nfa` command
measures both NFAs of `(?:X){n}` for n = 1, 2, 3 and 66; the smallest step, less 2%, is what
one copy of the class at least costs (the builder compiles every copy afresh). Only costs above one
plain state (32 bytes) are kept.

    tools/regex-oracle/build.sh && .venv/bin/python tools/regex-oracle/class_costs.py
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1] / "server"))

from gen_cases import ORACLE, ask  # noqa: E402  (the oracle's protocol, shared)

from packls.rustregex.unicode import _data, resolve  # noqa: E402

OUT = HERE.parents[1] / "server/packls/rustregex/class_costs.json"
STATE_BYTES = 32
PERL = ("\\d", "\\D", "\\s", "\\S", "\\w", "\\W")
DOTS = {".": ".", "(?s:.)": "s"}
# A negated class of ASCII characters holds every non-ASCII scalar: its UTF-8 automaton has all of
# `[^\x00-\x7F]`'s states, whatever ASCII characters it leaves out; both ends of that are measured.
NEGATED_ASCII = ("[^\\x00-\\x7F]", "[^a]")


def copy_costs(patterns: list[str]) -> list[list[int]]:
    """Bytes one copy of each class adds to the forward and to the reverse NFA, at least."""
    counts = (1, 2, 3, 66)
    requests = [("nfa", f"(?:{pattern}){{{count}}}") for count in counts for pattern in patterns]
    answers = [[int(size) for size in answer.split(" ")] for answer in ask(ORACLE, requests)]
    one, two, three, many = (answers[i * len(patterns) : (i + 1) * len(patterns)] for i in range(len(counts)))
    # Copies cost a little more or less than each other (the builder's accounting of its transition
    # lists): the smallest step over 1→2, 2→3 and the average over 2→66, less 2%, is a floor.
    return [
        [int(min(b[d] - a[d], c[d] - b[d], (m[d] - b[d]) / 64) * 0.98) for d in (0, 1)]
        for a, b, c, m in zip(one, two, three, many)
    ]


def main() -> int:
    if not ORACLE.exists():
        print(f"missing {ORACLE}: run tools/regex-oracle/build.sh first", file=sys.stderr)
        return 1
    tables = _data()["tables"]
    unicode: dict[str, str] = {}  # pattern → key `Kind:Canonical` or `!Kind:Canonical` (negated)
    for kind, names in (("binary", tables["binary"]), ("General_Category", tables["General_Category"]), ("Script", tables["Script"])):
        for name in names:
            found = resolve(name, None) if kind != "General_Category" else resolve("gc", name)
            if isinstance(found, tuple) and found[0] == kind:
                unicode[f"\\p{{{name}}}"] = f"{kind}:{found[1]}"
                unicode[f"\\P{{{name}}}"] = f"!{kind}:{found[1]}"
    patterns = [*PERL, *DOTS, *NEGATED_ASCII, *unicode]
    costs = dict(zip(patterns, copy_costs(patterns)))
    data = {
        "source": "[forward, reverse] NFA bytes per copy, regex-automata 0.4.18 (tools/regex-oracle/class_costs.py)",
        "perl": {p: costs[p] for p in PERL if max(costs[p]) > STATE_BYTES},
        "dot": {flags: costs[p] for p, flags in DOTS.items() if max(costs[p]) > STATE_BYTES},
        "negated_ascii": [min(costs[p][d] for p in NEGATED_ASCII) for d in (0, 1)],
        "unicode": {key: costs[p] for p, key in unicode.items() if max(costs[p]) > STATE_BYTES},
    }
    OUT.write_text(json.dumps(data, separators=(",", ":"), sort_keys=True) + "\n")
    print(f"{OUT}: {len(data['perl'])} Perl classes, {len(data['dot'])} dots, {len(data['unicode'])} Unicode classes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
