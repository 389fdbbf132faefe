"""packls on every real Attune file in the corpus: each finding is pinned here with the reason it is true.

The corpus (tests/data/corpus/attune, a copy of shared/corpus/attune) holds real pack files
copied from Attune's repositories, but not complete packs: entry-point scripts, the core pack's
timer triggers and the `pack.yaml` of some folders are missing. `test_corpus_as_copied` runs
packls exactly as `packls validate` would on the folder as it is; `test_corpus_completed` adds
what a real pack would have (in tmp_path, never in the corpus) and validates every file.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from packls.cli import validate
from packls.config import Config
from packls.findings import Finding
from packls.syntax.lines import LineIndex

CORPUS = Path(__file__).resolve().parent / "data" / "corpus" / "attune"

Pin = tuple[str, int, str]  # (path relative to the validated root, 1-based line, code)

ENTRY_SCRIPTS_MISSING = "the corpus copies only YAML: this entry-point script exists upstream but not here"
NOT_STORED = (
    "pack check validates label/conf_schema/meta/tags, but registration (register_pack_internal, "
    "routes/packs.rs@e76cd03a, every API path) reads name/config_schema/metadata/keywords, so this key is never "
    "stored when the pack is registered through the API"
)
# Real manifests that write only the names pack check knows: (path, line of each key).
NOT_STORED_PINS = {
    ("androxxtraxxon/packs/examples/pack.yaml", line) for line in (5, 16, 27, 46)
} | {("packs/core/pack.yaml", line) for line in (5, 15, 33, 52)} | {
    ("crates/common/tests/fixtures/release_v1/pack.yaml", line) for line in (2, 5)
}
TIMERS_MISSING = (
    "the corpus copy of packs/core has no triggers/ folder; upstream the core pack ships the timer triggers, "
    "so Attune's own pack check reports the same missing local trigger for this copy"
)

AS_COPIED: dict[Pin, str] = {
    ("androxxtraxxon/packs/examples/actions/prompt_copilot.yaml", 13, "action.entrypoint_missing"): ENTRY_SCRIPTS_MISSING,
    ("androxxtraxxon/packs/examples/actions/prompt_copilot.yaml", 60, "key.ignored"): (
        "`out_schema` is the database column name; the directory loader reads only `output`, so this output "
        "schema is silently dropped (SOURCE.md: 'uses out_schema: which the loader ignores')"
    ),
    ("androxxtraxxon/packs/examples/pack.yaml", 23, "manifest.config_not_applied"): (
        "registration never applies pack.yaml `config:` (pack-format §4, §19 #18)"
    ),
    ("crates/api/tests/fixtures/pack_load_failure/caches/broken.yaml", 4, "yaml.syntax"): (
        "deliberately malformed YAML (an unclosed flow sequence); Attune's own fixture for a failed load"
    ),
    ("crates/common/tests/fixtures/release_v1/actions/jar.yaml", 3, "action.release_launch"): (
        "a release-format fixture: `launch` is read from release archives only, not by the directory loader"
    ),
    ("crates/common/tests/fixtures/release_v1/actions/native.yaml", 3, "action.release_launch"): (
        "a release-format fixture: `launch` is read from release archives only, not by the directory loader"
    ),
    ("packs/core/actions/build_pack_envs.yaml", 9, "action.entrypoint_missing"): ENTRY_SCRIPTS_MISSING,
    ("packs/core/actions/download_packs.yaml", 9, "action.entrypoint_missing"): ENTRY_SCRIPTS_MISSING,
    ("packs/core/actions/generate_ssh_key_pair.yaml", 11, "action.entrypoint_missing"): ENTRY_SCRIPTS_MISSING,
    ("packs/core/actions/get_pack_dependencies.yaml", 9, "action.entrypoint_missing"): ENTRY_SCRIPTS_MISSING,
    ("packs/core/actions/http_request.yaml", 13, "action.entrypoint_missing"): ENTRY_SCRIPTS_MISSING,
    ("packs/core/actions/register_packs.yaml", 9, "action.entrypoint_missing"): ENTRY_SCRIPTS_MISSING,
    ("packs/core/sensors/timer_sensor.yaml", 17, "reference.missing_local_target"): TIMERS_MISSING,
    ("packs/core/sensors/timer_sensor.yaml", 18, "reference.missing_local_target"): TIMERS_MISSING,
    ("packs/core/sensors/timer_sensor.yaml", 19, "reference.missing_local_target"): TIMERS_MISSING,
    ("packs/core/sensors/timer_sensor.yaml", 20, "reference.missing_local_target"): TIMERS_MISSING,
    ("packs/core/workflows/install_packs.yaml", 55, "workflow.invalid_legacy_definition"): (
        "the legacy workflow does not parse with Attune's current parser (list-form `vars:`, list-form "
        "`on_success`), so it is skipped — SOURCE.md and pack-format §10.2 say the same"
    ),
    ("packs/core/workflows/install_packs.yaml", 190, "key.ignored"): (
        "the workflow parser reads `output`, never `output_schema`"
    ),
    **{(path, line, "manifest.not_stored"): NOT_STORED for path, line in NOT_STORED_PINS},
}


def pins(findings: list[Finding], root: Path) -> dict[Pin, Finding]:
    found: dict[Pin, Finding] = {}
    for item in findings:
        text = item.path.read_text(encoding="utf-8") if item.path.is_file() else ""
        line = LineIndex.of(text).line_of(item.span.start) + 1
        found[(item.path.relative_to(root).as_posix(), line, item.code)] = item
    return found


def run_validate(root: Path) -> list[Finding]:
    findings, _, _ = validate([root], Config(root=root))
    return findings


def test_corpus_as_copied():
    found = pins(run_validate(CORPUS), CORPUS)
    assert sorted(found) == sorted(AS_COPIED)


# --- the completed corpus ------------------------------------------------------------------

TIMER_TRIGGERS = {
    "intervaltimer": "unit: {type: string, enum: [seconds, minutes, hours], required: true}\n  interval: {type: integer, required: true}",
    "crontimer": "expression: {type: string, required: true}",
    "datetimetimer": "fire_at: {type: string, format: date-time, required: true}",
    "rruletimer": "rrule: {type: string, required: true}",
}


def _core_timer_triggers(root: Path) -> None:
    """The core pack's timer triggers in today's flat format (their current YAML is not in the corpus)."""
    for name, parameters in TIMER_TRIGGERS.items():
        path = root / "triggers" / f"{name}.yaml"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(
            f"ref: core.{name}\nlabel: {name.capitalize()}\nparameters:\n  {parameters}\n"
            "output:\n  fired_at: {type: string, format: date-time, required: true}\n",
            encoding="utf-8",
        )


def _entry_scripts(root: Path) -> None:
    """An empty script for every entry_point a non-native action or sensor names."""
    for folder in ("actions", "sensors"):
        for yaml_file in sorted((root / folder).glob("*.yaml")) if (root / folder).is_dir() else ():
            for line in yaml_file.read_text(encoding="utf-8").splitlines():
                if line.startswith("entry_point:"):
                    (root / folder / line.split(":", 1)[1].strip()).touch()


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def completed_corpus(tmp: Path) -> dict[str, Path]:
    """Every corpus file inside a pack that has what a real pack has; one workspace per group of packs."""
    groups: dict[str, Path] = {}
    # attune-system: the core pack, the test fixtures and the docs example, and Attune's own fixtures.
    system = tmp / "system"
    shutil.copytree(CORPUS / "packs", system / "packs")
    _core_timer_triggers(system / "packs" / "core")
    shutil.copytree(CORPUS / "tests" / "fixtures" / "packs" / "test_pack", system / "packs" / "test_pack")
    _write(system / "packs" / "test_pack" / "pack.yaml", 'ref: test_pack\nname: Test Pack\nversion: "1.0.0"\n')
    examples = system / "packs" / "examples"
    shutil.copy(CORPUS / "docs" / "examples" / "cache-iteration-workflow-action.yaml", _mkdir(examples / "actions") / "process_cached_users.yaml")
    shutil.copy(CORPUS / "docs" / "examples" / "cache-iteration-workflow.workflow.yaml", _mkdir(examples / "actions" / "workflows") / "process_cached_users.workflow.yaml")
    _write(examples / "pack.yaml", 'ref: examples\nname: Examples\nversion: "1.0.0"\n')
    _write(examples / "actions" / "process_user_batch.yaml", "ref: examples.process_user_batch\nrunner_type: python\nentry_point: process_user_batch.py\n")
    _write(examples / "caches" / "users.yaml", "ref: examples.users\nnamespace: users\nowner_type: pack\nowner_ref: examples\n")
    shutil.copytree(CORPUS / "crates", system / "crates")
    for pack in (system / "packs" / "core", system / "packs" / "test_pack", examples):
        _entry_scripts(pack)
    groups["system"] = system
    # the predecessor repository: its core pack (with a manifest) and its examples pack.
    predecessor = tmp / "predecessor"
    shutil.copytree(CORPUS / "androxxtraxxon", predecessor)
    _write(predecessor / "packs" / "core" / "pack.yaml", 'ref: core\nname: Core Pack\nversion: "1.0.0"\n')
    for pack in ("core", "examples"):
        _entry_scripts(predecessor / "packs" / pack)
    groups["predecessor"] = predecessor
    # the platform catalog files, validated as the core pack that also ships them.
    catalog = tmp / "catalog"
    shutil.copytree(CORPUS / "platform_catalog", catalog / "core")
    _write(catalog / "core" / "pack.yaml", 'ref: core\nname: Core Pack\nversion: "1.0.3"\n')
    groups["catalog"] = catalog
    return groups


def _mkdir(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    return path


LEGACY_SCHEMA = "predecessor file in the retired nested JSON-Schema form (type: object + properties), which pack check rejects"

COMPLETED: dict[tuple[str, str, int, str], str] = {
    ("system", "crates/api/tests/fixtures/pack_load_failure/caches/broken.yaml", 4, "yaml.syntax"): "deliberately malformed YAML",
    ("system", "crates/common/tests/fixtures/release_v1/actions/jar.yaml", 3, "action.release_launch"): "release-format fixture",
    ("system", "crates/common/tests/fixtures/release_v1/actions/native.yaml", 3, "action.release_launch"): "release-format fixture",
    ("system", "packs/core/workflows/install_packs.yaml", 55, "workflow.invalid_legacy_definition"): "does not parse with the current parser",
    ("system", "packs/core/workflows/install_packs.yaml", 190, "key.ignored"): "`output_schema` is never read",
    ("predecessor", "packs/examples/actions/prompt_copilot.yaml", 60, "key.ignored"): "`out_schema` is never read by the loader",
    ("predecessor", "packs/examples/pack.yaml", 23, "manifest.config_not_applied"): "registration never applies `config:`",
    ("predecessor", "packs/core/actions/echo.yaml", 17, "schema.invalid_field"): LEGACY_SCHEMA,
    ("predecessor", "packs/core/actions/echo.yaml", 31, "key.ignored"): "`output_schema` is never read by the loader",
    ("predecessor", "packs/core/actions/echo.yaml", 32, "schema.invalid_field"): LEGACY_SCHEMA + " (pack check validates output_schema too)",
    ("predecessor", "packs/core/actions/enqueue.yaml", 47, "key.ignored"): "`output_schema` is never read by the loader",
    ("predecessor", "packs/core/runtimes/sensor_builtin.yaml", 1, "component.invalid_ref"): (
        "`core.sensor.builtin` has three parts, invalid under today's ref grammar (SOURCE.md says so)"
    ),
    ("predecessor", "packs/core/triggers/crontimer.yaml", 14, "schema.invalid_field"): LEGACY_SCHEMA,
    ("predecessor", "packs/core/triggers/crontimer.yaml", 31, "schema.invalid_field"): LEGACY_SCHEMA,
    ("predecessor", "packs/core/triggers/datetimetimer.yaml", 14, "schema.invalid_field"): LEGACY_SCHEMA,
    ("predecessor", "packs/core/triggers/datetimetimer.yaml", 31, "schema.invalid_field"): LEGACY_SCHEMA,
    ("predecessor", "packs/core/triggers/intervaltimer.yaml", 14, "schema.invalid_field"): LEGACY_SCHEMA,
    ("predecessor", "packs/core/triggers/intervaltimer.yaml", 34, "schema.invalid_field"): LEGACY_SCHEMA,
    **{
        ({"packs/core/pack.yaml": "system", "crates/common/tests/fixtures/release_v1/pack.yaml": "system"}.get(path, "predecessor"),
         path.removeprefix("androxxtraxxon/"), line, "manifest.not_stored"): NOT_STORED
        for path, line in NOT_STORED_PINS
    },
}


def test_corpus_completed(tmp_path):
    groups = completed_corpus(tmp_path)
    found: dict[tuple[str, str, int, str], Finding] = {}
    for group, root in groups.items():
        for (path, line, code), item in pins(run_validate(root), root).items():
            found[(group, path, line, code)] = item
    assert sorted(found) == sorted(COMPLETED)


def test_every_corpus_yaml_file_is_validated_by_the_completed_run(tmp_path):
    groups = completed_corpus(tmp_path)
    checked: set[str] = set()
    for root in groups.values():
        _, texts, _ = validate([root], Config(root=root))
        checked |= {path.name for path in texts}
    corpus_files = {p.name for p in CORPUS.rglob("*.yaml")}
    renamed = {"cache-iteration-workflow-action.yaml", "cache-iteration-workflow.workflow.yaml"}
    assert corpus_files - renamed <= checked
    assert {"process_cached_users.yaml", "process_cached_users.workflow.yaml"} <= checked


def test_validating_the_corpus_is_fast():
    import time

    started = time.perf_counter()
    run_validate(CORPUS)
    assert time.perf_counter() - started < 1.0
