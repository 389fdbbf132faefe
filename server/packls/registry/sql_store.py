"""The packls schema's reads and writes, shared by the SQLite and PostgreSQL backends.

Backends supply a connection, a write transaction that serialises syncs, and how JSON,
times and booleans are bound; every statement here is parameterised, written with `?`
placeholders (PostgreSQL's backend rewrites them to `%s`).
"""

from __future__ import annotations

import json
import re
from abc import ABC, abstractmethod
from contextlib import AbstractContextManager
from datetime import datetime, timezone
from importlib import resources
from typing import Any, Final, Sequence

from packls.registry.detect import DetectTarget
from packls.registry.store import (
    ApplyResult,
    AvailabilityUpdate,
    IndexSnapshot,
    IndexSource,
    IndexUpdate,
    StoreError,
    StoreState,
    SyncBatch,
    VersionRow,
    pause_for_tests,
)
from packls.versions import extract_version_components

_MIGRATION_NAME: Final = re.compile(r"(\d{4})_([a-z0-9_]+)\.sql")

MAX_VERSION_ROWS: Final = 100_000  # rows read from runtime_version; a real store holds hundreds
MAX_SNAPSHOT_ROWS: Final = 1_000  # rows read from index_snapshot; one per configured index
_SNAPSHOT_COLUMNS: Final = (
    "url, priority, position, active, fetched_at, etag, last_modified, digest, {content}, pack_count,"
    " last_error, last_error_at"
)


def migrations(dialect: str) -> list[tuple[int, str, str]]:
    """(version, name, sql) of every shipped migration for a dialect, in order."""
    folder = resources.files("packls.registry").joinpath("migrations", dialect)
    found = []
    for entry in folder.iterdir():
        match = _MIGRATION_NAME.fullmatch(entry.name)
        if match:
            found.append((int(match.group(1)), match.group(2), entry.read_text(encoding="utf-8")))
    return sorted(found)


def split_statements(sql: str) -> list[str]:
    """Statements of a migration file (statements end with `;` at the end of a line)."""
    lines = [line for line in sql.splitlines() if not line.lstrip().startswith("--")]
    return [s.strip() for s in re.split(r";\s*$", "\n".join(lines), flags=re.MULTILINE) if s.strip()]


