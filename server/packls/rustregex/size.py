"""A lower bound of the NFA Rust's regex builds for a parsed pattern, to report only what is certainly too big.

`regex::Regex::new` refuses a pattern whose Thompson NFA takes more than 10 MiB while it is built
(its default `size_limit`); the builder counts 32 bytes per state on 64-bit targets (16 on 32-bit
ones, which Attune's workers are not) plus the transitions of its sparse and union states. The
bound counts bytes that certainly exist in each NFA: one state per UTF-8 byte of a literal
(one per character under `(?i)` or in byte mode); for `\\w`, `\\d`, `.`, `\\p{Greek}`, … what one
copy measurably adds to that NFA, and for a negated class of ASCII characters (`[^",]`) what
`[^\\x00-\\x7F]` adds (class_costs.json, written by tools/regex-oracle/class_costs.py; every copy is
compiled afresh), for any other class one state; a counted repetition copies its operand as often
as the builder does (`{n}` and `{n,m}`: n and m copies, `{n,}`: n, `*`: one). Alternations count
as their biggest branch, unless regex-syntax may rewrite them: as one state when every branch is
a single character or class, flags aside (they may merge into one class), and as the biggest
first element when every branch is a sequence that may start with the same one (regex-syntax lifts
a common prefix out, and what is left may merge). A
pattern of only literals and alternations is not bounded at all: with 3000 branches or more,
Rust matches it with Aho-Corasick and builds no NFA.
"""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources
from typing import Any

from packls.rustregex.hir_checks import FlagState
from packls.rustregex.syntax_tree import (
    Alternation, Bracketed, ClassRange, ClassUnion, Concat, Dot, Empty, Group, Literal, Node, PerlClass, Repetition,
    SetFlags, UnicodeClass,
)
from packls.rustregex.unicode import resolve

SIZE_LIMIT = 10 * (1 << 20)  # regex::RegexBuilder's default size_limit, in bytes
STATE_BYTES = 32  # the size of a state in regex-automata's NFA builder on 64-bit targets (pinned by its tests)
ALTERNATION_LITERALS = 3000  # from this many literal branches on, Rust uses Aho-Corasick instead of an NFA
_CAP = SIZE_LIMIT + 1  # sums stop growing here: only "over the limit or not" matters
_CLASS_LIKE = (Literal, Dot, PerlClass, UnicodeClass, Bracketed)


@lru_cache(maxsize=1)
def _class_costs() -> dict[str, Any]:
    """The measured per-copy bytes of classes (class_costs.json)."""
    text = resources.files("packls.rustregex").joinpath("class_costs.json").read_text(encoding="utf-8")
    return json.loads(text)


def nfa_bytes_at_least(node: Node, reverse: bool = False) -> int:
    """A lower bound of the forward (or reverse) NFA builder's bytes, capped just past the limit."""
    return _Bound(reverse).bytes(node)


def exceeds_size_limit(node: Node) -> bool:
    """Rust's regex certainly refuses this pattern as bigger than its size limit (either NFA is)."""
    if _literal_branches(node) is not None:
        return False
    return nfa_bytes_at_least(node) > SIZE_LIMIT or nfa_bytes_at_least(node, reverse=True) > SIZE_LIMIT


