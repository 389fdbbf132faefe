"""Every rule packls knows: a stable code, a default severity and a one-line summary.

Long explanations with one bad and one good example live in `docs/rules.md`; a test keeps
the two in sync and runs every example through the checker.
"""

from __future__ import annotations

from dataclasses import dataclass

from packls.findings import Severity


@dataclass(frozen=True)
class Rule:
    """One check's identity, as configuration, suppressions and docs name it."""

    code: str
    severity: Severity
    summary: str
    attune: bool = False  # the code (and message) is Attune's own `attune pack check` diagnostic
    fixable: bool = False  # some of its findings carry a quick fix that `packls validate --fix` applies

    @property
    def area(self) -> str:
        """The part before the dot: manifest, runtime, action, …"""
        return self.code.split(".", 1)[0]

    @property
    def anchor(self) -> str:
        """The heading anchor of this rule in docs/rules.md."""
        return self.code.replace(".", "").lower()


RULES: dict[str, Rule] = {}


def rule(code: str, severity: Severity, summary: str, *, attune: bool = False, fixable: bool = False) -> Rule:
    """Register a rule once; its code is its identity."""
    if code in RULES:
        raise ValueError(f"rule {code} registered twice")
    RULES[code] = Rule(code, severity, summary, attune, fixable)
    return RULES[code]


def attune_rule(code: str, severity: Severity, summary: str, *, fixable: bool = False) -> Rule:
    """Register one of Attune's own pack-check codes (its messages are reproduced verbatim)."""
    return rule(code, severity, summary, attune=True, fixable=fixable)


E, W, I, H = Severity.ERROR, Severity.WARNING, Severity.INFORMATION, Severity.HINT

# --- files and YAML -------------------------------------------------------------------------
YAML_SYNTAX = rule("yaml.syntax", E, "The file is not valid YAML, so Attune cannot read it.")
YAML_DUPLICATE_KEY = rule("yaml.duplicate_key", E, "A mapping has the same key twice; Attune's YAML reader rejects the whole file.")
YAML_MULTIPLE_DOCUMENTS = rule("yaml.multiple_documents", E, "The file holds several YAML documents; Attune reads exactly one.")
METADATA_UNREADABLE = attune_rule("metadata.unreadable", E, "The file cannot be read as UTF-8 text.")
METADATA_DIRECTORY_UNREADABLE = attune_rule("metadata.directory_unreadable", E, "A metadata folder (actions/, runtimes/, …) cannot be listed, so registration fails.")
METADATA_IGNORED_LOCATION = attune_rule("metadata.ignored_location", W, "A YAML file lies where pack registration never reads.")
METADATA_MISSING_FIELD = attune_rule("metadata.missing_field", E, "A field pack check requires is missing.")
METADATA_INVALID_FIELD = attune_rule("metadata.invalid_field", E, "A field that must be a non-empty string is not one.", fixable=True)
METADATA_INVALID_FIELD_TYPE = attune_rule("metadata.invalid_field_type", E, "A field pack check type-checks has the wrong YAML type.", fixable=True)
LIMITS_FILE_TOO_LARGE = attune_rule("limits.metadata_file_too_large", E, "A metadata file is larger than 1 MiB; Attune refuses to read it.")
LIMITS_TOO_MANY_FILES = attune_rule("limits.metadata_files_exceeded", E, "The pack has more than 2000 metadata files.")
LIMITS_TOO_MANY_VALUES = rule("limits.too_many_values", W, "A file holds more YAML values than packls reads; it is not checked.")
LIMITS_TOO_MANY_FINDINGS = rule("limits.too_many_findings", E, "A file has more than 1000 findings; packls shows the most telling and stops.")
LIMITS_TOO_MANY_ENTRIES = attune_rule("limits.traversed_entries_exceeded", E, "The pack folder has more than 10000 entries.")
COMPONENT_NOT_DIRECTORY = attune_rule("component.not_directory", E, "A component folder name (actions, runtimes, …) is a file.")
COMPONENT_NOT_OBJECT = attune_rule("component.not_object", E, "A component file is not a YAML mapping.")
COMPONENT_INVALID_REF = attune_rule("component.invalid_ref", E, "A component ref does not follow Attune's ref grammar.")
COMPONENT_REF_PACK_MISMATCH = attune_rule("component.ref_pack_mismatch", E, "A component ref does not start with the pack's ref.", fixable=True)
COMPONENT_DUPLICATE_REF = attune_rule("component.duplicate_ref", E, "Two components of one kind share a ref.")

