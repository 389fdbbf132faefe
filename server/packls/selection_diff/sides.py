"""Both sides of a comparison: every action and sensor of a workspace, resolved and keyed for matching."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Callable, Iterable, Iterator

from packls.broken import broken_file
from packls.model import FileKind, Runnable
from packls.resolve import DEFAULT_RUNTIME_ENVS_DIR, resolve
from packls.selection_diff.outcome import Outcome, Side, Subject, broken_outcome, outcome_of
from packls.workspace import Workspace

RUNNABLE_KINDS = (FileKind.ACTION, FileKind.SENSOR)
Entry = tuple[Path, str, "str | None", Outcome]  # file, kind, ref, outcome


def resolve_side(
    workspace: Workspace, root: Path, envs_dir: str = DEFAULT_RUNTIME_ENVS_DIR, keep: Callable[[Path], bool] | None = None,
) -> Side:
    """Every action and sensor file of a workspace (those kept) as one side: resolved, or broken."""
    sources = [s for s in workspace.sources() if s.kind in RUNNABLE_KINDS and (keep is None or keep(s.path))]
    components = [s.component for s in sources if isinstance(s.component, Runnable)]
    entries = list(_resolved(components, workspace, lambda path: envs_dir))
    for source in sources:
        broken = broken_file(source)
        if broken is not None:
            ref = broken.ref if isinstance(broken.ref, str) else None
            entries.append((source.path, source.kind.value, ref, broken_outcome(broken, _pack_ref(workspace, source.pack_root))))
    return _keyed(entries, root)


def resolve_components(
    components: Iterable[Runnable], workspace: Workspace, root: Path, envs_dir_for: Callable[[Path], str],
) -> Side:
    """Some actions and sensors of a workspace resolved as one side."""
    return _keyed(_resolved(components, workspace, envs_dir_for), root)


def _resolved(components: Iterable[Runnable], workspace: Workspace, envs_dir_for: Callable[[Path], str]) -> Iterator[Entry]:
    """Resolve components; those with the same inputs share one resolution.

    A selection depends only on the runner_type, kind, constraint, pack and environments folder
    (the workspace being the same), and a large pack has few distinct combinations of them.
    """
    outcomes: dict[tuple[object, ...], Outcome] = {}
    for component in components:
        envs_dir = envs_dir_for(component.path)
        key = (component.kind, component.runner_type, component.constraint, component.is_workflow, component.pack_root, envs_dir)
        outcome = outcomes.get(key)
        if outcome is None:
            pack = _pack_ref(workspace, component.pack_root)
            outcome = outcomes[key] = outcome_of(resolve(component, workspace, envs_dir), pack)
        yield component.path, component.kind.value, component.ref, outcome


def _pack_ref(workspace: Workspace, root: Path) -> str:
    pack = workspace.pack_at(root)
    return pack.ref if pack is not None else root.name


def _keyed(entries: Iterable[Entry], root: Path) -> Side:
    """Key entries by kind and ref; a second holder of a ref, or none, by path."""
    keyed: dict[tuple[str, ...], tuple[Subject, Outcome]] = {}
    interned: dict[Outcome, Outcome] = {}  # equal outcomes become one object (compare explains each pair once)
    for file, kind, ref, outcome in entries:
        outcome = interned.setdefault(outcome, outcome)
        path = relative_posix(file, root)
        key: tuple[str, ...] = (kind, ref) if ref else (kind, "", path)
        if key in keyed:
            key = (kind, ref or "", path)
        keyed[key] = (Subject(key, ref, kind, path), outcome)
    return Side(keyed)


def relative_posix(path: Path, root: Path) -> str:
    """path below root as a POSIX string (a path outside root stays absolute)."""
    text, base = str(path), str(root)
    if os.sep == "/" and text.startswith(base) and (base.endswith("/") or text[len(base):len(base) + 1] == "/"):
        return text[len(base):].lstrip("/")  # the common case, by string (called for every component)
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()
