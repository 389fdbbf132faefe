"""Who uses what: actions and sensors of a runtime or a version entry, users of a trigger or action."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Mapping

from packls.features.refs import RefSite, ref_sites, target_of
from packls.model import Component, FileKind, Runtime, RuntimeVersion
from packls.resolve import Resolution
from packls.workspace import SourceFile, Workspace


@dataclass(frozen=True)
class Dependent:
    """An action or sensor and how it resolves."""

    path: Path
    resolution: Resolution

    @property
    def ref(self) -> str:
        """The component's ref (or its file name when it has none)."""
        return self.resolution.component.ref or self.path.name

    @property
    def kind(self) -> FileKind:
        """Action or sensor."""
        return self.resolution.component.kind

    @property
    def selected(self) -> str | None:
        """The version text it gets, if any."""
        return self.resolution.selected.version if self.resolution.selected else None


def runtime_users(resolutions: Mapping[Path, Resolution], runtime: Runtime) -> list[Dependent]:
    """Every action and sensor whose runner_type resolves to this runtime."""
    ref = runtime.ref
    found = [
        Dependent(path, resolution)
        for path, resolution in resolutions.items()
        if resolution.runtime is not None and ref is not None and resolution.runtime.ref == ref
    ]
    return sorted(found, key=lambda d: (d.ref, str(d.path)))


def version_selectors(resolutions: Mapping[Path, Resolution], entry: RuntimeVersion) -> list[Dependent]:
    """Every action and sensor that selects this version entry."""
    if entry.version is None:
        return []
    return [d for d in runtime_users(resolutions, entry.runtime) if d.selected == entry.version]


def users_of(component: Component, sources: Iterable[SourceFile], workspace: Workspace) -> list[RefSite]:
    """Every place that names a component: rules, sensors, workflows, queues, policies, …"""
    ref = component.ref
    if ref is None:
        return []
    found: list[RefSite] = []
    for source in sources:
        for site in ref_sites(source, workspace):
            if site.ref == ref and target_of(site, workspace) is component:
                found.append(site)
    return found
