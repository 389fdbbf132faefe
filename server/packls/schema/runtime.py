"""Runtime files: identity, verification commands, the typed execution_config and versions[]."""

from __future__ import annotations

from packls.schema.spec import ignore, item, key, mapping, sequence_of

_COMMAND = mapping(
    key("binary", "string", required=True, doc="Executable to run (name on PATH or absolute path); an entry without it is skipped."),
    key("args", "sequence", default="[]", doc="Arguments passed to the binary.", shape=sequence_of(item_spec=item("string"))),
    key("exit_code", "integer", default="0", doc="Exit status that counts as success."),
    key("pattern", "string", doc="Rust regular expression searched (unanchored) in stdout followed by stderr; single-quote it in YAML."),
    key("priority", "integer", doc="Lower runs first (default 100 when verifying versions, 999 when detecting runtimes)."),
    key("optional", "boolean", default="false", doc="Only silences debug logging when the command fails."),
)

COMMAND_SNIPPET = "{binary: ${1:python3}, args: [\"--version\"], exit_code: 0, pattern: '${2:Python 3\\\\.}', priority: ${3:1}}"

VERIFICATION = mapping(
    key("always_available", "boolean", doc="Runtime detection treats the runtime as present without running a command."),
    key("check_required", "boolean", doc="`false` has the same effect as always_available: true (runtime detection only)."),
    key("commands", "sequence", default="[]", doc="Commands tried in priority order; the first success makes the runtime (or version) available.", snippet=f"\n  - {COMMAND_SNIPPET}", shape=sequence_of(_COMMAND)),
)

DISTRIBUTIONS = mapping(
    key("verification", "mapping", doc="How a worker checks that this runtime (or version) is installed.", shape=VERIFICATION),
    key("min_version", "string", doc="Informational only; no Attune code reads it."),
    key("recommended_version", "string", doc="Informational only; no Attune code reads it."),
    free=True,
)

_INTERPRETER = mapping(
    key("binary", "string", default='""', doc="Interpreter executable (python3, /bin/bash, node, …); empty means none."),
    key("args", "sequence", default="[]", doc="Arguments placed before the script path, e.g. [\"-u\"].", shape=sequence_of(item_spec=item("string"))),
    key("file_extension", "string", "null", doc="Extension of scripts this runtime runs, e.g. .py."),
)
_INLINE = mapping(
    key("strategy", "string", default="direct", enum=("direct", "temp_file"), exact=True, doc="Pass inline code directly, or write it to a temporary file first."),
    key("extension", "string", "null", doc="Extension of the temporary file, e.g. .sh."),
    key("inject_shell_helpers", "boolean", default="false", doc="Export inputs as PARAM_* shell variables before the script runs."),
)
_ENVIRONMENT = mapping(
    key("env_type", "string", required=True, doc="Kind of isolated environment: virtualenv, node_modules, gopath, local_lib, gem_home, renv or none. Required when environment is present."),
    key("dir_name", "string", default=".venv", doc="Pack-relative fallback folder, used only without a runtime_envs_dir."),
    key("create_command", "sequence", default="[]", doc="Command creating the environment; templates {env_dir} and {pack_dir} are filled in.", shape=sequence_of(item_spec=item("string"))),
    key("interpreter_path", "string", "null", doc="Interpreter inside the environment; replaces interpreter.binary once the environment exists."),
)
_DEPENDENCIES = mapping(
    key("manifest_file", "string", required=True, doc="Dependency manifest in the pack root (requirements.txt, package.json, go.mod, …). Required when dependencies is present."),
    key("install_command", "sequence", default="[]", doc="Command installing the manifest; templates {interpreter}, {env_dir}, {manifest_path}, {pack_dir}.", shape=sequence_of(item_spec=item("string"))),
)
_ENV_VAR_SPEC = mapping(
    key("value", "string", required=True, doc="Template value of the variable."),
    key("operation", "string", default="set", enum=("set", "prepend", "append"), exact=True, doc="Replace the variable, or add to the front or back of its current value."),
    key("separator", "string", default=":", doc="Separator used by prepend and append."),
)

EXECUTION_CONFIG = mapping(
    key("interpreter", "mapping", doc="How scripts are started.", snippet="\n  binary: ${1:python3}\n  args: [${2}]\n  file_extension: ${3:.py}\n", shape=_INTERPRETER),
    key("inline_execution", "mapping", doc="How inline code is run.", shape=_INLINE),
    key("environment", "mapping", "null", doc="Isolated per-pack environment (virtualenv, node_modules, …).", snippet="\n  env_type: ${1:virtualenv}\n  create_command: [${2}]\n", shape=_ENVIRONMENT),
    key("dependencies", "mapping", "null", doc="Dependency manifest and the command that installs it.", snippet="\n  manifest_file: ${1:requirements.txt}\n  install_command: [${2}]\n", shape=_DEPENDENCIES),
    key("env_vars", "mapping", default="{}", doc="Environment variables: name → template string, or {value, operation, separator}.", shape=mapping(any_value=_ENV_VAR_SPEC, any_spec=item("string", "mapping"))),
)

VERSION_SNIPPET = (
    '\n  - version: "${1:3.12}"\n    execution_config:\n      interpreter: {binary: ${2:python3.12}, args: [], file_extension: ${3:.py}}\n'
)

_VERSION = mapping(
    key("version", "string", required=True, doc="Version text, quoted (\"3.12\"); an entry without a string version is skipped.", snippet='"${1:3.12}"'),
    key("execution_config", "mapping", default="{}", doc="Complete config for this version; it replaces the runtime's own config (no merge), so omitting it leaves no interpreter.", shape=EXECUTION_CONFIG),
    key("distributions", "mapping", default="{}", doc="Version-specific verification commands.", shape=DISTRIBUTIONS),
    key("is_default", "boolean", default="false", doc="Chosen when an action or sensor has no runtime_version; at most one version may be the default."),
    key("meta", "mapping", default="{}", doc="Free-form notes stored with the version, e.g. lts_codename, eol."),
)

RUNTIME = mapping(
    key("ref", "string", required=True, doc="Runtime ref `<pack>.<name>`, written in full; it must start with the installing pack's ref."),
    key("name", "string", required=True, doc="Human name (Python, Node.js). runner_type can name a runtime by it (case-insensitive); also the environment folder name, lower-cased. pack check requires it."),
    key("aliases", "sequence", default="[]", doc="Names workers and the scheduler match; runner_type never uses them.", shape=sequence_of(item_spec=item("string"))),
    key("description", "string", doc="What this runtime is."),
    key("distributions", "mapping", default="{}", doc="Verification commands and informational version hints.", shape=DISTRIBUTIONS),
    key("installation", "mapping", doc="Free-form notes on installing the runtime (stored, not interpreted)."),
    key("execution_config", "mapping", default="{}", doc="How actions on this runtime are run when no version is selected; `{}` suits native runtimes.", shape=EXECUTION_CONFIG),
    key("versions", "sequence", default="[]", doc="Selectable versions, each with its own complete execution_config.", snippet=VERSION_SNIPPET, shape=sequence_of(_VERSION)),
    ignored=(
        ignore("pack_ref", None, "the runtime always belongs to the pack that installs it", harmless_as_own_pack=True),
        ignore("label", "name", "runtimes have no label; the display name is `name`", report=False),
    ),
)