# --- keys and values (packls) ---------------------------------------------------------------
KEY_IGNORED = rule("key.ignored", W, "A key Attune never reads; it names the key Attune reads instead.", fixable=True)
KEY_UNKNOWN = rule("key.unknown", W, "A key Attune does not read at that place, so it has no effect (with the key probably meant).", fixable=True)
KEY_MISSPELLED = rule("key.misspelled", E, "A misspelling of a key whose absence changes what Attune does (runner_type, entry_point, …).", fixable=True)
VALUE_WRONG_TYPE = rule("value.wrong_type", W, "A value of the wrong YAML type, which Attune silently drops.", fixable=True)
VALUE_NOT_ALLOWED = rule("value.not_allowed", E, "A value outside the values Attune accepts for that key.", fixable=True)

# --- manifest -------------------------------------------------------------------------------
MANIFEST_NOT_OBJECT = attune_rule("manifest.not_object", E, "pack.yaml is not a YAML mapping.")
MANIFEST_INVALID_REF = attune_rule("manifest.invalid_ref", E, "The pack ref does not follow Attune's pack-ref grammar.")
MANIFEST_INVALID_VERSION = attune_rule("manifest.invalid_version", E, "The pack version is not strict semantic version syntax.")
MANIFEST_REF_TOO_SHORT = rule("manifest.ref_too_short", E, "A one-character pack ref passes pack check but fails the database check.")
MANIFEST_NOT_STORED = rule("manifest.not_stored", W, "A pack.yaml key pack check validates (label, conf_schema, meta, tags) that registration never stores.", fixable=True)
MANIFEST_INVALID_WORKER_PLACEMENT = attune_rule("manifest.invalid_worker_placement", E, "Pack-level worker_selector / worker_tolerations / worker_affinity has a shape Attune rejects.")
MANIFEST_CONFIG_NOT_APPLIED = rule("manifest.config_not_applied", H, "pack.yaml `config` values are never applied by registration.")

# --- flat schemas ---------------------------------------------------------------------------
SCHEMA_NOT_OBJECT = attune_rule("schema.not_object", E, "A parameter/output schema is not a mapping of fields.")
SCHEMA_INVALID_FIELD = attune_rule("schema.invalid_field", E, "A schema entry is not `name: {definition}` (often a legacy type: object wrapper).")
SCHEMA_MISSING_TYPE = attune_rule("schema.missing_type", E, "A schema field has no string `type`.")
SCHEMA_UNKNOWN_TYPE = rule("schema.unknown_type", E, "A schema `type` that JSON Schema does not know (strng, any), so Attune's validator rejects the schema.", fixable=True)

# --- runtimes -------------------------------------------------------------------------------
RUNTIME_DUPLICATE_VERSION = attune_rule("runtime.duplicate_version", E, "A runtime declares the same version twice.")
RUNTIME_MULTIPLE_DEFAULTS = attune_rule("runtime.multiple_defaults", E, "More than one version is marked is_default.", fixable=True)
RUNTIME_INVALID_VERSION = attune_rule("runtime.invalid_version", E, "A versions[] entry Attune skips or can never select.", fixable=True)
RUNTIME_SHARED_INTERPRETER = rule("runtime.shared_interpreter", W, "Two versions of a runtime run the same interpreter binary, so they cannot be different versions.")
RUNTIME_VERSION_NO_CONFIG = rule("runtime.version_without_execution_config", W, "A version entry has no execution_config, so it runs with an empty interpreter.")
EXECUTION_CONFIG_INVALID = rule("execution_config.invalid", E, "execution_config does not match Attune's typed shape; at run time it silently becomes empty.")
VERIFICATION_INVALID_PATTERN = rule("verification.invalid_pattern", E, "A verification pattern is not a valid Rust regular expression.")
VERIFICATION_MISSING_BINARY = rule("verification.missing_binary", W, "A verification command without `binary` is skipped.")

