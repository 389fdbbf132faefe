"""Bounded fetching against a real HTTP server on 127.0.0.1."""

from __future__ import annotations

import socket
import time
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest

from packls.registry.fetch import FetchError, FetchLimits, Validators, fetch

from .support import IndexServer

QUICK = FetchLimits(connect_timeout=2.0, read_timeout=0.5, total_timeout=5.0)


def test_a_document_comes_back_with_its_validators(http_server: IndexServer) -> None:
    http_server.serve_json("/index.json", b'{"ok": true}', etag='"v1"', last_modified="Wed, 01 Oct 2026 10:00:00 GMT")

    fetched = fetch(http_server.url("/index.json"), limits=QUICK)

    assert fetched.body == b'{"ok": true}'
    assert (fetched.etag, fetched.last_modified) == ('"v1"', "Wed, 01 Oct 2026 10:00:00 GMT")
    assert http_server.requests_to("/index.json")[0].headers["Accept-Encoding"] == "identity"


def test_a_conditional_request_sends_both_validators_and_understands_304(http_server: IndexServer) -> None:
    http_server.serve_json("/index.json", b"{}", etag='"v1"')

    fetched = fetch(http_server.url("/index.json"), limits=QUICK,
                    validators=Validators('"v1"', "Wed, 01 Oct 2026 10:00:00 GMT"))

    assert fetched.not_modified
    headers = http_server.requests_to("/index.json")[0].headers
    assert headers["If-None-Match"] == '"v1"'
    assert headers["If-Modified-Since"] == "Wed, 01 Oct 2026 10:00:00 GMT"


def test_a_server_error_is_reported_with_its_status(http_server: IndexServer) -> None:
    http_server.serve_status("/index.json", 500, b"boom")

    with pytest.raises(FetchError, match=r"HTTP 500 Internal Server Error"):
        fetch(http_server.url("/index.json"), limits=QUICK)


def test_a_truncated_body_is_an_error_not_a_short_document(http_server: IndexServer) -> None:
    def truncated(request: BaseHTTPRequestHandler) -> None:
        request.send_response(200)
        request.send_header("Content-Length", "1000")
        request.end_headers()
        request.wfile.write(b'{"registry_name": "cut')
        request.wfile.flush()
        request.close_connection = True

    http_server.routes["/index.json"] = truncated

    with pytest.raises(FetchError, match="truncated after 22 of 1000 bytes"):
        fetch(http_server.url("/index.json"), limits=QUICK)


def test_a_declared_oversized_body_is_refused_before_reading(http_server: IndexServer) -> None:
    http_server.serve_status("/index.json", 200, b"x" * 2048)

    with pytest.raises(FetchError, match="2048 bytes is larger than the 1024-byte limit"):
        fetch(http_server.url("/index.json"), limits=FetchLimits(max_bytes=1024, read_timeout=1))


def test_an_undeclared_oversized_body_is_cut_off_at_the_limit(http_server: IndexServer) -> None:
    def endless(request: BaseHTTPRequestHandler) -> None:
        request.send_response(200)
        request.send_header("Connection", "close")
        request.end_headers()
        for _ in range(64):  # 4 MiB without Content-Length
            request.wfile.write(b"x" * 65536)

    http_server.routes["/index.json"] = endless

    with pytest.raises(FetchError, match="larger than the 100000-byte limit"):
        fetch(http_server.url("/index.json"), limits=FetchLimits(max_bytes=100_000, read_timeout=2))


def test_a_server_that_never_answers_times_out(http_server: IndexServer) -> None:
    http_server.serve_hanging("/index.json")
    started = time.monotonic()

    with pytest.raises(FetchError, match="read timed out"):
        fetch(http_server.url("/index.json"), limits=QUICK)

    assert time.monotonic() - started < 3


