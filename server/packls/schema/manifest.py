"""pack.yaml: the manifest keys registration and pack check read, with their legacy aliases."""

from __future__ import annotations

from packls.model.kinds import FileKind
from packls.schema.common import flat_schema, placement
from packls.schema.spec import item, key, mapping, sequence_of

# The name pack check validates → the name registration reads (register_pack_internal, routes/packs.rs@e76cd03a):
# pack check and registration disagree, and nothing copies one to the other.
REGISTERED_NAMES: dict[str, str] = {"label": "name", "conf_schema": "config_schema", "meta": "metadata", "tags": "keywords"}

_META = mapping(
    key("category", "string", doc="Pack category shown in listings."),
    key("keywords", "sequence", doc="Search keywords.", shape=sequence_of(item_spec=item("string"))),
    key("python_dependencies", "sequence", doc="Python requirement strings (PEP 508), e.g. \"requests>=2.28.0\".", shape=sequence_of(item_spec=item("string"))),
    key("documentation_url", "string", doc="Link to the pack's documentation."),
    key("repository_url", "string", doc="Link to the pack's source repository."),
    free=True,
)
_RUNNER = mapping(
    key("type", "string", doc="Test runner kind, e.g. script or unittest."),
    key("entry_point", "string", doc="Test script path relative to the pack."),
    key("timeout", "integer", doc="Seconds the test run may take."),
    key("result_format", "string", doc="How the runner reports results, e.g. simple."),
)
_TESTING = mapping(
    key("enabled", "boolean", doc="Run the pack tests during installation."),
    key("discovery", "mapping", doc="Where tests are found.", shape=mapping(key("method", "string", doc="Discovery method, e.g. directory."), key("path", "string", doc="Folder with the tests."))),
    key("runners", "mapping", doc="Test runner per runtime (shell, python, …).", shape=mapping(any_value=_RUNNER)),
    key("result_path", "string", doc="Folder test results are written to."),
    key("min_pass_rate", "number", doc="Fraction of tests that must pass (1.0 = all)."),
    key("on_failure", "string", doc="What happens when tests fail, e.g. block."),
    free=True,
)

_REF_DOC = "Pack ref: lowercase letter first, then lowercase letters, digits, `_` or `-`; at least two characters, no dots."

MANIFEST = mapping(
    key("ref", "string", required=True, doc=_REF_DOC),
    key("version", "string", required=True, doc="Pack version, strict semantic version X.Y.Z[-pre][+build]; quote it.", snippet='"${1:1.0.0}"'),
    key("label", "string", doc="Display name as pack check validates it; registration never stores it (it reads `name`)."),
    key("name", "string", doc="Display name registration stores (default: the ref); pack check does not check it."),
    key("description", "string", doc="What the pack provides."),
    flat_schema("conf_schema", "Configuration fields as pack check validates them; registration never stores them (it reads `config_schema`)."),
    flat_schema("config_schema", "Configuration fields in the flat per-field format, as registration stores them; pack check does not check them."),
    key("config", "mapping", default="{}", doc="Default configuration values; registration does not apply them (new packs start with {})."),
    key("meta", "mapping", default="{}", doc="Free-form metadata as pack check validates it; registration never stores it (it reads `metadata`).", shape=_META),
    key("metadata", "mapping", doc="Free-form metadata registration stores with the pack (category, python_dependencies, …).", shape=_META),
    key("tags", "sequence", default="[]", doc="Discovery tags as pack check validates them; registration never stores them (it reads `keywords`).", shape=sequence_of(item_spec=item("string"))),
    key("keywords", "sequence", doc="Discovery tags registration stores; non-strings are dropped.", shape=sequence_of(item_spec=item("string"))),
    key("runtime_deps", "sequence", default="[]", doc="Runtimes the pack needs: names such as shell, python, native, optionally with a constraint (python3>=3.8).", shape=sequence_of(item_spec=item("string"))),
    key("dependencies", "sequence", default="[]", doc="Packs that must be installed first (only their presence is checked).", shape=sequence_of(item_spec=item("string", ref=FileKind.MANIFEST))),
    key("author", "string", doc="Pack author (checked by pack check, not stored)."),
    key("email", "string", doc="Contact e-mail (checked by pack check, not stored)."),
    key("system", "boolean", default="false", doc="Marks a pack shipped with Attune (checked by pack check, not stored)."),
    key("enabled", "boolean", default="true", doc="Checked by pack check, not stored by registration."),
    key("testing", "mapping", doc="Pack test configuration used by the pack-test runner.", shape=_TESTING),
    *placement(what="every component of the pack"),
)
