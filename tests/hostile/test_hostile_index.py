"""`packls sync` against a hostile index server and a hostile workers payload: bounded, strict, clear.

The index server is a real TCP listener on loopback writing raw bytes (tests/hostile/raw_http.py):
headers dripped a byte at a time, `100 Continue` forever. The total deadline must hold over the
whole exchange, not only while the body is read.
"""

from __future__ import annotations

import json
import threading
import time
from pathlib import Path
from typing import Callable

import pytest

from packls.registry.fetch import FetchError, FetchLimits, fetch
from packls.registry.workers import MAX_VERSIONS_PER_RUNTIME, WorkersFormatError, read_workers
from tests.hostile.raw_http import RawServer, drip, endless
from tests.hostile.workspace import write
from tests.registry.support import run_cli

DEADLINE = 2.0
LIMITS = FetchLimits(connect_timeout=5, read_timeout=5, total_timeout=DEADLINE)


def outcome_within(action: Callable[[], object], seconds: float) -> tuple[BaseException | object, float]:
    """Run `action` in a thread; fail the test if it has not finished after `seconds` (a hang, not a slow machine)."""
    result: list[object] = []

    def run() -> None:
        try:
            result.append(action())
        except BaseException as exc:  # noqa: BLE001 (the exception is the outcome)
            result.append(exc)

    started = time.monotonic()
    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join(seconds)
    assert not worker.is_alive(), f"still running after {seconds} s"
    return result[0], time.monotonic() - started


@pytest.mark.parametrize(
    "script",
    [
        drip(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n" + b"X-Slow: " + b"a" * 5000 + b"\r\n\r\n{}", 0.05),
        endless(b"HTTP/1.1 100 Continue\r\n\r\n", 0.05),
        endless(b"X-More: header\r\n", 0.05, head=b"HTTP/1.1 200 OK\r\n"),
        drip(b"HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n" + b" " * 1000, 0.05),
    ],
    ids=["dripped-headers", "endless-100-continue", "endless-header-lines", "dripped-body"],
)
def test_the_total_deadline_holds_over_the_whole_exchange(script: object) -> None:
    with RawServer(script) as server:  # type: ignore[arg-type]
        error, seconds = outcome_within(lambda: fetch(server.url(), limits=LIMITS), 60)

    assert isinstance(error, FetchError) and "total time limit" in str(error), error
    assert seconds < DEADLINE + 3


def test_a_prompt_answer_is_still_read() -> None:
    body = b'{"packs": []}'
    answer = b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n%s" % (len(body), body)
    with RawServer(drip(answer, 0.001)) as server:
        fetched, _ = outcome_within(lambda: fetch(server.url(), limits=LIMITS), 30)

    assert getattr(fetched, "body", None) == body


# --- --workers ---------------------------------------------------------------------------------


def workers_file(tmp_path: Path, payload: object) -> str:
    return str(write(tmp_path / "workers.json", json.dumps(payload)))


@pytest.mark.parametrize(
    "payload, reason",
    [
        ([], "lists no workers"),
        ({"data": []}, "lists no workers"),
        ([{"name": "w", "capabilities": {"runtime_versions": {"python": "3.12"}}}],
         "[0].capabilities.runtime_versions.python: expected a list of version strings, not str"),
        ([{"name": "w", "capabilities": {"supported_runtimes": [{"name": "python", "versions": "3.12"}]}}],
         "[0].capabilities.supported_runtimes[0]: expected a list of version strings"),
        ([{"name": "w", "capabilities": "python"}], "[0].capabilities: expected an object"),
        ([{"name": "w", "capabilities": {"runtime_versions": ["python"]}}], "expected an object of name: [versions]"),
    ],
)
def test_a_malformed_workers_payload_is_refused_and_marks_nothing(tmp_path: Path, payload: object, reason: str) -> None:
    result = run_cli("--workers", workers_file(tmp_path, payload), "--database", str(tmp_path / "r.sqlite3"))

    assert result.code == 1 and reason in result.out, result.out
    assert "unavailable" not in result.out


def test_a_payload_without_an_active_worker_is_said(tmp_path: Path) -> None:
    payload = [{"name": "w", "status": "inactive", "capabilities": {"runtime_versions": {"python": ["3.12"]}}}]

    result = run_cli("--workers", workers_file(tmp_path, payload), "--database", str(tmp_path / "r.sqlite3"))

    assert result.code == 0
    assert "none of the 1 listed workers is active, so every declared version is marked unavailable" in result.out


def test_a_huge_advert_is_refused_at_once_instead_of_taking_minutes(tmp_path: Path) -> None:
    versions = [f"3.12.{i}" for i in range(100_000)]  # 1.2 MB in one list: quadratic before, minutes
    payload = json.dumps([{"name": "w", "capabilities": {"runtime_versions": {"python": versions}}}])

    error, seconds = outcome_within(lambda: read_workers(payload), 60)

    assert isinstance(error, WorkersFormatError) and f"more than {MAX_VERSIONS_PER_RUNTIME} versions" in str(error)
    assert seconds < 5


def test_many_workers_repeating_versions_are_read_in_linear_time(tmp_path: Path) -> None:
    versions = [f"3.{minor}.{patch}" for minor in range(10, 14) for patch in range(200)]  # 800 distinct
    payload = [{"name": f"w{i}", "capabilities": {"runtime_versions": {"python": versions}}} for i in range(900)]
    path = workers_file(tmp_path, payload)  # ~10 MB

    result, seconds = outcome_within(
        lambda: run_cli("--workers", path, "--database", str(tmp_path / "r.sqlite3")), 120
    )

    assert getattr(result, "code", None) == 0 and "worker w0 advertises 3.12.0" in result.out  # type: ignore[union-attr]
    assert seconds < 60
