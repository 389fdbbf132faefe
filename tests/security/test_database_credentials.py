"""A database named only by a workspace file never receives the user's credentials.

libpq fills in what a DSN leaves out from the user's environment and home folder:
$PGPASSWORD, ~/.pgpass or $PGPASSFILE, a service file, a client certificate, a Kerberos
ticket. A packls.toml naming `postgresql://…@127.0.0.1:PORT/…` would hand those to any local
process listening there (in cleartext, if it asks for a cleartext password). Tested against
a fake server that asks exactly that, and against a real PostgreSQL.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from tests.hostile.raw_http import RawServer
from tests.registry.conftest import postgres_server  # noqa: F401 (fixture: a real cluster on loopback)
from tests.registry.support import PostgresServer
from tests.security.injection import write

ENV_PASSWORD = "env-pgpassword-7c1e"
FILE_PASSWORD = "pgpass-file-7c1e"
SERVICE_PASSWORD = "service-file-7c1e"


def _exactly(connection: socket.socket, size: int) -> bytes:
    data = b""
    while len(data) < size:
        chunk = connection.recv(size - len(data))
        if not chunk:
            raise ConnectionError("closed")
        data += chunk
    return data


class FakePostgres:
    """Answers SSL/GSS requests with 'N', then asks for a cleartext password and records every byte it gets."""

    def __init__(self) -> None:
        self.received = bytearray()
        self.connections = 0
        self.lock = threading.Lock()

    def __call__(self, connection: socket.socket, stop: threading.Event) -> None:
        connection.settimeout(10)
        with self.lock:
            self.connections += 1
        while True:
            head = _exactly(connection, 4)
            body = _exactly(connection, int.from_bytes(head, "big") - 4)
            self.received += head + body
            if int.from_bytes(body[:4], "big") in (80877103, 80877104):  # SSLRequest, GSSENCRequest
                connection.sendall(b"N")
                continue
            break
        connection.sendall(b"R" + (8).to_bytes(4, "big") + (3).to_bytes(4, "big"))  # AuthenticationCleartextPassword
        try:
            while chunk := connection.recv(4096):
                self.received += chunk
        except OSError:
            pass


@pytest.fixture
def home(tmp_path: Path) -> dict[str, str]:
    """An environment where every libpq credential source holds a password."""
    passfile = write(tmp_path / "home" / ".pgpass", f"*:*:*:*:{FILE_PASSWORD}\n")
    passfile.chmod(0o600)
    services = write(tmp_path / "home" / ".pg_service.conf", f"[team]\npassword={SERVICE_PASSWORD}\n")
    return {
        "HOME": str(tmp_path / "home"), "PGPASSWORD": ENV_PASSWORD, "PGPASSFILE": str(passfile),
        "PGSERVICEFILE": str(services), "PGSERVICE": "team", "XDG_DATA_HOME": str(tmp_path / "data"),
        "PGCONNECT_TIMEOUT": "5",
    }


def validate(root: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    write(root / "p" / "pack.yaml", 'ref: pp\nversion: "1.0.0"\n')
    return subprocess.run(
        [sys.executable, "-m", "packls", "validate", "p", *args], cwd=root, capture_output=True, text=True,
        timeout=120, env={**os.environ, **env},
    )


def test_a_local_listener_a_packls_toml_names_gets_no_password_from_the_user(tmp_path: Path, home: dict[str, str]) -> None:
    fake = FakePostgres()
    with RawServer(fake, http=False) as server:
        write(tmp_path / "packls.toml", f'database = "postgresql://victim@127.0.0.1:{server.port}/packls"\n')
        done = validate(tmp_path, home)

    assert fake.connections >= 1  # loopback is still allowed ...
    received = bytes(fake.received)
    for secret in (ENV_PASSWORD, FILE_PASSWORD, SERVICE_PASSWORD):  # ... but with nothing of the user's
        assert secret.encode() not in received
    assert done.returncode == 0 and "registry facts not loaded" in done.stderr
    assert "password" in done.stderr  # libpq's own reason: no password supplied


def test_a_workspace_dsn_may_not_name_a_service_password_file_or_keys(tmp_path: Path, home: dict[str, str]) -> None:
    fake = FakePostgres()
    with RawServer(fake, http=False) as server:
        write(tmp_path / "packls.toml",
              f'database = "postgresql://victim@127.0.0.1:{server.port}/packls?service=team&sslkey=/k&passfile=/p"\n')
        done = validate(tmp_path, home)

    assert fake.connections == 0
    assert "may not set passfile, service, sslkey" in done.stderr


def test_a_real_database_named_by_packls_toml_is_not_opened_with_the_users_password(
    tmp_path: Path, home: dict[str, str], postgres_server: PostgresServer  # noqa: F811
) -> None:
    server = postgres_server
    env = {"HOME": home["HOME"], "XDG_DATA_HOME": home["XDG_DATA_HOME"], "PGPASSWORD": server.password}  # the user's
    write(tmp_path / "packls.toml", f'database = "postgresql://{server.user}@{server.host}:{server.port}/postgres"\n')

    done = validate(tmp_path, env)

    assert "registry facts not loaded" in done.stderr and "password" in done.stderr


def test_the_same_database_named_by_the_user_still_uses_their_password(
    tmp_path: Path, home: dict[str, str], postgres_server: PostgresServer  # noqa: F811
) -> None:
    server = postgres_server
    env = {"HOME": home["HOME"], "XDG_DATA_HOME": home["XDG_DATA_HOME"], "PGPASSWORD": server.password}
    dsn = f"postgresql://{server.user}@{server.host}:{server.port}/postgres"

    done = validate(tmp_path, env, "--database", dsn)

    assert "registry facts not loaded" not in done.stderr, done.stderr


def test_a_password_written_in_the_workspace_dsn_is_its_own_and_works(
    tmp_path: Path, home: dict[str, str], postgres_server: PostgresServer  # noqa: F811
) -> None:
    server = postgres_server
    write(tmp_path / "packls.toml", f'database = "{server.dsn("postgres")}"\n')

    done = validate(tmp_path, home)

    assert "registry facts not loaded" not in done.stderr, done.stderr
