"""Which kind of pack file a path is, following the folders Attune's loader reads."""

from __future__ import annotations

from enum import Enum
from pathlib import PurePosixPath


class FileKind(str, Enum):
    """A pack file's role; the value is the word used in messages."""

    MANIFEST = "pack manifest"
    RUNTIME = "runtime"
    ACTION = "action"
    SENSOR = "sensor"
    TRIGGER = "trigger"
    RULE = "rule"
    WORKFLOW = "workflow"  # actions/workflows/*.yaml, reached through an action's workflow_file
    LEGACY_WORKFLOW = "legacy workflow"  # top-level workflows/*.yaml
    PERMISSION_SET = "permission set"
    POLICY = "policy"
    QUEUE = "work queue"
    CACHE = "cache"
    DASHBOARD = "dashboard"
    IGNORED = "ignored"  # YAML that registration never reads
    PYTHON_REQUIREMENTS = "python requirements"  # requirements.txt named by a Python runtime


# Component folders read by registration, one level deep.
COMPONENT_FOLDERS: dict[str, FileKind] = {
    "runtimes": FileKind.RUNTIME,
    "actions": FileKind.ACTION,
    "sensors": FileKind.SENSOR,
    "triggers": FileKind.TRIGGER,
    "rules": FileKind.RULE,
    "workflows": FileKind.LEGACY_WORKFLOW,
    "permission_sets": FileKind.PERMISSION_SET,
    "policies": FileKind.POLICY,
    "queues": FileKind.QUEUE,
    "caches": FileKind.CACHE,
    "dashboards": FileKind.DASHBOARD,
}

YAML_SUFFIXES = (".yaml", ".yml")


def is_yaml_name(name: str) -> bool:
    """Attune reads `.yaml` and `.yml` files (case-sensitive)."""
    return name.endswith(YAML_SUFFIXES)


def classify(relative: str | PurePosixPath) -> FileKind | None:
    """The kind of a pack-relative path, IGNORED for unread YAML, None for non-YAML files."""
    if isinstance(relative, str) and not relative.startswith("/"):
        # PurePosixPath's parts without building one (a pack walk classifies every file)
        parts = tuple(part for part in relative.split("/") if part and part != ".")
        name = parts[-1] if parts else ""
    else:
        path = PurePosixPath(relative)
        parts, name = path.parts, path.name
    if not is_yaml_name(name):
        return None
    if parts == ("pack.yaml",):
        return FileKind.MANIFEST
    if len(parts) == 2 and parts[0] in COMPONENT_FOLDERS:
        return COMPONENT_FOLDERS[parts[0]]
    if len(parts) == 3 and parts[0] == "actions" and parts[1] == "workflows":
        return FileKind.WORKFLOW
    return FileKind.IGNORED
