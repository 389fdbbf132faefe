"""The default store: one SQLite file, written under BEGIN IMMEDIATE with a busy timeout.

SQLite's rollback journal makes each sync atomic: a process killed mid-transaction leaves
a hot journal that the next connection rolls back, so readers see the previous state.

A workspace file may name the SQLite file validate and the language server read, so every
connection is bounded: a file holding a view, trigger or virtual table is refused (packls
creates none; a recursive view would run forever and fill the disk with temp data), the
schema is not trusted, a read-only connection gives up after READ_SECONDS, and no value may
exceed MAX_VALUE_BYTES.
"""

from __future__ import annotations

import json
import sqlite3
import time
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Final, Iterator, Sequence

from packls.registry.sql_store import SqlStore
from packls.registry.store import StoreError

BUSY_TIMEOUT_SECONDS: Final = 30.0
READ_BUSY_TIMEOUT_SECONDS: Final = 2.0
READ_SECONDS: Final = 10.0  # a read-only connection's whole life (load_facts opens one per read)
MAX_VALUE_BYTES: Final = 64 * 1024 * 1024  # a string or blob; an index snapshot is at most 16 MiB
_PROGRESS_STEPS: Final = 10_000  # virtual machine steps between deadline checks


class SqliteStore(SqlStore):
    """A packls store in a SQLite file."""

    dialect = "sqlite"

    def __init__(self, connection: sqlite3.Connection, path: Path) -> None:
        self._connection = connection
        self.path = path
        self.description = str(path)

    @classmethod
    def open(cls, path: Path, *, create: bool = True, read_only: bool = False) -> SqliteStore:
        """Open (and with `create`, create) the file; errors become one-line StoreErrors."""
        if not create and not path.exists():
            raise StoreError(f"{path}: no such database")
        if path.exists() and not path.is_file():  # a named pipe or device would block forever
            raise StoreError(f"{path}: not a database file")
        try:
            if create:
                path.parent.mkdir(parents=True, exist_ok=True)
            mode = "rw" if (read_only or not create) else "rwc"
            timeout = READ_BUSY_TIMEOUT_SECONDS if read_only else BUSY_TIMEOUT_SECONDS
            try:
                connection = _connect(path, mode, timeout)
            except sqlite3.OperationalError:
                if not read_only:
                    raise
                connection = _connect(path, "ro", timeout)  # a file we may read but not write
            _bound(connection, READ_SECONDS if read_only else None)
            if read_only:
                connection.execute("PRAGMA query_only = ON")
            else:
                connection.execute("PRAGMA foreign_keys = ON")
            foreign = connection.execute(  # also fails fast on a non-database
                "SELECT type, name FROM sqlite_master WHERE type IN ('view', 'trigger')"
                " OR (type = 'table' AND sql LIKE 'CREATE VIRTUAL%') LIMIT 1"
            ).fetchone()
            if foreign is not None:
                connection.close()
                raise StoreError(
                    f"{path}: not a packls database: it holds the {foreign[0]} {foreign[1]!r}, and packls creates none"
                )
        except PermissionError as exc:
            raise StoreError(f"{path}: permission denied ({exc.strerror})") from None
        except sqlite3.Error as exc:
            raise StoreError(_message(path, exc)) from None
        except OSError as exc:
            raise StoreError(f"{path}: {exc.strerror or exc}") from None
        return cls(connection, path)

    def _execute(self, sql: str, params: Sequence[Any] = ()) -> sqlite3.Cursor:
        return self._connection.execute(sql, tuple(params))

    @contextmanager
    def _write_transaction(self) -> Iterator[None]:
        try:
            self._connection.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as exc:
            raise StoreError(_message(self.path, exc)) from None
        try:
            yield
            self._connection.execute("COMMIT")
        except BaseException as exc:
            self._rollback()
            if isinstance(exc, sqlite3.Error):
                raise StoreError(_message(self.path, exc)) from None
            raise

    @contextmanager
    def _read_transaction(self) -> Iterator[None]:
        try:
            self._connection.execute("BEGIN")
            try:
                yield
            finally:
                self._rollback()
        except sqlite3.Error as exc:
            raise StoreError(_message(self.path, exc)) from None

    def _rollback(self) -> None:
        try:
            self._connection.execute("ROLLBACK")
        except sqlite3.Error:
            pass

    def _has_table(self, name: str) -> bool:
        row = self._execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (name,)).fetchone()
        return row is not None

    def _json(self, value: Any) -> str:
        return json.dumps(value, sort_keys=True, ensure_ascii=False)

    def _time(self, value: datetime | None) -> str | None:
        return value.astimezone(timezone.utc).isoformat() if value is not None else None

    def _bool(self, value: bool) -> int:
        return 1 if value else 0

    def close(self) -> None:
        self._connection.close()


def _bound(connection: sqlite3.Connection, seconds: float | None) -> None:
    """No schema-defined functions, no huge values, and (for reads) an end: the progress handler interrupts past the deadline."""
    connection.execute("PRAGMA trusted_schema = OFF")
    connection.setlimit(sqlite3.SQLITE_LIMIT_LENGTH, MAX_VALUE_BYTES)
    if seconds is not None:
        deadline = time.monotonic() + seconds
        connection.set_progress_handler(lambda: int(time.monotonic() > deadline), _PROGRESS_STEPS)


def _connect(path: Path, mode: str, timeout: float) -> sqlite3.Connection:
    uri = f"{path.resolve().as_uri()}?mode={mode}"
    connection = sqlite3.connect(uri, uri=True, timeout=timeout, isolation_level=None, check_same_thread=False)
    connection.execute(f"PRAGMA busy_timeout = {int(timeout * 1000)}")
    return connection


def _message(path: Path, exc: sqlite3.Error) -> str:
    text = str(exc) or type(exc).__name__
    if "unable to open" in text:
        return f"{path}: cannot open database (check the folder exists and is writable)"
    if "readonly" in text or "read-only" in text:
        return f"{path}: database is read-only (permission denied)"
    if "not a database" in text or "malformed" in text:
        return f"{path}: not a valid packls database ({text})"
    if "interrupted" in text:
        return f"{path}: reading took longer than {READ_SECONDS:g} s; not a usable packls database"
    if "locked" in text or "busy" in text:
        return f"{path}: database is locked by another process ({text})"
    return f"{path}: database error: {text}"
