"""The server's disk poller stays out of a running check, but never for long."""

from __future__ import annotations

from packls.lsp.watch import PollPacing


def test_an_idle_server_walks_every_round() -> None:
    pacing = PollPacing()
    assert [pacing.walk_now(busy=False) for _ in range(4)] == [True, True, True, True]


def test_a_busy_server_skips_rounds_but_walks_after_the_most_it_may_skip() -> None:
    pacing = PollPacing(most_skipped=3)
    assert [pacing.walk_now(busy=True) for _ in range(8)] == [False, False, False, True, False, False, False, True]


def test_a_round_after_the_checks_finished_walks_at_once() -> None:
    pacing = PollPacing(most_skipped=3)
    assert [pacing.walk_now(busy) for busy in (True, True, False, True)] == [False, False, True, False]