# --- actions and sensors ------------------------------------------------------------------
RUNTIME_VERSION_NOT_STRING = rule("runtime_version.not_string", E, "runtime_version is not a string; Attune silently ignores it.", fixable=True)
RUNTIME_VERSION_INVALID = rule("runtime_version.invalid", E, "runtime_version does not parse as a constraint.")
RUNTIME_VERSION_UNSATISFIABLE = rule("runtime_version.unsatisfiable", E, "No declared version of the runtime satisfies runtime_version.", fixable=True)
RUNTIME_VERSION_UNAVAILABLE = rule("runtime_version.unavailable", W, "Only versions that no synced worker has satisfy runtime_version.")
RUNTIME_VERSION_NO_VERSIONS = rule("runtime_version.no_versions", W, "runtime_version is set but the runtime declares no versions.")
RUNNER_TYPE_UNKNOWN = rule("runner_type.unknown", E, "runner_type resolves to no runtime.", fixable=True)
RUNNER_TYPE_NO_INTERPRETER = rule("runner_type.no_interpreter", W, "A sensor's runtime has no interpreter configured, so the sensor cannot start.")
ACTION_ENTRYPOINT = attune_rule("action.entrypoint", E, "An action entry_point leaves the pack.")
ACTION_ENTRYPOINT_MISSING = attune_rule("action.entrypoint_missing", E, "An action entry_point names a file that does not exist.")
ACTION_WORKFLOW_PATH = attune_rule("action.workflow_path", E, "workflow_file is not a path under actions/workflows/.", fixable=True)
ACTION_WORKFLOW_MISSING = attune_rule("action.workflow_missing", E, "workflow_file names a file that does not exist.")
ACTION_INVALID_WORKFLOW = attune_rule("action.invalid_workflow", E, "The workflow file an action links does not parse as a workflow.")
ACTION_INVALID_TIMEOUT = rule("action.invalid_timeout", E, "timeout_seconds is not a positive integer; registration fails.")
ACTION_RELEASE_LAUNCH = rule("action.release_launch", I, "`launch` is read only from release archives, not by the directory loader.")
SENSOR_ENTRYPOINT = attune_rule("sensor.entrypoint", E, "A sensor entry_point leaves the pack.")
SENSOR_ENTRYPOINT_MISSING = attune_rule("sensor.entrypoint_missing", E, "A sensor entry_point names a file that does not exist.")
SENSOR_INVALID_TRIGGER_TYPES = attune_rule("sensor.invalid_trigger_types", E, "trigger_type(s) is not a string or a list of strings.")
SENSOR_MISSING_TRIGGER_TYPES = attune_rule("sensor.missing_trigger_types", E, "A sensor names no trigger.")
REQUIRED_WORKER_RUNTIMES_INVALID = rule("required_worker_runtimes.invalid", E, "A required_worker_runtimes constraint does not parse.")
REQUIRED_WORKER_RUNTIMES_UNSATISFIABLE = rule("required_worker_runtimes.unsatisfiable", W, "No declared version of the named runtime satisfies a required_worker_runtimes constraint.")
PLACEMENT_INVALID = rule("placement.invalid", E, "worker_selector / worker_tolerations / worker_affinity has a shape Attune rejects.")
VISIBILITY_ALLOWED_PACKS_INVALID = rule("visibility.invalid_allowed_packs", E, "reference_allowed_pack_refs is not a list of non-empty pack refs.")
VISIBILITY_ALLOWED_PACKS_UNUSED = rule("visibility.allowed_packs_unused", W, "reference_allowed_pack_refs has no effect unless reference_visibility is restricted.")

