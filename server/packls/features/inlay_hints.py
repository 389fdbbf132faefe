"""Inlay hints: the version each runtime_version selects, right after the constraint."""

from __future__ import annotations

from dataclasses import dataclass

from packls.features.locate import is_empty_scalar
from packls.features.session import Session
from packls.model import Runnable
from packls.resolve import resolve
from packls.syntax.nodes import Span
from packls.workspace import SourceFile


@dataclass(frozen=True)
class InlayHint:
    """A label shown after an offset, with a tooltip saying why."""

    offset: int
    label: str
    tooltip: str


def inlay_hints(session: Session, source: SourceFile, within: Span | None = None) -> list[InlayHint]:
    """`→ 3.12` (or `→ none`) after the runtime_version of an action or sensor."""
    component = source.component
    if not isinstance(component, Runnable) or component.is_workflow:
        return []
    pair = component.runtime_version_pair
    if pair is None or is_empty_scalar(pair.value):
        return []
    end = pair.value.span.end
    if within is not None and not (within.start <= end <= within.end):
        return []
    envs_dir = session.config_for(source.path).runtime_envs_dir
    resolution = resolve(component, session.workspace, envs_dir) if envs_dir else resolve(component, session.workspace)
    selected = resolution.selected.version if resolution.selected is not None else "none"
    return [InlayHint(end, f"→ {selected}", resolution.reason)]
