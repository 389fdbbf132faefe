"""What a change does to version selection: the workspace now against a git revision, another folder or a what-if.

The CLI's half of `packls resolve --since/--base/--assume-…`: it loads the other side (a
revision through `packls.git_revision`, a folder as it is), applies what-if availability to
the facts only in memory, and hands both sides to the pure comparison (`packls.selection_diff`).
"""

from __future__ import annotations

import os
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Sequence

from packls.config import Config
from packls.facts import RegistryFacts
from packls.git_revision import revision_checkout
from packls.model import Runtime
from packls.report.selection_changes import Compared, render_changes_json, render_changes_text
from packls.report.selection_changes_markdown import render_changes_markdown
from packls.resolve import DEFAULT_RUNTIME_ENVS_DIR
from packls.selection_diff import SelectionDiff, Side, compare, relative_posix, resolve_side
from packls.versions import VersionError, parse_version
from packls.workspace import Workspace, find_pack_root


class ReviewError(Exception):
    """A comparison that cannot be made, said in one sentence (usage error: exit 2)."""


@dataclass(frozen=True)
class Assumption:
    """`--assume-(un)available RUNTIME@VERSION`: availability taken as given, written nowhere."""

    runtime: str
    version: str
    available: bool


def parse_assumption(text: str, available: bool) -> Assumption:
    """RUNTIME@VERSION split at its last '@' (runtime refs hold none); both parts required."""
    runtime, at, version = text.rpartition("@")
    if not at or not runtime.strip() or not version.strip():
        raise ValueError(f"expected RUNTIME@VERSION (e.g. core.python@3.11), not {text!r}")
    return Assumption(runtime.strip(), version.strip(), available)


def render(diff: SelectionDiff, compared: Compared, output_format: str) -> str:
    """The report in one of the formats: text, json or markdown."""
    if output_format == "json":
        return render_changes_json(diff, compared)
    if output_format == "markdown":
        return render_changes_markdown(diff, compared).rstrip("\n")
    return render_changes_text(diff, compared)


def exit_code(diff: SelectionDiff, fail_on_change: bool, fail_on_unsatisfied: bool) -> int:
    """1 when a gate asked for is hit: any selection changed, or a component now selects nothing."""
    if fail_on_change and diff.changed:
        return 1
    if fail_on_unsatisfied and diff.unsatisfied:
        return 1
    return 0


@dataclass(frozen=True)
class Request:
    """What to compare: the paths of the workspace now, and the other side."""

    paths: Sequence[Path]
    since: str | None = None  # a git revision
    base: Path | None = None  # another checkout of the same files
    assumptions: Sequence[Assumption] = ()
    envs_dir: str | None = None

    @property
    def compares(self) -> bool:
        """True when a comparison (not a plain resolve) was asked for."""
        return self.since is not None or self.base is not None or bool(self.assumptions)


def review(request: Request, workspace: Workspace, only: set[Path] | None, config: Config) -> tuple[SelectionDiff, Compared]:
    """Both sides resolved and compared; the workspace is the one loaded for the paths now."""
    if request.since is not None and request.base is not None:
        raise ReviewError("--since and --base both name the other side; give one")
    envs_dir = request.envs_dir or config.runtime_envs_dir or DEFAULT_RUNTIME_ENVS_DIR
    facts = workspace.facts
    assumed = assumed_facts(facts, workspace, request.assumptions)
    assumed_list = tuple((a.runtime, a.version, a.available) for a in request.assumptions)
    label: str | None
    commit: str | None
    with ExitStack() as stack:
        if request.since is not None:
            start = Path(os.path.abspath(request.paths[0] if request.paths else Path.cwd()))
            specs = [find_pack_root(Path(os.path.abspath(p))) or Path(os.path.abspath(p)) for p in request.paths]
            checkout = stack.enter_context(revision_checkout(start, request.since, specs))
            head_root, base_root = _as_given(checkout.top, start), checkout.root
            label, commit = request.since, checkout.commit
        elif request.base is not None:
            if not request.base.is_dir():
                raise ReviewError(f"--base {request.base}: no such folder")
            head_root, base_root = Path.cwd().resolve(), request.base.resolve()
            label, commit = str(request.base), None
        else:
            head_root = base_root = Path.cwd().resolve()
            label = commit = None
        names = {_below(path, head_root) for path in only} if only is not None else None
        if request.since is None and request.base is None:
            before = resolve_side(workspace, head_root, envs_dir, _keeper(names, head_root))
        else:
            before = _other_side(request.paths, head_root, base_root, facts, config, envs_dir, names)
        workspace.facts = assumed
        try:
            after = resolve_side(workspace, head_root, envs_dir, _keeper(names, head_root))
        finally:
            workspace.facts = facts
    return compare(before, after), Compared(head_root, label, commit, assumed_list)


