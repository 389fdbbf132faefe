"""Registry facts the core can use: runtime-version availability and synced pack indexes.

Pure data. The registry sync (``packls.registry``) produces these from its stores; the
workspace, checks, resolve and the language server only read them. Without any sync the
facts are empty and every declared version counts as available.
"""

from __future__ import annotations

from dataclasses import astuple, dataclass, field, replace
from functools import cached_property
from datetime import datetime, timezone
from typing import Any, Mapping


@dataclass(frozen=True)
class VersionAvailability:
    """Whether one registered runtime version is really there, and how we know."""

    runtime_ref: str
    version: str
    available: bool
    verified_at: datetime | None = None
    detected: str | None = None  # e.g. "Python 3.12.4", what the verification saw
    source: str = "detect"  # "detect" | "workers" | "attune-db"


@dataclass(frozen=True)
class IndexedPack:
    """One pack entry of a synced pack index (the fields packls shows and checks)."""

    ref: str
    version: str
    label: str = ""
    description: str = ""
    index_url: str = ""
    index_priority: int = 0
    keywords: tuple[str, ...] = ()
    runtime_deps: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()  # install source URLs, git first


@dataclass(frozen=True)
class RegistryFacts:
    """Everything synced, as the core sees it; empty means 'never synced'."""

    availability: Mapping[tuple[str, str], VersionAvailability] = field(default_factory=dict)
    packs: Mapping[str, IndexedPack] = field(default_factory=dict)  # resolved across indexes by priority
    indexes_synced: bool = False
    unusable_indexes: tuple[str, ...] = ()  # higher-priority indexes with no good snapshot (fail closed)
    # What-if answers (`packls resolve --assume-…`): (runtime ref, version) -> available, over any synced fact.
    assumed: Mapping[tuple[str, str], bool] = field(default_factory=dict)

    @property
    def availability_synced(self) -> bool:
        """True once any availability fact exists; before that every declared version counts."""
        return bool(self.availability)

    def is_available(self, runtime_ref: str, version: str) -> bool:
        """Attune's `available` flag for a declared version.

        A runtime with no synced fact at all counts as fully available (as before any sync);
        once a runtime has facts, a version without one was never verified, so it is not.
        An assumption overrides both, and only for the version it names.
        """
        assumed = self.assumed.get((runtime_ref, version))
        if assumed is not None:
            return assumed
        fact = self.availability.get((runtime_ref, version))
        if fact is not None:
            return fact.available
        return runtime_ref not in self._runtimes_with_facts

    @cached_property
    def _runtimes_with_facts(self) -> frozenset[str]:
        return frozenset(key[0] for key in self.availability)

    def availability_of(self, runtime_ref: str, version: str) -> VersionAvailability | None:
        """The synced fact for one version, if any."""
        return self.availability.get((runtime_ref, version))

    def assuming(self, assumptions: Mapping[tuple[str, str], bool]) -> RegistryFacts:
        """These facts with some versions assumed (un)available; nothing is written anywhere."""
        return replace(self, assumed={**self.assumed, **assumptions})


NO_FACTS = RegistryFacts()


def facts_as_data(facts: RegistryFacts) -> dict[str, Any]:
    """Facts as JSON-ready data (the server hands them to its cold-start helper; `facts_from_data` rebuilds them)."""
    def fact(item: VersionAvailability) -> list[Any]:
        when = item.verified_at.isoformat() if item.verified_at is not None else None
        return [item.runtime_ref, item.version, item.available, when, item.detected, item.source]

    return {
        "availability": [[list(key), fact(item)] for key, item in facts.availability.items()],
        "packs": [[key, list(astuple(item))] for key, item in facts.packs.items()],
        "indexes_synced": facts.indexes_synced,
        "unusable_indexes": list(facts.unusable_indexes),
        "assumed": [[list(key), available] for key, available in facts.assumed.items()],
    }


def facts_from_data(data: Mapping[str, Any]) -> RegistryFacts:
    """The facts `facts_as_data` described, equal field for field."""
    availability = {}
    for (ref, version), (runtime_ref, declared, available, when, detected, source) in data["availability"]:
        moment = datetime.fromisoformat(when) if when is not None else None
        availability[(ref, version)] = VersionAvailability(runtime_ref, declared, available, moment, detected, source)
    packs = {}
    for key, (ref, version, label, description, url, priority, keywords, deps, sources) in data["packs"]:
        packs[key] = IndexedPack(ref, version, label, description, url, priority, tuple(keywords), tuple(deps), tuple(sources))
    assumed = {(ref, version): available for (ref, version), available in data["assumed"]}
    return RegistryFacts(availability, packs, data["indexes_synced"], tuple(data["unusable_indexes"]), assumed)


def age_text(when: datetime, now: datetime | None = None) -> str:
    """How long ago a fact was learnt, in the words hover and the CLI share ("2 h ago")."""
    now = now or datetime.now(timezone.utc)
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    seconds = max(0, int((now - when).total_seconds()))
    if seconds < 90:
        return "just now"
    if seconds < 90 * 60:
        return f"{round(seconds / 60)} min ago"
    if seconds < 36 * 3600:
        return f"{round(seconds / 3600)} h ago"
    return f"{round(seconds / 86400)} days ago"
