"""What saving an edited runtime file would do to version selection, per version entry.

The session resolves with the buffer; the file on disk is what workers get today. Both are
resolved for the actions and sensors that use the runtime on either side, and compared with the
same engine as `packls resolve --since` (`packls.selection_diff`).
"""

from __future__ import annotations

import os
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable

from packls.features.session import Session
from packls.model import Runnable, Runtime
from packls.resolve import DEFAULT_RUNTIME_ENVS_DIR, resolve_runner_type
from packls.selection_diff import Change, SelectionDiff, compare, resolve_components
from packls.workspace import SourceFile, Workspace, read_source


@dataclass(frozen=True)
class Move:
    """Components that would go from one selection to another on save."""

    before: str  # what they get now (a version, or why none), on the saved file
    after: str  # what they would get once the buffer is saved
    changes: tuple[Change, ...]

    def sentence(self, value: Callable[[str], str] = str) -> str:
        """'Saving moves 12 actions from 3.12 to 3.13' (the selections shown by `value`)."""
        return f"Saving moves {count_kinds(c.subject.kind for c in self.changes)} from {value(self.before)} to {value(self.after)}"


@dataclass(frozen=True)
class SaveImpact:
    """The difference between the runtime file on disk and in the buffer, for its users."""

    dirty: bool  # the buffer differs from the file on disk
    diff: SelectionDiff | None  # None when not dirty

    def moves(self, runtime: str | None, version: str | None) -> list[Move]:
        """Moves into or out of one version of a runtime (every move of the file with version None)."""
        if self.diff is None:
            return []
        touching = [c for c in self.diff.changed if version is None or _touches(c, runtime, version)]
        groups: dict[tuple[str, str], list[Change]] = {}
        for change in touching:
            groups.setdefault(change.labels, []).append(change)
        return [Move(before, after, tuple(changes)) for (before, after), changes in groups.items()]


def count_kinds(kinds: Iterable[str]) -> str:
    """'12 actions', '1 action and 2 sensors' (kinds: 'action' or 'sensor' each)."""
    counts = Counter(kinds)
    parts = [f"{counts[k]} {k}{'s' if counts[k] != 1 else ''}" for k in ("action", "sensor") if counts[k]]
    return " and ".join(parts) if parts else "no action or sensor"


def save_impact(session: Session, source: SourceFile) -> SaveImpact:
    """Compare the users of the runtime in source (the buffer) with what the file on disk gives them."""
    document = session.documents.get(source.path)
    if document is None:
        return SaveImpact(False, None)
    on_disk = _disk_source(source)
    if on_disk is not None and on_disk.text == document.text:
        return SaveImpact(False, None)
    saved = session.workspace.with_file(source, on_disk)
    target = str(source.path)
    resolutions = session.resolutions()
    users = {path for path, r in resolutions.items() if r.runtime is not None and str(r.runtime.path) == target}
    if _identity(source) != _identity(on_disk):  # renamed: other runner_type words may find it, or lose it
        users |= {c.path for c in saved.runnables() if _runtime_path(c, saved) == target}
    root, envs_dir = Path(source.path.anchor), _envs_dirs(session)
    before = resolve_components((c for c in saved.runnables() if c.path in users), saved, root, envs_dir)
    after = resolve_components((c for c in session.workspace.runnables() if c.path in users), session.workspace, root, envs_dir)
    return SaveImpact(True, compare(before, after))


def _identity(source: SourceFile | None) -> tuple[object, ...] | None:
    """What decides which runner_type words find a runtime: its ref, name and aliases."""
    runtime = source.component if source is not None else None
    if not isinstance(runtime, Runtime):
        return None
    return (runtime.ref, runtime.display_name.lower(), runtime.aliases)


def _envs_dirs(session: Session) -> Callable[[Path], str]:
    """Each file's runtime environments folder (its configuration's), looked up once per folder."""
    by_folder: dict[str, str] = {}

    def envs_dir(path: Path) -> str:
        folder = os.path.dirname(str(path))
        found = by_folder.get(folder)
        if found is None:
            found = by_folder[folder] = session.config_for(path).runtime_envs_dir or DEFAULT_RUNTIME_ENVS_DIR
        return found

    return envs_dir


def _disk_source(source: SourceFile) -> SourceFile | None:
    """The file as saved (None when it does not exist on disk yet)."""
    if not source.path.exists() and not source.path.is_symlink():
        return None
    return read_source(source.path, source.pack_root)


def _runtime_path(component: Runnable, workspace: Workspace) -> str | None:
    """The file of the runtime a component's runner_type finds (as a string: compared thousands of times)."""
    if component.is_workflow:
        return None
    runtime: Runtime | None = resolve_runner_type(component.runner_type, component.kind, workspace).runtime
    return str(runtime.path) if runtime is not None else None


def _touches(change: Change, runtime: str | None, version: str) -> bool:
    before, after = change.before, change.after
    return (before.runtime == runtime and before.version == version) or (after.runtime == runtime and after.version == version)


__all__ = ["Move", "SaveImpact", "count_kinds", "save_impact"]
