"""Which store a --database value names, and whether anything was ever synced there: no driver, no registry code."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Literal


@dataclass(frozen=True)
class Location:
    """Which store a --database value names."""

    kind: Literal["sqlite", "postgres"]
    target: str  # a file path or a PostgreSQL URL
    explicit: bool


def default_database_path() -> Path:
    """The per-user SQLite file used when nothing else is named."""
    from platformdirs import user_data_dir

    return Path(user_data_dir("packls", appauthor=False)) / "registry.sqlite3"


def resolve_location(database: str | None) -> Location:
    """--database, else $PACKLS_DATABASE, else the per-user SQLite file."""
    value = database or os.environ.get("PACKLS_DATABASE") or ""
    explicit = bool(value)
    if not value:
        return Location("sqlite", str(default_database_path()), False)
    if value.startswith(("postgresql://", "postgres://")):
        return Location("postgres", value, explicit)
    if value.startswith("sqlite://"):
        value = value[len("sqlite://"):]
    return Location("sqlite", str(Path(value).expanduser()), explicit)


def never_synced(location: Location) -> bool:
    """True when the default per-user store does not exist: there is nothing to read (or to load code for)."""
    return location.kind == "sqlite" and not location.explicit and not os.path.exists(location.target)
