"""Glue: the declared runtime versions to verify, from workspace packs and the built-in catalog.

The one place where the sync meets `packls.workspace`; swap this function and nothing
else changes. Versions Attune's loader would skip (no string `version`) are skipped.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Sequence

from packls.registry.detect import DetectTarget, target_for, unique_targets
from packls.syntax.nodes import Mapping, Node, Scalar
from packls.syntax.nodes import Sequence as SequenceNode
from packls.workspace import Workspace


def targets_from_yaml(paths: Sequence[str | os.PathLike[str]]) -> list[DetectTarget]:
    """Every declared runtime version under `paths` (workspace runtimes first), then the catalog's."""
    workspace = Workspace.load([Path(p) for p in paths])
    targets = []
    for runtime in workspace.runtimes():
        ref = runtime.ref
        if not ref:
            continue
        for entry in runtime.versions:
            if entry.version is None:
                continue
            meta = entry.node.value("meta") if isinstance(entry.node, Mapping) else None
            targets.append(target_for(
                ref,
                runtime.display_name,
                entry.version,
                execution_config=_plain_mapping(entry.execution_config),
                distributions=_plain_mapping(entry.distributions),
                is_default=entry.is_default,
                meta=_plain_mapping(meta),
            ))
    return unique_targets(targets)


def _plain_mapping(node: Node | None) -> dict[str, Any]:
    value = _plain(node) if node is not None else None
    return value if isinstance(value, dict) else {}


def _plain(node: Node) -> Any:
    """A syntax node as plain JSON-able data, the way the loader stores it as JSONB."""
    if isinstance(node, Mapping):
        result: dict[str, Any] = {}
        for pair in node.pairs:
            key = pair.key_text
            if key is not None and key not in result:  # first duplicate wins, as in lookups
                result[key] = _plain(pair.value)
        return result
    if isinstance(node, SequenceNode):
        return [_plain(item) for item in node.items]
    if isinstance(node, Scalar):
        value = node.value
        return value if isinstance(value, (str, int, float, bool)) or value is None else str(value)
    return None
