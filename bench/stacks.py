"""Summarise py-spy's collapsed stacks (`--format raw`): where the time goes, by function.

    python bench/stacks.py PROFILE.txt [--top 30] [--under FUNCTION]

Inclusive share = samples whose stack contains the function (counted once per stack);
self share = samples where it is the innermost frame. `--under` keeps only stacks through
a function (e.g. `_workspace_pass`), so one phase can be read on its own.
"""

from __future__ import annotations

import argparse
import re
from collections import Counter
from pathlib import Path

_FRAME = re.compile(r"^(?P<name>.*?) \((?P<file>[^()]*?)(?::(?P<line>\d+))?\)$")


def short(frame: str) -> str:
    m = _FRAME.match(frame)
    if not m:
        return frame
    path = m.group("file")
    for marker in ("site-packages/", "/server/", "/lib/python3"):
        if marker in path:
            path = path.split(marker, 1)[1]
    return f"{m.group('name')} ({path})"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("profile", type=Path)
    ap.add_argument("--top", type=int, default=30)
    ap.add_argument("--under")
    ap.add_argument("--idle", action="store_true", help="keep idle stacks (selectors, waits)")
    args = ap.parse_args()
    inclusive: Counter[str] = Counter()
    own: Counter[str] = Counter()
    total = 0
    for line in args.profile.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        if not stack or not count.isdigit():
            continue
        frames = [short(f) for f in stack.split(";")]
        if args.under and not any(args.under in f for f in frames):
            continue
        if not args.idle and any(x in frames[-1] for x in ("select (", "wait (", "_worker (concurrent", "poll (")):
            continue
        n = int(count)
        total += n
        for f in set(frames):
            inclusive[f] += n
        own[frames[-1]] += n
    print(f"{total} busy samples" + (f" under {args.under}" if args.under else ""))
    print("inclusive:")
    for f, n in inclusive.most_common(args.top):
        print(f"  {100 * n / max(total, 1):5.1f}%  {f}")
    print("self:")
    for f, n in own.most_common(args.top // 2):
        print(f"  {100 * n / max(total, 1):5.1f}%  {f}")


if __name__ == "__main__":
    main()
