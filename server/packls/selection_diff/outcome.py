"""One action's or sensor's resolution reduced to what a comparison needs: its selection and the inputs behind it."""

from __future__ import annotations

import enum
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable

from packls.model import Runnable
from packls.resolve import DEFAULT_RUNTIME_ENVS_DIR, Resolution, resolve
from packls.workspace import Workspace


class State(enum.Enum):
    """How a resolution ended."""

    SELECTED = "selected"  # a declared version was selected
    UNSATISFIED = "unsatisfied"  # versions are declared, none is selected
    NO_VERSIONS = "no_versions"  # the runtime declares none: its own execution_config is used
    NO_RUNTIME = "no_runtime"  # runner_type resolves to no runtime
    WORKFLOW = "workflow"  # workflow actions run no runtime


@dataclass(frozen=True)
class Declared:
    """A declared version as the selection saw it."""

    version: str
    is_default: bool
    available: bool


@dataclass(frozen=True)
class Outcome:
    """What a component gets on one side of a comparison, with the inputs that decided it."""

    runner_type: str | None
    runtime: str | None  # the resolved runtime's ref
    runtime_name: str | None
    pack: str
    constraint: str | None
    version: str | None
    env_dir: str | None
    state: State
    declared: tuple[Declared, ...]
    reason: str  # resolve's sentence on why (not compared: it follows from the rest)

    @property
    def selection(self) -> tuple[str | None, str | None, str | None, State]:
        """What a worker ends up with; two outcomes differ for a reviewer when this differs."""
        return (self.runtime, self.version, self.env_dir, self.state)

    @property
    def default(self) -> str | None:
        """The first declared default (the one a blank constraint selects when available)."""
        return next((d.version for d in self.declared if d.is_default), None)

    def declares(self, version: str) -> bool:
        """True when the runtime declares exactly this version text."""
        return any(d.version == version for d in self.declared)

    def available(self, version: str) -> bool | None:
        """Whether a declared version is available (None when it is not declared)."""
        return next((d.available for d in self.declared if d.version == version), None)

    @property
    def shown(self) -> str:
        """The selection in a few words: a version, or why there is none."""
        if self.state is State.SELECTED:
            return self.version or ""
        return {
            State.UNSATISFIED: "none",
            State.NO_VERSIONS: "no versions declared",
            State.NO_RUNTIME: "no runtime",
            State.WORKFLOW: "workflow",
        }[self.state]


@dataclass(frozen=True)
class Subject:
    """An action or sensor, identified across two versions of a workspace."""

    key: tuple[str, ...]
    ref: str | None
    kind: str  # "action" or "sensor"
    path: str  # relative to its side's root, POSIX style


@dataclass(frozen=True)
class Side:
    """Every action and sensor of one version of a workspace, keyed for matching with the other."""

    entries: dict[tuple[str, ...], tuple[Subject, Outcome]]


def outcome_of(resolution: Resolution, pack: str) -> Outcome:
    """The outcome of one resolution (pack: the ref of the component's pack)."""
    runner = resolution.runner
    runtime = resolution.runtime
    if resolution.component.is_workflow:
        state = State.WORKFLOW
    elif runtime is None:
        state = State.NO_RUNTIME
    elif resolution.selected is not None:
        state = State.SELECTED
    elif not resolution.candidates:
        state = State.NO_VERSIONS
    else:
        state = State.UNSATISFIED
    return Outcome(
        runner_type=runner.runner_type if runner is not None else None,
        runtime=runtime.ref if runtime is not None else None,
        runtime_name=runtime.display_name if runtime is not None else None,
        pack=pack,
        constraint=resolution.constraint,
        version=resolution.selected.version if resolution.selected is not None else None,
        env_dir=resolution.env_dir,
        state=state,
        declared=tuple(Declared(c.version, c.is_default, c.available) for c in resolution.candidates),
        reason=resolution.reason,
    )


def side_of(resolutions: Iterable[tuple[Resolution, str]], root: Path) -> Side:
    """One side from resolutions already made (each with its pack's ref)."""
    return _keyed(((r.component, outcome_of(r, pack)) for r, pack in resolutions), root)


def _keyed(entries: Iterable[tuple[Runnable, Outcome]], root: Path) -> Side:
    """Key components by kind and ref; a second holder of a ref, or none, by path."""
    keyed: dict[tuple[str, ...], tuple[Subject, Outcome]] = {}
    interned: dict[Outcome, Outcome] = {}  # equal outcomes become one object (compare explains each pair once)
    for component, outcome in entries:
        outcome = interned.setdefault(outcome, outcome)
        path = relative_posix(component.path, root)
        kind = component.kind.value
        ref = component.ref
        key: tuple[str, ...] = (kind, ref) if ref else (kind, "", path)
        if key in keyed:
            key = (kind, ref or "", path)
        keyed[key] = (Subject(key, ref, kind, path), outcome)
    return Side(keyed)


def resolve_side(
    workspace: Workspace, root: Path, envs_dir: str = DEFAULT_RUNTIME_ENVS_DIR, keep: Callable[[Path], bool] | None = None,
) -> Side:
    """Resolve every action and sensor of a workspace (those kept) as one side of a comparison."""
    components = (c for c in workspace.runnables() if keep is None or keep(c.path))
    return resolve_components(components, workspace, root, lambda path: envs_dir)


def resolve_components(
    components: Iterable[Runnable], workspace: Workspace, root: Path, envs_dir_for: Callable[[Path], str],
) -> Side:
    """Resolve components as one side; those with the same inputs share one resolution.

    A selection depends only on the runner_type, kind, constraint, pack and environments folder
    (the workspace being the same), and a large pack has few distinct combinations of them.
    """
    outcomes: dict[tuple[object, ...], Outcome] = {}
    pack_refs: dict[Path, str] = {}
    entries: list[tuple[Runnable, Outcome]] = []
    for component in components:
        envs_dir = envs_dir_for(component.path)
        key = (component.kind, component.runner_type, component.constraint, component.is_workflow, component.pack_root, envs_dir)
        outcome = outcomes.get(key)
        if outcome is None:
            pack = pack_refs.get(component.pack_root)
            if pack is None:
                pack = pack_refs[component.pack_root] = workspace.pack_ref_for(component)
            outcome = outcomes[key] = outcome_of(resolve(component, workspace, envs_dir), pack)
        entries.append((component, outcome))
    return _keyed(entries, root)


def relative_posix(path: Path, root: Path) -> str:
    """path below root as a POSIX string (a path outside root stays absolute)."""
    text, base = str(path), str(root)
    if os.sep == "/" and text.startswith(base) and (base.endswith("/") or text[len(base):len(base) + 1] == "/"):
        return text[len(base):].lstrip("/")  # the common case, by string (called for every component)
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()
