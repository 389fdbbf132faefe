"""Dashboards: the scope and visibility the loader accepts, and the spec pack check validates."""

from __future__ import annotations

from typing import Iterator

from packls.checks.base import finding, head_span, is_null, type_word
from packls.checks.rules import DASHBOARD_INVALID_SPEC, DASHBOARD_SKIPPED, VALUE_WRONG_TYPE
from packls.findings import Finding
from packls.schema.others import DASHBOARD_SCOPES, DASHBOARD_VISIBILITIES
from packls.syntax.nodes import Mapping, Node, Scalar, Sequence
from packls.workspace import SourceFile, Workspace


def check_dashboard(source: SourceFile, workspace: Workspace) -> Iterator[Finding]:
    """scope_type / visibility the loader skips the dashboard for, then the spec's required structure."""
    component = source.component
    if component is None:
        return
    root = component.node
    for key, allowed in (("scope_type", DASHBOARD_SCOPES), ("visibility", DASHBOARD_VISIBILITIES)):
        node = root.value(key)
        if node is None or is_null(node):
            continue
        if not (isinstance(node, Scalar) and isinstance(node.value, str)):
            yield finding(
                source, node.span, VALUE_WRONG_TYPE,
                f"{key} is {type_word(node)}; the loader reads only strings here and uses the default 'pack' instead",
            )
        elif node.value.strip().lower() not in allowed:
            words = ", ".join(allowed[:-1]) + f" or {allowed[-1]}"
            yield finding(
                source, node.span, DASHBOARD_SKIPPED,
                f"registration skips this dashboard: {key} '{node.value}' is not {words}",
                data={"allowed": list(allowed)},
            )
    problem = spec_problem(root)
    if problem is not None:
        message, node = problem
        yield finding(
            source, head_span(node, source.text), DASHBOARD_INVALID_SPEC,
            f"{message}; pack check rejects the dashboard and registration skips it",
        )


def spec_problem(spec: Mapping) -> tuple[str, Node] | None:
    """The first structural problem `validate_dashboard_spec` reports (the checks every version of it makes)."""
    sources = spec.value("data_sources")
    if not isinstance(sources, Mapping):
        return "the dashboard needs a 'data_sources' mapping", sources or spec
    cards = spec.value("cards")
    if not isinstance(cards, Sequence):
        return "the dashboard needs a 'cards' list", cards or spec
    layout = spec.value("layout")
    breakpoints = layout.value("breakpoints") if isinstance(layout, Mapping) else None
    if not isinstance(breakpoints, Mapping):
        return "the dashboard needs a 'layout.breakpoints' mapping", breakpoints or layout or spec
    if not breakpoints.pairs:
        return "'layout.breakpoints' must name at least one breakpoint", breakpoints
    return _filters(spec) or _cards(cards, sources, [p.key_text or "" for p in breakpoints.pairs])


def _filters(spec: Mapping) -> tuple[str, Node] | None:
    filters = spec.value("filters")
    if filters is None:
        return None
    if not isinstance(filters, Sequence):
        return "'filters' must be a list", filters
    seen: set[str] = set()
    for entry in filters.items:
        problem = _entry_id(entry, "filter", seen)[1]
        if problem is not None:
            return problem
    return None


def _entry_id(entry: Node, word: str, seen: set[str]) -> tuple[str, None] | tuple[None, tuple[str, Node]]:
    """A filter's or card's id, unique among `seen` (then added to it), or why it has none."""
    if not isinstance(entry, Mapping):
        return None, (f"every {word} must be a mapping", entry)
    node = entry.value("id")
    if not (isinstance(node, Scalar) and isinstance(node.value, str)):
        return None, (f"every {word} needs a string 'id'", node or entry)
    if node.value in seen:
        return None, (f"{word} id '{node.value}' is used twice", node)
    seen.add(node.value)
    return node.value, None


def _cards(cards: Sequence, sources: Mapping, breakpoints: list[str]) -> tuple[str, Node] | None:
    seen: set[str] = set()
    for card in cards.items:
        name, problem = _entry_id(card, "card", seen)
        if name is None:
            return problem
        assert isinstance(card, Mapping)
        source = card.value("source")
        if not (isinstance(source, Scalar) and isinstance(source.value, str)):
            return f"card '{name}' needs a string 'source'", source or card
        if sources.get(source.value) is None:
            return f"card '{name}' uses source '{source.value}', which 'data_sources' does not define", source
        position = card.value("position")
        if not isinstance(position, Mapping):
            return f"card '{name}' needs a 'position' mapping", position or card
        for breakpoint in breakpoints:
            if position.get(breakpoint) is None:
                return f"card '{name}' has no position for breakpoint '{breakpoint}'", position
    return None
