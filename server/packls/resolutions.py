"""What `packls resolve` lists: every action and sensor, resolved or not, with the findings behind its exit code.

An action file that does not parse is listed too, as unresolved with the reason, instead of
silently missing from the answer. The findings are the ones `packls validate` reports about the
resolution (runner_type, runtime_version, constraint traps, a broken runtime file, the file's
own syntax), configured the same way, so `resolve --fail-on` and `validate --fail-on` agree.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from packls.broken import BrokenFile, broken_file
from packls.checks.constraints import check_runnable
from packls.checks.syntax import check_readable, check_root_object
from packls.config import Config, apply_config
from packls.findings import Finding
from packls.model import FileKind, Runnable
from packls.resolve import DEFAULT_RUNTIME_ENVS_DIR, Resolution, resolve
from packls.workspace import SourceFile, Workspace

RUNNABLE_KINDS = frozenset({FileKind.ACTION, FileKind.SENSOR})


@dataclass(frozen=True)
class Listed:
    """One action or sensor file as `packls resolve` shows it."""

    path: Path
    kind: FileKind
    resolution: Resolution | None  # None when the file declares nothing
    broken: BrokenFile | None  # why it declares nothing
    findings: tuple[Finding, ...]  # what validate reports about its resolution, configured

    @property
    def ref(self) -> str | None:
        """The component's ref, or the ref its broken file shows."""
        if self.resolution is not None:
            return self.resolution.component.ref
        return self.broken.ref if self.broken is not None and isinstance(self.broken.ref, str) else None

    @property
    def unresolved(self) -> bool:
        """True when no runtime can be named for it (workflow actions need none)."""
        if self.resolution is None:
            return True
        return self.resolution.runner is not None and self.resolution.runtime is None

    @property
    def reason(self) -> str:
        """Why it resolves as it does, in one sentence."""
        if self.resolution is not None:
            return self.resolution.reason
        assert self.broken is not None
        return f"{self.broken.described()}, so it declares no {self.kind.value} {self.broken.consequence}"


def list_runnables(
    workspace: Workspace, only: Iterable[Path] | None = None, envs_dir: str = DEFAULT_RUNTIME_ENVS_DIR, config: Config | None = None
) -> list[Listed]:
    """Every action and sensor file of the workspace (or only the named ones), in file order."""
    wanted = set(only) if only is not None else None
    listed: list[Listed] = []
    for source in workspace.sources():
        if source.kind not in RUNNABLE_KINDS or (wanted is not None and source.path not in wanted):
            continue
        entry = _listed(source, workspace, envs_dir, config)
        if entry is not None:
            listed.append(entry)
    return listed


def _listed(source: SourceFile, workspace: Workspace, envs_dir: str, config: Config | None) -> Listed | None:
    component = source.component
    if isinstance(component, Runnable):
        resolution = resolve(component, workspace, envs_dir)
        found = list(check_runnable(source, workspace))
        return Listed(source.path, source.kind, resolution, None, _configured(found, source, config))
    broken = broken_file(source)
    if broken is None:
        return None
    found = [*check_readable(source, workspace), *check_root_object(source, workspace)]
    return Listed(source.path, source.kind, None, broken, _configured(found, source, config))


def _configured(found: list[Finding], source: SourceFile, config: Config | None) -> tuple[Finding, ...]:
    if config is None:
        return tuple(sorted(found, key=Finding.sort_key))
    codes = {item.code for item in found}  # suppression comments' own findings belong to validate
    return tuple(item for item in apply_config(found, config, {source.path: source.text}) if item.code in codes)


def findings_of(listed: Iterable[Listed]) -> list[Finding]:
    """Every finding behind the listing, for the exit code."""
    return [item for entry in listed for item in entry.findings]
