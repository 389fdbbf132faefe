"""What a registry store holds and how a sync writes it: the protocol both backends implement.

A sync computes everything first (fetches, verifications) and then hands one `SyncBatch`
to `Store.apply`, which writes it in a single transaction: a killed sync leaves the
previous state, and two syncs at once serialise instead of interleaving.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Final, Literal, Protocol

from packls.registry.detect import DetectTarget
from packls.registry.location import Location, default_database_path, resolve_location  # noqa: F401 (its users import them here)

UpdateKind = Literal["fetched", "not-modified", "failed"]

# Test-only: make `apply` pause inside its transaction (create MARKER, then sleep) so a
# test can kill the sync mid-transaction or start a second one. Unset in normal use.
PAUSE_MARKER_ENV: Final = "PACKLS_TEST_TRANSACTION_MARKER"
PAUSE_SECONDS_ENV: Final = "PACKLS_TEST_TRANSACTION_SLEEP"


class StoreError(Exception):
    """The store cannot be opened, read or written; the message is one line, credentials masked."""


@dataclass(frozen=True)
class IndexSource:
    """A configured pack index: lower priority number = consulted first (Attune's rule)."""

    url: str
    priority: int = 0


@dataclass(frozen=True)
class IndexSnapshot:
    """The last good copy of one index plus what happened on the last attempt."""

    url: str
    priority: int
    position: int
    active: bool = True
    fetched_at: datetime | None = None  # when the stored content was last confirmed (200 or 304)
    etag: str | None = None
    last_modified: str | None = None
    digest: str | None = None  # sha256 of the fetched bytes
    content: str | None = None  # validated index JSON (canonical form)
    pack_count: int | None = None
    last_error: str | None = None
    last_error_at: datetime | None = None

    @property
    def usable(self) -> bool:
        """True when a validated snapshot exists, whatever the last attempt did."""
        return self.content is not None


@dataclass(frozen=True)
class VersionRow:
    """One runtime_version row as status and facts read it."""

    runtime_ref: str
    version: str
    available: bool
    verified_at: datetime | None
    is_default: bool = False
    detected: str | None = None
    detail: str | None = None
    source: str = "detect"


@dataclass(frozen=True)
class StoreState:
    """Everything a store holds, read in one consistent snapshot."""

    mode: str  # "packls" | "attune"
    snapshots: tuple[IndexSnapshot, ...] = ()
    versions: tuple[VersionRow, ...] = ()


@dataclass(frozen=True)
class IndexUpdate:
    """The result of one index attempt; a failure only records the error, never drops content."""

    url: str
    kind: UpdateKind
    at: datetime
    etag: str | None = None
    last_modified: str | None = None
    digest: str | None = None
    content: str | None = None
    pack_count: int | None = None
    error: str | None = None


@dataclass(frozen=True)
class AvailabilityUpdate:
    """A verdict on one declared version, from local detection or a workers payload."""

    target: DetectTarget
    available: bool
    verified_at: datetime
    source: str  # "detect" | "workers"
    detected: str | None = None
    detail: str = ""


@dataclass(frozen=True)
class SyncBatch:
    """Everything one sync writes; `sources` None leaves the configured index list alone."""

    sources: tuple[IndexSource, ...] | None = None
    index_updates: tuple[IndexUpdate, ...] = ()
    availability: tuple[AvailabilityUpdate, ...] = ()


@dataclass(frozen=True)
class ApplyResult:
    """What the transaction changed; versions an Attune database does not register are listed."""

    versions_written: int = 0
    not_registered: tuple[tuple[str, str], ...] = field(default_factory=tuple)


class Store(Protocol):
    """A registry store: packls SQLite, packls PostgreSQL, or an Attune database."""

    description: str  # where it is, credentials masked
    mode: str  # "packls" | "attune"

    def read_state(self, *, with_content: bool = True) -> StoreState:
        """Everything stored, in one read transaction; an empty store reads as empty."""
        ...

    def attune_targets(self) -> list[DetectTarget]:
        """The versions an Attune database registers (empty for packls stores)."""
        ...

    def apply(self, batch: SyncBatch) -> ApplyResult:
        """Write a batch in one transaction (migrating first), serialised against other syncs."""
        ...

    def close(self) -> None:
        """Release the connection."""
        ...


def open_store(database: str | None, *, create: bool = True) -> Store:
    """Open the store a --database value names (creating a SQLite file when `create`)."""
    location = resolve_location(database)
    if location.kind == "postgres":
        from packls.registry.postgres_store import open_postgres

        return open_postgres(location.target)
    from packls.registry.sqlite_store import SqliteStore

    return SqliteStore.open(Path(location.target), create=create)


def pause_for_tests() -> None:
    """Test hook: announce being inside the write transaction, then sleep (no-op unless set)."""
    marker = os.environ.get(PAUSE_MARKER_ENV)
    seconds = os.environ.get(PAUSE_SECONDS_ENV)
    if not marker and not seconds:
        return
    if marker:
        Path(marker).write_text(str(os.getpid()), encoding="utf-8")
    if seconds:
        time.sleep(float(seconds))
