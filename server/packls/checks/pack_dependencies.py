"""`pack.yaml` dependencies checked against the workspace and the synced pack indexes."""

from __future__ import annotations

from typing import Iterator

from packls.checks.base import finding, sub_span
from packls.checks.rules import DEPENDENCY_INVALID, DEPENDENCY_UNKNOWN_PACK, DEPENDENCY_VERSION_MISMATCH
from packls.findings import Finding
from packls.model import Manifest
from packls.pack_dependencies import check_dependency
from packls.syntax.nodes import Scalar
from packls.workspace import SourceFile, Workspace

_RULES = {"unknown": DEPENDENCY_UNKNOWN_PACK, "version": DEPENDENCY_VERSION_MISMATCH, "invalid": DEPENDENCY_INVALID}


def check_pack_dependencies(source: SourceFile, workspace: Workspace) -> Iterator[Finding]:
    """Unknown packs (only once indexes are synced) and versions the known pack does not satisfy."""
    manifest = source.component
    if not isinstance(manifest, Manifest):
        return
    for item in manifest.items("dependencies"):
        if not (isinstance(item, Scalar) and isinstance(item.value, str)):
            continue
        status = check_dependency(item.value, workspace)
        if status.problem is None:
            continue
        span = item.span
        if status.problem != "unknown" and status.dependency.version is not None:
            span = sub_span(item, source.text, status.dependency.version_start, len(item.value))
        yield finding(source, span, _RULES[status.problem], status.message or "", data={"dependency": status.dependency.ref})
