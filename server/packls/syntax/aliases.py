"""Alias bombs and alias cycles: found on the shared node graph in linear time, never by expanding it.

Both composers share an anchored node between its anchor and every alias (nothing is
copied), so a "billion laughs" file composes in linear time and memory. Anything that
*walks* such a tree, though, walks every path through it: exponential work for a bomb, no
end at all for an alias that refers to a node containing it. Attune's reader refuses both
(serde_yaml_ng: "repetition limit exceeded" once alias jumps pass 100 times the document's
event count, "recursion limit exceeded" for a recursive alias), so packls refuses them too,
before any later layer sees the tree.
"""

from __future__ import annotations

from dataclasses import dataclass

from packls.syntax.nodes import Mapping, Node, Scalar, Sequence, Span

JUMPS_PER_EVENT = 100  # serde_yaml_ng: `jumpcount > document.events.len() * 100` → RepetitionLimitExceeded
# packls' own bound: serde counts jumps, not what each jump copies, so a few thousand aliases of one
# big anchored list stay under its limit yet expand to billions of values. No real pack comes near.
MAX_EXTRA_VALUES = 200_000


@dataclass(frozen=True)
class AliasTrouble:
    """Why a document's aliases cannot be read, and the collection that holds the worst alias."""

    message: str
    at: Node  # the collection holding the offending alias (an alias has no node of its own)


def alias_trouble(documents: list[Node]) -> AliasTrouble | None:
    """The first document whose aliases form a cycle or expand past Attune's limit, else None."""
    for root in documents:
        trouble = _document_trouble(root)
        if trouble is not None:
            return trouble
    return None


def _children(node: Node) -> list[Node]:
    if isinstance(node, Mapping):
        return [child for pair in node.pairs for child in (pair.key, pair.value)]
    if isinstance(node, Sequence):
        return list(node.items)
    return []


def _document_trouble(root: Node) -> AliasTrouble | None:
    # One iterative pass in document order: the first slot naming a node defines it (the
    # anchor), every later slot naming it is an alias. A slot naming a node that is still
    # open (an ancestor) is a cycle.
    defined: set[int] = {id(root)}
    open_nodes: set[int] = {id(root)}
    alias_slots: dict[int, list[Node]] = {}  # holder id -> nodes its alias slots name
    order: list[Node] = []  # defined collections, children before parents (post-order)
    events = 2  # document start and end
    stack: list[tuple[Node, list[Node], int]] = [(root, _children(root), 0)]
    events += 2 if not isinstance(root, Scalar) else 1
    while stack:
        node, children, index = stack[-1]
        if index == len(children):
            stack.pop()
            open_nodes.discard(id(node))
            order.append(node)
            continue
        stack[-1] = (node, children, index + 1)
        child = children[index]
        if id(child) in defined:
            if id(child) in open_nodes:
                return AliasTrouble(
                    "an alias here refers to a node that contains it, so it never ends; "
                    "Attune's YAML reader stops with \"recursion limit exceeded\" — use a copy instead of the alias",
                    node,
                )
            alias_slots.setdefault(id(node), []).append(child)
            events += 1
            continue
        defined.add(id(child))
        if isinstance(child, Scalar):
            events += 1
            continue
        events += 2
        open_nodes.add(id(child))
        stack.append((child, _children(child), 0))
    if not alias_slots:
        return None
    limit = JUMPS_PER_EVENT * events
    values_limit = len(defined) + MAX_EXTRA_VALUES
    jumps: dict[int, int] = {}  # alias jumps made while reading a node's content
    values: dict[int, int] = {}  # values (nodes) a full read of the node produces, itself included
    first_over: Node | None = None  # where reading first passes a limit: the user's starting point
    for node in order:
        defining = _defining_children(node, alias_slots)
        total_jumps = sum(jumps.get(id(child), 0) for child in defining)
        total_values = 1 + sum(values.get(id(child), 1) for child in defining)
        for target in alias_slots.get(id(node), ()):
            total_jumps += 1 + jumps.get(id(target), 0)
            total_values += values.get(id(target), 1)
        jumps[id(node)] = min(total_jumps, limit + 1)  # saturate: only "over the limit" matters
        values[id(node)] = min(total_values, values_limit + 1)
        if first_over is None and (total_jumps > limit or total_values > values_limit):
            first_over = node
    if first_over is None:
        return None
    if jumps[id(first_over)] > limit:
        message = (
            f"the aliases in this document expand more than {limit:,} times (an alias bomb); Attune's YAML reader "
            "stops with \"repetition limit exceeded\" — write the values out or use fewer aliases"
        )
    else:
        message = (
            f"the aliases in this document expand it by more than {MAX_EXTRA_VALUES:,} values (an alias bomb); "
            "packls does not read it — write the values out or use fewer aliases"
        )
    return AliasTrouble(message, first_over)


