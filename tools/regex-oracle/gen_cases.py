"""Generate tests/data/rust-regex/cases.tsv: patterns and what Rust's regex crate answers for them.

    tools/regex-oracle/build.sh                  # once: the oracle on Attune's crate versions
    .venv/bin/python tools/regex-oracle/gen_cases.py            # write the case file
    .venv/bin/python tools/regex-oracle/gen_cases.py --verify   # re-ask the oracle (expect 0 changes)
    .venv/bin/python tools/regex-oracle/gen_cases.py --compare target/bookworm/release/regex-oracle

Cases: every `pattern` string in the repository's YAML (the corpus, example packs, the built-in
catalog) and docs, hand-written syntax edge cases (edge_cases.txt), `\\p{…}` names, a seeded random soup of pattern
pieces, patterns at the size and nesting limits (thresholds found by asking the oracle), NFA sizes
for calibration. Stdlib and PyYAML only; the seed is fixed.

Format: a `#` header, then CLASS⇥COMMAND⇥ARG…⇥EXPECTED with every ARG a JSON string.
compile → ok | size | syntax:Kind:start-end; nfa → "forward reverse" builder bytes.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import subprocess
import sys
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
OUT = ROOT / "tests/data/rust-regex/cases.tsv"
ORACLE = HERE / "target/attune/release/regex-oracle"
SEED = 0x5E6E


def ask(oracle: Path, requests: list[tuple[str, ...]]) -> list[str]:
    """One answer per request, from the oracle program."""
    lines = "".join("\t".join((cmd, *(a.encode().hex() for a in args))) + "\n" for cmd, *args in requests)
    done = subprocess.run([str(oracle)], input=lines.encode(), capture_output=True, check=True, timeout=3600)
    answers = done.stdout.decode().split("\n")[:-1]
    assert len(answers) == len(requests), (len(answers), len(requests))
    return answers


# -- where the patterns come from -------------------------------------------------------------------

def repository_patterns() -> list[str]:
    """Every string under a `pattern` key in the repository's YAML, and `pattern: '…'` in docs."""
    found: set[str] = set()

    def walk(value: object) -> None:
        if isinstance(value, dict):
            for key, item in value.items():
                if key == "pattern" and isinstance(item, str):
                    found.add(item)
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    for folder in ("tests/data/corpus", "packs", "server/packls/catalog"):
        for path in sorted((ROOT / folder).rglob("*.y*ml")):
            try:
                for document in yaml.safe_load_all(path.read_text(encoding="utf-8")):
                    walk(document)
            except (yaml.YAMLError, UnicodeDecodeError, ValueError):
                continue
    for path in sorted((ROOT / "docs").rglob("*.md")):
        for match in re.finditer(r"pattern: '((?:[^'\n]|'')*)'", path.read_text(encoding="utf-8")):
            found.add(match.group(1).replace("''", "'"))
    return sorted(found)


# Hand-written syntax and size edge cases, one pattern a line (a pattern cannot hold a newline here).
EDGE_CASES = (HERE / "edge_cases.txt").read_text(encoding="utf-8").rstrip("\n").split("\n")


# -- generated patterns -------------------------------------------------------------------------

PIECES = (
    "a", "b", "é", "中", "😀", " ", "-", "]", "}", "#", "\n", ".", "^", "$", "|", "(", ")", "[", "]",
    "(?:", "(?i)", "(?-u)", "(?x)", "(?s:", "(?P<n>", "(?<m>", "(?=", "(?#", "(?i", "(?-", "(?<",
    "*", "+", "?", "*?", "{2}", "{2,}", "{2,3}", "{3,2}", "{,3}", "{", "{x}", "{2", "++", "{ 2 }",
    r"\d", r"\w", r"\s", r"\D", r"\W", r"\S", r"\b", r"\B", r"\A", r"\z", r"\Z", r"\<", r"\>",
    r"\b{start}", r"\b{x}", r"\b{", r"\x41", r"\xFF", r"\x{263A}", r"\x{110000}", r"\u0041", r"\pL",
    r"\p{L}", r"\p{Greek}", r"\p{sc=Greek}", r"\p{Foo}", r"\PL", r"\q", r"\/", r"\-", r"\ ", r"\1", r"\e",
    "[a-z]", "[^a]", "[]a]", "[a-]", "[-a]", "[[:alpha:]]", "[[:foo:]]", "[a&&b]", r"[\d--5]", "[a~~b]",
    "[z-a]", r"[\w-z]", "[", "[]", "[^]", r"[\b]", r"[a-\d]", "[[a]b]", "[a[^b]]", "\\",
)


def random_patterns(rng: random.Random, count: int) -> list[str]:
    out = []
    for _ in range(count):
        pieces = [rng.choice(PIECES) for _ in range(rng.randint(1, 8))]
        if rng.random() < 0.15:
            pieces.insert(0, "(?x)")
        out.append("".join(pieces))
    return out


