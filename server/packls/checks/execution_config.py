"""execution_config as Attune types it at run time (`RuntimeExecutionConfig`): a mismatch silently empties it."""

from __future__ import annotations

import re
from typing import Iterator

from packls.checks.base import finding
from packls.checks.rules import EXECUTION_CONFIG_INVALID
from packls.checks.serde import Bool, Enum, FieldSpec, Map, Opt, Seq, Str, Struct, Untagged, first_error
from packls.findings import Finding
from packls.syntax.nodes import Mapping, Node, Sequence
from packls.workspace import SourceFile

_ENV_VAR_SPEC = Struct("RuntimeEnvVarSpec", {
    "value": FieldSpec(Str, required=True),
    "operation": FieldSpec(Enum("RuntimeEnvVarOperation", ("set", "prepend", "append"))),
    "separator": FieldSpec(Str),
})

EXECUTION_CONFIG_SHAPE = Struct("RuntimeExecutionConfig", {
    "interpreter": FieldSpec(Struct("InterpreterConfig", {
        "binary": FieldSpec(Str),
        "args": FieldSpec(Seq(Str)),
        "file_extension": FieldSpec(Opt(Str)),
    })),
    "inline_execution": FieldSpec(Struct("InlineExecutionConfig", {
        "strategy": FieldSpec(Enum("InlineExecutionStrategy", ("direct", "temp_file"))),
        "extension": FieldSpec(Opt(Str)),
        "inject_shell_helpers": FieldSpec(Bool),
    })),
    "environment": FieldSpec(Opt(Struct("EnvironmentConfig", {
        "env_type": FieldSpec(Str, required=True),
        "dir_name": FieldSpec(Str),
        "create_command": FieldSpec(Seq(Str)),
        "interpreter_path": FieldSpec(Opt(Str)),
    }))),
    "dependencies": FieldSpec(Opt(Struct("DependencyConfig", {
        "manifest_file": FieldSpec(Str, required=True),
        "install_command": FieldSpec(Seq(Str)),
    }))),
    "env_vars": FieldSpec(Map(Untagged("RuntimeEnvVarConfig", (Str, _ENV_VAR_SPEC)))),
})


def check_execution_config(source: SourceFile, node: Node, where: str) -> Iterator[Finding]:
    """One execution_config value (a runtime's, or a version's)."""
    if not isinstance(node, Mapping):
        return  # pack check's type check reports a non-mapping runtime execution_config
    error = first_error(EXECUTION_CONFIG_SHAPE, node)
    if error is None:
        return
    path = f"{where}.{error.path}" if error.path else where
    hint = _hint(error.message, error.path)
    key = error.key_node or (_key_at(node, error.path) if isinstance(error.node, Mapping) else None)
    span = key.span if key is not None else error.node.span
    yield finding(
        source, span, EXECUTION_CONFIG_INVALID,
        f"{path}: {error.message}; Attune stores this execution_config but cannot read it at run time, "
        f"so it silently runs with an empty one (no interpreter){hint}",
        data={"path": path},
    )


def _hint(message: str, path: str) -> str:
    if "missing field `env_type`" in message:
        return " — add env_type (virtualenv, node_modules, …)"
    if "missing field `manifest_file`" in message:
        return " — add manifest_file (requirements.txt, package.json, …)"
    if "missing field `value`" in message:
        return " — give the variable a value"
    return ""


def _key_at(root: Mapping, path: str) -> Node | None:
    """The key node a serde path ends at (`environment`, `env_vars.PYTHONPATH`), when it is a mapping key."""
    if not path or path.endswith("]"):
        return None
    node: Node | None = root
    key_node: Node | None = None
    for part in re.split(r"\.(?![^\[]*\])", path):
        name, _, index = part.partition("[")
        if not isinstance(node, Mapping):
            return None
        pair = node.get(name)
        if pair is None:
            return None
        key_node, node = pair.key, pair.value
        for step in re.findall(r"(\d+)\]", "[" + index if index else ""):
            if not isinstance(node, Sequence) or int(step) >= len(node.items):
                return None
            node, key_node = node.items[int(step)], None
    return key_node
