"""Settings from `initializationOptions` and `workspace/configuration`, applied to the session."""

from __future__ import annotations

import asyncio
import logging
import os
import uuid
from pathlib import Path
from typing import TYPE_CHECKING, Any

from packls.config import Config, load_config_file
from packls.facts import RegistryFacts
from packls.lsp.messages import Initialize
from packls.lsp.uris import file_uri, uri_to_path
from packls.workspace import load_extras

if TYPE_CHECKING:
    from packls.lsp.app import PacklsServer
    from packls.registry.loaded import LoadedFacts

StoreIdentity = tuple[int, ...]  # (inode, mtime_ns, size) of the store and of its -wal file when present

log = logging.getLogger(__name__)


def on_initialize(ls: PacklsServer, params: Initialize) -> None:
    """Decide push or pull, read initializationOptions and the workspace folders."""
    ls.pull_mode = ls.capabilities.pull_diagnostics
    ls.pending_problems = ls.settings.set_initialization(params.options)
    folders = [uri_to_path(uri) for uri in params.folders]
    if not folders:
        root = params.root_uri or (file_uri(params.root_path) if params.root_path else None)
        folders = [uri_to_path(root)] if root else []
    ls.session.folders = [f for f in folders if f is not None]
    log.info(
        "client %s: %s positions, %s diagnostics, %d workspace folder(s)",
        params.client or "unknown", ls.encoding, "pull" if ls.pull_mode else "push", len(ls.session.folders),
    )


async def register(ls: PacklsServer) -> None:
    """Ask to be told about settings changes (VS Code needs a dynamic registration)."""
    if not ls.capabilities.supports("workspace.didChangeConfiguration.dynamicRegistration"):
        return
    registration = {"id": str(uuid.uuid4()), "method": "workspace/didChangeConfiguration", "registerOptions": {"section": "packls"}}
    try:
        await ls.request("client/registerCapability", {"registrations": [registration]})
    except Exception:
        log.warning("the client refused didChangeConfiguration registration", exc_info=True)


async def refresh(ls: PacklsServer) -> None:
    """Re-read settings for every folder and apply them (config, extra catalogs, registry facts)."""
    problems = list(getattr(ls, "pending_problems", []))
    ls.pending_problems = []
    if ls.capabilities.supports("workspace.configuration"):
        folders = list(ls.session.folders)
        items = [{"scopeUri": file_uri(f), "section": "packls"} for f in folders]
        try:
            answers = await ls.request("workspace/configuration", {"items": items or [{"section": "packls"}]})
        except Exception:
            log.warning("workspace/configuration failed; using initializationOptions", exc_info=True)
            answers = []
        if not isinstance(answers, list):
            log.warning("workspace/configuration answered %s, not a list; using initializationOptions", type(answers).__name__)
            answers = []
        by_folder: dict[Path, Any] = {f: a for f, a in zip(folders, answers or [])}
        if not folders and answers:
            ls.settings.set_initialization(answers[0])
        problems.extend(ls.settings.set_folders(by_folder))
    else:
        ls.settings.invalidate()
    if problems:
        ls.tell(problems)
    ls.diagnostics.after(ls.session.set_config(ls.config_for))
    await _apply_extras(ls)


async def changed(ls: PacklsServer, settings: Any) -> None:
    """didChangeConfiguration: re-pull settings (or take them from the notification) and re-check."""
    if not ls.capabilities.supports("workspace.configuration"):
        if isinstance(settings, dict):
            ls.pending_problems = ls.settings.set_initialization(settings.get("packls", settings))
    await refresh(ls)
    ls.diagnostics.request_pass()


async def _apply_extras(ls: PacklsServer) -> None:
    """Extra catalog packs, exclusions and registry facts follow the settings of the first folder."""
    anchor = ls.session.folders[0] if ls.session.folders else Path.cwd()
    config = ls.config_for(anchor)
    extras = tuple(sorted({Path(p) for p in config.extra_catalog_paths}))
    if extras != getattr(ls, "_extras", ()):
        ls._extras = extras
        packs = await asyncio.to_thread(load_extras, extras)
        ls.diagnostics.after(ls.session.set_extra_catalogs(packs))
    exclude = (config.exclude, config.root)
    if exclude != getattr(ls, "_exclude", ((), None)):
        ls._exclude = exclude
        await ls.reload_packs()
    if config.database != getattr(ls, "_database", object()):
        ls._database = config.database
        await _use_database(ls, config.database, _named_by_project_file(ls, config))
    watch: StoreWatch | None = getattr(ls, "_store_watch", None)
    if watch is not None:
        watch.start()  # no-op while it runs; picks up storePollIntervalMs going from 0 to on


def _named_by_project_file(ls: PacklsServer, config: Config) -> Path | None:
    """The workspace file that chose the database, unless the user's own editor settings name it too.

    A repository's packls.toml is untrusted input: it may not make the server connect elsewhere.
    """
    if config.database is None or config.source is None:
        return None
    editor = [ls.settings.initialization, *ls.settings.by_folder.values()]
    if any(raw.get("database") == config.database for raw in editor):
        return None
    project, _ = load_config_file(config.source)
    return config.source if project.database == config.database else None


# -- registry facts and the store they come from -------------------------------------------------


