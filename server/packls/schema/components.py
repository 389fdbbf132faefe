"""Actions, sensors, triggers and rules: the keys their loaders read."""

from __future__ import annotations

from packls.model.kinds import FileKind
from packls.schema.common import flat_schema, identity, permission_set_refs, placement, retention, visibility
from packls.schema.spec import ignore, item, key, mapping, sequence_of

_RUNNER_DOC = (
    "Runtime that runs this {what}: a built-in alias (shell, bash, sh, python, python3, node, nodejs, node.js, "
    "native, builtin, standalone), a runtime ref (core.python, mypack.python) or a runtime's name; "
    "a runtime's declared aliases never count. Default: {default}."
)
_RUNTIME_VERSION_DOC = (
    "Constraint on the runtime's declared versions, as a quoted string (\">=3.11,<4.0\", \"~3.12\", \"3.*\"). "
    "Bare \"3.12\" means 3.12.x and bare \"20\" means 20.0.x only. Non-strings are ignored."
)
_NO_RETRIES = "actions have no retry setting; retries belong to the workflow task that calls the action: `retry: {count: 3, delay: 10}`"
_RUNNER_SNIPPET = "${1|shell,python,node,native,core.python,core.nodejs,core.shell|}"

ACTION = mapping(
    *identity("the action"),
    key("runner_type", "string", critical=True, default="shell", doc=_RUNNER_DOC.format(what="action", default="shell"), snippet=_RUNNER_SNIPPET, ref=FileKind.RUNTIME),
    key("entry_point", "string", critical=True, doc="Script or binary under actions/ that runs the action; required unless workflow_file is set."),
    key("workflow_file", "string", critical=True, doc="Makes this a workflow action: path under actions/, starting with workflows/ (e.g. workflows/deploy.workflow.yaml).", snippet="workflows/${1:name}.workflow.yaml"),
    key("runtime_version", "string", critical=True, doc=_RUNTIME_VERSION_DOC, snippet='"${1:>=3.12}"'),
    key("required_worker_runtimes", "mapping", critical=True, default="{}", doc="Other runtimes the worker must have: runtime name → constraint string, \"*\" for presence only.", shape=mapping(any_spec=item("string", doc="Constraint the worker's version must satisfy, or \"*\"."))),
    flat_schema("parameters", "Input fields: name → {type, description, required, secret, default, …} (flat format, no type: object wrapper)."),
    flat_schema("output", "Fields of the action's result, in the flat per-field format. The only output key the loader reads."),
    key("parameter_delivery", "string", critical=True, default="stdin", enum=("stdin", "file"), doc="How parameters reach the script: stdin or a temporary file (env is not allowed)."),
    key("parameter_format", "string", critical=True, default="json", enum=("dotenv", "json", "yaml"), doc="Serialisation of the delivered parameters."),
    key("output_format", "string", critical=True, default="text", enum=("text", "json", "yaml", "jsonl"), doc="How stdout is parsed into the result."),
    key("timeout_seconds", "integer", critical=True, doc="Execution time limit in seconds; must be greater than zero."),
    key("default_execution_permission_set_refs", "sequence", critical=True, default="[]", doc="Permission sets the execution token gets (e.g. standard, core.key_creator).", shape=sequence_of(item_spec=item("string", ref=FileKind.PERMISSION_SET))),
    key("accesses_mcp", "boolean", default="false", doc="Hints that the action may start child executions through the MCP server."),
    *visibility("this action"),
    *placement(what="this action"),
    *retention(),
    key("tags", "sequence", doc="Tags; used only as the workflow's tags for workflow actions.", shape=sequence_of(item_spec=item("string"))),
    key("launch", "mapping", doc="Release-archive launch spec (attune.pack.release/v1); the directory loader does not read it."),
    ignored=(
        ignore("output_schema", "output", "the loader reads only `output` (pack check validates both, so the file passes and the schema is silently dropped)"),
        ignore("out_schema", "output", "`out_schema` is the database column name; the loader reads `output`"),
        ignore("param_schema", "parameters", "`param_schema` is the database column name; the loader reads `parameters`"),
        ignore("runtime", "runner_type", "the runtime is chosen by `runner_type`; there is no `runtime` key"),
        ignore("timeout", "timeout_seconds", "the execution time limit is `timeout_seconds`"),
        ignore("retries", None, _NO_RETRIES),
        ignore("retry", None, _NO_RETRIES),
        ignore("name", "label", "actions have no `name`; the display name is `label`", report=False),
        ignore("examples", None, "documentation only", report=False),
        ignore("poll_interval", None, "not an action setting", report=False),
    ),
)

