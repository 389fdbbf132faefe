"""Rule selection from the command line (`--select`, `--extend-select`, `--ignore`), ruff's way.

A selector is a rule code (`key.ignored`), an area (`key`, `key.` or `key.*`) or the start of
codes (`runtime_version.un`). `--select` replaces the rules the configuration enables,
`--extend-select` adds to them (turning a rule the configuration switched off back on), and
`--ignore` removes; the command line wins over the configuration file. The result is a
configuration, so suppression comments and severities keep working as before.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, replace
from typing import Iterable, Sequence

from packls.checks.rules import RULES
from packls.config import Config
from packls.findings import Severity


class SelectorError(ValueError):
    """A selector that names no rule (with the closest real code or area, when there is one)."""


@dataclass(frozen=True)
class Selection:
    """What the command line asked for; empty means "as configured"."""

    select: tuple[str, ...] | None = None
    extend_select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()

    @property
    def empty(self) -> bool:
        """True when nothing was asked for."""
        return self.select is None and not self.extend_select and not self.ignore

    def check(self) -> None:
        """Raise SelectorError for the first selector that matches no rule."""
        for selector in (*(self.select or ()), *self.extend_select, *self.ignore):
            if not codes_matching(selector):
                raise SelectorError(unknown_selector_message(selector))

    def apply(self, config: Config) -> Config:
        """The configuration with exactly the selected rules on (each keeps its configured severity)."""
        if self.empty:
            return config
        self.check()
        chosen = set(RULES) if self.select is None else _union(self.select)
        if self.select is None:
            chosen = {code for code in chosen if config.severity_for(code, RULES[code].severity) is not None}
        chosen |= _union(self.extend_select)
        chosen -= _union(self.ignore)
        severity: dict[str, Severity | None] = {}
        for code, rule in RULES.items():
            if code not in chosen:
                severity[code] = None
            else:
                severity[code] = config.severity_for(code, rule.severity) or rule.severity
        return replace(config, severity=severity)


def parse_selectors(values: Iterable[str] | None) -> tuple[str, ...] | None:
    """Comma-separated and repeated option values as one tuple (None when the option was not given)."""
    if values is None:
        return None
    return tuple(part.strip() for value in values for part in value.split(",") if part.strip())


def codes_matching(selector: str) -> list[str]:
    """The rule codes a selector names."""
    text = selector.strip()
    if text in RULES:
        return [text]
    area = text[:-2] if text.endswith(".*") else text[:-1] if text.endswith(".") else text
    in_area = [code for code in RULES if code.split(".", 1)[0] == area]
    if in_area:
        return sorted(in_area)
    return sorted(code for code in RULES if code.startswith(text)) if text else []


def unknown_selector_message(selector: str) -> str:
    """`'key.ignord' is not a packls rule code or prefix; did you mean 'key.ignored'?`"""
    areas = sorted({code.split(".", 1)[0] for code in RULES})
    close = difflib.get_close_matches(selector, [*RULES, *areas], n=1, cutoff=0.6)
    hint = f"; did you mean '{close[0]}'?" if close else " (`packls rules` lists them)"
    return f"'{selector}' is not a packls rule code or prefix{hint}"


def _union(selectors: Sequence[str]) -> set[str]:
    return {code for selector in selectors for code in codes_matching(selector)}