def _as_given(top: Path, start: Path) -> Path:
    """The repository top spelled as the user's path spells it (git resolves links; the workspace keeps them)."""
    try:
        depth = len(Path(os.path.realpath(start)).relative_to(top).parts)
    except ValueError:
        return top
    return start.parents[depth - 1] if depth else start


def _keeper(names: set[str] | None, root: Path) -> Callable[[Path], bool] | None:
    """When only named files are reported on: is a file below root one of them (by relative path)?"""
    if names is None:
        return None
    return lambda path: relative_posix(path, root) in names


def _other_side(
    paths: Sequence[Path], head_root: Path, base_root: Path, facts: RegistryFacts, config: Config, envs_dir: str,
    names: set[str] | None,
) -> Side:
    """The other side's workspace: the same paths below its root, the same configuration and facts."""
    mapped = [base_root / _below(Path(os.path.abspath(p)), head_root) for p in paths]

    def excluded(path: Path) -> bool:
        return config.is_excluded(head_root / relative_posix(path, base_root))

    other = Workspace.load(
        [p for p in mapped if p.exists()], facts,
        exclude=excluded if config.exclude else None, extra_catalog_paths=config.extra_catalog_paths,
    )
    return resolve_side(other, base_root, envs_dir, _keeper(names, base_root))


def _below(path: Path, root: Path) -> str:
    for candidate, base in ((path, root), (Path(os.path.realpath(path)), Path(os.path.realpath(root)))):
        try:
            return candidate.relative_to(base).as_posix()
        except ValueError:
            continue
    raise ReviewError(f"{path} is outside {root}; run packls from the folder both sides share")


def assumed_facts(facts: RegistryFacts, workspace: Workspace, assumptions: Sequence[Assumption]) -> RegistryFacts:
    """The facts with each assumption applied to the declared versions it names (exact text, else equal version)."""
    if not assumptions:
        return facts
    table: dict[tuple[str, str], bool] = {}
    for assumption in assumptions:
        runtime = workspace.runtime_by_ref(assumption.runtime)
        if runtime is None:
            raise ReviewError(f"no runtime {assumption.runtime!r} in the workspace or the platform catalog")
        for version in declared_matching(runtime, assumption.version):
            if table.get((assumption.runtime, version), assumption.available) != assumption.available:
                raise ReviewError(f"{assumption.runtime}@{version} is assumed both available and unavailable")
            table[(assumption.runtime, version)] = assumption.available
    return facts.assuming(table)


def declared_matching(runtime: Runtime, version: str) -> list[str]:
    """The declared version texts a what-if VERSION names: the exact text, else every equal version."""
    declared = [entry.version for entry in runtime.versions if entry.version is not None]
    if version in declared:
        return [version]
    try:
        wanted = parse_version(version)
    except VersionError:
        wanted = None
    found = [text for text in declared if wanted is not None and _parses_to(text) == wanted]
    if not found:
        listed = ", ".join(declared) if declared else "none"
        raise ReviewError(f"{runtime.ref} declares no version {version!r} (declared: {listed})")
    return found


def _parses_to(text: str) -> object:
    try:
        return parse_version(text)
    except VersionError:
        return None