class _Bound:
    """Walks the tree in pattern order with the flags in force (a `(?i)` lasts to the end of its group)."""

    def __init__(self, reverse: bool) -> None:
        self.flags = FlagState()
        self.direction = 1 if reverse else 0  # which of the measured [forward, reverse] costs counts
        self.seen: dict[int, int] = {}  # node id → its bytes, so no subtree is walked twice

    def bytes(self, node: Node) -> int:
        """The node's bytes, remembered (an alternation looks up its branches' first elements)."""
        result = self.walk(node)
        self.seen[id(node)] = result
        return result

    def walk(self, node: Node) -> int:
        """The bytes of one node (see the module docstring for what counts)."""
        if isinstance(node, Literal):
            if self.flags.get("i") or not self.flags.get("u"):
                return STATE_BYTES
            return STATE_BYTES * len(node.char.encode("utf-8"))
        if isinstance(node, (Dot, PerlClass, UnicodeClass, Bracketed)):
            return self.class_bytes(node)
        if isinstance(node, SetFlags):
            self.flags.apply(node.flags)
            return 0
        if isinstance(node, Group):
            before = self.flags.apply(node.flags) if node.flags is not None else dict(self.flags.on)
            inner = self.bytes(node.node)
            self.flags.on = before
            return inner
        if isinstance(node, Repetition):
            copies = node.high if node.high is not None else max(node.low, 1)
            return min(copies * self.bytes(node.node), _CAP)
        if isinstance(node, Alternation):
            case_folding = self.flags.get("i")
            branches = [self.bytes(child) for child in node.nodes]  # in order: flags set in one branch carry on
            if all(_single_class(child) for child in node.nodes):
                return STATE_BYTES
            translated = [_hir_elements(child, case_folding) for child in node.nodes]
            elements = [branch for branch, _ in translated]
            folding = any(folds for _, folds in translated)
            if any(len(branch) < 2 for branch in elements) or (not folding and _first_literals_differ(elements)):
                return max(branches)
            # Every branch may become a concatenation with the same first element, which regex-syntax
            # lifts out once: only that first element certainly stays.
            return max(self.seen.get(id(branch[0]), 0) for branch in elements)
        if isinstance(node, Concat):
            total = 0
            for child in node.nodes:
                total = min(total + self.bytes(child), _CAP)
            return total
        return 0  # Empty and assertions: nothing counted

    def class_bytes(self, node: Dot | PerlClass | UnicodeClass | Bracketed) -> int:
        """What one copy of a class measurably costs with Unicode on, else one state.

        Case folding changes `\\p{…}` and bracketed classes; Perl classes are closed under it, and
        regex-syntax leaves them (and `.`) as they are.
        """
        if not self.flags.get("u") or (self.flags.get("i") and isinstance(node, (UnicodeClass, Bracketed))):
            return STATE_BYTES
        costs = _class_costs()
        cost: list[int] | None = None
        if isinstance(node, PerlClass):
            cost = costs["perl"].get("\\" + (node.kind.upper() if node.negated else node.kind))
        elif isinstance(node, Dot) and not self.flags.get("R"):
            cost = costs["dot"].get("s" if self.flags.get("s") else ".")
        elif isinstance(node, UnicodeClass):
            found = resolve(node.name, node.value)
            if isinstance(found, tuple):
                cost = costs["unicode"].get(("!" if node.is_negated else "") + f"{found[0]}:{found[1]}")
        elif isinstance(node, Bracketed) and node.negated and _ascii_only(node.kind):
            cost = costs["negated_ascii"]
        return max(cost[self.direction], STATE_BYTES) if cost is not None else STATE_BYTES


def _ascii_only(item: object) -> bool:
    """A class body of ASCII characters and ranges only (`[^",]`): negated, it holds every non-ASCII scalar."""
    if isinstance(item, Literal):
        return item.char.isascii()
    if isinstance(item, ClassRange):
        return item.start.char.isascii() and item.end.char.isascii()
    if isinstance(item, ClassUnion):
        return all(_ascii_only(child) for child in item.items)
    return False


def _single_class(node: Node) -> bool:
    """One character or class once flags and plain groups are gone, or an alternation of such (regex-syntax
    flattens nested alternations): an alternation of these may become one class."""
    elements, _ = _hir_elements(node, True)
    if len(elements) != 1:
        return False
    if isinstance(elements[0], Alternation):
        return all(_single_class(branch) for branch in elements[0].nodes)
    return isinstance(elements[0], _CLASS_LIKE)


def _hir_elements(node: Node, case_folding: bool) -> tuple[list[Node], bool]:
    """What a branch is a concatenation of once regex-syntax has translated it (plain groups and flags gone).

    Adjacent literals merge into one, unless case folding may be on (then letters become classes);
    the flag says whether it may be.
    """
    out: list[Node] = []
    stack: list[Node] = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, Group) and current.index is None:
            case_folding = case_folding or bool(current.flags and current.flags.items)
            stack.append(current.node)
        elif isinstance(current, Concat):
            stack.extend(reversed(current.nodes))
        elif isinstance(current, SetFlags):
            case_folding = True  # may turn it on for what follows
        elif not isinstance(current, Empty):
            out.append(current)
    if case_folding:
        return out, True
    merged: list[Node] = []
    for element in out:
        if not (merged and isinstance(element, Literal) and isinstance(merged[-1], Literal)):
            merged.append(element)
    return merged, False


def _first_literals_differ(branches: list[list[Node]]) -> bool:
    """Two branches start with different literal characters (no case folding): their first elements differ."""
    firsts = {first.char for first, *_ in branches if isinstance(first, Literal)}
    return len(firsts) > 1


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
