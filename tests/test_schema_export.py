"""`packls schema`: JSON Schemas from the key tables, checked by a real validator against real pack files."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import jsonschema
import pytest
import yaml

from packls.cli import main, validate
from packls.config import Config
from packls.findings import Severity
from packls.model import FileKind
from packls.schema.export import KINDS, json_schema
from packls.workspace import Workspace

ROOT = Path(__file__).resolve().parents[1]
TREES = [ROOT / "packs", ROOT / "tests" / "data" / "corpus" / "attune"]
BY_FILE_KIND = {file_kind: name for name, (file_kind, _) in KINDS.items()}


SKIPPED_BY_ATTUNE = "workflow.invalid_legacy_definition"  # a warning, but Attune skips the file


def clean_files(trees: list[Path]) -> list[tuple[str, Path]]:
    """Every pack file of a schema'd kind that Attune accepts (no error, not skipped): it must pass its schema."""
    files = []
    for tree in trees:
        findings, _, _ = validate([tree], Config(root=tree))
        troubled = {f.path for f in findings if f.severity is Severity.ERROR or f.code == SKIPPED_BY_ATTUNE}
        for source in Workspace.load([tree]).sources():
            kind = BY_FILE_KIND.get(source.kind) or ("workflow" if source.kind is FileKind.LEGACY_WORKFLOW else None)
            silenced = "packls: ignore" in source.text  # a finding the author silenced is still there
            if kind is not None and source.path not in troubled and not silenced:
                files.append((kind, source.path))
    return sorted(files, key=lambda pair: str(pair[1]))


def good_examples(root: Path) -> list[Path]:
    """docs/rules.md's good examples (the suite checks they are clean), one folder each."""
    from tests.checks.test_rule_docs import SECTIONS, _materialise

    folders = []
    for code, section in sorted(SECTIONS.items()):
        if section.good.files:
            folder = root / code
            _materialise(folder, code, section.good)
            folders.append(folder)
    return folders


EXAMPLES = Path(tempfile.mkdtemp(prefix="packls-schema-examples-"))
CLEAN = clean_files(TREES + good_examples(EXAMPLES))


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_each_schema_is_valid_draft_2020_12_with_descriptions(kind):
    schema = json_schema(kind)
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert all("description" in spec for spec in schema["properties"].values())


def test_the_corpus_and_example_packs_cover_most_kinds():
    assert {kind for kind, _ in CLEAN} == set(KINDS)
    assert len(CLEAN) > 200


def _id(path: Path) -> str:
    return str(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path.relative_to(EXAMPLES))


@pytest.mark.parametrize(("kind", "path"), CLEAN, ids=[_id(p) for _, p in CLEAN])
def test_files_packls_finds_clean_pass_their_schema(kind, path):
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    errors = sorted(jsonschema.Draft202012Validator(json_schema(kind)).iter_errors(data), key=str)
    assert not errors, [f"{list(e.absolute_path)}: {e.message}" for e in errors]


def test_the_schema_catches_what_the_checks_catch():
    action = jsonschema.Draft202012Validator(json_schema("action"))
    messages = [e.message for e in action.iter_errors({"ref": "demo.a", "runtime_version": 3.12, "parameter_delivery": "env"})]
    assert "3.12 is not of type 'string'" in messages
    assert any("'env'" in m for m in messages)
    assert not list(action.iter_errors({"ref": "demo.a", "parameter_delivery": "STDIN"}))  # Attune lower-cases it
    runtime = jsonschema.Draft202012Validator(json_schema("runtime"))
    assert [e.message for e in runtime.iter_errors({"ref": "demo.py", "name": "Py", "versions": [{"is_default": True}]})] == [
        "'version' is a required property"
    ]


def test_keys_attune_ignores_are_deprecated_with_the_key_it_reads():
    output_schema = json_schema("action")["properties"]["output_schema"]
    assert output_schema["deprecated"] is True and "`output`" in output_schema["description"]


def test_workflow_tasks_nest_through_defs():
    schema = json_schema("workflow")
    assert "$defs" in schema and "$ref" in json.dumps(schema["properties"])


def test_cli_prints_one_kind_lists_kinds_and_writes_all(tmp_path, capsys):
    assert main(["schema", "action"]) == 0
    assert json.loads(capsys.readouterr().out) == json_schema("action")
    assert main(["schema"]) == 0
    assert [line.split()[0] for line in capsys.readouterr().out.splitlines()] == list(KINDS)
    assert main(["schema", "--output-dir", str(tmp_path / "s")]) == 0
    settings = json.loads(capsys.readouterr().out)["yaml.schemas"]
    assert settings[(tmp_path / "s" / "action.schema.json").as_posix()] == ["**/actions/*.yaml", "**/actions/*.yml"]
    assert sorted(p.name for p in (tmp_path / "s").iterdir()) == sorted(f"{k}.schema.json" for k in KINDS)
