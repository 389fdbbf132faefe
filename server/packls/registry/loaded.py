"""What reading the registry store gave: facts, why they are empty, and where they came from."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from packls.facts import RegistryFacts


@dataclass(frozen=True)
class LoadedFacts:
    """Facts plus the reason they are empty when the store could not be read, and where they came from."""

    facts: RegistryFacts
    warning: str | None = None
    store: str | None = None  # the store read, as shown to users (passwords masked); None: nothing synced
    synced_at: datetime | None = None  # the latest verification or index fetch it holds
