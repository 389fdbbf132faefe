"""Build the typed component for one parsed pack file."""

from __future__ import annotations

from pathlib import Path

from packls.model.components import (
    Action,
    Cache,
    Component,
    Dashboard,
    Manifest,
    PermissionSet,
    Policy,
    Queue,
    RuleComponent,
    Runtime,
    RuntimeVersion,
    Sensor,
    Trigger,
    Workflow,
)
from packls.model.kinds import FileKind
from packls.syntax.nodes import Mapping, Scalar, Sequence, string_value
from packls.syntax.parse import ParsedYaml

_CLASSES: dict[FileKind, type[Component]] = {
    FileKind.MANIFEST: Manifest,
    FileKind.ACTION: Action,
    FileKind.SENSOR: Sensor,
    FileKind.TRIGGER: Trigger,
    FileKind.RULE: RuleComponent,
    FileKind.WORKFLOW: Workflow,
    FileKind.LEGACY_WORKFLOW: Workflow,
    FileKind.PERMISSION_SET: PermissionSet,
    FileKind.POLICY: Policy,
    FileKind.QUEUE: Queue,
    FileKind.CACHE: Cache,
    FileKind.DASHBOARD: Dashboard,
}


def build_component(kind: FileKind, path: Path, pack_root: Path, parsed: ParsedYaml) -> Component | None:
    """The component a file declares, or None when its root is not a mapping (or the kind declares none)."""
    root = parsed.root_mapping
    if root is None or kind is FileKind.IGNORED or kind is FileKind.PYTHON_REQUIREMENTS:
        return None
    if kind is FileKind.RUNTIME:
        runtime = Runtime(kind, path, pack_root, root)
        runtime.versions = _versions(runtime)
        return runtime
    return _CLASSES.get(kind, Component)(kind, path, pack_root, root)


def _versions(runtime: Runtime) -> list[RuntimeVersion]:
    node = runtime.node.value("versions")
    if not isinstance(node, Sequence):
        return []
    versions = []
    for index, item in enumerate(node.items):
        if isinstance(item, Mapping):
            default = item.value("is_default")
            config = item.value("execution_config")
            distributions = item.value("distributions")
            versions.append(
                RuntimeVersion(
                    runtime=runtime,
                    index=index,
                    node=item,
                    version=string_value(item.value("version")),
                    is_default=isinstance(default, Scalar) and default.value is True,
                    execution_config=config if isinstance(config, Mapping) else None,
                    distributions=distributions if isinstance(distributions, Mapping) else None,
                )
            )
        else:
            versions.append(RuntimeVersion(runtime, index, item, None, False, None, None))
    return versions
