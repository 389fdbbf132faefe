"""From stored state to the core's `RegistryFacts`: Attune's priority order, failing closed.

Indexes are consulted in ascending priority (configuration order breaks ties); the first
index holding a ref wins. An active index without a good snapshot is unusable, and since
it might hold any ref, no lower-priority index is consulted past it.
"""

from __future__ import annotations

from typing import Final

from packls.facts import IndexedPack, RegistryFacts, VersionAvailability
from packls.registry.index_format import IndexFormatError, parse_index
from packls.registry.redact import mask_url
from packls.registry.store import IndexSnapshot, StoreState


def facts_from_state(state: StoreState) -> RegistryFacts:
    """The facts a store's state gives the workspace, checks and language server."""
    availability = {
        (row.runtime_ref, row.version): VersionAvailability(
            runtime_ref=row.runtime_ref,
            version=row.version,
            available=row.available,
            verified_at=row.verified_at,
            detected=row.detected,
            source=row.source,
        )
        for row in state.versions
    }
    active = sorted((s for s in state.snapshots if s.active), key=lambda s: (s.priority, s.position))
    packs: dict[str, IndexedPack] = {}
    unusable: list[str] = []
    for snapshot in active:
        entries = _packs_of(snapshot)
        if entries is None:
            unusable.append(snapshot.url)
            continue
        if unusable:
            continue  # fail closed: a higher-priority index could not be read
        for pack in entries:
            packs.setdefault(pack.ref, pack)
    return RegistryFacts(
        availability=availability,
        packs=packs,
        indexes_synced=bool(active),
        unusable_indexes=tuple(unusable),
    )


_PARSED: dict[tuple[str, int, str], list[IndexedPack]] = {}
_PARSED_LIMIT: Final = 32


def _packs_of(snapshot: IndexSnapshot) -> list[IndexedPack] | None:
    """The snapshot's packs, or None when there is no good snapshot (or it no longer validates).

    Stored content is validated again when read (a store can be edited by hand); the result
    is remembered per (url, priority, digest) so the language server's repeated loads stay cheap.
    """
    if not snapshot.content:
        return None
    key = (snapshot.url, snapshot.priority, snapshot.digest) if snapshot.digest else None
    if key is not None and key in _PARSED:
        return _PARSED[key]
    try:
        index = parse_index(snapshot.content)
    except IndexFormatError:
        return None
    packs = index.indexed_packs(mask_url(snapshot.url), snapshot.priority)
    if key is not None:
        if len(_PARSED) >= _PARSED_LIMIT:
            _PARSED.clear()
        _PARSED[key] = packs
    return packs
