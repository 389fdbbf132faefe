"""One action's or sensor's resolution reduced to what a comparison needs: its selection and the inputs behind it."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from pathlib import Path
from packls.broken import BrokenFile
from packls.resolve import Resolution


class State(enum.Enum):
    """How a resolution ended."""

    SELECTED = "selected"  # a declared version was selected
    UNSATISFIED = "unsatisfied"  # versions are declared, none is selected
    NO_VERSIONS = "no_versions"  # the runtime declares none: its own execution_config is used
    NO_RUNTIME = "no_runtime"  # runner_type resolves to no runtime
    WORKFLOW = "workflow"  # workflow actions run no runtime
    BROKEN = "broken"  # the component's own file does not parse: Attune registers nothing from it


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
    broken: tuple[str, str] | None = None  # (file, what is wrong) of the file that does not parse, its own or its runtime's

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
            State.BROKEN: "file does not load",
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
    blocked = runner.blocked_by if runner is not None else None
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
        broken=_named(blocked, resolution.component.pack_root) if blocked is not None else None,
    )


def broken_outcome(broken: BrokenFile, pack: str) -> Outcome:
    """The outcome of an action or sensor file that does not parse (Attune's registration fails on it)."""
    return Outcome(
        runner_type=None, runtime=None, runtime_name=None, pack=pack, constraint=None, version=None, env_dir=None,
        state=State.BROKEN, declared=(), reason=f"{broken.described()}, so it declares nothing",
        broken=_named(broken, broken.source.pack_root),
    )


def _named(broken: BrokenFile, from_pack: Path) -> tuple[str, str]:
    """(where, what is wrong): the file as `described` names it, and the problem."""
    return broken.described(from_pack).removesuffix(" " + broken.reason), broken.reason
