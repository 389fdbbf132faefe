"""Findings in a subtree an edit only moved: found once on its unmoved base, then moved along.

After an edit near the top of a big file the incremental parse hands the checks shifted
collections (`packls.syntax.shifted`) for everything after the edit. A check whose findings in
a subtree depend only on that subtree (and on context it names) finds them on the base once,
keeps them in the base's notes, and for every later version moves their spans by the delta,
instead of walking (and building) the whole subtree on every keystroke. A check whose findings
in a big collection are each child's own keeps them per child (`reuse_each`), so a keystroke
that reparsed one child (`packls.syntax.spliced`) checks that child and moves the rest.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any, Callable, Iterable

from packls.findings import Finding, Related
from packls.syntax.nodes import Node, Pair, Span
from packls.syntax.shifted import shifted
from packls.syntax.spliced import Splice, child, children, kept


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


PerChild = tuple[tuple[Any, ...], "dict[int, tuple[Finding, ...]] | None"]  # (context, child index → its findings, in the base's positions)


def reuse_each(node: Node, key: tuple[Any, ...], context: tuple[Any, ...], find: Callable[[Any], Iterable[Finding]]) -> list[Finding] | None:
    """The findings of every child (pair or item) of a shifted collection, kept per child in its notes.

    find(child) must depend only on that child and on key and context (not on its siblings, not
    on its position). After a splice (`packls.syntax.spliced`) only the replaced child is looked
    at; the others' findings are moved. None when node is not shifted, or when a finding lies
    outside its child (then the caller walks the collection itself).
    """
    def found_in(child: Any) -> tuple[Finding, ...] | None:
        mine = tuple(find(child))
        span = Span(child.key.span.start, child.value.span.end) if child.__class__ is Pair else child.span
        return mine if all(_inside(item, span) for item in mine) else None

    def compute(base: Node) -> PerChild:
        found: dict[int, tuple[Finding, ...]] = {}
        for index, child in enumerate(children(base)):
            mine = found_in(child)
            if mine is None:
                return context, None
            if mine:
                found[index] = mine
        return context, found

    def patch(previous: PerChild, splice: Splice, base: Node) -> PerChild | None:
        if previous[1] is None or not _same(previous[0], context):
            return None
        replaced = found_in(child(base, splice.index))
        if replaced is None:
            return context, None
        found = {index: tuple(_move(item, moved) for item in mine) if (moved := splice.offset(index)) else mine
                 for index, mine in previous[1].items() if index != splice.index}
        if replaced:
            found[splice.index] = replaced
            found = dict(sorted(found.items()))  # in the children's order
        return context, found

    place = shifted(node)
    if place is None:
        return None
    result = kept(place[0], place[2], key, compute, patch)
    if not _same(result[0], context):
        result = place[2][key] = compute(place[0])
    if result[1] is None:
        return None
    delta = place[1]
    return [_move(item, delta) if delta else item for mine in result[1].values() for item in mine]


def _same(a: tuple[Any, ...], b: tuple[Any, ...]) -> bool:
    return len(a) == len(b) and all(x is y for x, y in zip(a, b))


def _inside(item: Finding, span: Span) -> bool:
    spans = [item.span, *(r.span for r in item.related if r.path == item.path)]
    return all(span.start <= s.start and s.end <= span.end for s in spans)


def _move(item: Finding, delta: int) -> Finding:
    related = tuple(
        Related(r.path, Span(r.span.start + delta, r.span.end + delta), r.message) if r.path == item.path else r
        for r in item.related
    )
    return replace(item, span=Span(item.span.start + delta, item.span.end + delta), related=related)
