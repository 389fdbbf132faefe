"""`packls sync --index`: snapshots per index, conditional requests, TTL, failures, priority order."""

from __future__ import annotations

import json
import socket
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest

from packls.registry import load_facts, load_facts_checked

from .support import IndexServer, index_bytes, make_index, run_cli, standard_index

ETAG = '"abc123"'


def _serve_standard(server: IndexServer, path: str = "/index.json") -> str:
    server.serve_json(path, index_bytes(standard_index()), etag=ETAG, last_modified="Wed, 01 Oct 2026 10:00:00 GMT")
    return server.url(path)


def test_a_synced_index_is_stored_and_read_back_as_facts(http_server: IndexServer, database: str) -> None:
    url = _serve_standard(http_server)

    result = run_cli("--index", url, "--database", database)

    assert result.code == 0, result.err
    assert result.out.strip() == f"index {url}: fetched, 2 packs"
    facts = load_facts(database)
    assert facts.indexes_synced and facts.unusable_indexes == ()
    assert {ref: pack.version for ref, pack in facts.packs.items()} == {"ansible": "0.1.0", "slack": "2.1.0"}
    assert facts.packs["slack"].index_url == url


def test_the_snapshot_records_validators_digest_and_content(http_server: IndexServer, database: str) -> None:
    url = _serve_standard(http_server)
    run_cli("--index", url, "--database", database)

    status = json.loads(run_cli("--status", "--format", "json", "--database", database).out)

    (index,) = status["indexes"]
    assert (index["url"], index["packs"], index["usable"], index["last_error"]) == (url, 2, True, None)
    assert index["fetched_at"].endswith("Z")


def test_within_the_ttl_a_snapshot_is_not_fetched_again(http_server: IndexServer, tmp_path: Path) -> None:
    url = _serve_standard(http_server)
    database = str(tmp_path / "r.db")
    run_cli("--index", url, "--database", database)

    again = run_cli("--index", url, "--database", database)

    assert again.code == 0
    assert again.out.strip() == f"index {url}: fresh, 2 packs"
    assert len(http_server.requests_to("/index.json")) == 1


def test_a_stale_snapshot_is_revalidated_with_a_conditional_request(http_server: IndexServer, database: str) -> None:
    url = _serve_standard(http_server)
    run_cli("--index", url, "--database", database)

    again = run_cli("--index", url, "--database", database, "--ttl", "0")

    assert again.code == 0
    assert again.out.strip() == f"index {url}: not-modified, 2 packs"
    second = http_server.requests_to("/index.json")[1]
    assert second.headers["If-None-Match"] == ETAG
    assert len(load_facts(database).packs) == 2


def test_new_content_replaces_the_snapshot(http_server: IndexServer, tmp_path: Path) -> None:
    database = str(tmp_path / "r.db")
    http_server.serve_json("/index.json", index_bytes(make_index(("slack", "2.1.0"))), etag='"1"')
    run_cli("--index", http_server.url("/index.json"), "--database", database)
    http_server.serve_json("/index.json", index_bytes(make_index(("slack", "2.2.0"), ("jira", "1.0.0"))), etag='"2"')

    run_cli("--index", http_server.url("/index.json"), "--database", database, "--refresh")

    assert {ref: p.version for ref, p in load_facts(database).packs.items()} == {"slack": "2.2.0", "jira": "1.0.0"}


def _truncated(request: BaseHTTPRequestHandler) -> None:
    request.send_response(200)
    request.send_header("Content-Length", "5000")
    request.end_headers()
    request.wfile.write(index_bytes(standard_index())[:100])


BREAKAGES = {
    "server error": (lambda s: s.serve_status("/index.json", 500, b"oops"), "HTTP 500"),
    "invalid json": (lambda s: s.serve_json("/index.json", b'{"registry_name": '), "invalid index: invalid JSON"),
    "unknown field": (
        lambda s: s.serve_json("/index.json", index_bytes({**standard_index(), "mirrors": []})),
        "invalid index: index: unknown field 'mirrors'",
    ),
    "truncated": (lambda s: s.routes.__setitem__("/index.json", _truncated), "response truncated after 100 of 5000"),
    "oversized": (
        lambda s: s.serve_json("/index.json", index_bytes(standard_index()) + b" " * 200_000),
        "larger than the 100000-byte limit",
    ),
    "hanging": (lambda s: s.serve_hanging("/index.json"), "read timed out"),
    "redirect off host": (
        lambda s: s.serve_status("/index.json", 302, headers={"Location": "https://mirror.example.net/i.json"}),
        "redirect to https://mirror.example.net/i.json refused",
    ),
}


@pytest.mark.parametrize("breakage", sorted(BREAKAGES))
def test_a_failed_fetch_keeps_the_last_good_snapshot_and_says_why(
    http_server: IndexServer, tmp_path: Path, breakage: str
) -> None:
    database = str(tmp_path / "r.db")
    url = _serve_standard(http_server)
    assert run_cli("--index", url, "--database", database).code == 0
    breaks, reason = BREAKAGES[breakage]
    breaks(http_server)

    result = run_cli("--index", url, "--database", database, "--refresh", "--timeout", "0.5",
                     "--max-bytes", "100000")

    assert result.code == 1
    assert reason in result.out and "previous snapshot kept" in result.out
    assert sorted(load_facts(database).packs) == ["ansible", "slack"]
    (index,) = json.loads(run_cli("--status", "--format", "json", "--database", database).out)["indexes"]
    assert reason in index["last_error"] and index["usable"]