SENSOR = mapping(
    *identity("the sensor"),
    key("runner_type", "string", critical=True, default="native", doc=_RUNNER_DOC.format(what="sensor", default="native"), snippet=_RUNNER_SNIPPET, ref=FileKind.RUNTIME),
    key("entry_point", "string", critical=True, required=True, doc="Script or binary under sensors/ that runs the sensor."),
    key("trigger_types", "sequence", "string", critical=True, doc="Triggers this sensor emits; a ref without a dot gets the pack prefix.", ref=FileKind.TRIGGER, shape=sequence_of(item_spec=item("string", ref=FileKind.TRIGGER))),
    key("trigger_type", "string", critical=True, doc="Single trigger, read only when trigger_types is absent.", ref=FileKind.TRIGGER),
    flat_schema("parameters", "Sensor configuration fields in the flat per-field format."),
    key("config", "mapping", critical=True, default="{}", doc="Stored sensor configuration (e.g. cache_permission_set_refs).", shape=mapping(
        key("cache_permission_set_refs", "sequence", doc="Permission sets used for cache access.", shape=sequence_of(item_spec=item("string", ref=FileKind.PERMISSION_SET))),
        free=True,
    )),
    key("runtime_version", "string", critical=True, doc=_RUNTIME_VERSION_DOC + " A sensor whose constraint matches no available version refuses to start.", snippet='"${1:>=3.12}"'),
    *placement(what="this sensor"),
    *retention(),
    ignored=(
        ignore("runtime", "runner_type", "the runtime is chosen by `runner_type`; there is no `runtime` key"),
        ignore("param_schema", "parameters", "`param_schema` is the database column name; the loader reads `parameters`"),
        ignore("timeout", None, "sensors have no time limit setting"),
        ignore("name", "label", "sensors have no `name`; the display name is `label`", report=False),
        ignore("poll_interval", None, "not read by the loader", report=False),
        ignore("tags", None, "not read for sensors", report=False),
        ignore("meta", None, "not read for sensors", report=False),
        ignore("examples", None, "documentation only", report=False),
    ),
)

TRIGGER = mapping(
    *identity("the trigger"),
    flat_schema("parameters", "Trigger-instance configuration a rule supplies in trigger_params (flat per-field format)."),
    flat_schema("output", "Event payload fields (flat per-field format); emitted events are validated against it."),
    *visibility("this trigger"),
    ignored=(
        ignore("parameters_schema", "parameters", "older docs name it `parameters_schema`; the loader reads `parameters`"),
        ignore("payload_schema", "output", "older docs name it `payload_schema`; the loader reads `output`"),
        ignore("output_schema", "output", "the loader reads `output`"),
        ignore("type", None, "informational only", report=False),
        ignore("name", "label", "triggers have no `name`", report=False),
        ignore("tags", None, "not read for triggers", report=False),
        ignore("examples", None, "documentation only", report=False),
    ),
)

RULE = mapping(
    *identity("the rule", short_ok=True),
    key("trigger_ref", "string", critical=True, required=True, doc="Trigger this rule listens to; a ref without a dot gets the pack prefix.", ref=FileKind.TRIGGER),
    key("action_ref", "string", critical=True, required=True, doc="Action this rule runs; a ref without a dot gets the pack prefix.", ref=FileKind.ACTION),
    key("conditions", "mapping", critical=True, default="{}", doc="Filter on the event (e.g. conditions.expression)."),
    key("action_params", "mapping", critical=True, default="{}", doc="Parameters for the action; values may be {{ event.payload.x }} templates."),
    key("trigger_params", "mapping", critical=True, default="{}", doc="Trigger-instance configuration, e.g. {unit: seconds, interval: 10}."),
    *placement("sensor_", "the sensor serving this rule"),
    key("trace_tag_template", "string", doc="Template for the execution trace tag; empty means none."),
    *permission_set_refs(),
    ignored=(
        ignore("pack_ref", None, "the rule always belongs to the pack that installs it", harmless_as_own_pack=True),
        ignore("name", "label", "rules have no `name`", report=False),
    ),
)

