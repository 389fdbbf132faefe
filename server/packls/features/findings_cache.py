"""Each file's findings with the inputs they were computed from, and what the editor was last told.

A token (the session's generation, the file's input count) says whether cached findings still
hold: an edit bumps the input count of every file it may affect, a change every file sees bumps
the generation. What the editor shows is kept apart, so only findings that changed are sent.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from packls.findings import Finding
from packls.workspace import SourceFile

Token = tuple[int, int]


@dataclass
class _Cached:
    source: SourceFile
    token: Token
    findings: list[Finding]


class FindingsCache:
    """Findings per file under the token they were computed with, and the findings last reported."""

    def __init__(self) -> None:
        self._inputs: dict[Path, int] = {}  # per-file input version
        self._cache: dict[Path, _Cached] = {}
        self._reported: dict[Path, tuple[Finding, ...]] = {}

    def token(self, path: Path, generation: int) -> Token:
        return (generation, self._inputs.get(path, 0))

    def invalidate(self, paths: Iterable[Path]) -> None:
        """These files' inputs changed: their cached findings no longer hold."""
        for path in paths:
            self._inputs[path] = self._inputs.get(path, 0) + 1

    def forget(self, path: Path) -> None:
        """A file left the workspace."""
        self._cache.pop(path, None)
        self._inputs.pop(path, None)

    def get(self, path: Path, source: SourceFile | None, token: Token) -> list[Finding] | None:
        """The findings cached for exactly this source and token, else None."""
        entry = self._cache.get(path)
        if source is None or entry is None or entry.source is not source or entry.token != token:
            return None
        return entry.findings

    def put(self, path: Path, source: SourceFile, token: Token, findings: list[Finding]) -> None:
        self._cache[path] = _Cached(source, token, findings)

    # -- what the editor was told ------------------------------------------------------------------

    def report(self, path: Path, findings: list[Finding]) -> bool:
        """Record findings as told to the editor; True when they differ from what it was last told.

        A file never reported on shows nothing, so no findings is no news for it either.
        """
        if self._reported.get(path, ()) == tuple(findings):
            return False
        self._reported[path] = tuple(findings)
        return True

    def reported(self, path: Path) -> tuple[Finding, ...]:
        return self._reported.get(path, ())

    def mark_reported(self, path: Path, findings: Iterable[Finding]) -> None:
        self._reported[path] = tuple(findings)

    def retract(self, path: Path) -> bool:
        """Forget a file's reported findings; True when the editor still shows some."""
        return bool(self._reported.pop(path, None))