def test_a_failure_on_postgresql_keeps_the_snapshot_too(http_server: IndexServer, postgres_dsn: str) -> None:
    url = _serve_standard(http_server)
    run_cli("--index", url, "--database", postgres_dsn)
    http_server.serve_json("/index.json", b"not json")

    result = run_cli("--index", url, "--database", postgres_dsn, "--refresh")

    assert result.code == 1
    assert sorted(load_facts(postgres_dsn).packs) == ["ansible", "slack"]


def test_a_success_clears_the_last_error(http_server: IndexServer, tmp_path: Path) -> None:
    database = str(tmp_path / "r.db")
    url = _serve_standard(http_server)
    run_cli("--index", url, "--database", database)
    http_server.serve_status("/index.json", 503)
    run_cli("--index", url, "--database", database, "--refresh")
    _serve_standard(http_server)

    assert run_cli("--index", url, "--database", database, "--refresh").code == 0

    (index,) = json.loads(run_cli("--status", "--format", "json", "--database", database).out)["indexes"]
    assert index["last_error"] is None


def test_the_first_index_in_priority_order_that_has_a_pack_wins(http_server: IndexServer, database: str) -> None:
    http_server.serve_json("/team.json", index_bytes(make_index(("slack", "9.0.0"))))
    http_server.serve_json("/public.json", index_bytes(make_index(("slack", "2.1.0"), ("jira", "1.0.0"))))

    result = run_cli("--index", http_server.url("/team.json"), "--index", http_server.url("/public.json"),
                     "--database", database)

    assert result.code == 0
    packs = load_facts(database).packs
    assert (packs["slack"].version, packs["slack"].index_url) == ("9.0.0", http_server.url("/team.json"))
    assert packs["jira"].index_priority == 1


def test_configured_priorities_order_indexes_lower_number_first(http_server: IndexServer, tmp_path: Path) -> None:
    database = str(tmp_path / "r.db")
    http_server.serve_json("/a.json", index_bytes(make_index(("slack", "1.0.0"))))
    http_server.serve_json("/b.json", index_bytes(make_index(("slack", "2.0.0"))))
    configured = [
        {"url": http_server.url("/a.json"), "priority": 20},
        {"url": http_server.url("/b.json"), "priority": 10},
    ]

    assert run_cli("--database", database, configured_indexes=configured).code == 0

    assert load_facts(database).packs["slack"].version == "2.0.0"


def test_an_unusable_higher_priority_index_fails_closed(http_server: IndexServer, database: str) -> None:
    http_server.serve_status("/team.json", 500)
    http_server.serve_json("/public.json", index_bytes(make_index(("slack", "2.1.0"))))

    result = run_cli("--index", http_server.url("/team.json"), "--index", http_server.url("/public.json"),
                     "--database", database)

    assert result.code == 1
    assert "(no snapshot): " in result.out
    facts = load_facts(database)
    assert facts.unusable_indexes == (http_server.url("/team.json"),)
    assert facts.packs == {}  # the public index is not consulted past the unusable team index


def test_a_higher_priority_index_with_an_old_snapshot_still_counts(http_server: IndexServer, tmp_path: Path) -> None:
    database = str(tmp_path / "r.db")
    team, public = http_server.url("/team.json"), http_server.url("/public.json")
    http_server.serve_json("/team.json", index_bytes(make_index(("slack", "9.0.0"))))
    http_server.serve_json("/public.json", index_bytes(make_index(("slack", "2.1.0"), ("jira", "1.0.0"))))
    run_cli("--index", team, "--index", public, "--database", database)
    http_server.serve_status("/team.json", 502)

    assert run_cli("--index", team, "--index", public, "--database", database, "--refresh").code == 1

    facts = load_facts(database)
    assert facts.unusable_indexes == ()
    assert (facts.packs["slack"].version, facts.packs["jira"].version) == ("9.0.0", "1.0.0")


def test_everything_keeps_working_offline_from_snapshots(http_server: IndexServer, tmp_path: Path) -> None:
    database = str(tmp_path / "r.db")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        dead = f"http://127.0.0.1:{probe.getsockname()[1]}/index.json"
    index_file = tmp_path / "index.json"
    index_file.write_bytes(index_bytes(standard_index()))
    run_cli("--index", str(index_file), "--database", database)

    result = run_cli("--index", str(index_file), "--index", dead, "--database", database, "--refresh")

    assert result.code == 1 and "cannot connect" in result.out
    facts = load_facts(database)
    assert sorted(facts.packs) == ["ansible", "slack"]
    assert facts.unusable_indexes == (dead,)  # lower priority: the file index still answers


def test_an_index_dropped_from_the_configuration_is_no_longer_consulted(
    http_server: IndexServer, tmp_path: Path
) -> None:
    database = str(tmp_path / "r.db")
    http_server.serve_json("/a.json", index_bytes(make_index(("slack", "1.0.0"))))
    http_server.serve_json("/b.json", index_bytes(make_index(("jira", "1.0.0"))))
    run_cli("--index", http_server.url("/a.json"), "--index", http_server.url("/b.json"), "--database", database)

    run_cli("--index", http_server.url("/b.json"), "--database", database)

    assert sorted(load_facts(database).packs) == ["jira"]
    status = json.loads(run_cli("--status", "--format", "json", "--database", database).out)
    assert [(i["url"], i["active"]) for i in status["indexes"]] == [
        (http_server.url("/a.json"), False), (http_server.url("/b.json"), True)]


def test_load_facts_without_a_store_means_never_synced(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PACKLS_DATABASE", str(tmp_path / "never.db"))

    loaded = load_facts_checked(None)

    assert not loaded.facts.indexes_synced and not loaded.facts.availability_synced
    assert "no such database" in (loaded.warning or "")
    assert not (tmp_path / "never.db").exists()
