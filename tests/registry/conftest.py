"""Real components for the registry tests: an HTTP server on 127.0.0.1 and a throwaway PostgreSQL.

The PostgreSQL cluster is created by `initdb` in a temporary folder, listens only on
127.0.0.1 on a free port, and is removed at the end of the session. Its binaries come from
Debian's `postgresql` package (`scripts/install-postgres.sh`); as root the server runs as
the `postgres` (or `nobody`) user, because postgres refuses to run as root.
"""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Iterator

import pytest

from packls.registry.fetch import is_loopback_host

from .support import IndexServer, PostgresServer, Seen, free_port, postgres_bindir, server_user


@pytest.fixture(autouse=True)
def _private_user_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No test reads or writes the real per-user store or a stray $PACKLS_DATABASE."""
    monkeypatch.delenv("PACKLS_DATABASE", raising=False)
    monkeypatch.delenv("PACKLS_ATTUNE_TOKEN", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))


@pytest.fixture(autouse=True)
def connections(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, int]]:
    """Every address a test's code connects to; anything but loopback is refused, never contacted."""
    seen: list[tuple[str, int]] = []
    real = socket.create_connection

    def loopback_only(address: tuple[str, int], *args: Any, **kwargs: Any) -> socket.socket:
        seen.append(address)
        if not is_loopback_host(address[0]):
            raise ConnectionRefusedError(f"test guard: no connections to {address[0]}")
        return real(address, *args, **kwargs)

    monkeypatch.setattr(socket, "create_connection", loopback_only)
    return seen


@pytest.fixture(scope="session")
def _http_server() -> Iterator[IndexServer]:
    state = IndexServer()

    class RequestHandler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
            state.requests.append(Seen(self.path, dict(self.headers.items())))
            handler = state.routes.get(self.path)
            if handler is None:
                self.send_response(404)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            handler(self)
            self.close_connection = True

        def log_message(self, format: str, *args: Any) -> None:
            pass

    class QuietServer(ThreadingHTTPServer):
        def handle_error(self, request: Any, client_address: Any) -> None:
            pass  # clients that give up mid-response (timeouts, size caps) are expected here

    server = QuietServer(("127.0.0.1", 0), RequestHandler)
    server.daemon_threads = True
    state.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield state
    state.release.set()
    server.shutdown()
    server.server_close()


@pytest.fixture
def http_server(_http_server: IndexServer) -> Iterator[IndexServer]:
    """The session's loopback server with the routes and request log of this test only."""
    _http_server.routes.clear()
    _http_server.requests.clear()
    yield _http_server
    _http_server.routes.clear()


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    bindir = postgres_bindir()
    if bindir is None:
        pytest.fail("PostgreSQL server binaries (initdb, pg_ctl, postgres) not found: run scripts/install-postgres.sh")
    user = server_user()
    prefix = ["runuser", "-u", user, "--"] if user else []
    base = Path(tempfile.mkdtemp(prefix="packls-pg-", dir="/tmp" if user else None))  # reachable by that user
    data, log, pwfile = base / "data", base / "server.log", base / "pw"
    password = "s3cret-test-pw"
    pwfile.write_text(password + "\n")
    if user:
        entry = pwd.getpwnam(user)
        for path in (base, pwfile):
            os.chown(path, entry.pw_uid, entry.pw_gid)
    subprocess.run(
        [*prefix, str(bindir / "initdb"), "-D", str(data), "-U", "packls", f"--pwfile={pwfile}",
         "--auth-host=scram-sha-256", "--auth-local=trust", "-E", "UTF8", "--locale=C", "--no-sync"],
        check=True, capture_output=True, cwd=base,
    )
    port = free_port()
    options = f"-c listen_addresses=127.0.0.1 -p {port} -k {base} -c fsync=off -c max_connections=40"
    started = subprocess.run(
        [*prefix, str(bindir / "pg_ctl"), "-D", str(data), "-o", options, "-l", str(log), "-w", "-t", "60", "start"],
        capture_output=True, text=True, cwd=base,
    )
    if started.returncode != 0:
        text = log.read_text() if log.exists() else ""
        pytest.fail(f"PostgreSQL did not start: {started.stderr}\n{text}")
    try:
        yield PostgresServer("127.0.0.1", port, "packls", password)
    finally:
        subprocess.run([*prefix, str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"],
                       capture_output=True, cwd=base)
        shutil.rmtree(base, ignore_errors=True)


_database_counter = iter(range(1, 1_000_000))


@pytest.fixture
def postgres_dsn(postgres_server: PostgresServer) -> Iterator[str]:
    """A fresh, empty database for one test."""
    import psycopg

    name = f"packls_test_{os.getpid()}_{next(_database_counter)}"
    with psycopg.connect(postgres_server.dsn(), autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    yield postgres_server.dsn(name)
    with psycopg.connect(postgres_server.dsn(), autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(params=["sqlite", "postgres"])
def database(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A --database value for each backend: a SQLite file path, or a fresh PostgreSQL database."""
    if request.param == "sqlite":
        return str(tmp_path / "registry.sqlite3")
    return request.getfixturevalue("postgres_dsn")


