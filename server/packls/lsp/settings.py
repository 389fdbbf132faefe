"""Typed settings: editor settings per folder, merged with the project's packls config file.

Precedence, lowest first: defaults, `initializationOptions`, `workspace/configuration` for the
file's folder, then the project's `packls.toml` / `[tool.packls]` (what `packls validate`
reads). Bad values are dropped (their defaults apply) and reported once.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any, Mapping

from packls.features.configuration import Config, ConfigProblem, find_config_root, load_config

# Settings only the language server reads (not part of the shared Config).
_SERVER_ONLY = (
    "debounceMs", "debounce_ms", "pollIntervalMs", "poll_interval_ms", "storePollIntervalMs", "store_poll_interval_ms",
    "persistentCache", "persistent_cache", "cache", "diagnostics", "watch", "trace", "coldStartHelper", "cold_start_helper",
)
_DEFAULTS = Config()
_CONFIG_FIELDS = ("severity", "exclude", "extra_catalog_paths", "runtime_envs_dir", "database", "diagnose_closed_files")


@dataclass(frozen=True)
class Tuning:
    """How the server schedules work."""

    debounce_ms: int = 50  # quiet time after typing before re-checking (the first edit is checked at once)
    poll_interval_ms: int = 2000  # disk polling when the client cannot watch files; 0 turns it off
    store_poll_interval_ms: int = 3000  # how often a SQLite registry store is checked for a `packls sync`; 0 turns it off
    persistent_cache: bool = True  # warm starts from the last run's findings (packls.features.snapshot)
    cold_start_helper: bool = True  # a large workspace's first check on the other cores too (packls.lsp.cold_check)


def split_settings(raw: object) -> tuple[dict[str, Any], Tuning, list[str]]:
    """Separate the shared Config keys from server-only tuning; returns problems for bad tuning values."""
    if raw is None or raw == []:  # Neovim sends an empty Lua table as []
        return {}, Tuning(), []
    if not isinstance(raw, Mapping):
        return {}, Tuning(), [f"packls settings must be an object, not {type(raw).__name__}; using defaults"]
    data = {str(k): v for k, v in raw.items() if v is not None}
    problems: list[str] = []
    debounce = _pick(data, ("debounceMs", "debounce_ms"), ("diagnostics", "debounceMs"))
    poll = _pick(data, ("pollIntervalMs", "poll_interval_ms"), ("watch", "pollIntervalMs"))
    store_poll = _pick(data, ("storePollIntervalMs", "store_poll_interval_ms"), ("watch", "storePollIntervalMs"))
    tuning = Tuning()
    if debounce is not None:
        if _whole(debounce) and 0 <= debounce <= 10_000:
            tuning = replace(tuning, debounce_ms=debounce)
        else:
            problems.append(f"debounceMs must be a whole number of milliseconds (0-10000), not {debounce!r}; using {tuning.debounce_ms}")
    if poll is not None:
        if _whole(poll) and poll >= 0:
            tuning = replace(tuning, poll_interval_ms=poll)
        else:
            problems.append(f"pollIntervalMs must be a whole number of milliseconds, not {poll!r}; using {tuning.poll_interval_ms}")
    if store_poll is not None:
        if _whole(store_poll) and store_poll >= 0:
            tuning = replace(tuning, store_poll_interval_ms=store_poll)
        else:
            problems.append(
                f"storePollIntervalMs must be a whole number of milliseconds, not {store_poll!r}; using {tuning.store_poll_interval_ms}"
            )
    for name, field_name, nested in (("persistentCache", "persistent_cache", ("cache", "persistent")),
                                     ("coldStartHelper", "cold_start_helper", ("diagnostics", "coldStartHelper"))):
        flag = _pick(data, (name, field_name), nested)
        if flag is None:
            continue
        if isinstance(flag, bool):
            tuning = replace(tuning, **{field_name: flag})
        else:
            problems.append(f"{name} must be true or false, not {flag!r}; using {str(getattr(tuning, field_name)).lower()}")
    shared = {k: v for k, v in data.items() if k not in _SERVER_ONLY}
    return shared, tuning, problems


def _whole(value: Any) -> bool:
    """An int that is not a bool (JSON true would otherwise pass as 1 ms)."""
    return isinstance(value, int) and not isinstance(value, bool)


def _pick(data: Mapping[str, Any], flat: tuple[str, ...], nested: tuple[str, str]) -> Any:
    for name in flat:
        if name in data:
            return data[name]
    group = data.get(nested[0])
    if isinstance(group, Mapping):
        return group.get(nested[1])
    return None


def merge_raw(base: Mapping[str, Any] | None, override: Mapping[str, Any] | None) -> dict[str, Any]:
    """Shallow merge of two settings objects (non-null values of override win)."""
    merged = dict(base or {})
    for key, value in (override or {}).items():
        if value is not None:
            merged[key] = value
    return merged


def overlay(editor: Config, project: Config) -> Config:
    """The project file's explicit values on top of the editor's (severities merge per code)."""
    values: dict[str, Any] = {}
    for name in _CONFIG_FIELDS:
        mine = getattr(project, name)
        if mine != getattr(_DEFAULTS, name):
            values[name] = {**editor.severity, **mine} if name == "severity" else mine
    if "exclude" in values:
        values["root"] = project.root
    values["source"] = project.source
    return replace(editor, **values)


class Settings:
    """Editor settings per workspace folder and the resulting Config for any file."""

    def __init__(self) -> None:
        self.initialization: dict[str, Any] = {}
        self._initial_raw: dict[str, Any] = {}
        self.by_folder: dict[Path, dict[str, Any]] = {}
        self._folder_raw: dict[Path, object] | None = None  # the answers by_folder came from (None: never asked)
        self.tuning = Tuning()
        self._configs: dict[tuple[Path | None, Path | None], Config] = {}
        self._reported: set[str] = set()

    def set_initialization(self, raw: object) -> list[str]:
        """Store initializationOptions (the base for every folder); returns problems."""
        if isinstance(raw, Mapping) and isinstance(raw.get("packls"), Mapping):
            raw = raw["packls"]
        self._initial_raw = dict(raw) if isinstance(raw, Mapping) else {}
        shared, self.tuning, problems = split_settings(raw)
        self.initialization = shared
        self._configs.clear()
        return problems

    def set_folders(self, raw_by_folder: Mapping[Path, object]) -> list[str]:
        """Store `workspace/configuration` answers per folder; returns problems."""
        problems: list[str] = []
        self.by_folder = {}
        self._folder_raw = dict(raw_by_folder)
        tuning: Tuning | None = None
        for folder, raw in raw_by_folder.items():
            if raw == []:  # an empty Lua table from Neovim
                raw = {}
            if raw is not None and not isinstance(raw, Mapping):
                problems.append(f"packls settings must be an object, not {type(raw).__name__}; using defaults")
                raw = {}
            shared, folder_tuning, found = split_settings(merge_raw(self._initial_raw, raw))  # type: ignore[arg-type]
            self.by_folder[folder] = shared
            tuning = tuning or folder_tuning
            problems.extend(found)
        if tuning is not None:
            self.tuning = tuning
        self._configs.clear()
        return problems

    def as_data(self) -> dict[str, Any]:
        """What the settings were made from, as JSON-ready data: `from_data` makes the same settings again."""
        folders = None if self._folder_raw is None else [[str(folder), raw] for folder, raw in self._folder_raw.items()]
        return {"initialization": self._initial_raw, "folders": folders}

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> Settings:
        """The settings `as_data` described (the cold-start helper's copy of the server's)."""
        settings = cls()
        settings.set_initialization(data["initialization"])
        if data["folders"] is not None:
            settings.set_folders({Path(folder): raw for folder, raw in data["folders"]})
        return settings

    def folder_of(self, path: Path) -> Path | None:
        """The deepest configured folder holding path."""
        best: Path | None = None
        text = str(path)
        for folder in self.by_folder:  # paths are absolute and normalised: a string prefix is the parents test, cheaply
            name = str(folder)
            if (text == name or text.startswith(name.rstrip(os.sep) + os.sep)) and (best is None or len(folder.parts) > len(best.parts)):
                best = folder
        return best

    def config_for(self, path: Path, fallback_root: Path | None = None) -> tuple[Config, list[ConfigProblem]]:
        """The Config that applies to a file, and the problems found building it (first time only)."""
        folder = self.folder_of(path) or fallback_root
        project_root = find_config_root(path)
        key = (folder, project_root)
        cached = self._configs.get(key)
        if cached is not None:
            return cached, []
        raw = self.by_folder[folder] if folder in self.by_folder else self.initialization
        config, problems = Config.from_mapping(raw, root=folder)
        if project_root is not None:
            project, file_problems = load_config(project_root)
            config = overlay(config, project)
            problems = [*problems, *file_problems]
        self._configs[key] = config
        return config, problems

    def first_time(self, messages: list[str]) -> list[str]:
        """The messages not yet shown to the user."""
        fresh = [m for m in dict.fromkeys(messages) if m not in self._reported]
        self._reported.update(fresh)
        return fresh

    def invalidate(self) -> None:
        """Config files changed on disk: rebuild every Config."""
        self._configs.clear()


def config_fields() -> tuple[str, ...]:
    """The shared settings, for documentation and tests."""
    return tuple(f.name for f in fields(Config) if f.name in _CONFIG_FIELDS)
