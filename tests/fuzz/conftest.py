"""Fuzz settings: a short run by default, long runs with PACKLS_FUZZ_EXAMPLES=N (or `--fuzz-long`).

Every test here counts the cases it ran per area; the totals are printed at the end of the
run ("packls fuzz: ..."), which is what the issue note reports.

`--fuzz-long` is available when pytest is pointed at this folder (`pytest tests/fuzz
--fuzz-long`); from the repository root use the variable: `PACKLS_FUZZ_EXAMPLES=5000 make test`.
"""

from __future__ import annotations

import os
from collections import Counter

import pytest
from hypothesis import HealthCheck, settings

LONG_EXAMPLES = 5000
CASES: Counter[str] = Counter()
FAILURES: Counter[str] = Counter()


def examples(default: int) -> int:
    """How many generated cases a fuzz test runs: its short default, or the long-run count."""
    value = os.environ.get("PACKLS_FUZZ_EXAMPLES", "").strip()
    return max(int(value), 1) if value.isdigit() else default


def fuzz_settings(default: int, **overrides: object) -> settings:
    """Hypothesis settings for one fuzz test (no deadline: CPU is shared; failures are real bugs)."""
    return settings(
        max_examples=examples(default),
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
        derandomize=os.environ.get("PACKLS_FUZZ_SEED") is None and "PACKLS_FUZZ_EXAMPLES" not in os.environ,
        print_blob=True,
        **overrides,  # type: ignore[arg-type]
    )


def count(area: str, cases: int = 1) -> None:
    """Record cases run for the end-of-run summary."""
    CASES[area] += cases


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--fuzz-long", action="store_true", default=False, help=f"run {LONG_EXAMPLES} cases per fuzz test")


def pytest_configure(config: pytest.Config) -> None:
    if config.getoption("--fuzz-long", default=False) and "PACKLS_FUZZ_EXAMPLES" not in os.environ:
        os.environ["PACKLS_FUZZ_EXAMPLES"] = str(LONG_EXAMPLES)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if CASES:
        parts = ", ".join(f"{area} {n}" for area, n in sorted(CASES.items()))
        terminalreporter.write_line(f"packls fuzz: {sum(CASES.values())} cases ({parts})")
