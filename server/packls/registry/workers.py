"""Availability from Attune's `GET /api/v1/workers`: which declared versions some worker serves.

Workers advertise `capabilities.runtime_versions` (`{"python": ["3.13", "3.12"]}`) and/or
`capabilities.supported_runtimes` (`[{name, versions}]`); names are compared after Attune's
worker-name normalisation and versions with the sensor-admission rule
`runtime_version_matches_worker`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
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


def parse_workers(raw: bytes | str) -> list[WorkerAdvert]:
    """Decode a workers payload; workers that are not active, or advertise nothing, add nothing."""
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
    adverts = []
    for position, worker in enumerate(document):
        if not isinstance(worker, dict):
            raise WorkersFormatError(f"[{position}]: expected a worker object")
        status = worker.get("status")
        if isinstance(status, str) and status.lower() not in _SERVING_STATUSES:
            continue
        name = worker.get("name")
        label = name if isinstance(name, str) and name else f"#{worker.get('id', position)}"
        capabilities = worker.get("capabilities")
        if isinstance(capabilities, dict):
            adverts.append(WorkerAdvert(label, _advertised(capabilities)))
    return adverts


def _advertised(capabilities: Mapping[str, Any]) -> dict[str, tuple[str, ...]]:
    found: dict[str, list[str]] = {}

    def add(name: Any, versions: Any) -> None:
        if not isinstance(name, str) or not isinstance(versions, list):
            return
        bucket = found.setdefault(normalize_runtime_name(name), [])
        bucket.extend(v for v in versions if isinstance(v, str) and v not in bucket)

    runtime_versions = capabilities.get("runtime_versions")
    if isinstance(runtime_versions, dict):
        for name, versions in runtime_versions.items():
            add(name, versions)
    supported = capabilities.get("supported_runtimes")
    if isinstance(supported, list):
        for entry in supported:
            if isinstance(entry, dict):
                add(entry.get("name"), entry.get("versions"))
    return {name: tuple(versions) for name, versions in found.items()}


def match_workers(targets: Sequence[DetectTarget], adverts: Iterable[WorkerAdvert]) -> list[WorkerMatch]:
    """For each declared version: available when a worker advertises a matching version."""
    adverts = list(adverts)
    matches = []
    for target in targets:
        name = normalize_runtime_name(target.runtime_name)
        match = WorkerMatch(target, False)
        for advert in adverts:
            hit = next((v for v in advert.runtime_versions.get(name, ())
                        if runtime_version_matches_worker(target.version, v)), None)
            if hit is not None:
                match = WorkerMatch(target, True, advert.worker, hit)
                break
        matches.append(match)
    return matches
