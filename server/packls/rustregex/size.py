"""A lower bound of the NFA Rust's regex builds for a parsed pattern, to report only what is certainly too big.

`regex::Regex::new` refuses a pattern whose Thompson NFA takes more than 10 MiB while it is built
(its default `size_limit`). The bound counts NFA states that certainly exist: one per UTF-8 byte
of a literal (one per character under `(?i)` or in byte mode), one per class, and a counted
repetition copies its operand as often as the builder does (`{n}` and `{n,m}`: n and m copies,
`{n,}`: n, `*`: one). Alternations count as their biggest branch, because regex-syntax lifts
a common prefix out of the branches and merges single characters into one class. The builder
counts 32 bytes per state on 64-bit targets (16 on 32-bit ones, which Attune's workers are not),
plus the heap of its sparse and union states, which the bound leaves out. A pattern of only literals and alternations is not
bounded at all: with 3000 branches or more, Rust matches it with Aho-Corasick and builds no NFA.
"""

from __future__ import annotations

from packls.rustregex.hir_checks import FlagState
from packls.rustregex.syntax_tree import (
    Alternation, Bracketed, Concat, Dot, Empty, Group, Literal, Node, PerlClass, Repetition, SetFlags, UnicodeClass,
)

SIZE_LIMIT = 10 * (1 << 20)  # regex::RegexBuilder's default size_limit, in bytes
MIN_STATE_BYTES = 32  # the size of a state in regex-automata's NFA builder on 64-bit targets (pinned by its tests)
ALTERNATION_LITERALS = 3000  # from this many literal branches on, Rust uses Aho-Corasick instead of an NFA
_CAP = SIZE_LIMIT // MIN_STATE_BYTES + 1  # counts stop growing here: only "over the limit or not" matters


def nfa_states_at_least(node: Node) -> int:
    """A lower bound of the states in the forward NFA, capped just past what the limit allows."""
    return _Bound().states(node)


def exceeds_size_limit(node: Node) -> bool:
    """Rust's regex certainly refuses this pattern as bigger than its size limit."""
    if _literal_branches(node) is not None:
        return False
    return nfa_states_at_least(node) * MIN_STATE_BYTES > SIZE_LIMIT


class _Bound:
    """Walks the tree in pattern order with the flags in force (a `(?i)` lasts to the end of its group)."""

    def __init__(self) -> None:
        self.flags = FlagState()

    def states(self, node: Node) -> int:
        if isinstance(node, Literal):
            if self.flags.get("i") or not self.flags.get("u"):
                return 1
            return len(node.char.encode("utf-8"))
        if isinstance(node, (Dot, PerlClass, UnicodeClass, Bracketed)):
            return 1
        if isinstance(node, SetFlags):
            self.flags.apply(node.flags)
            return 0
        if isinstance(node, Group):
            before = self.flags.apply(node.flags) if node.flags is not None else dict(self.flags.on)
            inner = self.states(node.node)
            self.flags.on = before
            return inner
        if isinstance(node, Repetition):
            copies = node.high if node.high is not None else max(node.low, 1)
            return min(copies * self.states(node.node), _CAP)
        if isinstance(node, Alternation):
            return max(self.states(child) for child in node.nodes)
        if isinstance(node, Concat):
            total = 0
            for child in node.nodes:
                total = min(total + self.states(child), _CAP)
            return total
        return 0  # Empty and assertions: nothing counted


def _literal_branches(node: Node) -> int | None:
    """How many branches a pattern of only literals, alternations and plain groups has (None: something else).

    Only a count of at least ALTERNATION_LITERALS matters; below it the NFA is built and bounded.
    """
    branches = 1
    stack: list[Node] = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, (Literal, Empty)):
            continue
        if isinstance(current, Group) and current.index is None and current.flags is not None:
            if current.flags.items:
                return None  # a flag could turn on case folding: classes, not literals
            stack.append(current.node)
        elif isinstance(current, Concat):
            stack.extend(current.nodes)
        elif isinstance(current, Alternation):
            branches += len(current.nodes) - 1
            stack.extend(current.nodes)
        else:
            return None
    return branches if branches >= ALTERNATION_LITERALS else None
