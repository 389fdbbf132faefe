"""Compare how two versions of a workspace resolve: changed selections, with causes; added and removed components."""

from __future__ import annotations

from dataclasses import dataclass

from packls.selection_diff.causes import Cause, causes_of
from packls.selection_diff.outcome import Outcome, Side, State, Subject

NO_RUNTIME_GROUP = ""  # group key of components that resolve to no runtime on either side


@dataclass(frozen=True)
class Change:
    """A component whose selection differs between the two sides, and why."""

    subject: Subject  # as it is now (after)
    before: Outcome
    after: Outcome
    causes: tuple[Cause, ...]

    @property
    def unsatisfied(self) -> bool:
        """It selected a version before and selects none now."""
        return self.before.version is not None and self.after.version is None

    @property
    def runtime(self) -> str:
        """The runtime it is reported under: the one it resolves to now, else the one before."""
        return self.after.runtime or self.before.runtime or NO_RUNTIME_GROUP

    @property
    def labels(self) -> tuple[str, str]:
        """What it gets before and after in a few words ('3.13', '3.14'), naming the runtimes when it changed."""
        if self.before.runtime == self.after.runtime:
            return self.before.shown, self.after.shown
        return _on_runtime(self.before), _on_runtime(self.after)


@dataclass(frozen=True)
class Presence:
    """A component found on one side only."""

    subject: Subject
    outcome: Outcome

    @property
    def runtime(self) -> str:
        """The runtime it is reported under."""
        return self.outcome.runtime or NO_RUNTIME_GROUP


@dataclass(frozen=True)
class SelectionDiff:
    """Everything a reviewer needs: changes, additions, removals; unchanged components only counted."""

    changed: tuple[Change, ...]
    added: tuple[Presence, ...]
    removed: tuple[Presence, ...]
    unchanged: int

    @property
    def unsatisfied(self) -> tuple[Change, ...]:
        """Changes that leave a component with no version where it had one."""
        return tuple(change for change in self.changed if change.unsatisfied)

    @property
    def empty(self) -> bool:
        """Nothing was changed, added or removed."""
        return not (self.changed or self.added or self.removed)

    def runtimes(self) -> list[str]:
        """Every runtime something is reported under, sorted (no runtime last)."""
        found = {item.runtime for item in (*self.changed, *self.added, *self.removed)}
        return sorted(found, key=lambda ref: (ref == NO_RUNTIME_GROUP, ref))


def compare(before: Side, after: Side) -> SelectionDiff:
    """The difference between two sides, in a stable order (runtime, then ref, then path)."""
    changed: list[Change] = []
    unchanged = 0
    causes: dict[tuple[int, int], tuple[Cause, ...]] = {}  # outcomes are shared by components with the same inputs
    for key, (subject, now) in after.entries.items():
        previous = before.entries.get(key)
        if previous is None:
            continue
        was = previous[1]
        if was is now or was.selection == now.selection:
            unchanged += 1
            continue
        pair = (id(was), id(now))
        found = causes.get(pair)
        if found is None:
            found = causes[pair] = causes_of(was, now)
        changed.append(Change(subject, was, now, found))
    added = [Presence(s, o) for key, (s, o) in after.entries.items() if key not in before.entries]
    removed = [Presence(s, o) for key, (s, o) in before.entries.items() if key not in after.entries]
    return SelectionDiff(
        tuple(sorted(changed, key=lambda c: _order(c.runtime, c.subject))),
        tuple(sorted(added, key=lambda p: _order(p.runtime, p.subject))),
        tuple(sorted(removed, key=lambda p: _order(p.runtime, p.subject))),
        unchanged,
    )


def _on_runtime(outcome: Outcome) -> str:
    return f"{outcome.runtime} {outcome.shown}" if outcome.runtime else outcome.shown


def _order(runtime: str, subject: Subject) -> tuple[bool, str, str, str]:
    return (runtime == NO_RUNTIME_GROUP, runtime, subject.ref or "", subject.path)


__all__ = ["Change", "NO_RUNTIME_GROUP", "Presence", "SelectionDiff", "State", "compare"]