# --- version-constraint traps -----------------------------------------------------------------
CONSTRAINT_BARE_MAJOR = rule("constraint.bare_major", W, "A bare major version (\"20\") means 20.0.x only.", fixable=True)
CONSTRAINT_INCLUSIVE_PARTIAL = rule("constraint.inclusive_partial", W, "`<=3.12` means <=3.12.0 and excludes 3.12.1.", fixable=True)
CONSTRAINT_EXACT_PARTIAL = rule("constraint.exact_partial", W, "`=3.12` means exactly 3.12.0.", fixable=True)
CONSTRAINT_CARET_ZERO = rule("constraint.caret_zero", W, "`^0` and `^0.0` match only 0.0.0.", fixable=True)
CONSTRAINT_WILDCARD_OPERATOR = rule("constraint.wildcard_operator", E, "An operator before `X.*` does not parse, while a bare `X.*` works.", fixable=True)
CONSTRAINT_PRERELEASE_ONLY = rule("constraint.prerelease_only", W, "The constraint can match only pre-release versions.", fixable=True)
CONSTRAINT_EMPTY_RANGE = rule("constraint.empty_range", W, "No version can ever satisfy the constraint (e.g. >=4,<3).", fixable=True)

# --- triggers and rules -------------------------------------------------------------------
RULE_INVALID_REFERENCE = attune_rule("rule.invalid_reference", E, "A rule's trigger_ref or action_ref is not a valid component ref.")
RULE_INVALID_PERMISSION_SET_REFS = rule("rule.invalid_permission_set_refs", E, "A rule's permission_set_refs is not a string, a list of strings, or null.")

# --- references -----------------------------------------------------------------------------
REFERENCE_MISSING_LOCAL_TARGET = attune_rule("reference.missing_local_target", E, "A ref names a component of the same pack that does not exist.", fixable=True)
REFERENCE_UNKNOWN_TARGET = rule("reference.unknown_target", W, "A ref names a component another workspace pack does not define (an error where registration then fails: rules, permission sets).", fixable=True)
REFERENCE_NOT_VISIBLE = rule("reference.not_visible", E, "A ref names a component whose reference_visibility forbids this pack.")
REFERENCE_BROKEN_TARGET = rule("reference.broken_target", E, "A ref or runner_type cannot be checked because the file that would declare it does not parse; the finding names that file.")
REFERENCE_UNKNOWN_CORE = rule("reference.unknown_core", I, "A core.* ref that is neither a platform component nor a known core-pack one.", fixable=True)

# --- workflows ------------------------------------------------------------------------------
WORKFLOW_INVALID_DEFINITION = attune_rule("workflow.invalid_definition", E, "A workflow file under actions/workflows/ does not parse.")
WORKFLOW_INVALID_LEGACY = attune_rule("workflow.invalid_legacy_definition", W, "A legacy top-level workflow does not parse and will be skipped.")