class SqlStore(ABC):
    """A packls-schema store; subclasses bind it to a driver."""

    mode = "packls"
    dialect: str = ""
    description: str = ""

    # -- driver hooks -----------------------------------------------------------------

    @abstractmethod
    def _execute(self, sql: str, params: Sequence[Any] = ()) -> Any:
        """Run one statement; return a cursor."""

    @abstractmethod
    def _write_transaction(self) -> AbstractContextManager[None]:
        """A transaction no other sync can interleave with."""

    @abstractmethod
    def _read_transaction(self) -> AbstractContextManager[None]:
        """A consistent read-only view."""

    @abstractmethod
    def _has_table(self, name: str) -> bool:
        """True when the table exists."""

    @abstractmethod
    def _json(self, value: Any) -> Any:
        """A JSON value as the driver binds it."""

    @abstractmethod
    def _time(self, value: datetime | None) -> Any:
        """A UTC time as the driver binds it."""

    @abstractmethod
    def _bool(self, value: bool) -> Any:
        """A boolean as the driver binds it."""

    @abstractmethod
    def close(self) -> None:
        """Release the connection."""

    # -- schema -----------------------------------------------------------------------

    def schema_version(self) -> int:
        """The newest applied migration, 0 for an empty database."""
        if not self._has_table("schema_migrations"):
            return 0
        row = self._execute("SELECT MAX(version) FROM schema_migrations").fetchone()
        return int(row[0] or 0)

    def _migrate(self) -> None:
        """Apply pending migrations inside the current write transaction."""
        shipped = migrations(self.dialect)
        newest = shipped[-1][0] if shipped else 0
        self._execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations ("
            " version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
        )
        current = self.schema_version()
        if current > newest:
            raise StoreError(
                f"{self.description}: schema version {current} is newer than this packls supports ({newest}); "
                "upgrade packls"
            )
        for version, name, sql in shipped:
            if version <= current:
                continue
            for statement in split_statements(sql):
                self._execute(statement)
            self._execute(
                "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                (version, name, _now().isoformat()),
            )

    # -- reads ------------------------------------------------------------------------

    def read_state(self, *, with_content: bool = True) -> StoreState:
        """Everything stored, read in one transaction; an unmigrated database reads as empty."""
        with self._read_transaction():
            if not self._has_table("schema_migrations"):
                return StoreState(self.mode)
            columns = _SNAPSHOT_COLUMNS.format(content="content" if with_content else "content IS NOT NULL")
            snapshots = tuple(
                _snapshot(row, with_content)
                for row in self._execute(
                    f"SELECT {columns} FROM index_snapshot ORDER BY priority, position, url LIMIT {MAX_SNAPSHOT_ROWS}"
                )
            )
            versions = tuple(
                VersionRow(
                    runtime_ref=row[0],
                    version=row[1],
                    available=bool(row[2]),
                    verified_at=load_time(row[3]),
                    is_default=bool(row[4]),
                    detected=row[5],
                    detail=row[6],
                    source=row[7] or "detect",
                )
                for row in self._execute(
                    "SELECT runtime_ref, version, available, verified_at, is_default, detected, detail, source"
                    f" FROM runtime_version ORDER BY runtime_ref, version LIMIT {MAX_VERSION_ROWS}"
                )
            )
        return StoreState(self.mode, snapshots, versions)

    def attune_targets(self) -> list[DetectTarget]:
        """A packls store verifies the workspace's versions, not its own rows."""
        return []

    # -- writes -----------------------------------------------------------------------

    def apply(self, batch: SyncBatch) -> ApplyResult:
        """Migrate, then write the whole batch in one transaction."""
        with self._write_transaction():
            self._migrate()
            if batch.sources is not None:
                self._write_sources(batch.sources)
            for update in batch.index_updates:
                self._write_index_update(update)
            for verdict in batch.availability:
                self._write_availability(verdict)
            pause_for_tests()
        return ApplyResult(versions_written=len(batch.availability))

    def _write_sources(self, sources: Sequence[IndexSource]) -> None:
        """The configured index list replaces the previous one; old snapshots stay, inactive."""
        self._execute("UPDATE index_snapshot SET active = ?", (self._bool(False),))
        for position, source in enumerate(sources):
            self._execute(
                "INSERT INTO index_snapshot (url, priority, position, active) VALUES (?, ?, ?, ?)"
                " ON CONFLICT (url) DO UPDATE SET priority = excluded.priority, position = excluded.position,"
                " active = excluded.active",
                (source.url, source.priority, position, self._bool(True)),
            )

    def _write_index_update(self, update: IndexUpdate) -> None:
        if update.kind == "fetched":
            self._execute(
                "UPDATE index_snapshot SET fetched_at = ?, etag = ?, last_modified = ?, digest = ?, content = ?,"
                " pack_count = ?, last_error = NULL, last_error_at = NULL WHERE url = ?",
                (self._time(update.at), update.etag, update.last_modified, update.digest, update.content,
                 update.pack_count, update.url),
            )
        elif update.kind == "not-modified":
            self._execute(
                "UPDATE index_snapshot SET fetched_at = ?, etag = COALESCE(?, etag),"
                " last_modified = COALESCE(?, last_modified), last_error = NULL, last_error_at = NULL"
                " WHERE url = ? AND content IS NOT NULL",
                (self._time(update.at), update.etag, update.last_modified, update.url),
            )
        else:
            self._execute(
                "UPDATE index_snapshot SET last_error = ?, last_error_at = ? WHERE url = ?",
                (update.error or "failed", self._time(update.at), update.url),
            )

    def _write_availability(self, verdict: AvailabilityUpdate) -> None:
        target = verdict.target
        now = self._time(_now())
        pack_ref = target.runtime_ref.split(".", 1)[0] if "." in target.runtime_ref else None
        runtime_id = self._execute(
            "INSERT INTO runtime (ref, pack_ref, name, created, updated) VALUES (?, ?, ?, ?, ?)"
            " ON CONFLICT (ref) DO UPDATE SET name = excluded.name, updated = excluded.updated RETURNING id",
            (target.runtime_ref, pack_ref, target.runtime_name, now, now),
        ).fetchone()[0]
        major, minor, patch = extract_version_components(target.version)
        self._execute(
            "INSERT INTO runtime_version (runtime, runtime_ref, version, version_major, version_minor,"
            " version_patch, execution_config, distributions, is_default, available, verified_at, meta,"
            " detected, detail, source, created, updated) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
            " ON CONFLICT (runtime, version) DO UPDATE SET version_major = excluded.version_major,"
            " version_minor = excluded.version_minor, version_patch = excluded.version_patch,"
            " execution_config = excluded.execution_config, distributions = excluded.distributions,"
            " is_default = excluded.is_default, available = excluded.available,"
            " verified_at = excluded.verified_at, meta = excluded.meta, detected = excluded.detected,"
            " detail = excluded.detail, source = excluded.source, updated = excluded.updated",
            (runtime_id, target.runtime_ref, target.version, major, minor, patch,
             self._json(target.execution_config), self._json(target.distributions), self._bool(target.is_default),
             self._bool(verdict.available), self._time(verdict.verified_at), self._json(target.meta),
             verdict.detected, verdict.detail, verdict.source, now, now),
        )


def load_time(value: Any) -> datetime | None:
    """A stored time (ISO text from SQLite, datetime from PostgreSQL) as an aware UTC datetime."""
    if value is None:
        return None
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=timezone.utc)


def load_json(value: Any) -> Any:
    """A stored JSON value (text from SQLite, decoded already from PostgreSQL)."""
    return json.loads(value) if isinstance(value, str) else value


def _snapshot(row: Sequence[Any], with_content: bool) -> IndexSnapshot:
    content = row[8] if with_content else ("" if row[8] else None)
    return IndexSnapshot(
        url=row[0],
        priority=int(row[1]),
        position=int(row[2]),
        active=bool(row[3]),
        fetched_at=load_time(row[4]),
        etag=row[5],
        last_modified=row[6],
        digest=row[7],
        content=content,
        pack_count=row[9],
        last_error=row[10],
        last_error_at=load_time(row[11]),
    )


def _now() -> datetime:
    return datetime.now(timezone.utc)
