"""Mapping keys JSON cannot hold: Attune converts every component file to JSON before it reads it.

pack check's environment inspection (pack_check.rs@776988df `check_environment_metadata`) and the
permission plan turn each component and workflow file into a `serde_json::Value`; serde_json
refuses a null key, a sequence or mapping used as a key, a tagged key and a float key that is not
finite. pack check then reports `environment.invalid` (and `dashboard.invalid_yaml_value` for a
dashboard), and registration, which fails on any environment problem, refuses the pack.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Iterator

from packls.checks.base import finding
from packls.checks.rules import DASHBOARD_INVALID_YAML_VALUE, ENVIRONMENT_INVALID
from packls.findings import Finding
from packls.model import FileKind
from packls.syntax.nodes import Mapping, Node, Sequence
from packls.workspace import SourceFile, Workspace

_MAX_NODES = 200_000  # aliases can make a small file a huge tree; stop looking long before that
_NOT_STRING = "key must be a string"
_NOT_FINITE = "float key must be finite (got NaN or +/-inf)"


@dataclass(frozen=True)
class BadKey:
    """A key serde_json refuses: the key node, what it is, and serde_json's own words."""

    node: Node
    what: str
    reason: str


def first_bad_key(root: Node, text: str) -> BadKey | None:
    """The first key in document order that serde_json cannot turn into an object key (it stops there)."""
    pending: list[tuple[bool, Node]] = [(False, root)]  # (is a key, node), last item next
    visited = 0
    while pending:
        is_key, node = pending.pop()
        visited += 1
        if visited > _MAX_NODES:
            return None
        if is_key:
            bad = _key_problem(node, text)
            if bad is not None:
                return bad
            continue
        if isinstance(node, Mapping):
            for pair in reversed(node.pairs):
                pending.append((False, pair.value))
                pending.append((True, pair.key))
        elif isinstance(node, Sequence):
            pending.extend((False, item) for item in reversed(node.items))
    return None


def _key_problem(key: Node, text: str) -> BadKey | None:
    if isinstance(key, Mapping):
        return BadKey(key, "a mapping used as a key", _NOT_STRING)
    if isinstance(key, Sequence):
        return BadKey(key, "a sequence used as a key", _NOT_STRING)
    written = text[key.span.start:key.span.end]
    if written.startswith("!") and not written.startswith("!!"):
        return BadKey(key, "a tagged key", _NOT_STRING)  # serde_yaml keeps it as a tagged value, a map
    if key.value is None:
        return BadKey(key, "a null key", _NOT_STRING)
    if isinstance(key.value, float) and not math.isfinite(key.value):
        return BadKey(key, f"the key {key.text}", _NOT_FINITE)
    return None


def check_json_keys(source: SourceFile, workspace: Workspace) -> Iterator[Finding]:
    """A component or workflow file with a key JSON cannot hold: the pack fails to load."""
    root = source.parsed.root
    if root is None or source.parsed.problem is not None or source.parsed.duplicates or not isinstance(root, Mapping):
        return
    bad = first_bad_key(root, source.text)
    if bad is None:
        return
    words = f"{bad.what} cannot be a JSON object key ({bad.reason})"
    if source.kind is FileKind.DASHBOARD:
        yield finding(
            source, bad.node.span, DASHBOARD_INVALID_YAML_VALUE,
            f"{words}: pack check rejects the dashboard, and Attune cannot inspect the file's environment "
            "metadata, so the pack fails to load",
        )
        return
    yield finding(
        source, bad.node.span, ENVIRONMENT_INVALID,
        f"{words}: Attune cannot inspect the file's environment metadata, so it refuses to load the pack",
    )
