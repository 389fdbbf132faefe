"""Which runtime and version Attune would give an action or sensor, and why."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from packls.broken import BrokenFile, blocking_runtime, cannot_check
from packls.facts import RegistryFacts, VersionAvailability
from packls.model import FileKind, Runnable, Runtime, RuntimeVersion
from packls.runtime_names import DEFAULT_RUNTIME_ENVS_DIR, LOADER_ALIASES
from packls.versions import SelectionExplanation, explain_selection, extract_version_components
from packls.workspace import Workspace



@dataclass(frozen=True)
class RunnerResolution:
    """How a `runner_type` word became a runtime (or did not)."""

    runner_type: str  # as written, or the default when absent
    defaulted: bool  # no usable runner_type was written
    candidate_ref: str  # what the loader looked up by ref
    how: str | None  # "alias", "ref", "name" or None when unresolved
    runtime: Runtime | None
    blocked_by: BrokenFile | None = None  # unresolved because a runtime file that could declare it does not parse
    from_pack: Path | None = None  # the pack root of the component asking (for naming another pack's file)

    @property
    def description(self) -> str:
        """One sentence on how the resolution went."""
        said = f"runner_type '{self.runner_type}'" + (" (the default)" if self.defaulted else "")
        if self.blocked_by is not None:
            return cannot_check(said, self.blocked_by, self.from_pack)
        if self.runtime is None:
            return f"{said} resolves to no runtime: it is not a built-in alias, a runtime ref or a runtime name"
        ref = self.runtime.ref
        if self.how == "alias":
            return f"{said} is a built-in alias of {ref}"
        if self.how == "ref":
            return f"{said} is the ref of {ref}"
        return f"{said} matches the name '{self.runtime.display_name}' of {ref}"


@dataclass(frozen=True)
class Candidate:
    """A declared version as the selection sees it: text, default flag, availability."""

    entry: RuntimeVersion
    version: str
    is_default: bool
    available: bool
    availability: VersionAvailability | None


@dataclass(frozen=True)
class Resolution:
    """The full answer for one action or sensor."""

    component: Runnable
    runner: RunnerResolution | None  # None for workflow actions
    constraint: str | None
    candidates: tuple[Candidate, ...]
    explanation: SelectionExplanation | None
    selected: Candidate | None
    env_dir: str | None
    reason: str

    @property
    def runtime(self) -> Runtime | None:
        """The resolved runtime, if any."""
        return self.runner.runtime if self.runner is not None else None


def resolve_runner_type(
    runner_type: str | None, kind: FileKind, workspace: Workspace, from_pack: Path | None = None
) -> RunnerResolution:
    """Attune's loader rules: hard-coded aliases, then a full ref, then a runtime's name (or the broken file in the way)."""
    defaulted = runner_type is None
    written = runner_type if runner_type is not None else ("native" if kind is FileKind.SENSOR else "shell")
    word = written.lower()
    alias_ref = LOADER_ALIASES.get(word)
    candidate = alias_ref or word
    runtime = workspace.runtime_by_ref(candidate)
    if runtime is not None:
        return RunnerResolution(written, defaulted, candidate, "alias" if alias_ref else "ref", runtime)
    runtime = workspace.runtime_by_name(word)
    if runtime is not None:
        return RunnerResolution(written, defaulted, candidate, "name", runtime)
    return RunnerResolution(written, defaulted, candidate, None, None, blocking_runtime(workspace, written), from_pack)


def candidates_for(runtime: Runtime, workspace: Workspace) -> tuple[Candidate, ...]:
    """The rows a worker would consider: stored versions, newest first as the repository orders them."""
    return _candidates_kept(runtime, workspace.facts)


def _candidates_kept(runtime: Runtime, facts: RegistryFacts) -> tuple[Candidate, ...]:
    """Kept on the runtime itself: components are never changed once built (an edit builds new ones), so a
    runtime edit re-resolves its 1,000 dependents from one list of candidates."""
    kept = runtime.__dict__.get("_candidates")
    if kept is None or kept[0] is not facts:
        kept = runtime.__dict__["_candidates"] = (facts, _candidates(runtime, facts))
    return kept[1]  # type: ignore[no-any-return]


def _candidates(runtime: Runtime, facts: RegistryFacts) -> tuple[Candidate, ...]:
    stored: dict[str, RuntimeVersion] = {}
    for entry in runtime.versions:
        if entry.version is not None:
            stored[entry.version] = entry  # upsert by exact text: a later duplicate overwrites
    ref = runtime.ref or ""
    rows = [
        Candidate(entry, text, entry.is_default, facts.is_available(ref, text), facts.availability_of(ref, text))
        for text, entry in stored.items()
    ]
    rows.sort(key=_repository_order)
    return tuple(rows)


def _repository_order(candidate: Candidate) -> tuple[tuple[int, int], ...]:
    """ORDER BY major DESC NULLS LAST, minor DESC NULLS LAST, patch DESC NULLS LAST."""
    return tuple((1, 0) if part is None else (0, -part) for part in extract_version_components(candidate.version))


def env_dir(runtime: Runtime, pack_ref: str, version: str | None, envs_dir: str = DEFAULT_RUNTIME_ENVS_DIR) -> str:
    """The environment folder a worker uses: per pack, per runtime name, per selected version."""
    name = runtime.display_name.lower()
    return _env_path(envs_dir, pack_ref, f"{name}-{version}" if version is not None else name)


@functools.lru_cache(maxsize=4096)
def _env_path(envs_dir: str, pack_ref: str, leaf: str) -> str:
    return str(PurePosixPath(envs_dir) / pack_ref / leaf)


def resolve(component: Runnable, workspace: Workspace, envs_dir: str = DEFAULT_RUNTIME_ENVS_DIR) -> Resolution:
    """Resolve one action or sensor exactly as registration and a worker would."""
    constraint = component.constraint
    if component.is_workflow:
        return Resolution(component, None, constraint, (), None, None, None, "workflow actions run no runtime")
    runner = resolve_runner_type(component.runner_type, component.kind, workspace, component.pack_root)
    runtime = runner.runtime
    if runtime is None:
        return Resolution(component, runner, constraint, (), None, None, None, runner.description)
    pack_ref = workspace.pack_ref_for(component)
    candidates = candidates_for(runtime, workspace)
    if not candidates:
        reason = f"{runtime.ref} declares no versions, so the runtime's own execution_config is used"
        return Resolution(component, runner, constraint, (), None, None, env_dir(runtime, pack_ref, None, envs_dir), reason)
    explanation = explain_selection(candidates, constraint)
    selected = explanation.selected
    assert selected is None or isinstance(selected, Candidate)
    if selected is not None:
        return Resolution(
            component, runner, constraint, candidates, explanation, selected,
            env_dir(runtime, pack_ref, selected.version, envs_dir), explanation.summary,
        )
    return Resolution(
        component, runner, constraint, candidates, explanation, None,
        env_dir(runtime, pack_ref, None, envs_dir), f"{explanation.summary}; {fallback_sentence(component)}",
    )


def fallback_sentence(component: Runnable) -> str:
    """What Attune does when no version can be selected: actions fall back, sensors do not start."""
    if component.kind is FileKind.SENSOR:
        return "the sensor refuses to start"
    return "the action still runs, with the runtime's base execution_config"
