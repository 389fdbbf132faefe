"""Findings that follow from one file's own content, kept with that content.

A runtime edit re-checks its 1,000 dependents, whose files did not change: checks that read
only the file itself (its keys, its schemas, its JSON-ability) and inputs they name give the same
findings again. They are kept per `SourceFile` (an edit builds a new one, so nothing goes stale)
and only the checks that look at other files run again. They live on the SourceFile itself, so
they go with it.
"""

from __future__ import annotations

import functools
from itertools import islice
from typing import Callable, Hashable, Iterable

from packls.findings import Finding
from packls.sources import SourceFile

MAX_FINDINGS = 1000  # per file: past this, one summary finding instead of the rest (and no work to find them)

OwnCheck = Callable[..., Iterable[Finding]]


def own_content(check: OwnCheck) -> Callable[..., tuple[Finding, ...]]:
    """check(source, *inputs) run once per source and inputs (hashable); its first MAX_FINDINGS + 1 findings kept."""

    @functools.wraps(check)
    def kept(source: SourceFile, *inputs: Hashable) -> tuple[Finding, ...]:
        per_check = source.__dict__.get("_own_findings")
        if per_check is None:
            per_check = source.__dict__.setdefault("_own_findings", {})
        key = (check, *inputs)
        found = per_check.get(key)
        if found is None:
            found = per_check[key] = tuple(islice(check(source, *inputs), MAX_FINDINGS + 1))
        return found

    return kept
