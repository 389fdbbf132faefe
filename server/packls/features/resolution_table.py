"""How every action and sensor resolves, kept current file by file, and which runnables use each runtime.

Built on first use (`resolutions()`); an edit marks only what it can change: the edited file may
now resolve to another runtime (stale), and the runnables of an edited runtime keep their runtime
but may select another version (refresh). Anything that changes identities resets the table.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable, Iterable

from packls.model import FileKind, Runnable
from packls.resolve import Resolution
from packls.workspace import SourceFile

Selections = dict[Path, tuple[str | None, str | None]]


class ResolutionTable:
    """Resolutions per file, the runnables resolving to each runtime, and the selections they give."""

    def __init__(self, resolve: Callable[[SourceFile], Resolution | None], tracked: Callable[[Path], SourceFile | None],
                 sources: Callable[[], Iterable[SourceFile]]) -> None:
        self._resolve = resolve  # a file's resolution now (None for files that are no runnable)
        self._tracked = tracked  # a file's current source in the workspace packs
        self._sources = sources  # every tracked source
        self._table: dict[Path, Resolution] | None = None  # None: recompute all on next use
        self._stale: set[Path] = set()  # edited: may resolve to another runtime now
        self._refresh: set[Path] = set()  # their runtime's content changed: same runtime
        self._users: dict[Path, set[Path]] = {}  # runtime path -> runnables resolving to it
        self.version = 0  # bumped whenever a resolution may have changed
        self._selections: Selections = {}  # kept with the table, path by path
        self.selection_changes = 0  # bumped whenever some file's selection changed

    @property
    def built(self) -> bool:
        return self._table is not None

    def reset(self) -> None:
        """Every resolution may have changed (identities, settings, facts): rebuild on next use."""
        self._table = None

    def source_replaced(self, path: Path, before: SourceFile | None, after: SourceFile) -> None:
        """Mark the resolutions a content edit can change as stale (identity edits reset everything)."""
        if self._table is None:
            return
        if (before is not None and before.kind is FileKind.RUNTIME) or after.kind is FileKind.RUNTIME:
            self._refresh |= self._users.get(path, set())  # same runtime, new versions
        # (A manifest edit that can change the pack ref changes its identity: everything is reset.)
        self._stale.add(path)

    def before_edit(self, path: Path, before: SourceFile | None) -> Resolution | None:
        """How a file resolves before its edit (from the table when current; never recomputes them all)."""
        if before is None or not isinstance(before.component, Runnable):
            return None
        if self._table is not None and path not in self._stale and path not in self._refresh:
            return self._table.get(path)
        return self._resolve(before)

    def users_of(self, runtime_path: Path) -> set[Path]:
        """The runnables resolving to a runtime now (only files edited since are re-resolved)."""
        if self._table is None:
            self.resolutions()
        elif self._stale:
            stale, self._stale = self._stale, set()
            self.version += 1
            for path in stale:
                self._refresh.discard(path)
                self._recompute(path)
        return set(self._users.get(runtime_path, ()))

    def resolutions(self) -> dict[Path, Resolution]:
        """How every action and sensor resolves right now (recomputed after visible changes)."""
        if self._table is None:
            self.install([(source.path, self._resolve(source)) for source in self._sources()])
        elif self._stale or self._refresh:
            stale = self._stale | self._refresh
            self._stale, self._refresh = set(), set()
            self.version += 1
            for path in stale:
                self._recompute(path)
        assert self._table is not None
        return self._table

    def selections(self) -> Selections:
        """Which runtime and version each action and sensor gets (current; updated in place by later edits)."""
        self.resolutions()
        return self._selections

    def selections_mark(self) -> int:
        """A number that changes whenever some file's selection changed (cheaper than comparing selections)."""
        self.resolutions()
        return self.selection_changes

    def install(self, resolved: Iterable[tuple[Path, Resolution | None]]) -> None:
        """Take a whole table computed elsewhere (`resolutions()` or a warm-up in steps)."""
        before, changes = self._selections, self.selection_changes
        self._table, self._users, self._stale, self._refresh, self._selections = {}, {}, set(), set(), {}
        self.version += 1
        for path, resolution in resolved:
            self._put(path, resolution)
        self.selection_changes = changes + (self._selections != before)

    def _recompute(self, path: Path) -> None:
        source = self._tracked(path)
        self._put(path, self._resolve(source) if source is not None else None)

    def _put(self, path: Path, resolution: Resolution | None) -> None:
        assert self._table is not None
        old = self._table.pop(path, None)
        if old is not None and old.runtime is not None:
            users = self._users.get(old.runtime.path)
            if users is not None:
                users.discard(path)
        selected = self._selections.get(path)
        if resolution is not None:
            self._table[path] = resolution
            if resolution.runtime is not None:
                self._users.setdefault(resolution.runtime.path, set()).add(path)
            selection = (resolution.runtime.ref if resolution.runtime else None, resolution.selected.version if resolution.selected else None)
            if selection != selected:
                self._selections[path] = selection
                self.selection_changes += 1
        elif selected is not None:
            del self._selections[path]
            self.selection_changes += 1