def test_a_slow_drip_is_stopped_by_the_total_deadline(http_server: IndexServer) -> None:
    def drip(request: BaseHTTPRequestHandler) -> None:
        request.send_response(200)
        request.send_header("Content-Length", "100")
        request.end_headers()
        for _ in range(100):
            request.wfile.write(b" ")
            request.wfile.flush()
            if http_server.release.wait(0.2):
                return

    http_server.routes["/index.json"] = drip
    started = time.monotonic()

    with pytest.raises(FetchError, match="total time limit"):
        fetch(http_server.url("/index.json"), limits=FetchLimits(read_timeout=1.0, total_timeout=1.0))

    assert time.monotonic() - started < 3


def test_a_redirect_to_another_host_is_refused_without_connecting(
    http_server: IndexServer, connections: list[tuple[str, int]]
) -> None:
    http_server.serve_status("/index.json", 302, headers={"Location": "https://index.example.net/index.json"})

    with pytest.raises(FetchError, match="redirect to https://index.example.net/index.json refused"):
        fetch(http_server.url("/index.json"), limits=QUICK)

    assert connections == [("127.0.0.1", http_server.port)]


def test_a_redirect_to_a_private_address_is_refused_too(
    http_server: IndexServer, connections: list[tuple[str, int]]
) -> None:
    http_server.serve_status("/index.json", 301, headers={"Location": "http://10.0.0.7/index.json"})

    with pytest.raises(FetchError, match="refused"):
        fetch(http_server.url("/index.json"), limits=QUICK)

    assert [host for host, _ in connections] == ["127.0.0.1"]


def test_a_redirect_on_the_same_host_is_followed(http_server: IndexServer) -> None:
    http_server.serve_status("/old.json", 308, headers={"Location": "/new.json"})
    http_server.serve_json("/new.json", b"[1]")

    assert fetch(http_server.url("/old.json"), limits=QUICK).body == b"[1]"


def test_redirect_loops_end(http_server: IndexServer) -> None:
    http_server.serve_status("/loop.json", 302, headers={"Location": "/loop.json"})

    with pytest.raises(FetchError, match="more than 3 redirects"):
        fetch(http_server.url("/loop.json"), limits=QUICK)


def test_plain_http_to_a_non_loopback_host_is_refused_without_connecting(
    connections: list[tuple[str, int]],
) -> None:
    with pytest.raises(FetchError, match="plain http is only allowed to loopback hosts"):
        fetch("http://index.example.net/index.json", limits=QUICK)

    assert connections == []


def test_other_schemes_are_refused() -> None:
    with pytest.raises(FetchError, match="only https:// URLs"):
        fetch("ftp://example.net/index.json")


def test_a_closed_port_is_a_connection_error() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]

    with pytest.raises(FetchError, match="cannot connect"):
        fetch(f"http://127.0.0.1:{port}/index.json", limits=QUICK)


def test_credentials_in_the_url_are_sent_as_basic_auth_and_never_shown(http_server: IndexServer) -> None:
    http_server.serve_status("/index.json", 403)

    with pytest.raises(FetchError) as caught:
        fetch(f"http://reader:hunter2@127.0.0.1:{http_server.port}/index.json", limits=QUICK)

    assert "hunter2" not in str(caught.value)
    assert "reader:***@" in str(caught.value)
    assert http_server.requests_to("/index.json")[0].headers["Authorization"] == "Basic cmVhZGVyOmh1bnRlcjI="


def test_local_files_are_read_by_path_or_file_url(tmp_path: Path) -> None:
    document = tmp_path / "index.json"
    document.write_bytes(b"{}")

    assert fetch(str(document)).body == b"{}"
    assert fetch(document.as_uri()).body == b"{}"


def test_local_files_obey_the_size_limit_and_report_missing_files(tmp_path: Path) -> None:
    big = tmp_path / "big.json"
    big.write_bytes(b" " * 2000)

    with pytest.raises(FetchError, match="larger than the 1000-byte limit"):
        fetch(str(big), limits=FetchLimits(max_bytes=1000))
    with pytest.raises(FetchError, match="no such file"):
        fetch(str(tmp_path / "missing.json"))
