"""PostgreSQL stores: a packls schema for teams, or an Attune database updated as its worker does.

Writes take a transaction-scoped advisory lock, so concurrent syncs queue up; the packls
schema is migrated under that lock. An Attune database (its own `runtime_version` with
`runtime_ref` and `retired_at`, no packls `schema_migrations`) is never migrated: a sync
only sets `available` and `verified_at` on registered, non-retired versions.
"""

from __future__ import annotations

from contextlib import contextmanager
from datetime import datetime
from typing import TYPE_CHECKING, Any, Final, Iterator, Sequence

from packls.registry.detect import DetectTarget, target_for
from packls.registry.redact import mask_dsn, password_of, redact
from packls.registry.sql_store import MAX_VERSION_ROWS, SqlStore, load_json, load_time
from packls.registry.store import ApplyResult, StoreError, StoreState, SyncBatch, VersionRow, pause_for_tests

if TYPE_CHECKING:
    import psycopg

SYNC_LOCK_KEY: Final = int.from_bytes(b"packls", "big")  # pg_advisory_xact_lock key shared by every sync
CONNECT_TIMEOUT_SECONDS: Final = 10
READ_CONNECT_TIMEOUT_SECONDS: Final = 3
LOCK_TIMEOUT_SECONDS: Final = 60  # how long a sync waits for another one to finish
READ_STATEMENT_SECONDS: Final = 10  # one read statement; a hostile database cannot stall a reader longer

# What a DSN from a workspace file may say: where the database is and who to be. Everything else
# (a service, a password file, client keys and certificates, TLS or GSS settings) is refused.
WORKSPACE_DSN_KEYS: Final = frozenset({
    "host", "hostaddr", "port", "dbname", "user", "password", "connect_timeout", "application_name",
    "target_session_attrs", "load_balance_hosts",
})
# A password file no one can create (/dev/null is not a folder): libpq reads none, silently.
NO_PASSWORD_FILE: Final = "/dev/null/packls-reads-no-password-file"
MIN_SEALED_LIBPQ: Final = 160000  # require_auth (which refuses GSSAPI/SSPI) is libpq 16's


def sealed_dsn(dsn: str) -> str:
    """A workspace-named DSN with nothing of the user's: every credential setting libpq would take from them is fixed.

    libpq fills unset parameters from the environment and home folder: $PGPASSWORD, the password
    file (~/.pgpass, $PGPASSFILE), a service file's password, a client certificate
    (~/.postgresql/postgresql.crt, sent when a TLS server asks), a Kerberos ticket (GSSAPI).
    Set explicitly, none of them is consulted: the password is the DSN's own or empty ("password
    not supplied", nothing sent), no password file, no TLS, no GSS encryption or authentication.
    """
    import psycopg
    from psycopg.conninfo import conninfo_to_dict, make_conninfo

    try:
        params = conninfo_to_dict(dsn)
    except psycopg.Error as exc:
        raise StoreError(_message(dsn, exc)) from None
    refused = sorted(set(params) - WORKSPACE_DSN_KEYS)
    if refused:
        raise StoreError(
            f"{mask_dsn(dsn)}: a database named by a workspace file may not set {', '.join(refused)}; "
            "name it yourself (--database, $PACKLS_DATABASE or your editor's packls.database setting)"
        )
    if psycopg.pq.version() < MIN_SEALED_LIBPQ:
        raise StoreError(
            f"{mask_dsn(dsn)}: this libpq ({psycopg.pq.version()}) cannot refuse Kerberos authentication, so a database "
            "named by a workspace file is not contacted; name it yourself"
        )
    params.update(
        password=params.get("password") or "", passfile=NO_PASSWORD_FILE, sslmode="disable", gssencmode="disable",
        require_auth="!gss,!sspi",
    )
    return make_conninfo("", **params)


def open_postgres(dsn: str, *, read_only: bool = False) -> PostgresStore | AttuneStore:
    """Connect and pick the store the database holds: packls schema (or empty) vs Attune's."""
    connection = connect(dsn, read_only=read_only)
    try:
        attune = _is_attune_database(connection)
    except Exception as exc:
        connection.close()
        raise StoreError(_message(dsn, exc)) from None
    return AttuneStore(connection, dsn) if attune else PostgresStore(connection, dsn)


def connect(dsn: str, *, read_only: bool = False) -> psycopg.Connection[Any]:
    """A connection with bounded connect time; failures become one masked line."""
    try:
        import psycopg
    except ImportError:  # the server bundled in the VS Code extension has no native database driver
        raise StoreError(
            f"{mask_dsn(dsn)}: PostgreSQL stores need psycopg, which this packls lacks; install packls with pip or pipx "
            "(in VS Code, point packls.server.path at that packls)"
        ) from None

    try:
        connection = psycopg.connect(
            dsn,
            autocommit=True,  # transactions are explicit: `with connection.transaction()`
            connect_timeout=READ_CONNECT_TIMEOUT_SECONDS if read_only else CONNECT_TIMEOUT_SECONDS,
            application_name="packls-sync",
        )
    except psycopg.Error as exc:
        raise StoreError(_message(dsn, exc)) from None
    except Exception as exc:  # e.g. an invalid connection string
        raise StoreError(_message(dsn, exc)) from None
    if read_only:
        connection.read_only = True
    return connection