def unicode_name_patterns(rng: random.Random) -> list[str]:
    """`\\p{…}` with every property name and a sample of values, in loose spellings and broken ones."""
    data = json.loads((ROOT / "server/packls/rustregex/unicode_names.json").read_text())
    out = [rf"\p{{{name}}}" for name in data["property_names"]]
    by_property = {**data["property_values"]}
    by_property.setdefault("Script_Extensions", by_property["Script"])  # stored once, under Script
    for prop in sorted(by_property):
        sample = sorted(by_property[prop].items())
        for norm, canonical in rng.sample(sample, min(len(sample), 25)):
            out += [rf"\p{{{prop}={canonical}}}", rf"\p{{{norm}}}", rf"\P{{{prop}:{norm}}}"]
    for name in rng.sample(sorted(data["property_names"]), 40):
        out += [rf"\p{{ Is-{name.upper()} }}", rf"\p{{{name}x}}", rf"\p{{{name}=Yes}}"]
    return out


SIZE_ATOMS = (
    "a", "é", "中", "😀", "ab", r"\d", r"\w", r"\s", r"\D", r"\W", ".", "(?s:.)", "[a-z]", "[^a]", "[a-zA-Z0-9_]",
    r"\p{L}", r"\p{Greek}", r"\p{Han}", r"\pN", "(?i)a", "(?i)k", "(?i:[a-z])", "[[:alpha:]]", "(?:a|b)", "(?:ab|cd)",
    "(a)", "(?:a?)", "(?:a*)", "(?:a+)", r"[\w&&\p{Greek}]", r"\p{Emoji}", r"(?:\d|x)",
)


