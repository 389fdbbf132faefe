"""A hostile index server fuzzed: random status lines, headers, chunking, sizes and timings over a real socket.

One loopback listener (tests/hostile/raw_http.py) answers each case with generated raw bytes,
written in generated pieces with short pauses. `packls sync --index` must, every time: end
within its deadline, never raise (a failure is one line in the report), keep the last good
snapshot unless a valid index arrived, and print nothing a terminal or CI log would act on.
"""

from __future__ import annotations

import io
import json
import socket
import threading
import time
from pathlib import Path
from typing import Iterator

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from packls.registry.command import _print_report
from packls.registry.fetch import FetchLimits
from packls.registry.sqlite_store import SqliteStore
from packls.registry.store import IndexSource
from packls.registry.sync import SyncRequest, run_sync
from tests.fuzz.conftest import count, fuzz_settings
from tests.hostile.raw_http import RawServer
from tests.registry.support import index_bytes, make_index
from tests.security.inert import problems

DEADLINE = 1.5
LIMITS = FetchLimits(max_bytes=64 * 1024, connect_timeout=2, read_timeout=1.0, total_timeout=DEADLINE)
GOOD = index_bytes(make_index(("good_pack", "1.0.0")))

status_lines = st.one_of(
    st.sampled_from([b"HTTP/1.1 200 OK", b"HTTP/1.0 200 OK", b"HTTP/1.1 304 Not Modified", b"HTTP/1.1 500 Oops",
                     b"HTTP/1.1 302 Found", b"HTTP/1.1 100 Continue", b"HTTP/1.1 200", b"HTTP/2 200 OK", b"ICY 200 OK",
                     b"HTTP/1.1 999 \x1b]52;c;eA==\x07 ##[error]x", b"HTTP/1.1 -1 no", b"HTTP/1.1 20 short", b""]),
    st.binary(max_size=40).map(lambda b: b.replace(b"\n", b"")),
)
header_names = st.sampled_from([b"Content-Length", b"Transfer-Encoding", b"Content-Encoding", b"Location", b"ETag",
                                b"Last-Modified", b"Connection", b"X-Junk", b"Content-Type"])
header_values = st.one_of(
    st.sampled_from([b"0", b"5", b"-1", b"99999999999999999999", b"chunked", b"gzip", b"identity", b"close",
                     b"https://elsewhere.example/i.json", b"/index.json", b"\"etag\"", b"nonsense"]),
    st.binary(max_size=30).map(lambda b: b.replace(b"\n", b"").replace(b"\r", b"")),
)
headers = st.lists(st.tuples(header_names, header_values), max_size=6)
bodies = st.one_of(
    st.just(GOOD),
    st.binary(max_size=300),
    st.builds(lambda n, chunk: b"".join(b"%x\r\n%s\r\n" % (len(chunk), chunk) for _ in range(n)) + b"0\r\n\r\n",
              st.integers(0, 3), st.binary(max_size=20)),
    st.just(b"zz\r\nnot hex\r\n"),
    st.just(b"x" * (LIMITS.max_bytes + 10)),
)


@st.composite
def responses(draw: st.DrawFn) -> tuple[bytes, list[int], float]:
    """Raw response bytes, where to split them into writes, and the pause between writes."""
    head = b""
    for _ in range(draw(st.integers(0, 2))):  # interim heads before the real one
        head += b"HTTP/1.1 100 Continue\r\n" + b"".join(n + b": " + v + b"\r\n" for n, v in draw(headers)) + b"\r\n"
    line_end = draw(st.sampled_from([b"\r\n", b"\n", b"\r\n"]))
    head += draw(status_lines) + line_end + b"".join(n + b": " + v + line_end for n, v in draw(headers)) + line_end
    raw = head + draw(bodies)
    cut = draw(st.one_of(st.none(), st.integers(0, len(raw))))  # the server may hang up early
    raw = raw if cut is None else raw[:cut]
    splits = sorted(draw(st.lists(st.integers(0, len(raw)), max_size=5)))
    pause = draw(st.sampled_from([0.0, 0.0, 0.01, 0.05, 0.3]))
    return raw, splits, pause


class Scripted:
    """The listener's script: the current case's bytes, in pieces, then a close."""

    case: tuple[bytes, list[int], float] = (b"", [], 0.0)

    def __call__(self, connection: socket.socket, stop: threading.Event) -> None:
        raw, splits, pause = self.case
        start = 0
        for end in [*splits, len(raw)]:
            if stop.wait(pause):
                return
            connection.sendall(raw[start:end])
            start = end


@pytest.fixture(scope="module")
def listener() -> Iterator[tuple[RawServer, Scripted]]:
    script = Scripted()
    with RawServer(script) as server:
        yield server, script


@fuzz_settings(80)
@given(case=responses())
@example(case=(b"HTTP/1.1 100 Continue\r\n\r\n" * 3 + b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n" % len(GOOD) + GOOD, [5, 40], 0.0))
@example(case=(b"HTTP/1.1 500 \x1b]52;c;eA==\x07 ##[error]x\r::error::y\r\nContent-Length: 0\r\n\r\n", [], 0.0))
def test_sync_against_a_hostile_index_server_is_bounded_safe_and_keeps_the_snapshot(
    listener: tuple[RawServer, Scripted], tmp_path_factory: pytest.TempPathFactory, case: tuple[bytes, list[int], float]
) -> None:
    server, script = listener
    store = SqliteStore.open(Path(tmp_path_factory.mktemp("store")) / "r.sqlite3")
    try:
        request = SyncRequest(sources=(IndexSource(server.url()),), limits=LIMITS, refresh=True)
        script.case = (b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n" % len(GOOD) + GOOD, [], 0.0)
        assert run_sync(store, request, targets_from=lambda paths: []).indexes[0].status == "fetched"  # a good snapshot
        script.case = case
        started = time.monotonic()
        report = run_sync(store, request, targets_from=lambda paths: [])
        seconds = time.monotonic() - started
        (outcome,) = report.indexes
        snapshot = store.read_state().snapshots[0]
    finally:
        store.close()

    assert seconds < DEADLINE + 2.0, seconds
    assert snapshot.content is not None and json.loads(snapshot.content)["packs"][0]["ref"] == "good_pack"  # kept
    assert outcome.status in ("fetched", "not-modified") or (outcome.failed and outcome.error and outcome.usable)
    printed = io.StringIO()
    _print_report(report, "text", printed)
    assert not problems(printed.getvalue()), problems(printed.getvalue())
    count("index server")
