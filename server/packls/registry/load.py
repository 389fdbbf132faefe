"""Read-only access to synced facts for validate, resolve and the language server.

Never raises and never writes: a missing store means "never synced" (`NO_FACTS`); a
store that cannot be read also gives `NO_FACTS`, with a one-line warning saying why.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from packls.facts import NO_FACTS, RegistryFacts
from packls.registry.redact import mask_dsn
from packls.registry.resolution import facts_from_state
from packls.registry.store import Store, StoreError, StoreState, resolve_location

_log = logging.getLogger("packls.registry")


@dataclass(frozen=True)
class LoadedFacts:
    """Facts plus the reason they are empty when the store could not be read."""

    facts: RegistryFacts
    warning: str | None = None


def load_facts(database: str | None = None) -> RegistryFacts:
    """The synced facts (NO_FACTS when there are none); a warning goes to the `packls.registry` log."""
    loaded = load_facts_checked(database)
    if loaded.warning:
        _log.warning("%s", loaded.warning)
    return loaded.facts


def load_facts_checked(database: str | None = None) -> LoadedFacts:
    """The synced facts and, when the store could not be read, a one-line warning."""
    location = resolve_location(database)
    try:
        state = _read_state(location.kind, location.target)
    except StoreError as exc:
        return LoadedFacts(NO_FACTS, f"registry facts not loaded: {exc}")
    except Exception as exc:  # a corrupt store must never take validation down
        shown = mask_dsn(location.target) if location.kind == "postgres" else location.target
        return LoadedFacts(NO_FACTS, f"registry facts not loaded: {shown}: {type(exc).__name__}: {exc}")
    if state is None:
        if location.explicit:
            return LoadedFacts(NO_FACTS, f"registry facts not loaded: {location.target}: no such database")
        return LoadedFacts(NO_FACTS)
    return LoadedFacts(facts_from_state(state))


def _read_state(kind: str, target: str) -> StoreState | None:
    store: Store
    if kind == "postgres":
        from packls.registry.postgres_store import open_postgres

        store = open_postgres(target, read_only=True)
    else:
        from packls.registry.sqlite_store import SqliteStore

        path = Path(target)
        if not path.exists():
            return None
        store = SqliteStore.open(path, create=False, read_only=True)
    try:
        return store.read_state()
    finally:
        store.close()
