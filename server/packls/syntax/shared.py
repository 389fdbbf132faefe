"""One object for each value that repeats across a workspace's trees: span offsets, keys, short values.

The trees of a 10,000-file workspace hold over a million span offsets, half a million mapping
keys and 200,000 short values (bench/PROFILE.md section 10). An offset past 256 is an int object
of its own (32 bytes) and every scalar's text a string of its own, yet pack files are short, their
keys few distinct words and their short values mostly `string`, `true`, `python` and the like, so
nearly all of them equal one already held. Both tables hold immutable values only, so nothing in
them can go stale; interned texts are freed by Python once no tree holds them.
"""

from __future__ import annotations

import threading
from sys import intern as shared_text

__all__ = ["SHARED_OFFSETS", "SHARED_TEXT", "share_offsets", "shared_text"]

SHARED_TEXT = 16  # values up to this long are shared (keys always): 2,300 distinct among 196,000 in the bench
_MOST = 1 << 16  # offsets shared: texts up to 64 K characters (every ordinary pack file); ~2.6 MB at most
SHARED_OFFSETS: list[int] = []  # SHARED_OFFSETS[i] is i: one int object per offset for every tree
_growing = threading.Lock()  # packs are parsed on worker threads: two growths must not both append


def share_offsets(length: int) -> None:
    """Have one shared int for every offset of a text this long (the table grows to the longest text seen)."""
    if length < len(SHARED_OFFSETS) or len(SHARED_OFFSETS) >= _MOST:
        return
    with _growing:
        have = len(SHARED_OFFSETS)
        if have <= length and have < _MOST:
            SHARED_OFFSETS.extend(range(have, min(length + 1, _MOST)))
