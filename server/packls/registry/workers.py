"""Availability from Attune's `GET /api/v1/workers`: which declared versions some worker serves.

Workers advertise `capabilities.runtime_versions` (`{"python": ["3.13", "3.12"]}`) and/or
`capabilities.supported_runtimes` (`[{name, versions}]`); names are compared after Attune's
worker-name normalisation and versions with the sensor-admission rule
`runtime_version_matches_worker`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Final, Iterable, Mapping, Sequence

from packls.registry.detect import DetectTarget
from packls.runtime_names import normalize_runtime_name
from packls.versions import runtime_version_matches_worker

_SERVING_STATUSES: Final = frozenset({"active"})


class WorkersFormatError(ValueError):
    """The payload is not a list of workers (nor `{"data": [...]}`)."""


@dataclass(frozen=True)
class WorkerAdvert:
    """What one worker says it can run: normalised runtime name → advertised version strings."""

    worker: str
    runtime_versions: Mapping[str, tuple[str, ...]]


@dataclass(frozen=True)
class WorkerMatch:
    """Whether some worker serves a declared version, and which advertised version did."""

    target: DetectTarget
    available: bool
    worker: str | None = None
    advertised: str | None = None

    @property
    def detail(self) -> str:
        """One line for status output."""
        if self.available:
            return f"worker {self.worker} advertises {self.advertised}"
        return "no active worker advertises this version"


MAX_WORKERS: Final = 10_000
MAX_VERSIONS_PER_RUNTIME: Final = 1_000  # distinct versions advertised for one runtime name, over all workers
MAX_ADVERTISED: Final = 10_000  # distinct (runtime name, version) pairs over all workers


@dataclass(frozen=True)
class WorkersRead:
    """A checked payload: what active workers serve, and how many workers it listed."""

    adverts: tuple[WorkerAdvert, ...]
    workers: int
    active: int


def parse_workers(raw: bytes | str) -> list[WorkerAdvert]:
    """What the active workers of a payload serve (`read_workers`, adverts only)."""
    return list(read_workers(raw).adverts)


def read_workers(raw: bytes | str) -> WorkersRead:
    """Decode and check a workers payload strictly; workers that are not active add nothing.

    Refused with WorkersFormatError: anything but a non-empty list of worker objects (or
    `{"data": [...]}`), capabilities of the wrong shape (a version given as a string instead
    of a list, …), and payloads past MAX_WORKERS, MAX_VERSIONS_PER_RUNTIME or MAX_ADVERTISED.
    Linear in the payload: every advertised version is looked at once.
    """
    try:
        document = json.loads(raw)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise WorkersFormatError(f"invalid JSON: {exc}") from None
    except RecursionError:  # `[[[[…` from a hostile server: json recurses per level
        raise WorkersFormatError("invalid JSON: nested too deeply") from None
    except ValueError as exc:  # e.g. an integer of millions of digits (Python's int conversion limit)
        raise WorkersFormatError(f"invalid JSON: {exc}") from None
    if isinstance(document, dict) and "data" in document:
        document = document["data"]
    if not isinstance(document, list):
        raise WorkersFormatError('expected a JSON list of workers or {"data": [...]}')
    if not document:
        raise WorkersFormatError("the payload lists no workers; nothing is marked")
    if len(document) > MAX_WORKERS:
        raise WorkersFormatError(f"more than {MAX_WORKERS} workers")
    seen = _Seen()
    adverts = []
    active = 0
    for position, worker in enumerate(document):
        if not isinstance(worker, dict):
            raise WorkersFormatError(f"[{position}]: expected a worker object")
        capabilities = worker.get("capabilities")
        if capabilities is not None and not isinstance(capabilities, dict):
            raise WorkersFormatError(f"[{position}].capabilities: expected an object")
        advertised = _advertised(capabilities or {}, f"[{position}].capabilities", seen)
        status = worker.get("status")
        if isinstance(status, str) and status.lower() not in _SERVING_STATUSES:
            continue
        active += 1
        name = worker.get("name")
        label = name if isinstance(name, str) and name else f"#{worker.get('id', position)}"
        if capabilities is not None:
            adverts.append(WorkerAdvert(label, advertised))
    return WorkersRead(tuple(adverts), len(document), active)


@dataclass
class _Seen:
    """Distinct versions per runtime name over all workers, and their total, to enforce the caps as they grow."""

    versions: dict[str, dict[str, None]] = field(default_factory=dict)
    total: int = 0


def _advertised(capabilities: Mapping[str, Any], where: str, seen: _Seen) -> dict[str, tuple[str, ...]]:
    found: dict[str, dict[str, None]] = {}

    def add(name: Any, versions: Any, at: str) -> None:
        if not isinstance(name, str):
            raise WorkersFormatError(f"{at}: a runtime name must be a string")
        if not isinstance(versions, list) or not all(isinstance(v, str) for v in versions):
            raise WorkersFormatError(f"{at}: expected a list of version strings, not {type(versions).__name__}")
        normalized = normalize_runtime_name(name)
        mine = found.setdefault(normalized, {})
        everyone = seen.versions.setdefault(normalized, {})
        for version in versions:
            mine[version] = None
            if version not in everyone:
                everyone[version] = None
                seen.total += 1
                if len(everyone) > MAX_VERSIONS_PER_RUNTIME:
                    raise WorkersFormatError(f"{at}: more than {MAX_VERSIONS_PER_RUNTIME} versions of {normalized!r}")
                if seen.total > MAX_ADVERTISED:
                    raise WorkersFormatError(f"more than {MAX_ADVERTISED} runtime versions advertised")

    runtime_versions = capabilities.get("runtime_versions")
    if runtime_versions is not None:
        if not isinstance(runtime_versions, dict):
            raise WorkersFormatError(f"{where}.runtime_versions: expected an object of name: [versions]")
        for name, versions in runtime_versions.items():
            add(name, versions, f"{where}.runtime_versions.{name}")
    supported = capabilities.get("supported_runtimes")
    if supported is not None:
        if not isinstance(supported, list):
            raise WorkersFormatError(f"{where}.supported_runtimes: expected a list")
        for index, entry in enumerate(supported):
            if not isinstance(entry, dict):
                raise WorkersFormatError(f"{where}.supported_runtimes[{index}]: expected an object")
            add(entry.get("name"), entry.get("versions"), f"{where}.supported_runtimes[{index}]")
    return {name: tuple(versions) for name, versions in found.items()}


def match_workers(targets: Sequence[DetectTarget], adverts: Iterable[WorkerAdvert]) -> list[WorkerMatch]:
    """For each declared version: available when a worker advertises a matching version (the first such worker wins).

    Each distinct advertised version is tried once per target, whatever number of workers repeat it.
    """
    first_worker: dict[str, dict[str, str]] = {}  # runtime name -> version -> first worker advertising it, in order
    for advert in adverts:
        for name, versions in advert.runtime_versions.items():
            known = first_worker.setdefault(name, {})
            for version in versions:
                known.setdefault(version, advert.worker)
    matches = []
    for target in targets:
        offered = first_worker.get(normalize_runtime_name(target.runtime_name), {})
        hit = next((v for v in offered if runtime_version_matches_worker(target.version, v)), None)
        matches.append(WorkerMatch(target, True, offered[hit], hit) if hit is not None else WorkerMatch(target, False))
    return matches
