"""The YAML 1.2 type of a plain scalar, decided as ruamel.yaml's resolver decides it, without importing ruamel.

The fast path (libyaml) hands over untyped scalar texts; packls types them as YAML 1.2, like
ruamel's composer on the reference path. Importing ruamel's resolver loads the whole ruamel
package (~10 ms at every start), so its rules are written out here: ruamel's YAML 1.2 implicit
resolvers that give a typed value (bool, float, int, null), with the same patterns, flags, first
characters and order. Its other YAML 1.2 resolvers (merge `<<`, timestamp, value `=`) tag a text
that packls reads as a string anyway. `tests/test_plain_scalars.py` compares these rules with
ruamel's own, pattern for pattern, and the answers on many sample texts.
"""

from __future__ import annotations

import re

TAG_PREFIX = "tag:yaml.org,2002:"
STR_TAG = TAG_PREFIX + "str"

# (tag, pattern, first characters), in ruamel.yaml.resolver.implicit_resolvers' order.
TYPED_RESOLVERS: tuple[tuple[str, re.Pattern[str], tuple[str, ...]], ...] = (
    (TAG_PREFIX + "bool", re.compile("""^(?:true|True|TRUE|false|False|FALSE)$""", re.X), tuple("tTfF")),
    (TAG_PREFIX + "float", re.compile("""^(?:
         [-+]?(?:[0-9][0-9_]*)\\.[0-9_]*(?:[eE][-+]?[0-9]+)?
        |[-+]?(?:[0-9][0-9_]*)(?:[eE][-+]?[0-9]+)
        |[-+]?\\.[0-9_]+(?:[eE][-+][0-9]+)?
        |[-+]?\\.(?:inf|Inf|INF)
        |\\.(?:nan|NaN|NAN))$""", re.X), tuple("-+0123456789.")),
    (TAG_PREFIX + "int", re.compile("""^(?:[-+]?0b[0-1_]+
        |[-+]?0o?[0-7_]+
        |[-+]?[0-9_]+
        |[-+]?0x[0-9a-fA-F_]+)$""", re.X), tuple("-+0123456789")),
    (TAG_PREFIX + "null", re.compile("""^(?: ~
        |null|Null|NULL
        | )$""", re.X), ("~", "n", "N", "")),
)

_BY_FIRST: dict[str, list[tuple[str, re.Pattern[str]]]] = {}
for _tag, _pattern, _firsts in TYPED_RESOLVERS:
    for _first in _firsts:
        _BY_FIRST.setdefault(_first, []).append((_tag, _pattern))

# First characters of the texts some rule may type; a text starting with any other is a string.
TYPED_FIRST_CHARS = frozenset(first for first in _BY_FIRST if first)


def plain_tag(text: str) -> str:
    """The tag ruamel's YAML 1.2 resolver gives a plain scalar with this text; str where ruamel's tag still means a
    string to packls (merge `<<`, timestamp, value `=`)."""
    for tag, pattern in _BY_FIRST.get(text[:1], ()):
        if pattern.match(text):
            return tag
    return STR_TAG