def at_the_limits(oracle: Path) -> list[tuple[str, str]]:
    """Counted repetitions of each atom around the count where Rust starts refusing it for size."""
    out: list[tuple[str, str]] = []
    for atom in SIZE_ATOMS:
        group = f"(?:{atom})"
        low, high = 1, 400_000
        if ask(oracle, [("compile", f"{group}{{{high}}}")]) != ["size"]:
            continue
        while low < high:  # smallest refused count
            middle = (low + high) // 2
            if ask(oracle, [("compile", f"{group}{{{middle}}}")]) == ["size"]:
                high = middle
            else:
                low = middle + 1
        for count in sorted({high - 2, high - 1, high, high + 1, high * 2, max(1, high // 2)}):
            out.append(("size/exact", f"{group}{{{count}}}"))
        out.append(("size/bounded", f"{group}{{{max(1, high // 2)},{high}}}"))
        out.append(("size/bounded", f"{group}{{0,{high - 1}}}"))
        out.append(("size/at-least", f"{group}{{{high - 1},}}"))
        out.append(("size/nested", f"(?:{group}{{{max(1, high // 10)}}}){{10}}"))
        out.append(("size/nested", f"(?:{group}{{{max(1, high // 10)}}}x){{11}}"))
        out.append(("size/captured", f"({group}{{{max(1, high // 4)}}}){{4}}"))
    for outer, inner in ((1000, 1000), (100, 3300), (3300, 100), (10, 32_000), (2, 163_000), (2, 170_000)):
        out.append(("size/nested", f"(?:a{{{inner}}}){{{outer}}}"))
    out.append(("size/literal", "a" * 340_000))
    out.append(("size/literal", "a" * 300_000))
    out.append(("size/alternation-literals", "|".join(f"w{i:06d}" for i in range(60_000))))
    out.append(("size/alternation", "|".join(f"w{i:06d}x*" for i in range(60_000))))
    return out


SOUP_ATOMS = (
    r"\w", r"\W", r"\d", r"\D", r"\s", "x", "y", "xy", ".", "(?s:.)", "[^a]", r"[^\n,]", r"\p{Greek}", r"\P{L}",
    r"\pL", "[a-z]", "(a)", r"x\w", r"x\W", "(?i)k", r"(?i:\w)", r"(?-u:\w)", "é", r"[\w.-]",
)


def size_soup(rng: random.Random, count: int) -> list[str]:
    """Repeated mixtures of classes, literals, alternations and groups, for the size bound: regex-syntax
    merges some alternations into one class and lifts common prefixes, which must never make packls
    report a size Rust accepts."""

    def piece(depth: int) -> str:
        roll = rng.random()
        if depth > 2 or roll < 0.4:
            return rng.choice(SOUP_ATOMS)
        if roll < 0.7:
            return "(?:" + "|".join(piece(depth + 1) for _ in range(rng.randint(2, 3))) + ")"
        if roll < 0.85:
            return "(?:" + "".join(piece(depth + 1) for _ in range(rng.randint(2, 3))) + ")"
        return "(?:" + piece(depth + 1) + "){" + str(rng.choice([2, 5, 20])) + "}"

    return ["(?:" + piece(0) + "){" + str(rng.choice([50, 200, 600, 2000, 8000, 30000])) + "}" for _ in range(count)]


def nesting() -> list[tuple[str, str]]:
    out = []
    for depth in (124, 125, 126, 249, 250, 251):
        out.append(("nest/group", "(" * depth + "a" + ")" * depth))
        out.append(("nest/noncapture", "(?:" * depth + "a" + ")" * depth))
        out.append(("nest/class", "[" * depth + "a" + "]" * depth))
        out.append(("nest/repeat", "(?:" * depth + "a*" + ")" * depth))
        out.append(("nest/concat", "(?:a" * depth + ")" * depth))
        out.append(("nest/alternation", "(?:a|" * depth + "b" + ")" * depth))
        out.append(("nest/mixed", "(?:[a" * (depth // 2) + "b" + "]a)" * (depth // 2)))
    out.append(("nest/deep", "(" * 5000 + ")" * 5000))
    out.append(("nest/deep", "[" * 5000))
    return out


# -- the case file --------------------------------------------------------------------------------

def build(oracle: Path) -> tuple[list[tuple[str, str, tuple[str, ...]]], list[str]]:
    """The cases and the oracle's answers: every pattern compiled, then NFA sizes of the ones Rust accepts."""
    rng = random.Random(SEED)
    compile_cases: dict[str, str] = {}

    def add(cls: str, pattern: str) -> None:
        compile_cases.setdefault(pattern, cls)

    for pattern in repository_patterns():
        add("corpus", pattern)
    for pattern in EDGE_CASES:
        add("edge", pattern)
    for pattern in unicode_name_patterns(rng):
        add("unicode-name", pattern)
    for pattern in random_patterns(rng, 1500):
        add("random", pattern)
    for cls, pattern in nesting():
        add(cls, pattern)
    for cls, pattern in at_the_limits(oracle):
        add(cls, pattern)
    for pattern in size_soup(rng, 1200):
        add("size/soup", pattern)
    cases = [(cls, "compile", (pattern,)) for pattern, cls in compile_cases.items()]
    answers = ask(oracle, [(cmd, *args) for _, cmd, args in cases])
    # Builder sizes (for the size bound's test) of what compiles: measuring a refused pattern means
    # building NFAs far past the limit, dozens of times each.
    sized = [
        args[0] for (cls, _, args), answer in zip(cases, answers)
        if answer == "ok" and (cls.startswith("size/") and cls != "size/soup" or cls in ("corpus", "edge"))
        and len(args[0]) < 100_000
    ]
    nfa_cases = [("nfa", "nfa", (pattern,)) for pattern in sized]
    return cases + nfa_cases, answers + ask(oracle, [(cmd, *args) for _, cmd, args in nfa_cases])


def encode(field: str) -> str:
    return json.dumps(field, ensure_ascii=False)


def write(cases: list[tuple[str, str, tuple[str, ...]]], answers: list[str]) -> None:
    versions = re.findall(r'name = "(regex(?:-automata|-syntax)?)"\nversion = "([^"]+)"', (HERE / "Cargo.lock").read_text())
    OUT.parent.mkdir(parents=True, exist_ok=True)
    with OUT.open("w", encoding="utf-8", newline="\n") as out:
        out.write(f"# answers of {', '.join(f'{n} {v}' for n, v in versions)} (tools/regex-oracle); seed {SEED:#x}\n")
        for (cls, cmd, args), answer in zip(cases, answers):
            out.write("\t".join((cls, cmd, *map(encode, args), answer)) + "\n")


def read_cases() -> list[tuple[str, str, tuple[str, ...], str]]:
    rows = []
    for line in OUT.read_text(encoding="utf-8").split("\n"):
        if line and not line.startswith("#"):
            cls, cmd, *args, expected = line.split("\t")
            rows.append((cls, cmd, tuple(json.loads(a) for a in args), expected))
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--verify", action="store_true", help="re-ask the oracle about the recorded cases")
    parser.add_argument("--compare", type=Path, help="count the cases another oracle build answers differently")
    options = parser.parse_args()
    if not ORACLE.exists():
        subprocess.run([str(HERE / "build.sh")], check=True)
    if options.verify or options.compare:
        rows = [row for row in read_cases() if not (options.compare and row[1] == "nfa")]
        other = options.compare or ORACLE
        answers = ask(other, [(cmd, *args) for _, cmd, args, _ in rows])
        differ = [(row, answer) for row, answer in zip(rows, answers) if answer != row[3]]
        for (cls, cmd, args, expected), answer in differ[:40]:
            print(f"[{cls}] {cmd} {args[0][:80]!r}: recorded {expected}, now {answer}")
        print(f"{len(differ)} of {len(rows)} cases answered differently")
        return 1 if differ and options.verify else 0
    cases, answers = build(ORACLE)
    write(cases, answers)
    kinds: dict[str, int] = {}
    for (_, cmd, _), answer in zip(cases, answers):
        key = cmd if cmd != "compile" else "compile:" + answer.split(":")[0] + (":" + answer.split(":")[1] if answer.startswith("syntax") else "")
        kinds[key] = kinds.get(key, 0) + 1
    print(f"{OUT}: {len(cases)} cases")
    for key, count in sorted(kinds.items()):
        print(f"  {key}: {count}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
