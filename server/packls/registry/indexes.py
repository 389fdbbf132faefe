"""Deciding what an index sync writes: fetch what is stale, validate it, keep the last good copy.

A fetch or validation failure becomes an `IndexUpdate` of kind "failed" that only records
the reason; the stored snapshot is replaced only by a document that passed validation.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Callable, Iterable, Mapping, Sequence

from packls.registry.fetch import Fetched, FetchError, Validators
from packls.registry.index_format import IndexFormatError, parse_index
from packls.registry.limits import DEFAULT_TTL_SECONDS
from packls.registry.redact import mask_url
from packls.registry.store import IndexSnapshot, IndexSource, IndexUpdate


Fetcher = Callable[[str, Validators], Fetched]


@dataclass(frozen=True)
class IndexOutcome:
    """What happened to one index in this sync, for the report and the exit code."""

    url: str
    priority: int
    status: str  # "fetched" | "not-modified" | "fresh" | "failed"
    pack_count: int | None = None
    error: str | None = None
    snapshot_at: datetime | None = None  # the good snapshot in use after this sync, if any

    @property
    def failed(self) -> bool:
        """True when this attempt failed (a previous snapshot may still be in use)."""
        return self.status == "failed"

    @property
    def usable(self) -> bool:
        """True when a validated snapshot exists after this sync."""
        return self.snapshot_at is not None


def sources_from_config(entries: Iterable[Mapping[str, object]]) -> list[IndexSource]:
    """`[{url, priority}]` from a config file as sources; duplicates keep their first entry."""
    sources: list[IndexSource] = []
    seen: set[str] = set()
    for position, entry in enumerate(entries):
        url = entry.get("url")
        if not isinstance(url, str) or not url.strip():
            raise ValueError(f"index entry {position}: 'url' must be a non-empty string")
        priority = entry.get("priority", position)
        if isinstance(priority, bool) or not isinstance(priority, int):
            raise ValueError(f"index entry {position} ({mask_url(url)}): 'priority' must be an integer")
        if url not in seen:
            seen.add(url)
            sources.append(IndexSource(url.strip(), priority))
    return sources


def sources_from_urls(urls: Sequence[str]) -> list[IndexSource]:
    """Command-line `--index` values: earlier ones win (priority = position)."""
    return sources_from_config({"url": url, "priority": i} for i, url in enumerate(urls))


def plan_index_sync(
    sources: Sequence[IndexSource],
    snapshots: Mapping[str, IndexSnapshot],
    fetcher: Fetcher,
    *,
    now: datetime,
    ttl: timedelta = timedelta(seconds=DEFAULT_TTL_SECONDS),
    refresh: bool = False,
    on_done: Callable[[IndexOutcome], None] | None = None,
) -> tuple[list[IndexUpdate], list[IndexOutcome]]:
    """Fetch every source whose snapshot is older than `ttl` (all with `refresh`)."""
    updates: list[IndexUpdate] = []
    outcomes: list[IndexOutcome] = []
    for source in sources:
        previous = snapshots.get(source.url)
        update, outcome = _sync_one(source, previous, fetcher, now=now, ttl=ttl, refresh=refresh)
        if update is not None:
            updates.append(update)
        outcomes.append(outcome)
        if on_done is not None:
            on_done(outcome)
    return updates, outcomes


def _sync_one(
    source: IndexSource,
    previous: IndexSnapshot | None,
    fetcher: Fetcher,
    *,
    now: datetime,
    ttl: timedelta,
    refresh: bool,
) -> tuple[IndexUpdate | None, IndexOutcome]:
    url = source.url
    good = previous if previous is not None and previous.usable else None
    kept_at = good.fetched_at if good is not None else None
    if good is not None and not refresh and good.fetched_at is not None and now - good.fetched_at < ttl:
        return None, IndexOutcome(url, source.priority, "fresh", good.pack_count, snapshot_at=kept_at)
    validators = Validators(good.etag, good.last_modified) if good is not None else Validators()
    try:
        fetched = fetcher(url, validators)
    except FetchError as exc:
        return _failure(source, now, str(exc), good)
    if fetched.not_modified:
        if good is None:
            return _failure(source, now, f"{mask_url(url)}: 304 Not Modified but no snapshot is stored", None)
        update = IndexUpdate(url, "not-modified", now, etag=fetched.etag, last_modified=fetched.last_modified)
        return update, IndexOutcome(url, source.priority, "not-modified", good.pack_count, snapshot_at=now)
    assert fetched.body is not None
    try:
        index = parse_index(fetched.body)
    except IndexFormatError as exc:
        return _failure(source, now, f"{mask_url(url)}: invalid index: {exc}", good)
    update = IndexUpdate(
        url,
        "fetched",
        now,
        etag=fetched.etag,
        last_modified=fetched.last_modified,
        digest="sha256:" + hashlib.sha256(fetched.body).hexdigest(),
        content=index.canonical_json,
        pack_count=len(index.packs),
    )
    return update, IndexOutcome(url, source.priority, "fetched", len(index.packs), snapshot_at=now)


def _failure(
    source: IndexSource, now: datetime, reason: str, good: IndexSnapshot | None
) -> tuple[IndexUpdate, IndexOutcome]:
    update = IndexUpdate(source.url, "failed", now, error=reason)
    kept = good.fetched_at if good is not None else None
    count = good.pack_count if good is not None else None
    return update, IndexOutcome(source.url, source.priority, "failed", count, reason, snapshot_at=kept)
