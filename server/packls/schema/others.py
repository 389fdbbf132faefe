"""Permission sets, policies, work queues, caches and dashboards."""

from __future__ import annotations

from packls.model.kinds import FileKind
from packls.schema.common import flat_schema, identity, visibility
from packls.schema.spec import ignore, item, key, mapping, sequence_of

GRANT_RESOURCES = (
    "packs", "actions", "policies", "queues", "queue_items", "rules", "triggers", "executions", "events",
    "enforcements", "inquiries", "keys", "caches", "artifacts", "runtimes", "workers", "dashboards",
    "retention", "identities", "permissions", "audit_log",
)
GRANT_ACTIONS = (
    "read", "create", "install", "configure", "update", "delete", "execute", "cancel", "respond", "manage",
    "decrypt", "use",
)
OWNER_TYPES = ("system", "identity", "pack", "action", "sensor")  # models.rs OwnerType
ARTIFACT_VISIBILITIES = ("public", "private")  # models.rs ArtifactVisibility

_CONSTRAINTS = mapping(
    key("pack_refs", "sequence", doc="Only these packs' resources; not together with refs, and not empty.", shape=sequence_of(item_spec=item("string", ref=FileKind.MANIFEST))),
    key("owner", "string", enum=("self", "any", "none"), exact=True, doc="Ownership constraint."),
    key("owner_types", "sequence", doc="Owner types: system, identity, pack, action, sensor.", shape=sequence_of(item_spec=item("string", enum=OWNER_TYPES, exact=True))),
    key("owner_refs", "sequence", doc="Owner refs, not empty (needs exactly one owner type for caches).", shape=sequence_of(item_spec=item("string"))),
    key("visibility", "sequence", doc="Artifact visibilities covered: public, private.", shape=sequence_of(item_spec=item("string", enum=ARTIFACT_VISIBILITIES, exact=True))),
    key("execution_scope", "string", enum=("self", "descendants", "any"), exact=True, doc="Which executions are covered."),
    key("refs", "sequence", doc="Resource refs covered (cache namespaces for caches); not together with pack_refs, and not empty.", shape=sequence_of(item_spec=item("string"))),
    key("ids", "sequence", doc="Database ids; pack permission sets must use refs instead (registration rejects ids)."),
    key("encrypted", "boolean", doc="Only encrypted (or only plain) keys."),
    key("attributes", "mapping", doc="Identity attributes that must match exactly."),
    closed=True,
)
_GRANT = mapping(
    key("resource", "string", required=True, enum=GRANT_RESOURCES, exact=True, doc="Resource kind this grant covers."),
    key("actions", "sequence", required=True, doc="Allowed actions (read, create, update, delete, execute, …); must not be empty.", shape=sequence_of(item_spec=item("string", enum=GRANT_ACTIONS, exact=True))),
    key("constraints", "mapping", doc="Narrows the grant (pack_refs, owner_types, owner_refs, encrypted, …).", shape=_CONSTRAINTS),
    closed=True,
)

PERMISSION_SET = mapping(
    key("ref", "string", required=True, doc="Permission set ref `<pack>.<name>`, written in full; `standard` is reserved."),
    key("label", "string", doc="Display name."),
    key("description", "string", doc="What the permission set allows."),
    key("grants", "sequence", required=True, doc="Grants: [{resource, actions, constraints}].", snippet="\n  - resource: ${1:keys}\n    actions: [${2:read}]\n", shape=sequence_of(_GRANT)),
)

POLICY = mapping(
    key("ref", "string", required=True, doc="Policy ref; `<name>` alone gets the pack prefix."),
    key("label", "string", doc="Display name (default: last ref segment)."),
    key("name", "string", doc="Alternative to label."),
    key("description", "string", doc="What the policy enforces."),
    key("enabled", "boolean", default="true", doc="Whether the policy applies."),
    key("priority", "integer", default="0", doc="Evaluation priority."),
    key("tags", "sequence", doc="Tags.", shape=sequence_of(item_spec=item("string"))),
    key("action_ref", "string", doc="Action this policy governs; omit for a global policy. `<name>` alone gets the pack prefix.", ref=FileKind.ACTION),
    key("pack_ref", "string", doc="Must equal the installing pack's ref, or the policy is skipped."),
    key("concurrency", "mapping", doc="Concurrency control: limit > 0 and method cancel | enqueue, both required.", shape=mapping(
        key("limit", "integer", doc="Most concurrent executions (> 0)."),
        key("method", "string", enum=("cancel", "enqueue"), exact=True, doc="What happens above the limit."),
        key("parameters", "sequence", doc="Parameters that partition the limit.", shape=sequence_of(item_spec=item("string"))),
    )),
    key("rate_limit", "mapping", doc="Rate limit: max_executions and window_seconds, both > 0.", shape=mapping(
        key("max_executions", "integer", doc="Executions allowed per window (> 0)."),
        key("window_seconds", "integer", doc="Window length in seconds (> 0)."),
    )),
    key("quotas", "sequence", doc="Quotas: [{quota_type, limit > 0}].", shape=sequence_of(mapping(
        key("quota_type", "string", required=True, doc="Quota kind, e.g. daily."),
        key("limit", "integer", required=True, doc="Quota size (> 0)."),
    ))),
)

