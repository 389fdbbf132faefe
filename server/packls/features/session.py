"""An editor session over a Workspace: open buffers overlay the disk, and edits re-check dependents.

The session owns every mutation of the workspace (editor buffers, files changed on disk, packs
found by indexing) and answers "whose findings may have changed?" (`Impact.affected`).
Findings are cached per file and recomputed only when the file or one of its inputs changed
(`packls.features.invalidation`). Pure: no pygls, no asyncio, no threads; `prepare` and
`compute` are safe to run off the event loop.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator, Mapping

from packls.checks import check_source
from packls.facts import NO_FACTS, RegistryFacts
from packls.features.buffers import (
    EVERYTHING,
    NOTHING,
    Impact,
    OpenDocument,
    Prepared,
    is_manifest,
    is_tracked,
    normalize,
    source_for,
)
from packls.features.configuration import Config, clear_config_root_cache, file_findings
from packls.features.effects import UNSEEN, EditEffects
from packls.features.findings_cache import FindingsCache, Token
from packls.features.invalidation import surface
from packls.features.resolution_table import Selections
from packls.features.snapshot import key_of_packs
from packls.findings import Finding
from packls.model import Runnable
from packls.resolve import Resolution, resolve
from packls.workspace import Pack, PackScan, SourceFile, Workspace, discover_pack_roots, find_pack_root, load_pack, read_source

ConfigFor = Callable[[Path], Config]

__all__ = ["EVERYTHING", "NOTHING", "Impact", "OpenDocument", "Prepared", "Session", "normalize", "surface"]


@dataclass
class Session:
    """Every pack of the editor's folders, the open buffers over them, and cached findings."""

    facts: RegistryFacts = NO_FACTS
    config_for: ConfigFor = field(default=lambda path: Config())
    workspace: Workspace = field(init=False)
    documents: dict[Path, OpenDocument] = field(default_factory=dict)
    folders: list[Path] = field(default_factory=list)
    generation: int = 0  # bumped when every cached result is stale
    epoch: int = 0  # bumped on any change other files can see (selections, resolutions)
    _roots_for: tuple[int, object, dict[Path, tuple[Path, ...]]] = (0, None, {})
    _replacements: int = 0  # sources replaced so far (with epoch and generation: "did anything change?")
    _results: FindingsCache = field(default_factory=FindingsCache)
    _effects: EditEffects = field(init=False)

    def __post_init__(self) -> None:
        self.workspace = Workspace(self.facts)
        self._effects = EditEffects(lambda: self.workspace, self._resolve, self._tracked_source)

    # -- configuration and facts ---------------------------------------------------------------

    def set_config(self, config_for: ConfigFor) -> Impact:
        """New settings: every cached result is stale."""
        self.config_for = config_for
        clear_config_root_cache()  # a settings reload re-reads the project's config files too
        return self._everything()

    def set_facts(self, facts: RegistryFacts) -> Impact:
        """New registry facts (availability changes selections)."""
        self.facts = self.workspace.facts = facts
        return self._everything()

    def set_extra_catalogs(self, packs: Iterable[Pack]) -> Impact:
        """Packs always in scope but never reported on (config `extra_catalog_paths`)."""
        self.workspace.set_extras(packs)
        return self._everything()

    def excluded(self, path: Path) -> bool:
        """True when the configuration excludes a file or pack folder (as `packls validate` skips it)."""
        return self.config_for(path).is_excluded(path)

    # -- packs ------------------------------------------------------------------------------------

    def discover(self, folders: Iterable[Path]) -> list[Path]:
        """Pack roots below (or around) folders, known ones excluded; touches only the disk."""
        return [root for root in discover_pack_roots(list(folders)) if root not in self.workspace.packs]

    def known_root(self, path: Path) -> Path | None:
        """The nearest loaded pack root holding path (dict lookups up the folder chain, remembered)."""
        roots = self._roots_of(path)
        return roots[0] if roots else None

    def _roots_of(self, path: Path) -> tuple[Path, ...]:
        """Loaded pack roots holding path, nearest first (cached until the set of packs changes)."""
        packs = self.workspace.packs
        if self._roots_for[0] != len(packs) or self._roots_for[1] is not packs:  # (a backstop: add/remove reset it)
            self._roots_for = (len(packs), packs, {})
        cache = self._roots_for[2]
        found = cache.get(path)
        if found is None:  # from the nearest folder already known: each folder is looked at once
            chain = [path]
            while (above := cache.get(chain[-1].parent)) is None and chain[-1].parent != chain[-1]:
                chain.append(chain[-1].parent)
            found = above or ()
            for folder in reversed(chain):
                found = cache[folder] = (folder, *found) if folder in packs else found
        return found

    def _tracked_source(self, path: Path) -> SourceFile | None:
        """The file's source in a workspace pack holding it (nearest first), else None."""
        packs = self.workspace.packs
        for root in self._roots_of(path):
            pack = packs.get(root)
            if pack is not None:
                found = pack.files.get(path)
                if found is not None:
                    return found
        return None

    def add_pack(self, pack: Pack) -> Impact:
        """Add a pack loaded from disk; open buffers keep precedence over the files read."""
        previous = self.workspace.packs.get(pack.root)
        for path, document in self.documents.items():
            if document.source is not None and document.source.pack_root == pack.root and not self.excluded(path):
                pack.files[path] = document.source
        self.workspace.add_pack(pack)
        self._roots_for = (0, None, {})
        for path in pack.files:
            self._effects.forget_surface(path)  # computed from the old source on the first change
        removed = frozenset(set(previous.files) - set(pack.files)) if previous else frozenset()
        for path in removed:
            self._forget(path)
        return Impact(frozenset(pack.files), removed) | self._everything()

    def remove_pack(self, root: Path) -> Impact:
        """Forget a pack whose manifest or folder is gone."""
        pack = self.workspace.packs.get(root)
        if pack is None:
            return NOTHING
        self.workspace.remove_pack(root)
        self._roots_for = (0, None, {})
        for path in pack.files:
            self._forget(path)
        for document in self.documents.values():
            if document.source is not None and document.source.pack_root == root:
                document.source = None
        return Impact(removed=frozenset(pack.files)) | self._everything()

    def remove_folder(self, folder: Path) -> Impact:
        """A workspace folder was removed: drop its packs unless another folder still holds them."""
        self.folders = [f for f in self.folders if f != folder]
        impact = NOTHING
        for root in list(self.workspace.packs):
            inside = root == folder or folder in root.parents
            still = any(root == f or f in root.parents for f in self.folders)
            open_here = any(d.source is not None and d.source.pack_root == root for d in self.documents.values())
            if inside and not still and not open_here:
                impact = impact | self.remove_pack(root)
        return impact

    def set_scan(self, root: Path, scan: PackScan) -> Impact:
        """A fresh walk of a pack folder (files created or deleted: entry points, workflows, …)."""
        pack = self.workspace.packs.get(root)
        if pack is None or pack.scan == scan:
            return NOTHING
        pack.scan = scan
        return self._invalidate(set(pack.files))

    # -- editor buffers ---------------------------------------------------------------------------

    def prepare(self, path: Path, text: str, root: Path | None | bool = False) -> Prepared:
        """Parse a buffer; with its pack root given, pure and thread-safe (may run off the event loop)."""
        if root is False:
            root = self.known_root(path) or find_pack_root(path)
        assert root is None or isinstance(root, Path)
        return Prepared(path, text, root, source_for(path, root, text))

    def open(self, path: Path, text: str, version: int | None, prepared: Prepared | None = None) -> Impact:
        """A buffer was opened (its pack must already be loaded when it has one)."""
        self.documents[path] = OpenDocument(path, text, version, None)
        return self._apply(self.documents[path], text, version, prepared)

    def change(self, path: Path, text: str, version: int | None, prepared: Prepared | None = None) -> Impact:
        """A buffer's text changed."""
        document = self.documents.get(path)
        if document is None:
            return self.open(path, text, version, prepared)
        return self._apply(document, text, version, prepared)

    def close(self, path: Path) -> Impact:
        """A buffer was closed: the file on disk is the truth again."""
        document = self.documents.pop(path, None)
        if document is None or document.source is None:
            return NOTHING
        return self._read_from_disk(path, document.source.pack_root)

    def _apply(self, document: OpenDocument, text: str, version: int | None, prepared: Prepared | None) -> Impact:
        if prepared is None or prepared.text != text:
            prepared = self.prepare(document.path, text)
        document.text, document.version = text, version
        source = prepared.source
        if source is not None and (source.pack_root not in self.workspace.packs or self.excluded(document.path)):
            source = None  # pack not loaded (yet), or excluded like `packls validate` excludes it
        previous, document.source = document.source, source
        if source is not None and source.component is not None:
            document.good = source
        if source is None:
            if previous is not None and self.workspace.source(previous.path) is previous:
                return self._read_from_disk(previous.path, previous.pack_root)
            return NOTHING
        return self._set_source(source)

    # -- files on disk ----------------------------------------------------------------------------

    def disk_changed(self, path: Path, deleted: bool = False, fresh: SourceFile | None = None) -> Impact:
        """A file was created, changed or deleted outside the editor (`fresh`: already read off the loop)."""
        if is_manifest(path) and (deleted or not path.is_file()):
            return self.remove_pack(path.parent)
        if is_manifest(path) and path.parent not in self.workspace.packs:
            return self.add_pack(load_pack(path.parent, exclude=self.excluded))
        if path in self.documents and self.documents[path].source is not None:
            return NOTHING  # the editor's buffer is the truth for open files
        if deleted and self.workspace.source(path) is None:
            return self._folder_deleted(path)
        root = self.known_root(path)
        if root is None:
            return NOTHING
        if fresh is not None and fresh.path == path and fresh.pack_root == root and is_tracked(path, root):
            return NOTHING if self.excluded(path) else self._set_source(fresh)
        return self._read_from_disk(path, root)

    def _folder_deleted(self, folder: Path) -> Impact:
        impact = NOTHING
        for root in list(self.workspace.packs):
            if root == folder or folder in root.parents:
                impact = impact | self.remove_pack(root)
        for source in list(self.workspace.sources()):
            if folder in source.path.parents and source.path not in self.documents:
                impact = impact | self._remove_source(source.path)
        return impact

    def _read_from_disk(self, path: Path, root: Path) -> Impact:
        if root not in self.workspace.packs:
            return NOTHING
        if not is_tracked(path, root) or self.excluded(path) or not (path.is_file() or path.is_symlink()):
            return self._remove_source(path)
        return self._set_source(read_source(path, root))

    # -- invalidation -----------------------------------------------------------------------------

    def _set_source(self, source: SourceFile) -> Impact:
        path = source.path
        before = self.workspace.source(path)
        prior = self._effects.prior(path, before)
        if source.pack_root not in self.workspace.packs:
            self._roots_for = (0, None, {})  # set_source creates the pack
        self.workspace.replace_source(source)
        self._replacements += 1
        affected = self._effects.affected(before, source, prior)
        if affected is UNSEEN:
            return Impact(frozenset({path}), frozenset(), frozenset({path}))
        if affected is None:
            return Impact(frozenset({path})) | self._everything()
        return Impact(frozenset({path})) | self._invalidate(set(affected))

    def _resolve(self, source: SourceFile) -> Resolution | None:
        component = source.component
        if not isinstance(component, Runnable):
            return None
        envs_dir = self.config_for(source.path).runtime_envs_dir
        return resolve(component, self.workspace, envs_dir) if envs_dir else resolve(component, self.workspace)

    def warm(self) -> None:
        """Build the per-file indexes now (after indexing), so the first edit does not pay for them."""
        for _ in self.warm_steps():
            pass

    def warm_steps(self, batch: int = 100) -> Iterator[None]:
        """`warm` in small steps, yielding between them (an event loop stays responsive on big workspaces).

        Each table is built aside and installed only if nothing changed meanwhile; after a change
        it is left to be built on first use, as without warming.
        """
        mark = self.change_mark()
        yield from self._effects.warm_steps(lambda: self.change_mark() != mark, batch)

    def change_mark(self) -> tuple[int, int, int]:
        """Changes whenever anything a finding or a table depends on may have changed."""
        return (self.epoch, self.generation, self._replacements)

    def _remove_source(self, path: Path) -> Impact:
        if self.workspace.source(path) is None:
            return NOTHING
        self.workspace.remove_source(path)
        self._forget(path)
        return Impact(removed=frozenset({path})) | self._everything()

    def _forget(self, path: Path) -> None:
        self._effects.forget(path)
        self._results.forget(path)

    def _invalidate(self, paths: set[Path]) -> Impact:
        self.epoch += 1
        self._results.invalidate(paths)
        return Impact(affected=frozenset(paths))

    def _everything(self) -> Impact:
        self.epoch += 1
        self.generation += 1
        self._effects.reset()
        return EVERYTHING

    # -- queries ----------------------------------------------------------------------------------

    def source(self, path: Path) -> SourceFile | None:
        """The current source of a file of the user's packs (the buffer's when open)."""
        document = self.documents.get(path)
        if document is not None:
            return document.source
        source = self._tracked_source(path)
        if source is not None:
            return source
        if self.known_root(path) is None:
            return None
        return self.workspace.source(path)  # held by an extra or catalog pack only (rare)

    def tracked(self, paths: Iterable[Path]) -> list[Path]:
        """Those of paths diagnostics are computed for (as `tracked_paths` would list), open buffers first."""
        found = [p for p in paths if self._tracked_source(p) is not None]
        found.sort()
        return [p for p in found if p in self.documents] + [p for p in found if p not in self.documents]

    def tracked_paths(self) -> list[Path]:
        """Every file diagnostics are computed for, open buffers first."""
        paths = [s.path for s in self.workspace.sources()]
        return [p for p in paths if p in self.documents] + [p for p in paths if p not in self.documents]

    def token(self, path: Path) -> Token:
        """Identifies the inputs a file's cached findings were computed from."""
        return self._results.token(path, self.generation)

    def cached(self, path: Path) -> list[Finding] | None:
        """The file's findings when still valid, else None (no computation)."""
        return self._results.get(path, self.source(path), self.token(path))

    def compute(self, source: SourceFile) -> list[Finding]:
        """The findings `packls validate` reports for a source (no caching; safe off the event loop)."""
        return file_findings(source.path, check_source(source, self.workspace), self.config_for(source.path), source.text)

    def store(self, path: Path, source: SourceFile, token: Token, findings: list[Finding]) -> bool:
        """Cache findings computed elsewhere, unless their inputs changed meanwhile."""
        if self.source(path) is not source or self.token(path) != token:
            return False
        self._results.put(path, source, token, findings)
        return True

    def findings(self, path: Path) -> list[Finding]:
        """The file's findings, computed now if the cache is stale."""
        cached = self.cached(path)
        if cached is not None:
            return cached
        source = self.source(path)
        if source is None:
            return []
        token = self.token(path)
        result = self.compute(source)
        self.store(path, source, token, result)
        return result

    def report(self, path: Path, findings: list[Finding]) -> bool:
        """Record findings as told to the editor; True when they differ from what it was last told."""
        return self._results.report(path, findings)

    def inputs_key(self) -> str:
        """The digest of everything findings depend on now (`packls.features.snapshot`)."""
        packs = [pack for pack in self.workspace.packs.values() if not pack.is_catalog]
        return key_of_packs(packs, self.workspace.extras.values(), self.config_for, self.facts)

    def seed(self, findings: Mapping[Path, list[Finding]]) -> None:
        """Take restored findings for every tracked file; only for a snapshot whose key is `inputs_key()`."""
        for path in self.tracked_paths():
            source = self.source(path)
            if source is not None:
                self._results.put(path, source, self.token(path), list(findings.get(path, ())))

    def all_findings(self) -> dict[Path, list[Finding]] | None:
        """Every tracked file's findings when all are computed and current, else None (computes nothing)."""
        found: dict[Path, list[Finding]] = {}
        for path in self.tracked_paths():
            cached = self.cached(path)
            if cached is None:
                return None
            found[path] = cached
        return found

    def changed_findings(self, paths: Iterable[Path]) -> dict[Path, list[Finding]]:
        """Findings of the given files that differ from what was last reported (now marked reported)."""
        changed: dict[Path, list[Finding]] = {}
        for path in paths:
            current = self.findings(path)
            if self._results.report(path, current):
                changed[path] = current
        return changed

    def mark_reported(self, path: Path, findings: Iterable[Finding]) -> None:
        """Record what the editor was told for a file."""
        self._results.mark_reported(path, findings)

    def forget_reported(self, path: Path) -> None:
        """The editor no longer shows anything for a file."""
        self._results.retract(path)

    def retract(self, path: Path) -> bool:
        """Forget a file's reported findings; True when the editor still shows some (so clear them)."""
        return self._results.retract(path)

    def resolutions(self) -> dict[Path, Resolution]:
        """How every action and sensor resolves right now (recomputed after visible changes)."""
        return self._effects.resolutions.resolutions()

    def selections(self) -> Selections:
        """Which runtime and version each action and sensor gets (kept current by later edits)."""
        return self._effects.resolutions.selections()

    def selections_mark(self) -> int:
        """Changes whenever some file's selection changed (for noticing it without comparing them all)."""
        return self._effects.resolutions.selections_mark()

