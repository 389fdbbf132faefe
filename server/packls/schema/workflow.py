"""Workflow documents (actions/workflows/*.yaml and legacy workflows/*.yaml) and their tasks."""

from __future__ import annotations

from packls.model.kinds import FileKind
from packls.schema.common import flat_schema, permission_set_refs
from packls.schema.spec import SeqShape, ignore, item, key, mapping, sequence_of

_TRANSITION = mapping(
    key("when", "string", doc="Condition, e.g. \"{{ succeeded() }}\"; unconditional when omitted."),
    key("publish", "sequence", doc="Variables published on this transition: `- name: value` or `- name`."),
    key("do", "sequence", doc="Names of the tasks started by this transition.", shape=sequence_of(item_spec=item("string"))),
    key("__chart_meta__", "any", doc="Editor metadata (ignored by the engine)."),
)
_RETRY = mapping(
    key("count", "integer", required=True, doc="Retry attempts, 1 to 100."),
    key("delay", "integer", required=True, doc="Seconds before the first retry."),
    key("backoff", "string", default="constant", enum=("constant", "linear", "exponential"), exact=True, doc="How the delay grows between retries."),
    key("max_delay", "integer", doc="Upper bound of the delay in seconds."),
    key("on_error", "string", doc="Retry only when this template is true."),
)
_ITERATE_CACHE = mapping(
    key("owner_type", "string", doc="Cache owner type selector (pack, action, sensor)."),
    key("owner_ref", "string", doc="Cache owner ref."),
    key("namespace", "string", required=True, doc="Cache namespace (or a template) to iterate."),
    key("generation", "string", default="active", doc="`active`, a generation id, or a template."),
    key("page_size", "integer", default="100", doc="Entries fetched per page."),
    key("require_fresh", "boolean", default="false", doc="Reject a stale active generation."),
    closed=True,
)

_WAIT_TARGET_DOC = "a positive integer id, or one whole {{ }} template resolving to one"
_WAIT_FOR = mapping(
    key("inquiry", "integer", "string", doc=f"The inquiry to wait for: {_WAIT_TARGET_DOC}."),
    key("execution", "integer", "string", doc=f"The execution to wait for: {_WAIT_TARGET_DOC}."),
    key("work_queue_item", "integer", "string", doc=f"The work queue item to wait for: {_WAIT_TARGET_DOC}."),
    closed=True,
)

_TASK_SNIPPET = "\n  - name: ${1:task}\n    action: ${2:pack.action}\n    input: {}\n"

TASK = mapping(
    key("name", "string", required=True, doc="Task name, unique in its list; transitions name it in `do`."),
    key("type", "string", default="action", enum=("action", "parallel", "workflow"), exact=True, doc="action runs one action; parallel runs its sub-tasks; workflow runs another workflow."),
    key("action", "string", doc="Action (or workflow) ref this task runs; required for action tasks.", ref=FileKind.ACTION),
    key("input", "mapping", default="{}", doc="Parameters for the action; values may be templates."),
    *permission_set_refs(),
    key("trace_tag_template", "string", doc="Template for this task's trace tag."),
    key("worker_selector", "mapping", "string", doc="Worker selector override (literal or template)."),
    key("worker_tolerations", "sequence", "string", doc="Worker tolerations override (literal or template)."),
    key("worker_affinity", "mapping", "string", doc="Worker affinity override (literal or template)."),
    key("when", "string", doc="Run the task only when this expression is true."),
    key("with_items", "string", doc="Template producing the items to iterate over."),
    key("iterate_cache", "mapping", doc="Iterate over the entries of a cache namespace.", shape=_ITERATE_CACHE),
    key("batch_size", "integer", doc="Items per child execution when iterating."),
    key("concurrency", "integer", doc="Child executions running at once when iterating."),
    key("retry", "mapping", doc="Retry policy.", shape=_RETRY),
    key("timeout", "integer", "string", doc="Task time limit in seconds, or a template rendered when the task runs (\"{{ parameters.timeout }}\")."),
    key("next", "sequence", default="[]", doc="Transitions evaluated after the task; every matching one fires.", snippet="\n  - when: \"{{ succeeded() }}\"\n    do: [${1:next_task}]\n", shape=sequence_of(_TRANSITION)),
    key("join", "integer", doc="Wait for this many inbound tasks before running."),
    key("tasks", "sequence", doc="Sub-tasks of a parallel task (at least one).", snippet=_TASK_SNIPPET),
    key("__chart_meta__", "any", doc="Editor metadata (ignored by the engine)."),
    key("wait_for", "mapping", doc="Hold the task until one target finishes: exactly one of inquiry, execution or work_queue_item. Only on top-level action tasks, without with_items / iterate_cache, and not on a task its transitions can reach again.", shape=_WAIT_FOR),
    key("on_success", "string", doc="Legacy: task to run on success (one task name, not a list); converted to next."),
    key("on_failure", "string", doc="Legacy: task to run on failure (one task name); converted to next."),
    key("on_complete", "string", doc="Legacy: task to run afterwards, whatever happened; converted to next."),
    key("on_timeout", "string", doc="Legacy: task to run on timeout; converted to next."),
    key("decision", "sequence", doc="Legacy: [{when, next, default}] branches; converted to next."),
    key("publish", "sequence", doc="Legacy task-level publish; attached to the success transition."),
)
# Parallel tasks nest tasks of the same shape.
TASK.nested["tasks"] = SeqShape(TASK)

WORKFLOW = mapping(
    key("ref", "string", doc="Workflow ref; defaults to the action's ref. Required when several actions share this file or for legacy workflows."),
    key("label", "string", doc="Display name (the action's label wins)."),
    key("description", "string", doc="What the workflow does."),
    key("version", "string", required=True, doc="Workflow version text, 1 to 50 characters (e.g. \"1.0.0\"); quote it.", snippet='"${1:1.0.0}"'),
    flat_schema("parameters", "Input fields, used when the action declares none."),
    flat_schema("output", "Output fields, used when the action declares none."),
    key("vars", "mapping", default="{}", doc="Workflow variables: a mapping name → initial value (not a list)."),
    key("tasks", "sequence", required=True, doc="The tasks; at least one.", snippet=_TASK_SNIPPET, shape=sequence_of(TASK)),
    key("output_map", "mapping", doc="Workflow output: name → template string.", shape=mapping(any_spec=item("string"))),
    key("tags", "sequence", default="[]", doc="Tags.", shape=sequence_of(item_spec=item("string"))),
    key("cancellation_policy", "string", default="allow_finish", enum=("allow_finish", "cancel_running"), exact=True, doc="On cancel: let running tasks finish, or cancel them too."),
    ignored=(
        ignore("output_schema", "output", "the workflow parser reads `output`"),
        ignore("name", "ref", "workflows are identified by `ref`", report=False),
        ignore("metadata", None, "not read by the workflow parser", report=False),
    ),
)

