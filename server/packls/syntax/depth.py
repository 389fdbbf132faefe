"""How deep flow brackets nest: a text nested deeper than MAX_FLOW_DEPTH is refused before parsing."""

from __future__ import annotations

import re

_BRACKETS = re.compile(r"[\[\]{}]")
MAX_FLOW_DEPTH = 300  # ruamel's recursive composer gives up a little deeper, after seconds of work


def flow_depth_exceeded(text: str) -> int | None:
    """Offset where flow brackets first nest deeper than MAX_FLOW_DEPTH (cheap: brackets only)."""
    if text.count("[") + text.count("{") <= MAX_FLOW_DEPTH:
        return None
    depth = 0
    for match in _BRACKETS.finditer(text):
        if match.group() in "[{":
            depth += 1
            if depth > MAX_FLOW_DEPTH:
                return match.start()
        elif depth:
            depth -= 1
    return None


def has_bracket(text: str) -> bool:
    """True when text holds a flow bracket: an edit without any keeps every depth of the text it edits."""
    return _BRACKETS.search(text) is not None