async def _use_database(ls: PacklsServer, database: str | None, named_by: Path | None) -> None:
    """Load the facts of a newly configured store, apply them, and watch a SQLite store for syncs."""
    stop_store_watch(ls)
    path = _sqlite_path(database)
    seen = await asyncio.to_thread(store_identity, path) if path is not None else None  # before the read: a sync
    loaded = await _read_facts(database, named_by)  # committed meanwhile is seen by the next poll
    if loaded.warning:
        log.warning("%s", loaded.warning)
        if database:
            ls.tell([loaded.warning])
    _apply_facts(ls, loaded.facts)
    if path is None:
        log.info("registry facts from PostgreSQL are not watched: restart the server or change the database setting after a sync")
        return
    ls._store_watch = StoreWatch(ls, database, named_by, path, seen)
    ls._store_watch.start()


def _apply_facts(ls: PacklsServer, facts: RegistryFacts) -> None:
    """New facts change selections everywhere: re-check every file (settings change and store watch alike)."""
    ls.diagnostics.after(ls.session.set_facts(facts))


async def _read_facts(database: str | None, named_by: Path | None) -> LoadedFacts:
    """The store's facts, read off the event loop (a locked SQLite file waits for its busy timeout)."""
    from packls.registry import load_facts_checked

    return await asyncio.to_thread(load_facts_checked, database, named_by=named_by)


def _sqlite_path(database: str | None) -> Path | None:
    """The local file of a SQLite store (None for PostgreSQL, which has no file to stat)."""
    from packls.registry.location import resolve_location

    location = resolve_location(database)
    return Path(location.target) if location.kind == "sqlite" else None


def store_identity(path: Path) -> StoreIdentity | None:
    """What changes when a sync commits: the file's and its -wal file's inode, mtime and size (None: no file)."""
    identity: list[int] = []
    for candidate in (path, path.with_name(path.name + "-wal")):
        try:
            info = os.stat(candidate)
        except OSError:
            if candidate is path:
                return None
            continue
        identity += [info.st_ino, info.st_mtime_ns, info.st_size]
    return tuple(identity)


def stop_store_watch(ls: PacklsServer) -> None:
    """Stop watching the registry store (shutdown, or another store was configured)."""
    watch: StoreWatch | None = getattr(ls, "_store_watch", None)
    if watch is not None:
        watch.stop()
    ls._store_watch = None


class StoreWatch:
    """Reloads the facts of a SQLite store when `packls sync` changes it while the editor runs.

    A cheap stat every `storePollIntervalMs` (default 3 s), in a worker thread; the store is read
    only when its identity changed, and the facts are applied only when they differ. A store that
    cannot be read keeps the previous facts: a read that still fails on the next poll (not just a
    sync holding the lock) is shown to the user once, then retried only after the file changes.
    """

    def __init__(self, ls: PacklsServer, database: str | None, named_by: Path | None, path: Path,
                 seen: StoreIdentity | None) -> None:
        self.ls = ls
        self.database = database
        self.named_by = named_by
        self.path = path
        self.seen = seen  # identity of the store the current facts came from
        self._failed: StoreIdentity | None = None  # identity whose read failed …
        self._failures = 0  # … and how many times in a row
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        """Start polling unless it runs already or storePollIntervalMs is 0."""
        if self._interval() <= 0 or (self._task is not None and not self._task.done()):
            return
        self._task = asyncio.create_task(self._run(), name="packls-store-watch")

    def stop(self) -> None:
        """Stop polling."""
        if self._task is not None:
            self._task.cancel()

    @property
    def running(self) -> bool:
        """True while the poll task is alive (for tests and logs)."""
        return self._task is not None and not self._task.done()

    def _interval(self) -> float:
        return self.ls.settings.tuning.store_poll_interval_ms / 1000

    async def _run(self) -> None:
        while self._interval() > 0:
            await asyncio.sleep(self._interval())
            if self._interval() <= 0:
                return
            try:
                await self.poll()
            except asyncio.CancelledError:
                raise
            except Exception:  # a watch must never take the server down
                log.exception("watching the registry store %s failed", self.path)

    async def poll(self) -> bool:
        """Check the store once; True when new facts were applied."""
        identity = await asyncio.to_thread(store_identity, self.path)
        if identity == self.seen or (identity == self._failed and self._failures >= 2):
            return False
        loaded = await _read_facts(self.database, self.named_by)
        if loaded.warning and identity is not None:
            self._unreadable(identity, loaded.warning)
            return False
        self.seen, self._failed, self._failures = identity, None, 0
        if loaded.warning:  # the file is gone: as at startup, no facts (and say so for a named store)
            log.warning("%s", loaded.warning)
            if self.database:
                self.ls.tell([loaded.warning])
        if loaded.facts == self.ls.session.facts:
            return False
        log.info("registry store %s changed: applying its facts", self.path)
        _apply_facts(self.ls, loaded.facts)
        return True

    def _unreadable(self, identity: StoreIdentity, warning: str) -> None:
        """Keep the facts we have; tell the user once when the failure outlasts one poll."""
        self._failures = self._failures + 1 if identity == self._failed else 1
        self._failed = identity
        if self._failures == 1:
            log.warning("%s; keeping the previous facts", warning)
        else:
            self.ls.tell([f"{warning}; keeping the previous facts"])