def _defining_children(node: Node, alias_slots: dict[int, list[Node]]) -> list[Node]:
    """Children of node reached through their defining slot (aliases are counted separately)."""
    aliased = alias_slots.get(id(node))
    children = _children(node)
    if not aliased:
        return children
    remaining = {}
    for target in aliased:
        remaining[id(target)] = remaining.get(id(target), 0) + 1
    result = []
    for child in children:
        count = remaining.get(id(child), 0)
        if count:
            remaining[id(child)] = count - 1
        else:
            result.append(child)
    return result


def repair_alias_ends(documents: list[Node], text: str) -> None:
    """Make block collections that end with an alias end at that alias, not at the anchored node.

    Both composers end a block collection at its last child's span; when the last child is an
    alias, that span is the anchored node's, written earlier in the text (often before the
    collection even starts), so `versions:` ending with `execution_config: *shared` spanned
    backwards. The alias itself has no node, so its end is found in the text after the
    previous entry. Call only on alias-free-of-cycles documents (after `alias_trouble`).
    """
    for root in documents:
        slots, order = _slots(root)
        for node in order:  # children before parents, so a repaired child moves its parent too
            if getattr(node, "flow", True) or not slots.get(id(node)):
                continue
            start = node.span.start
            cursor = start
            for child, is_alias in slots[id(node)]:
                end = _alias_end(text, cursor) if is_alias else child.span.end
                if end is not None:
                    cursor = max(cursor, end)
            if cursor != node.span.end:
                node.span = Span(start, cursor)


def _slots(root: Node) -> tuple[dict[int, list[tuple[Node, bool]]], list[Node]]:
    """Each defined collection's child slots in document order (alias or defining), and a post-order."""
    defined: set[int] = {id(root)}
    slots: dict[int, list[tuple[Node, bool]]] = {}
    order: list[Node] = []
    stack: list[tuple[Node, list[Node], int]] = [(root, _children(root), 0)]
    while stack:
        node, children, index = stack[-1]
        if index == len(children):
            stack.pop()
            order.append(node)
            continue
        stack[-1] = (node, children, index + 1)
        child = children[index]
        is_alias = id(child) in defined
        slots.setdefault(id(node), []).append((child, is_alias))
        if is_alias:
            continue
        defined.add(id(child))
        if not isinstance(child, Scalar):
            stack.append((child, _children(child), 0))
    return slots, order


_BETWEEN = frozenset(" \t\r\n-:?\ufeff")
_ALIAS_STOP = frozenset(" \t\r\n,[]{}")


def _alias_end(text: str, cursor: int) -> int | None:
    """End of the alias token after cursor (only indicators, blanks and comments may come first)."""
    i, size = cursor, len(text)
    while i < size:
        char = text[i]
        if char == "#":
            while i < size and text[i] not in "\r\n":
                i += 1
        elif char in _BETWEEN:
            i += 1
        elif char == "*":
            i += 1
            while i < size and text[i] not in _ALIAS_STOP:
                i += 1
            return i
        else:
            return None
    return None
