"""Read-only access to synced facts for validate, resolve and the language server.

Never raises and never writes: a missing store means "never synced" (`NO_FACTS`); a
store that cannot be read also gives `NO_FACTS`, with a one-line warning saying why.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from packls.facts import NO_FACTS, RegistryFacts
from packls.registry.fetch import is_loopback_host
from packls.registry.redact import mask_dsn
from packls.registry.resolution import facts_from_state
from packls.registry.store import Store, StoreError, StoreState, resolve_location

_log = logging.getLogger("packls.registry")


@dataclass(frozen=True)
class LoadedFacts:
    """Facts plus the reason they are empty when the store could not be read, and where they came from."""

    facts: RegistryFacts
    warning: str | None = None
    store: str | None = None  # the store read, as shown to users (passwords masked); None: nothing synced
    synced_at: datetime | None = None  # the latest verification or index fetch it holds


def load_facts(database: str | None = None, *, named_by: Path | None = None) -> RegistryFacts:
    """The synced facts (NO_FACTS when there are none); a warning goes to the `packls.registry` log."""
    loaded = load_facts_checked(database, named_by=named_by)
    if loaded.warning:
        _log.warning("%s", loaded.warning)
    return loaded.facts


def load_facts_checked(database: str | None = None, *, named_by: Path | None = None) -> LoadedFacts:
    """The synced facts and, when the store could not be read, a one-line warning.

    `named_by` is the workspace file (packls.toml, pyproject.toml) the database value came
    from, when it did: such a value is untrusted input, and packls never connects to another
    machine because a file in a repository says so (docs/security.md).
    """
    location = resolve_location(database)
    target = location.target
    if named_by is not None and location.kind == "postgres":
        host = remote_host(location.target)
        if host is not None:
            return LoadedFacts(
                NO_FACTS,
                f"registry facts not loaded: {named_by.name} names the database {mask_dsn(location.target)} on {host}; "
                "packls connects to another machine only when you name it yourself "
                "(--database, $PACKLS_DATABASE or your editor's packls.database setting)",
            )
    try:
        if named_by is not None and location.kind == "postgres":
            from packls.registry.postgres_store import sealed_dsn

            target = sealed_dsn(location.target)  # none of the user's credentials go to a database a repository names
        state = _read_state(location.kind, target)
    except StoreError as exc:  # (a sealed DSN is shown as the user wrote it)
        message = str(exc).replace(mask_dsn(target), mask_dsn(location.target))
        return LoadedFacts(NO_FACTS, f"registry facts not loaded: {message}")
    except Exception as exc:  # a corrupt store must never take validation down
        shown = mask_dsn(location.target) if location.kind == "postgres" else location.target
        return LoadedFacts(NO_FACTS, f"registry facts not loaded: {shown}: {type(exc).__name__}: {exc}")
    if state is None:
        if location.explicit:
            return LoadedFacts(NO_FACTS, f"registry facts not loaded: {location.target}: no such database")
        return LoadedFacts(NO_FACTS)
    if not state.versions and not state.snapshots:
        return LoadedFacts(NO_FACTS)  # a store that holds nothing yet changes nothing
    shown = mask_dsn(location.target) if location.kind == "postgres" else location.target
    return LoadedFacts(facts_from_state(state), store=shown, synced_at=last_synced(state))


def last_synced(state: StoreState) -> datetime | None:
    """When the store last learnt something: its newest verification or index fetch."""
    times = [v.verified_at for v in state.versions if v.verified_at is not None]
    times += [s.fetched_at for s in state.snapshots if s.fetched_at is not None]
    return max(times, default=None)


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
        if not path.is_file():  # a named pipe would block the reader forever
            raise StoreError(f"{target}: not a database file")
        store = SqliteStore.open(path, create=False, read_only=True)
    try:
        return store.read_state()
    finally:
        store.close()


def remote_host(dsn: str) -> str | None:
    """The first host of a PostgreSQL URL that is not this machine (None: loopback or Unix sockets only)."""
    try:
        from psycopg.conninfo import conninfo_to_dict

        params = conninfo_to_dict(dsn)
    except Exception:  # unparseable: treat as remote, it is refused rather than tried
        return "an address packls cannot read"
    hosts = [h.strip() for h in str(params.get("host") or "").split(",") if h.strip()]
    addresses = [a.strip() for a in str(params.get("hostaddr") or "").split(",") if a.strip()]
    for host in (*hosts, *addresses):
        if host.startswith(("/", "@")):  # a Unix-domain socket folder (or abstract socket)
            continue
        if not is_loopback_host(host):
            return host
    return None
