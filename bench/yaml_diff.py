"""Differential check of the libyaml fast path against the ruamel reference path.

    python bench/yaml_diff.py [--mutations N] [--seed S] PATH...

For every YAML file under PATH (and N random mutations of each, when asked) the text is parsed
both ways; whenever the fast path accepts a text, its documents, spans, typed values, styles,
aliases (shared nodes) and duplicate keys must equal ruamel's, and ruamel must not report a
problem. Prints counts and the first disagreements; exit 1 on any disagreement.
"""

from __future__ import annotations

import argparse
import math
import random
import sys
from pathlib import Path

from packls.syntax import parse as P
from packls.syntax.fast import compose_fast
from packls.syntax.nodes import Mapping, Scalar, Sequence

MUTATION_CHARS = list(":-[]{}#&*!|>'\"%@`,? \n\t\r.0123456789abcxyz~\\é😀\u2028\x85")


def same_value(a: object, b: object) -> bool:
    if type(a) is not type(b):
        return False
    if isinstance(a, float) and math.isnan(a):
        return math.isnan(b)  # type: ignore[arg-type]
    return a == b


def compare(a, b, pairs: dict[int, int], path: str = "$") -> str | None:
    """None when the two node trees are identical (shape, spans, values, sharing)."""
    if id(a) in pairs:
        return None if pairs[id(a)] == id(b) else f"{path}: aliasing differs"
    pairs[id(a)] = id(b)
    if type(a) is not type(b):
        return f"{path}: {type(a).__name__} vs {type(b).__name__}"
    if a.span != b.span:
        return f"{path}: span {a.span} vs {b.span}"
    if isinstance(a, Scalar):
        if not same_value(a.value, b.value) or a.text != b.text or a.style != b.style:
            return f"{path}: scalar {a.value!r}/{a.text!r}/{a.style!r} vs {b.value!r}/{b.text!r}/{b.style!r}"
        return None
    if a.flow != b.flow:
        return f"{path}: flow {a.flow} vs {b.flow}"
    if isinstance(a, Mapping):
        if len(a.pairs) != len(b.pairs):
            return f"{path}: {len(a.pairs)} vs {len(b.pairs)} pairs"
        for i, (pa, pb) in enumerate(zip(a.pairs, b.pairs)):
            for x, y, what in ((pa.key, pb.key, "key"), (pa.value, pb.value, "value")):
                d = compare(x, y, pairs, f"{path}.{i}.{what}")
                if d:
                    return d
        return None
    assert isinstance(a, Sequence)
    if len(a.items) != len(b.items):
        return f"{path}: {len(a.items)} vs {len(b.items)} items"
    for i, (x, y) in enumerate(zip(a.items, b.items)):
        d = compare(x, y, pairs, f"{path}[{i}]")
        if d:
            return d
    return None


def check(text: str) -> tuple[str, str | None]:
    """('refused'|'same'|'diff', detail)."""
    dups: list = []
    try:
        fast = compose_fast(text, dups)
    except Exception as error:  # the fast path must never raise
        return "diff", f"fast path raised {error!r}"
    if fast is None:
        return "refused", None
    ref = P._parse_with_ruamel(text, P.ParsedYaml(text))
    if ref.problem is not None:
        return "diff", f"fast accepted, ruamel reports: {ref.problem.message}"
    if len(fast) != len(ref.documents):
        return "diff", f"{len(fast)} vs {len(ref.documents)} documents"
    pairs: dict[int, int] = {}
    for i, (a, b) in enumerate(zip(fast, ref.documents)):
        d = compare(a, b, pairs, f"doc{i}")
        if d:
            return "diff", d
    if [(d.key, d.first, d.again) for d in dups] != [(d.key, d.first, d.again) for d in ref.duplicates]:
        return "diff", "duplicates differ"
    return "same", None


def mutate(text: str, rng: random.Random) -> str:
    for _ in range(rng.randint(1, 3)):
        op = rng.random()
        i = rng.randint(0, len(text))
        if op < 0.35:
            text = text[:i] + rng.choice(MUTATION_CHARS) + text[i:]
        elif op < 0.6 and text:
            text = text[:i] + text[i + 1:]
        elif op < 0.75:
            lines = text.split("\n")
            k = rng.randrange(len(lines))
            lines.insert(k, lines[rng.randrange(len(lines))])
            text = "\n".join(lines)
        elif op < 0.9:
            lines = text.split("\n")
            k = rng.randrange(len(lines))
            lines[k] = " " * rng.randint(0, 3) + lines[k].lstrip(" ") if rng.random() < 0.5 else lines[k][1:]
            text = "\n".join(lines)
        else:
            j = rng.randint(i, min(len(text), i + 40))
            text = text[:i] + text[j:]
    return text


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("paths", nargs="+", type=Path)
    ap.add_argument("--mutations", type=int, default=0)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--limit", type=int, default=0, help="at most this many files per path")
    args = ap.parse_args()
    rng = random.Random(args.seed)
    files: list[Path] = []
    for p in args.paths:
        found = sorted(p.rglob("*.y*ml")) if p.is_dir() else [p]
        files += found[: args.limit] if args.limit else found
    counts = {"same": 0, "refused": 0, "diff": 0}
    shown = 0
    for f in files:
        base = f.read_text(encoding="utf-8", errors="replace")
        texts = [base] + [mutate(base, rng) for _ in range(args.mutations)]
        for t in texts:
            verdict, detail = check(t)
            counts[verdict] += 1
            if verdict == "diff" and shown < 10:
                shown += 1
                print(f"DIFF {f}: {detail}\n---\n{t[:600]}\n---")
    print(f"{len(files)} files: {counts}")
    return 1 if counts["diff"] else 0


if __name__ == "__main__":
    sys.exit(main())
