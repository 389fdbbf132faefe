"""One object for each value that repeats across a workspace's trees: span offsets and mapping keys.

The trees of a 10,000-file workspace hold over a million span offsets and half a million mapping
keys (bench/PROFILE.md section 10). An offset past 256 is an int object of its own (32 bytes) and
every key a string of its own, yet pack files are short and their keys few distinct words, so
nearly all of them equal one already held. Both tables hold immutable values only, so nothing in
them can go stale; interned keys are freed by Python once no tree holds them.
"""

from __future__ import annotations

from sys import intern as shared_key

__all__ = ["SHARED_OFFSETS", "share_offsets", "shared_key"]

_MOST = 1 << 16  # offsets shared: texts up to 64 K characters (every ordinary pack file); ~2.6 MB at most
SHARED_OFFSETS: list[int] = []  # SHARED_OFFSETS[i] is i: one int object per offset for every tree


def share_offsets(length: int) -> None:
    """Have one shared int for every offset of a text this long (the table grows to the longest text seen)."""
    have = len(SHARED_OFFSETS)
    if have <= length and have < _MOST:
        SHARED_OFFSETS.extend(range(have, min(length + 1, _MOST)))
