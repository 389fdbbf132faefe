"""Registry sync: pack-index snapshots and runtime-version availability, in SQLite or PostgreSQL.

Consumers read synced facts with `load_facts`; only `packls sync` writes. Importing this
package loads no database driver and touches no network, and a run where nothing was ever
synced (no store file) loads no registry code at all.
"""

from __future__ import annotations

from pathlib import Path

from packls.facts import NO_FACTS, RegistryFacts
from packls.registry.loaded import LoadedFacts
from packls.registry.location import never_synced, resolve_location

__all__ = ["LoadedFacts", "load_facts", "load_facts_checked"]


def load_facts_checked(database: str | None = None, *, named_by: Path | None = None) -> LoadedFacts:
    """`packls.registry.load.load_facts_checked`; when nothing was ever synced, without loading the registry code."""
    if never_synced(resolve_location(database)):
        return LoadedFacts(NO_FACTS)
    from packls.registry.load import load_facts_checked as load

    return load(database, named_by=named_by)


def load_facts(database: str | None = None, *, named_by: Path | None = None) -> RegistryFacts:
    """The synced facts (NO_FACTS when there are none); a warning goes to the `packls.registry` log."""
    if never_synced(resolve_location(database)):
        return NO_FACTS
    from packls.registry.load import load_facts as load

    return load(database, named_by=named_by)
