"""Dashboards: scope_type and visibility, which Attune validates before storing the spec."""

from __future__ import annotations

from typing import Iterator

from packls.checks.base import finding
from packls.checks.rules import DASHBOARD_INVALID_SPEC
from packls.findings import Finding
from packls.syntax.nodes import Scalar
from packls.workspace import SourceFile, Workspace

_SCOPES = ("global", "pack", "identity", "tenant")
_VISIBILITIES = ("private", "pack", "public")


def check_dashboard(source: SourceFile, workspace: Workspace) -> Iterator[Finding]:
    """Unknown scope_type / visibility values: the dashboard is skipped at registration."""
    component = source.component
    if component is None:
        return
    for key, allowed, words in (
        ("scope_type", _SCOPES, "global, pack, identity, or tenant"),
        ("visibility", _VISIBILITIES, "private, pack, or public"),
    ):
        node = component.node.value(key)
        if node is None or (isinstance(node, Scalar) and node.value is None):
            continue
        value = node.value if isinstance(node, Scalar) else None
        if not isinstance(value, str) or value.strip().lower() not in allowed:
            shown = value if isinstance(value, str) else (node.text if isinstance(node, Scalar) else "?")
            yield finding(
                source, node.span, DASHBOARD_INVALID_SPEC, f"invalid dashboard {key} '{shown}'; expected {words}",
                data={"allowed": list(allowed)},
            )
