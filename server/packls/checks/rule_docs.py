"""Each rule's long explanation with its bad and good example: the sections of docs/rules.md.

The package carries docs/rules.md itself (`checks/rules.md` links to it), so `packls rule CODE`
prints exactly what the documentation says and the suite executes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

RULES_DOC = Path(__file__).with_name("rules.md")
_SECTION = re.compile(r"^## `([^`]+)`\n(.*?)(?=^## |\Z)", re.S | re.M)


@dataclass(frozen=True)
class RuleDoc:
    """One rule's section: its markdown body (severity line, explanation, **Bad** and **Good** examples)."""

    code: str
    body: str

    @property
    def markdown(self) -> str:
        """The section as it reads in docs/rules.md."""
        return f"## `{self.code}`\n\n{self.body.strip()}\n"


@lru_cache(maxsize=1)
def rule_docs() -> dict[str, RuleDoc]:
    """Every documented rule by code (empty when the documentation is not installed)."""
    try:
        text = RULES_DOC.read_text(encoding="utf-8")
    except OSError:
        return {}
    return {code: RuleDoc(code, body) for code, body in _SECTION.findall(text)}
