"""PyYAML's import without its most expensive line: the pure-Python reader's character class.

`yaml.reader` compiles, when imported, a negated class spanning almost all of Unicode. Python's
`re` builds that class range by range: about 57 million instructions, ~15 ms, a tenth of a
whole `packls validate` of a small pack. packls reads YAML with libyaml's C parser and never
runs that reader, but importing PyYAML imports it. So before the import, `re`'s cache is given
the same class written as its complement (six small ranges, the same characters, ~1 % of the
cost) under the pattern's own text; `tests/test_pyyaml_reader.py` checks both match the same
1,114,112 code points and that the import found it.
"""

from __future__ import annotations

import re

# As yaml/reader.py (PyYAML 5.1 to 6.0.x) writes it: the characters a YAML stream may not hold.
READER_PATTERN = "[^\x09\x0A\x0D\x20-\x7E\x85\xA0-\uD7FF\uE000-\uFFFD\U00010000-\U0010ffff]"
# The same set, listed instead of negated.
SAME_CHARACTERS = "[\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x84\x86-\x9F\uD800-\uDFFF\uFFFE\uFFFF]"


def prime() -> re.Pattern[str] | None:
    """Put the cheap pattern into `re`'s cache for PyYAML to find; None where that cache differs.

    CPython 3.11 to 3.13 key the cache by (type, pattern, flags); any other layout is left alone,
    and PyYAML then compiles its own pattern (slower, never wrong).
    """
    cache = getattr(re, "_cache", None)
    if not isinstance(cache, dict) or len(cache) >= getattr(re, "_MAXCACHE", 512) - 1:
        return None
    compiled = re.compile(SAME_CHARACTERS)
    cache.setdefault((str, READER_PATTERN, 0), compiled)
    return compiled
