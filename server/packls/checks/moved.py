"""Findings in a subtree an edit only moved: found once on its unmoved base, then moved along.

After an edit near the top of a big file the incremental parse hands the checks shifted
collections (`packls.syntax.shifted`) for everything after the edit. A check whose findings in
a subtree depend only on that subtree (and on context it names) finds them on the base once,
keeps them in the base's notes, and for every later version moves their spans by the delta,
instead of walking (and building) the whole subtree on every keystroke.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any, Callable, Iterable

from packls.findings import Finding, Related
from packls.syntax.nodes import Node, Span
from packls.syntax.shifted import shifted


def reuse(node: Node, key: tuple[Any, ...], context: tuple[Any, ...], find: Callable[[Node], Iterable[Finding]]) -> list[Finding]:
    """find(node), through the notes of node's base when node is shifted.

    key must name everything besides the subtree the findings depend on (the check, the path,
    flags); context holds further inputs compared by identity (schema objects, unhashable).
    find must report only spans inside the subtree (checked: otherwise nothing is kept).
    """
    found = shifted(node)
    if found is None:
        return list(find(node))
    base, delta, notes = found
    kept = notes.get(key)
    if kept is None or len(kept[0]) != len(context) or any(a is not b for a, b in zip(kept[0], context)):
        findings = tuple(find(base))
        if not all(_inside(item, base.span) for item in findings):
            return list(find(node))
        kept = notes[key] = (context, findings)
    return [_move(item, delta) for item in kept[1]] if delta else list(kept[1])


def _inside(item: Finding, span: Span) -> bool:
    spans = [item.span, *(r.span for r in item.related if r.path == item.path)]
    return all(span.start <= s.start and s.end <= span.end for s in spans)


def _move(item: Finding, delta: int) -> Finding:
    related = tuple(
        Related(r.path, Span(r.span.start + delta, r.span.end + delta), r.message) if r.path == item.path else r
        for r in item.related
    )
    return replace(item, span=Span(item.span.start + delta, item.span.end + delta), related=related)
