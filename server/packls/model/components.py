"""Typed pack components built from syntax nodes; every value keeps the node it came from."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from packls.model.kinds import FileKind
from packls.model.refs import RefKey, Reference, scalar_refs
from packls.model.workflow_refs import collect_tasks, listed_reference_keys, listed_references, workflow_references
from packls.syntax.nodes import Mapping, Node, Pair, Scalar, Sequence, string_value


@dataclass(eq=False)
class Component:
    """Any pack file that declares one thing with a ref (runtime, action, sensor, ...)."""

    kind: FileKind
    path: Path
    pack_root: Path
    node: Mapping

    @property
    def ref(self) -> str | None:
        """The `ref` as written, when it is a string."""
        return string_value(self.node.value("ref"))

    def pair(self, key: str) -> Pair | None:
        """The top-level entry for key."""
        return self.node.get(key)

    def string(self, key: str) -> str | None:
        """A top-level value when it is a string (what Attune's `as_str` reads)."""
        return string_value(self.node.value(key))

    def mapping(self, key: str) -> Mapping | None:
        """A top-level value when it is a mapping."""
        value = self.node.value(key)
        return value if isinstance(value, Mapping) else None

    def items(self, key: str) -> list[Node]:
        """The items of a top-level sequence; empty when the key is absent or not a sequence."""
        value = self.node.value(key)
        return value.items if isinstance(value, Sequence) else []

    def references(self) -> list[Reference]:
        """Refs this component makes to other components (none for most kinds)."""
        return []

    def reference_keys(self) -> frozenset[RefKey]:
        """What its refs name, not where: (target kind, text as written, short refs allowed) of each."""
        return frozenset(ref.key for ref in self.references())

    def references_naming(self, keys: frozenset[RefKey]) -> list[Reference]:
        """The refs that name one of keys, in order."""
        return [ref for ref in self.references() if ref.key in keys]


@dataclass(eq=False)
class Manifest(Component):
    """`pack.yaml`: the pack's identity."""

    @property
    def pack_ref(self) -> str | None:
        """The pack ref, as registration reads it."""
        return self.ref


@dataclass(eq=False)
class VerificationCommand:
    """One `distributions.verification.commands[]` entry, with Attune's defaults."""

    binary: str
    args: tuple[str, ...] = ()
    exit_code: int = 0
    pattern: str | None = None
    priority: int | None = None  # None: the reader's default (100 in verification, 999 in detection)
    node: Node | None = None


@dataclass(eq=False)
class RuntimeVersion:
    """One `versions[]` entry of a runtime; `version` is None when Attune would skip it."""

    runtime: Runtime
    index: int
    node: Node
    version: str | None
    is_default: bool
    execution_config: Mapping | None
    distributions: Mapping | None

    @property
    def version_node(self) -> Node | None:
        """The `version` value node, for spans."""
        return self.node.value("version") if isinstance(self.node, Mapping) else None

    @property
    def interpreter_binary(self) -> str | None:
        """The interpreter this version runs (its own config replaces the runtime's)."""
        return interpreter_binary(self.execution_config)

    @property
    def verification_commands(self) -> list[VerificationCommand]:
        """This version's own verification commands."""
        return verification_commands(self.distributions)


@dataclass(eq=False)
class Runtime(Component):
    """`runtimes/*.yaml`: an interpreter family and its versions."""

    versions: list[RuntimeVersion] = field(default_factory=list)

    @property
    def name(self) -> str | None:
        """The declared `name`, used by the name fallback of runner_type resolution."""
        return self.string("name")

    @property
    def display_name(self) -> str:
        """The name Attune stores: `name`, else the ref's last segment."""
        name = self.name
        if name is not None:
            return name
        ref = self.ref or ""
        return ref.rsplit(".", 1)[-1]

    @property
    def aliases(self) -> tuple[str, ...]:
        """Declared aliases (lower-cased, as stored); the loader never uses them for runner_type."""
        value = self.node.value("aliases")
        if not isinstance(value, Sequence):
            return ()
        return tuple(s.lower() for item in value.items if (s := string_value(item)) is not None)

    @property
    def execution_config(self) -> Mapping | None:
        """The base execution config used when no version is selected."""
        return self.mapping("execution_config")

    @property
    def interpreter_binary(self) -> str | None:
        """The base interpreter binary."""
        return interpreter_binary(self.execution_config)

    @property
    def verification_commands(self) -> list[VerificationCommand]:
        """Runtime-level verification commands."""
        return verification_commands(self.mapping("distributions"))


@dataclass(eq=False)
class Runnable(Component):
    """An action or a sensor: something that runs on a runtime chosen by `runner_type`."""

    @property
    def runner_type_pair(self) -> Pair | None:
        """The `runner_type` entry, if written."""
        return self.pair("runner_type")

    @property
    def runner_type(self) -> str | None:
        """`runner_type` when it is a string; absent or non-string means the default."""
        return self.string("runner_type")

    @property
    def default_runner_type(self) -> str:
        """What Attune uses when `runner_type` is absent: shell for actions, native for sensors."""
        return "native" if self.kind is FileKind.SENSOR else "shell"

    @property
    def runtime_version_pair(self) -> Pair | None:
        """The `runtime_version` entry, if written (any type)."""
        return self.pair("runtime_version")

    @property
    def constraint(self) -> str | None:
        """The constraint Attune stores: `runtime_version` when it is a string, else none."""
        return self.string("runtime_version")

    @property
    def is_workflow(self) -> bool:
        """Workflow actions have no runtime at all."""
        return self.kind is FileKind.ACTION and self.node.get("workflow_file") is not None


def interpreter_binary(config: Mapping | None) -> str | None:
    """`interpreter.binary` of an execution_config mapping, when written as a string."""
    if config is None:
        return None
    interpreter = config.value("interpreter")
    if not isinstance(interpreter, Mapping):
        return None
    return string_value(interpreter.value("binary"))


def verification_commands(distributions: Mapping | None) -> list[VerificationCommand]:
    """The usable `verification.commands` entries (entries without a binary are skipped)."""
    if distributions is None:
        return []
    verification = distributions.value("verification")
    if not isinstance(verification, Mapping):
        return []
    commands = verification.value("commands")
    if not isinstance(commands, Sequence):
        return []
    found: list[VerificationCommand] = []
    for item in commands.items:
        if not isinstance(item, Mapping):
            continue
        binary = string_value(item.value("binary"))
        if binary is None:
            continue
        args_node = item.value("args")
        args = (
            tuple(a for n in args_node.items if (a := string_value(n)) is not None)
            if isinstance(args_node, Sequence)
            else ()
        )
        found.append(
            VerificationCommand(
                binary=binary,
                args=args,
                exit_code=_int_value(item.value("exit_code"), 0),
                pattern=string_value(item.value("pattern")),
                priority=_int_value(item.value("priority"), None),
                node=item,
            )
        )
    return found


def _int_value(node: Node | None, default: int | None) -> int:
    if isinstance(node, Scalar) and isinstance(node.value, int) and not isinstance(node.value, bool):
        return node.value
    return default  # type: ignore[return-value]


@dataclass(eq=False)
class Action(Runnable):
    """`actions/*.yaml`: a runnable action, or a workflow action when workflow_file is set."""

    @property
    def workflow_file(self) -> str | None:
        """The linked workflow path (relative to actions/), when written as a string."""
        return self.string("workflow_file")

    @property
    def entry_point(self) -> str | None:
        """The script or binary under actions/, when written as a string."""
        return self.string("entry_point")

    def references(self) -> list[Reference]:
        """Permission sets the action's executions get."""
        return scalar_refs(self.node.value("default_execution_permission_set_refs"), FileKind.PERMISSION_SET, "default_execution_permission_set_refs", short_ok=False)


@dataclass(eq=False)
class Sensor(Runnable):
    """`sensors/*.yaml`: a long-running process that emits trigger events."""

    @property
    def entry_point(self) -> str | None:
        """The script or binary under sensors/, when written as a string."""
        return self.string("entry_point")

    @property
    def trigger_pair(self) -> Pair | None:
        """`trigger_types`, else `trigger_type` (the loader reads the singular only without the plural)."""
        return self.pair("trigger_types") or self.pair("trigger_type")

    def references(self) -> list[Reference]:
        """Triggers the sensor serves."""
        pair = self.trigger_pair
        if pair is None:
            return []
        return scalar_refs(pair.value, FileKind.TRIGGER, pair.key_text or "trigger_types")


@dataclass(eq=False)
class Trigger(Component):
    """`triggers/*.yaml`: an event type rules subscribe to."""


@dataclass(eq=False)
class RuleComponent(Component):
    """`rules/*.yaml`: trigger → action wiring."""

    def references(self) -> list[Reference]:
        """The trigger, the action and the permission sets the rule names."""
        refs = scalar_refs(self.node.value("trigger_ref"), FileKind.TRIGGER, "trigger_ref")
        refs += scalar_refs(self.node.value("action_ref"), FileKind.ACTION, "action_ref")
        for key in ("permission_set_refs", "permission_set_ref"):
            refs += scalar_refs(self.node.value(key), FileKind.PERMISSION_SET, key, short_ok=False)
        return refs


@dataclass(eq=False)
class Workflow(Component):
    """A workflow document: `actions/workflows/*.yaml` or legacy `workflows/*.yaml`."""

    def tasks(self) -> list[tuple[str, Mapping]]:
        """Every task mapping with its path for messages (parallel sub-tasks included)."""
        found: list[tuple[str, Mapping]] = []
        collect_tasks(self.node.value("tasks"), "tasks", found, 0)
        return found

    def references(self) -> list[Reference]:
        """Actions the tasks run and permission sets they name (templates are skipped).

        Found once per component, task by task: a task an edit only moved (`shifted`) keeps what
        was found on its base in the base's notes, so typing in a 6,000-task workflow does not
        walk (and build) every task again.
        """
        found = self.__dict__.get("_references")
        if found is None:
            found = self.__dict__["_references"] = workflow_references(self.node.value("tasks"))
        return list(found)

    def reference_keys(self) -> frozenset[RefKey]:
        """What its refs name: for a moved or spliced big task list, kept with the list (no task is walked)."""
        keys = listed_reference_keys(self.node.value("tasks"))
        return keys if keys is not None else super().reference_keys()

    def references_naming(self, keys: frozenset[RefKey]) -> list[Reference]:
        """The refs naming one of keys: for a moved or spliced big task list, read from those tasks only."""
        refs = listed_references(self.node.value("tasks"), keys)
        return refs if refs is not None else super().references_naming(keys)


@dataclass(eq=False)
class PermissionSet(Component):
    """`permission_sets/*.yaml`: grants an execution token can carry."""


@dataclass(eq=False)
class Policy(Component):
    """`policies/*.yaml`: concurrency, rate limits and quotas for an action (or globally)."""

    def references(self) -> list[Reference]:
        """The governed action."""
        return scalar_refs(self.node.value("action_ref"), FileKind.ACTION, "action_ref")


@dataclass(eq=False)
class Queue(Component):
    """`queues/*.yaml`: a work queue dispatched to an action."""

    def references(self) -> list[Reference]:
        """The dispatch action and permission sets."""
        refs = scalar_refs(self.node.value("dispatch_action"), FileKind.ACTION, "dispatch_action")
        refs += scalar_refs(self.node.value("permission_set_refs"), FileKind.PERMISSION_SET, "permission_set_refs", short_ok=False)
        return refs


@dataclass(eq=False)
class Cache(Component):
    """`caches/*.yaml`: a data-cache namespace owned by the pack, an action or a sensor."""


@dataclass(eq=False)
class Dashboard(Component):
    """`dashboards/*.yaml`: a UI dashboard document."""
