"""One sync: gather everything outside the database, then write it in a single transaction.

Fetching indexes and running verification commands can take seconds; doing them before
the write transaction keeps the store locked only for the short write, and a failure
anywhere before it leaves the store untouched.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Callable, Final, Protocol, Sequence

from packls.registry.detect import DEFAULT_MAX_OUTPUT, DEFAULT_TIMEOUT, DetectTarget, Verification, verify_all
from packls.registry.fetch import Fetched, FetchError, FetchLimits, Validators, fetch
from packls.registry.indexes import DEFAULT_TTL_SECONDS, IndexOutcome, plan_index_sync
from packls.registry.store import (
    ApplyResult,
    AvailabilityUpdate,
    IndexSource,
    IndexUpdate,
    Store,
    StoreError,
    SyncBatch,
)
from packls.registry.workers import WorkerMatch, WorkersFormatError, match_workers, read_workers

TOKEN_ENV: Final = "PACKLS_ATTUNE_TOKEN"  # bearer token for an Attune API workers URL


class Progress(Protocol):
    """Where a sync reports progress; `stage` returns the callback that advances it by one."""

    def stage(self, label: str, total: int) -> Callable[[], None]:
        """Start a stage of `total` steps."""
        ...


class NoProgress:
    """Progress reporting for pipes and tests: nothing."""

    def stage(self, label: str, total: int) -> Callable[[], None]:
        """A callback that does nothing."""
        return lambda: None


@dataclass(frozen=True)
class SyncRequest:
    """What to sync, as decided by the command line or the caller."""

    sources: tuple[IndexSource, ...] | None = None
    detect: bool = False
    workers: str | None = None
    paths: tuple[str, ...] = ()
    ttl: timedelta = timedelta(seconds=DEFAULT_TTL_SECONDS)
    refresh: bool = False
    limits: FetchLimits = FetchLimits()
    detect_timeout: float = DEFAULT_TIMEOUT
    detect_max_output: int = DEFAULT_MAX_OUTPUT


@dataclass(frozen=True)
class SyncReport:
    """Everything a sync did, for the summary and the exit code."""

    mode: str
    indexes: tuple[IndexOutcome, ...] = ()
    verifications: tuple[Verification, ...] = ()
    worker_matches: tuple[WorkerMatch, ...] = ()
    workers_error: str | None = None
    applied: ApplyResult = field(default_factory=ApplyResult)
    workers_warning: str | None = None

    @property
    def problems(self) -> bool:
        """True when some part failed (an index, the workers payload) or no index is usable."""
        if self.workers_error or any(o.failed for o in self.indexes):
            return True
        return bool(self.indexes) and not any(o.usable for o in self.indexes)


TargetSource = Callable[[Sequence[str]], list[DetectTarget]]


def run_sync(
    store: Store,
    request: SyncRequest,
    *,
    targets_from: TargetSource,
    progress: Progress | None = None,
) -> SyncReport:
    """Gather index snapshots and availability verdicts, then apply them in one transaction."""
    progress = progress or NoProgress()
    if store.mode == "attune" and request.sources is not None:
        raise StoreError(
            f"{store.description} is an Attune database: index snapshots cannot be stored there; "
            "sync indexes into a packls database"
        )
    now = datetime.now(timezone.utc)
    index_updates: list[IndexUpdate] = []
    outcomes: list[IndexOutcome] = []
    if request.sources is not None:
        snapshots = {s.url: s for s in store.read_state().snapshots}
        advance = progress.stage("pack indexes", len(request.sources))

        def fetcher(url: str, validators: Validators) -> Fetched:
            return fetch(url, limits=request.limits, validators=validators)

        index_updates, outcomes = plan_index_sync(
            request.sources, snapshots, fetcher, now=now, ttl=request.ttl, refresh=request.refresh,
            on_done=lambda _: advance(),
        )
    availability: list[AvailabilityUpdate] = []
    verifications: list[Verification] = []
    matches: list[WorkerMatch] = []
    workers_error = None
    workers_warning = None
    if request.detect or request.workers:
        targets = store.attune_targets() if store.mode == "attune" else targets_from(request.paths)
        if request.detect:
            advance = progress.stage("runtime versions", len(targets))
            verifications = verify_all(
                targets, timeout=request.detect_timeout, max_output=request.detect_max_output,
                on_result=lambda _: advance(),
            )
            availability += [
                AvailabilityUpdate(v.target, v.available, v.verified_at, "detect", v.detected, v.detail)
                for v in verifications
            ]
        if request.workers:
            try:
                matches, workers_warning = _worker_matches(request.workers, targets, request.limits)
            except (FetchError, WorkersFormatError) as exc:
                workers_error = f"workers: {exc}"
            verified_at = datetime.now(timezone.utc)
            availability += [
                AvailabilityUpdate(m.target, m.available, verified_at, "workers", m.advertised, m.detail)
                for m in matches
            ]
    batch = SyncBatch(request.sources, tuple(index_updates), tuple(availability))
    applied = store.apply(batch)
    return SyncReport(store.mode, tuple(outcomes), tuple(verifications), tuple(matches), workers_error, applied,
                      workers_warning)


def _worker_matches(
    location: str, targets: Sequence[DetectTarget], limits: FetchLimits
) -> tuple[list[WorkerMatch], str | None]:
    """The matches, and a warning when no listed worker is active (every version then reads unavailable)."""
    token = os.environ.get(TOKEN_ENV)
    headers = {"Authorization": f"Bearer {token}"} if token else None
    payload = fetch(location, limits=limits, headers=headers)
    assert payload.body is not None
    read = read_workers(payload.body)
    warning = None
    if read.active == 0:
        warning = (f"workers: none of the {read.workers} listed workers is active, so every declared version is "
                   "marked unavailable")
    return match_workers(targets, read.adverts), warning
