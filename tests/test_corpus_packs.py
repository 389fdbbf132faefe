"""packls on 18 public `attune-packs` repositories: every finding is pinned, each with the reason it is true.

tests/data/corpus/attune-packs is a byte-for-byte copy of shared/corpus/attune-packs (its SOURCE.md
says where each file comes from). tests/data/attune-packs.pins.tsv lists every finding packls
reports on it (path, line, code) with a reason key explained in REASONS below. A new finding, or
a pinned one that disappears, fails the test: a new finding on a real pack is either true (pin it
with its reason) or a false positive (fix packls).
"""

from __future__ import annotations

from pathlib import Path

from packls.cli import validate
from packls.config import Config
from tests.test_corpus import pins

DATA = Path(__file__).resolve().parent / "data"
CORPUS = DATA / "corpus" / "attune-packs"
PINS = DATA / "attune-packs.pins.tsv"

REASONS = {
    "output_schema": (
        "action `output_schema:`: the loader reads only `output` (loader.rs load_actions), so the output schema is "
        "dropped; pack check validates both names, so nothing else warns"
    ),
    "immutable": (
        "StackStorm's `immutable: true` on a parameter: params.rs passes it into the JSON Schema, where the jsonschema "
        "crate ignores unknown keywords, and the web UI's ParamSchemaProperty has no such field; nothing enforces it"
    ),
    "action_timeout": "action `timeout:`: the loader reads `timeout_seconds` only",
    "key_ref": (
        "`key_ref: true` in a parameter: no Attune code reads it (not params.rs, not secret_values.rs, not the UI's "
        "ParamSchemaForm); the jsonschema crate ignores unknown keywords"
    ),
    "snake_case_keyword": "`max_items` / `max_length` / `min_items`: JSON Schema spells them maxItems / maxLength / minItems; the crate ignores these",
    "manifest_extra_key": "pack.yaml `python_versions:`: register_pack_internal and pack check read a fixed set of keys, not this one",
    "config_not_applied": "pack.yaml `config:`: registration creates a pack with an empty config and keeps the user's on update",
    "dependencies_not_array": "pack.yaml `dependencies: {}`: pack check's optional_type requires an array (metadata.invalid_field_type)",
    "stackstorm_runner": (
        "`runner_type: python-script` (a StackStorm runner): not a loader alias, ref or runtime name in the azure "
        "pack or the platform catalog, so the action gets no runtime"
    ),
    "type_any": (
        "`type: any` in an action's parameters: not a JSON Schema type; the jsonschema crate refuses to compile the "
        "schema, so rule creation through the API fails ('Invalid parameter schema')"
    ),
    "manifest_not_stored": (
        "pack.yaml `label` / `conf_schema` / `meta` / `tags` (non-empty, no equal `name` / `config_schema` / "
        "`metadata` / `keywords` beside it): pack check validates these names, but register_pack_internal "
        "(routes/packs.rs@e76cd03a), which every API path runs (register, upload, install), reads only the "
        "others, so the value is never stored; these packs are installed through the API, not bundled"
    ),
}


def pinned() -> dict[tuple[str, int, str], str]:
    """The pins file: (path, line, code) → reason key."""
    found: dict[tuple[str, int, str], str] = {}
    for line in PINS.read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#"):
            continue
        path, number, code, reason = line.split("\t")
        found[(path, int(number), code)] = reason
    return found


def test_every_finding_on_the_attune_packs_corpus_is_pinned_with_a_reason():
    findings, texts, files = validate([CORPUS], Config(root=CORPUS))
    assert files == 603
    expected = pinned()
    assert sorted(pins(findings, CORPUS)) == sorted(expected)
    assert set(expected.values()) <= set(REASONS)


def test_every_reason_is_used():
    assert set(pinned().values()) == set(REASONS)


def test_every_pack_of_the_corpus_is_checked():
    packs = {path.parent.name for path in CORPUS.glob("*/pack.yaml")}
    assert len(packs) == 18
    findings, texts, _ = validate([CORPUS], Config(root=CORPUS))
    assert {path.relative_to(CORPUS).parts[0] for path in texts} == packs


def test_resolve_lists_every_action_and_sensor_and_only_the_stackstorm_runners_are_unresolved(capsys):
    import json

    from packls.cli import main

    assert main(["resolve", "--format", "json", "--no-config", str(CORPUS)]) == 1  # the azure actions: runner_type.unknown errors
    listed = json.loads(capsys.readouterr().out)["components"]
    unresolved = {c["path"].split("attune-packs/", 1)[1].split("/", 1)[0] for c in listed if c["unresolved"]}
    assert unresolved == {"azure"}
    assert sum(1 for c in listed if c["unresolved"]) == 60
    assert all(c["runtime"] == "core.python" for c in listed if c["runner_type"] == "python")
