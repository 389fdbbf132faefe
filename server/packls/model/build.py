"""Build the typed component for one parsed pack file."""

from __future__ import annotations

from pathlib import Path

from packls.model.components import Component, Manifest, Runnable, Runtime, RuntimeVersion
from packls.model.kinds import FileKind
from packls.syntax.nodes import Mapping, Scalar, Sequence, string_value
from packls.syntax.parse import ParsedYaml

_RUNNABLE = (FileKind.ACTION, FileKind.SENSOR)


def build_component(kind: FileKind, path: Path, pack_root: Path, parsed: ParsedYaml) -> Component | None:
    """The component a file declares, or None when its root is not a mapping."""
    root = parsed.root_mapping
    if root is None:
        return None
    if kind is FileKind.MANIFEST:
        return Manifest(kind, path, pack_root, root)
    if kind is FileKind.RUNTIME:
        runtime = Runtime(kind, path, pack_root, root)
        runtime.versions = _versions(runtime)
        return runtime
    if kind in _RUNNABLE:
        return Runnable(kind, path, pack_root, root)
    return Component(kind, path, pack_root, root)


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
