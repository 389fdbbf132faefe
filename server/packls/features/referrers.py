"""Which files name which refs: the reverse index an edit uses to find the files it may affect.

Keys are refs as qualified and as written (`pack.name` and `name`); the index is built on first
use and then kept current file by file, so an edit costs its own file's refs, not the workspace.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable, Iterable

from packls.workspace import SourceFile

Keys = frozenset[str]


class ReferrerIndex:
    """ref -> the files naming it (None until first use, and after every identity change)."""

    def __init__(self, keys_of: Callable[[SourceFile], Keys], sources: Callable[[], Iterable[SourceFile]]) -> None:
        self.keys_of = keys_of  # the refs a file names
        self._sources = sources
        self._index: dict[str, set[Path]] | None = None
        self._refs_of: dict[Path, Keys] = {}

    @property
    def built(self) -> bool:
        return self._index is not None

    def reset(self) -> None:
        self._index = None

    def index(self) -> dict[str, set[Path]]:
        """The index, built now if needed."""
        if self._index is None:
            self.install([(source, self.keys_of(source)) for source in self._sources()])
        assert self._index is not None
        return self._index

    def install(self, keys: Iterable[tuple[SourceFile, Keys]]) -> None:
        """Take every file's keys at once (computed here or by a warm-up in steps)."""
        self._index, self._refs_of = {}, {}
        for source, found in keys:
            self._add(source, found)

    def update(self, path: Path, source: SourceFile) -> None:
        """A file's new content: its old keys out, its new keys in (nothing to do before the first use)."""
        if self._index is None:
            return
        for key in self._refs_of.pop(path, ()):
            holders = self._index.get(key)
            if holders is not None:
                holders.discard(path)
                if not holders:
                    del self._index[key]
        self._add(source)

    def _add(self, source: SourceFile, keys: Keys | None = None) -> None:
        assert self._index is not None
        keys = self.keys_of(source) if keys is None else keys
        self._refs_of[source.path] = keys
        for key in keys:
            self._index.setdefault(key, set()).add(source.path)
