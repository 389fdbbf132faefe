"""Which other files an edit of one file may affect, worked out from what it exposes to them.

An edit that leaves a file's surface (what other files can see of it) unchanged affects no other
file; one that changes its identity (kind, ref, name, aliases) may affect every file; any other
edit affects the files naming it (`ReferrerIndex`), the runnables resolving through it
(`ResolutionTable`) and their packs' manifests, found by `features.invalidation.neighbours`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator

from packls.features.invalidation import identity, neighbours, surface
from packls.features.referrers import ReferrerIndex
from packls.features.refs import named_refs
from packls.features.resolution_table import ResolutionTable
from packls.model import FileKind, Runnable
from packls.resolve import Resolution, resolve
from packls.workspace import REQUIREMENTS_FILE, SourceFile, Workspace

UNSEEN = frozenset[Path]()  # the edit changed nothing other files can see
_MISSING = object()


@dataclass(frozen=True)
class Prior:
    """What is needed of a file's state before its edit."""

    resolution: Resolution | None  # how it resolved (a runnable)
    users: set[Path]  # the runnables resolving to it (a runtime)


class EditEffects:
    """The surfaces, references and resolutions an edit is compared against, kept current per file."""

    def __init__(self, workspace: Callable[[], Workspace], resolve_source: Callable[[SourceFile], Resolution | None],
                 tracked: Callable[[Path], SourceFile | None]) -> None:
        self._workspace = workspace
        self._tracked = tracked
        sources = lambda: workspace().sources()  # noqa: E731
        self.resolutions = ResolutionTable(resolve_source, tracked, sources)
        self.referrers = ReferrerIndex(self._ref_keys, sources)
        self._resolve_source = resolve_source
        self._surfaces: dict[Path, object] = {}
        self._surface_memo: dict[Path, object] = {}  # big documents: per-entry surfaces

    def prior(self, path: Path, before: SourceFile | None) -> Prior:
        """Read before the edit replaces the file."""
        users = self.resolutions.users_of(path) if before is not None and before.kind is FileKind.RUNTIME else set()
        return Prior(self.resolutions.before_edit(path, before), users)

    def affected(self, before: SourceFile | None, source: SourceFile, prior: Prior) -> frozenset[Path] | None:
        """After the edit (the workspace holds `source`): the other files it may affect; None for all of them."""
        path = source.path
        self.resolutions.source_replaced(path, before, source)
        old_surface = self._surfaces.get(path, _MISSING)
        if old_surface is _MISSING and before is not None:
            old_surface = surface(before)
        new_surface = surface(source, self._surface_memo)
        if old_surface == new_surface:
            return UNSEEN
        self._surfaces[path] = new_surface
        if before is None or identity(before) != identity(source):
            return None
        self.referrers.update(path, source)
        workspace = self._workspace()
        # A runtime keeping its identity keeps its runnables (re-resolved lazily); anything else has none.
        dependents = self._with_pack_files(prior.users) if source.kind is FileKind.RUNTIME else set()
        found = neighbours(path, before, source, workspace, prior.resolution, self.referrers.index(), dependents)
        if isinstance(source.component, Runnable):
            runtime = resolve(source.component, workspace).runtime
            if runtime is not None:
                found.add(runtime.path)
        return frozenset(found)

    def reset(self) -> None:
        """Identities changed: every table is rebuilt on next use."""
        self.resolutions.reset()
        self.referrers.reset()

    def forget(self, path: Path) -> None:
        """A file's surface is compared afresh (it left, or its pack was read again)."""
        self._surfaces.pop(path, None)
        self._surface_memo.pop(path, None)

    def forget_surface(self, path: Path) -> None:
        """A file was read again from disk: its next edit compares with that text's surface."""
        self._surfaces.pop(path, None)

    def warm_steps(self, changed: Callable[[], bool], batch: int = 100) -> Iterator[None]:
        """Build the tables in steps, yielding between them; each is installed only if nothing changed meanwhile."""
        sources = list(self._workspace().sources())
        if not self.resolutions.built:
            resolved: list[tuple[Path, Resolution | None]] = []
            for index, source in enumerate(sources, 1):
                resolved.append((source.path, self._resolve_source(source)))
                if index % batch == 0:
                    yield
                    if changed():
                        return
            self.resolutions.install(resolved)
        if not self.referrers.built:
            keys: list[tuple[SourceFile, frozenset[str]]] = []
            for index, source in enumerate(sources, 1):
                keys.append((source, self._ref_keys(source)))
                if index % batch == 0:
                    yield
                    if changed():
                        return
            self.referrers.install(keys)

    def _with_pack_files(self, paths: set[Path]) -> set[Path]:
        """Runnables plus their packs' manifests and requirements (the Python versions a pack selects)."""
        found = set(paths)
        for path in paths:
            source = self._tracked(path)
            if source is not None:
                found.add(source.pack_root / "pack.yaml")
                found.add(source.pack_root / REQUIREMENTS_FILE)
        return found

    def _ref_keys(self, source: SourceFile) -> frozenset[str]:
        return frozenset(key for names in named_refs(source, self._workspace()) for key in names)
