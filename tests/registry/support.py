"""Helpers shared by the registry tests: index documents, the loopback HTTP server's state,
the PostgreSQL server handle, and polling."""

from __future__ import annotations

import copy
import glob
import json
import os
import pwd
import shutil
import socket
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any, Callable

DATA = Path(__file__).parent / "data"


# ---------------------------------------------------------------------------------------
# index documents
# ---------------------------------------------------------------------------------------


def standard_index() -> dict[str, Any]:
    """A fresh copy of the realistic two-pack index fixture."""
    return json.loads((DATA / "index_standard.json").read_text())


def make_index(*packs: tuple[str, str]) -> dict[str, Any]:
    """A valid index holding (ref, version) packs, built from the fixture's first entry."""
    document = standard_index()
    template = document["packs"][0]
    document["packs"] = []
    for ref, version in packs:
        entry = copy.deepcopy(template)
        entry["ref"], entry["version"], entry["label"] = ref, version, ref.title()
        document["packs"].append(entry)
    return document


def index_bytes(document: dict[str, Any]) -> bytes:
    return json.dumps(document).encode()


# ---------------------------------------------------------------------------------------
# HTTP server on loopback
# ---------------------------------------------------------------------------------------


@dataclass
class Seen:
    """One request the server received."""

    path: str
    headers: dict[str, str]


Handler = Callable[[BaseHTTPRequestHandler], None]


@dataclass
class IndexServer:
    """Routes path → handler; records every request; `url(path)` gives http://127.0.0.1:PORT/path."""

    port: int = 0
    routes: dict[str, Handler] = field(default_factory=dict)
    requests: list[Seen] = field(default_factory=list)
    release: threading.Event = field(default_factory=threading.Event)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def serve_json(self, path: str, body: bytes, *, etag: str | None = None,
                   last_modified: str | None = None) -> None:
        """A document with validators; a matching conditional request gets 304."""

        def handler(request: BaseHTTPRequestHandler) -> None:
            if etag and request.headers.get("If-None-Match") == etag or (
                last_modified and request.headers.get("If-Modified-Since") == last_modified
            ):
                request.send_response(304)
                request.end_headers()
                return
            request.send_response(200)
            request.send_header("Content-Type", "application/json")
            request.send_header("Content-Length", str(len(body)))
            if etag:
                request.send_header("ETag", etag)
            if last_modified:
                request.send_header("Last-Modified", last_modified)
            request.end_headers()
            request.wfile.write(body)

        self.routes[path] = handler

    def serve_status(self, path: str, status: int, body: bytes = b"", headers: dict[str, str] | None = None) -> None:
        def handler(request: BaseHTTPRequestHandler) -> None:
            request.send_response(status)
            for name, value in (headers or {}).items():
                request.send_header(name, value)
            request.send_header("Content-Length", str(len(body)))
            request.end_headers()
            request.wfile.write(body)

        self.routes[path] = handler

    def serve_hanging(self, path: str) -> None:
        """Accepts the request and never answers (until the session ends)."""

        def handler(request: BaseHTTPRequestHandler) -> None:
            self.release.wait(30)

        self.routes[path] = handler

    def requests_to(self, path: str) -> list[Seen]:
        return [r for r in self.requests if r.path == path]


# ---------------------------------------------------------------------------------------
# PostgreSQL
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PostgresServer:
    """A running throwaway cluster on loopback, with password authentication over TCP."""

    host: str
    port: int
    user: str
    password: str

    def dsn(self, database: str = "postgres") -> str:
        return f"postgresql://{self.user}:{self.password}@{self.host}:{self.port}/{database}"


def postgres_bindir() -> Path | None:
    """Where initdb/pg_ctl/postgres live: Debian's versioned folder, else PATH."""
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(Path(p).parent.name), reverse=True)
    for folder in candidates:
        if all((Path(folder) / tool).exists() for tool in ("initdb", "pg_ctl", "postgres")):
            return Path(folder)
    initdb = shutil.which("initdb")
    if initdb and shutil.which("pg_ctl") and shutil.which("postgres"):
        return Path(os.path.realpath(initdb)).parent
    return None


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def server_user() -> str | None:
    """Who runs postgres: ourselves, or as root an unprivileged account."""
    if os.geteuid() != 0:
        return None
    for name in ("postgres", "nobody"):
        try:
            pwd.getpwnam(name)
            return name
        except KeyError:
            continue
    raise RuntimeError("running as root, and neither a postgres nor a nobody account exists")


def wait_for(condition: Callable[[], bool], timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        time.sleep(0.02)


@dataclass(frozen=True)
class CliResult:
    """Exit code and output of one in-process `packls sync` run."""

    code: int
    out: str
    err: str


def run_cli(*argv: str, configured_indexes: list[dict[str, Any]] | None = None) -> CliResult:
    """Run `packls sync ARGV` in this process through the public argparse glue."""
    import argparse
    import io

    from packls.registry.command import add_sync_arguments, run_sync

    parser = argparse.ArgumentParser(prog="packls sync")
    add_sync_arguments(parser)
    out, err = io.StringIO(), io.StringIO()
    code = run_sync(parser.parse_args(list(argv)), configured_indexes=configured_indexes, stdout=out, stderr=err)
    return CliResult(code, out.getvalue(), err.getvalue())