def _is_attune_database(connection: psycopg.Connection[Any]) -> bool:
    with connection.transaction():
        columns = {
            row[0]
            for row in connection.execute(
                "SELECT column_name FROM information_schema.columns"
                " WHERE table_schema = current_schema() AND table_name = 'runtime_version'"
            )
        }
        row = connection.execute("SELECT to_regclass('schema_migrations') IS NOT NULL").fetchone()
    return {"runtime_ref", "retired_at"} <= columns and not (row and row[0])


class _PostgresBase:
    """Connection handling shared by both PostgreSQL stores."""

    def __init__(self, connection: psycopg.Connection[Any], dsn: str) -> None:
        self._connection = connection
        self._dsn = dsn
        self.description = mask_dsn(dsn)

    def _execute(self, sql: str, params: Sequence[Any] = ()) -> Any:
        return self._connection.execute(sql.replace("?", "%s"), tuple(params))

    @contextmanager
    def _guard(self) -> Iterator[None]:
        """Turn driver errors into one masked line."""
        import psycopg

        try:
            yield
        except psycopg.Error as exc:
            raise StoreError(_message(self._dsn, exc)) from None

    @contextmanager
    def _write_transaction(self) -> Iterator[None]:
        with self._guard(), self._connection.transaction():
            self._connection.execute(f"SET LOCAL lock_timeout = '{LOCK_TIMEOUT_SECONDS}s'")
            self._connection.execute("SELECT pg_advisory_xact_lock(%s)", (SYNC_LOCK_KEY,))
            yield

    @contextmanager
    def _read_transaction(self) -> Iterator[None]:
        with self._guard(), self._connection.transaction():
            self._connection.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            self._connection.execute(f"SET LOCAL statement_timeout = '{READ_STATEMENT_SECONDS}s'")
            yield

    def close(self) -> None:
        self._connection.close()


class PostgresStore(_PostgresBase, SqlStore):
    """A packls-schema store in PostgreSQL."""

    dialect = "postgres"

    def _has_table(self, name: str) -> bool:
        return bool(self._execute("SELECT to_regclass(?) IS NOT NULL", (name,)).fetchone()[0])

    def _json(self, value: Any) -> Any:
        from psycopg.types.json import Jsonb

        return Jsonb(value)

    def _time(self, value: datetime | None) -> datetime | None:
        return value

    def _bool(self, value: bool) -> bool:
        return value


class AttuneStore(_PostgresBase):
    """Attune's own database: availability is the only thing packls writes to it."""

    mode = "attune"

    def read_state(self, *, with_content: bool = True) -> StoreState:
        """Registered, non-retired versions as Attune sees them; Attune keeps no index snapshots."""
        with self._read_transaction():
            rows = self._execute(
                "SELECT runtime_ref, version, available, verified_at, is_default FROM runtime_version"
                f" WHERE retired_at IS NULL ORDER BY runtime_ref, version LIMIT {MAX_VERSION_ROWS}"
            ).fetchall()
        versions = tuple(
            VersionRow(row[0], row[1], bool(row[2]), load_time(row[3]), bool(row[4]), source="attune-db")
            for row in rows
        )
        return StoreState(self.mode, (), versions)

    def attune_targets(self) -> list[DetectTarget]:
        """What Attune's worker would verify: every non-retired registered version."""
        with self._read_transaction():
            rows = self._execute(
                "SELECT rv.runtime_ref, r.name, rv.version, rv.execution_config, rv.distributions,"
                " rv.is_default, rv.meta FROM runtime_version rv JOIN runtime r ON r.id = rv.runtime"
                " WHERE rv.retired_at IS NULL ORDER BY rv.runtime_ref, rv.id"
            ).fetchall()
        return [
            target_for(ref, name or ref.rsplit(".", 1)[-1], version,
                       execution_config=_mapping(load_json(config)), distributions=_mapping(load_json(dists)),
                       is_default=bool(is_default), meta=_mapping(load_json(meta)))
            for ref, name, version, config, dists, is_default, meta in rows
        ]

    def apply(self, batch: SyncBatch) -> ApplyResult:
        """Set `available`/`verified_at` like `set_availability`; refuse anything else."""
        if batch.sources is not None or batch.index_updates:
            raise StoreError(
                f"{self.description} is an Attune database: index snapshots cannot be stored there; "
                "sync indexes into a packls database (SQLite or a separate PostgreSQL database)"
            )
        missing = []
        with self._write_transaction():
            for verdict in batch.availability:
                cursor = self._execute(
                    "UPDATE runtime_version SET available = ?, verified_at = ?"
                    " WHERE runtime_ref = ? AND version = ? AND retired_at IS NULL",
                    (verdict.available, verdict.verified_at, verdict.target.runtime_ref, verdict.target.version),
                )
                if cursor.rowcount == 0:
                    missing.append(verdict.target.key)
            pause_for_tests()
        return ApplyResult(len(batch.availability) - len(missing), tuple(missing))


def _mapping(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _message(dsn: str, exc: BaseException) -> str:
    """One line naming the database (password masked) and the driver's first line."""
    text = " ".join(str(exc).split()) or type(exc).__name__
    text = redact(text, password_of(dsn))
    return f"{mask_dsn(dsn)}: {text}"
