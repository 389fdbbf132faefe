"""What a change does to version selection: compare two resolved workspaces (pure core)."""

from __future__ import annotations

from packls.selection_diff.causes import Cause, CauseKind, causes_of
from packls.selection_diff.compare import NO_RUNTIME_GROUP, Change, Presence, SelectionDiff, compare
from packls.selection_diff.outcome import Declared, Outcome, Side, State, Subject, broken_outcome, outcome_of
from packls.selection_diff.sides import relative_posix, resolve_components, resolve_side

__all__ = [
    "Cause", "CauseKind", "Change", "Declared", "NO_RUNTIME_GROUP", "Outcome", "Presence", "SelectionDiff", "Side",
    "State", "Subject", "broken_outcome", "causes_of", "compare", "outcome_of", "relative_posix", "resolve_components",
    "resolve_side",
]