# --- permission sets, policies, queues, caches, dashboards ------------------------------------
PERMISSION_SET_MISSING_GRANTS = attune_rule("permission_set.missing_grants", E, "A permission set has no grants.")
PERMISSION_SET_EMPTY_ACTIONS = attune_rule("permission_set.empty_actions", E, "A grant lists no actions.")
PERMISSION_SET_INVALID_GRANTS = attune_rule("permission_set.invalid_grants", E, "The grants do not deserialize (unknown resource or action, wrong shape).", fixable=True)
PERMISSION_SET_INVALID_SCOPE = rule("permission_set.invalid_scope", E, "Grant constraints the registration permission plan rejects (ids, pack_refs with refs, empty ref lists).")
PERMISSION_SET_INVALID_CACHE_GRANT = attune_rule("permission_set.invalid_cache_grant", E, "A caches grant has inconsistent constraints.")
POLICY_INVALID_CONTROLS = attune_rule("policy.invalid_controls", E, "A policy's concurrency / rate_limit / quotas are missing or invalid.")
POLICY_PACK_REF_MISMATCH = attune_rule("policy.pack_ref_mismatch", E, "A policy's pack_ref differs from the manifest ref.", fixable=True)
POLICY_INVALID_ACTION_REF = attune_rule("policy.invalid_action_ref", E, "A policy's action_ref is not a valid component ref.")
QUEUE_INVALID_DEFINITION = attune_rule("queue.invalid_definition", E, "A work queue definition does not parse or validate.")
QUEUE_MULTI_SEGMENT_REF = rule("queue.multi_segment_ref", W, "A multi-segment queue ref passes the queue grammar but fails the loader's two-part rule.")
CACHE_INVALID_DEFINITION = attune_rule("cache.invalid_definition", E, "A cache definition does not parse or validate.")
CACHE_INVALID_OWNER = attune_rule("cache.invalid_owner", E, "A cache owner_ref is empty.")
CACHE_OWNER_MISMATCH = attune_rule("cache.owner_mismatch", E, "A pack-owned cache names another pack as owner.", fixable=True)
DASHBOARD_INVALID_YAML_VALUE = attune_rule("dashboard.invalid_yaml_value", E, "A dashboard holds a mapping key JSON cannot represent (null, a list, a tag, .nan).")
DASHBOARD_INVALID_SPEC = attune_rule("dashboard.invalid_spec", E, "A dashboard document lacks the data sources, cards or layout its spec needs.")
DASHBOARD_SKIPPED = rule("dashboard.skipped", W, "A dashboard registration skips: its scope_type or visibility is not one Attune accepts.")
PERMISSION_REFS_INVALID = rule("permission_refs.invalid", E, "A permission-set ref registration rejects before lookup: not a string, empty, or a template outside a workflow task.")
PERMISSION_REFS_UNAVAILABLE = rule("permission_refs.unavailable", E, "A bare permission-set ref other than `standard`: no permission set can have it, so registration fails.")

# --- environment ----------------------------------------------------------------------------
ENVIRONMENT_INVALID = attune_rule("environment.invalid", E, "env_vars where Attune forbids them, or a reserved ATTUNE_ variable; the pack fails to load.", fixable=True)

# --- dependencies -----------------------------------------------------------------------------
RUNTIME_DEPS_INVALID = rule("runtime_deps.invalid", W, "A runtime_deps entry does not parse in the pack-dependency dialect.")
PYTHON_INVALID_REQUIREMENT = rule("python.invalid_requirement", E, "A requirements.txt line is not valid PEP 508, so pip refuses it (a warning in metadata.python_dependencies, which nothing installs).")
PYTHON_REQUIREMENT_SKIPPED = rule("python.requirement_skipped", W, "A requirement's marker is false for every Python version Attune would select.")

DEPENDENCY_UNKNOWN_PACK = rule(
    "dependency.unknown_pack", W, "A dependency is in no workspace pack and in no synced pack index."
)
DEPENDENCY_VERSION_MISMATCH = rule(
    "dependency.version_mismatch", W, "The pack a `ref@version` dependency finds does not satisfy that version."
)
DEPENDENCY_INVALID = rule("dependency.invalid", E, "The version after '@' in a dependency is not a version constraint.")

# --- configuration ----------------------------------------------------------------------------
CONFIG_INVALID = rule("config.invalid", E, "The packls configuration has a setting packls cannot use.")
CONFIG_UNKNOWN_CODE = rule("config.unknown_code", W, "The configuration names a rule code packls does not have.")
SUPPRESSION_UNKNOWN_CODE = rule("suppression.unknown_code", W, "A `# packls: ignore[...]` comment names a rule code packls does not have.", fixable=True)