_TUNABLE = mapping(
    key("source", "string", required=True, enum=("literal", "pack_config", "keystore"), exact=True, doc="Where the value comes from."),
    key("value", "any", doc="The literal value (source: literal)."),
    key("path", "string", doc="Pack config path (source: pack_config)."),
    key("key_ref", "string", doc="Key-store ref (source: keystore)."),
)
_QUEUE_CONFIG = mapping(
    key("dispatch", "mapping", doc="Dispatch tuning.", shape=mapping(
        key("concurrency", "mapping", doc="Concurrent dispatches (tunable).", shape=_TUNABLE),
        key("batch_size", "mapping", doc="Items per dispatch (tunable).", shape=_TUNABLE),
        key("coalescing", "mapping", doc="Group items by a payload path (batch mode only).", shape=mapping(
            key("enabled", "boolean", doc="Turn coalescing on."),
            key("group_by_path", "string", doc="Dot-separated payload path to group by."),
            key("across_priorities", "boolean", doc="Coalesce across priorities."),
        )),
        key("retry_limit", "integer", doc="Retries per item (>= 0)."),
        key("inter_execution_delay_seconds", "integer", doc="Pause between dispatches (>= 0)."),
    )),
    key("ack_contract", "mapping", doc="Acknowledgement contract.", shape=mapping(key("version", "integer", doc="Contract version (>= 1)."))),
)

QUEUE = mapping(
    key("ref", "string", required=True, doc="Queue ref; `<name>` alone gets the pack prefix. Use exactly `<pack>.<name>`: the loader rejects more segments."),
    key("label", "string", required=True, doc="Display name; must not be empty."),
    key("description", "string", doc="What the queue holds; must not be empty when set."),
    key("enabled", "boolean", default="true", doc="Whether the queue is active."),
    key("accepting_new_items", "boolean", default="true", doc="Whether new items may be enqueued."),
    key("dispatch_action", "string", required=True, doc="Action that processes the queue's items.", ref=FileKind.ACTION),
    key("default_priority", "integer", default="0", doc="Priority of items enqueued without one."),
    key("allow_pending_update", "boolean", default="false", doc="Whether pending items may be updated."),
    key("update_strategy", "string", default="replace", enum=("immutable", "replace", "merge_patch"), exact=True, doc="How an update changes a pending item."),
    key("batch_mode", "string", default="single", enum=("single", "batch"), exact=True, doc="One item per execution, or batches."),
    flat_schema("item_schema", "Fields of a queue item, in the flat per-field format."),
    key("action_params", "mapping", default="{}", doc="Parameters for dispatch_action; templates such as {{ items }}."),
    key("trace_tag_template", "string", doc="Template for the trace tag; must not be empty when set."),
    key("permission_set_refs", "sequence", doc="Permission sets granted to dispatches.", shape=sequence_of(item_spec=item("string", ref=FileKind.PERMISSION_SET))),
    key("config", "mapping", default="{}", doc="dispatch and ack_contract tuning.", shape=_QUEUE_CONFIG),
    *[f for f in visibility("this queue")],
    closed=True,
)

CACHE = mapping(
    key("ref", "string", required=True, doc="Cache definition ref `<pack>.<name>`."),
    key("namespace", "string", required=True, doc="Namespace name: lowercase letter or digit first, then lowercase letters, digits, `.`, `_`, `-` (at most 128)."),
    key("owner_type", "string", required=True, enum=("pack", "action", "sensor"), exact=True, doc="Who owns the cache."),
    key("owner_ref", "string", required=True, doc="The installing pack's ref, or an action/sensor ref of this pack."),
    key("freshness_target_seconds", "integer", doc="Age after which the active generation counts as stale."),
    key("max_records_per_generation", "integer", doc="Most records in one generation."),
    key("max_generation_bytes", "integer", doc="Largest generation in bytes."),
    key("max_retained_bytes", "integer", doc="Most bytes kept across generations."),
    key("max_retained_generations", "integer", doc="Generations kept."),
    key("max_staging_generations", "integer", doc="Generations being built at once."),
    closed=True,
)

DASHBOARD_SCOPES = ("global", "pack", "identity")  # loader.rs parse_dashboard_scope_type (tenant was removed)
DASHBOARD_VISIBILITIES = ("private", "pack", "public")
DASHBOARD = mapping(
    *identity("the dashboard", short_ok=True),
    key("is_default_home", "boolean", default="false", doc="Show this dashboard as the home page."),
    key("spec_version", "integer", default="1", doc="Dashboard spec version."),
    key("scope_type", "string", default="pack", enum=DASHBOARD_SCOPES, doc="Where the dashboard applies: global, pack or identity."),
    key("scope_ref", "string", doc="Ref of the scope (default: the pack ref)."),
    key("visibility", "string", default="pack", enum=DASHBOARD_VISIBILITIES, doc="Who can see the dashboard: private, pack or public."),
    key("tags", "sequence", doc="Tags.", shape=sequence_of(item_spec=item("string"))),
    key("version", "integer", doc="Document version."),
    key("kind", "string", doc="Document kind (dashboard)."),
    key("defaults", "mapping", doc="Default timezone, refresh and time window."),
    key("layout", "mapping", doc="Grid layout and breakpoints."),
    key("filters", "sequence", doc="Filters shown above the cards."),
    key("data_sources", "mapping", doc="Named data sources the cards use."),
    key("cards", "sequence", doc="Cards: id, title, source, visualization, position."),
    ignored=(ignore("pack_ref", None, "the dashboard belongs to the installing pack", report=False),),
)
