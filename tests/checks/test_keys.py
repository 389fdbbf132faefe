"""Keys Attune does not read: unknown keys warn, misspelled keys that matter fail, harmless leftovers stay quiet."""

from __future__ import annotations

from pathlib import Path

from packls.cli import exit_code
from packls.findings import Severity
from tests.checks.helpers import only, run

ACTION = "ref: demo.run\nrunner_type: native\nentry_point: run\n"


def test_a_misspelled_runner_type_is_an_error_that_names_the_default_and_renames(tmp_path: Path) -> None:
    found = only(run(tmp_path, {"actions/run.yaml": "ref: demo.run\nrunner_typ: python\nentry_point: run.py\n", "actions/run.py": ""}), "key.misspelled")
    assert [(f.severity, f.message, f.data) for f in found] == [(
        Severity.ERROR,
        "Attune does not read 'runner_typ', so runner_type keeps its default (shell); rename it to 'runner_type'",
        {"rename_to": "runner_type"},
    )]
    assert exit_code(found, "error") == 1  # the default --fail-on fails CI: the action would run under shell


def test_a_misspelled_key_without_a_default_says_it_is_not_set(tmp_path: Path) -> None:
    found = only(run(tmp_path, {"actions/run.yaml": ACTION + "runtime_verison: \">=3.12\"\n"}), "key.misspelled")
    assert [f.message for f in found] == ["Attune does not read 'runtime_verison', so runtime_version is not set; rename it to 'runtime_version'"]


def test_a_near_miss_of_a_documentation_key_is_an_unknown_key_warning_with_the_key_meant(tmp_path: Path) -> None:
    found = run(tmp_path, {"actions/run.yaml": ACTION + "descripton: Runs it\n"})
    assert [(f.code, f.severity, f.data) for f in found] == [("key.unknown", Severity.WARNING, {"rename_to": "description"})]
    assert "did you mean 'description'?" in found[0].message


def test_a_near_miss_of_a_key_that_is_also_set_is_only_a_leftover(tmp_path: Path) -> None:
    text = ACTION.replace("runner_type: native\n", "runner_type: native\nrunner_typ: python\n")
    found = run(tmp_path, {"actions/run.yaml": text})
    assert [(f.code, f.data) for f in found] == [("key.unknown", {"delete": True})]
    assert "'runner_type' is also set" in found[0].message
    assert [r.message for r in found[0].related] == ["'runner_type' is set here"]


def test_a_key_far_from_every_known_key_is_unknown_without_a_guess(tmp_path: Path) -> None:
    found = run(tmp_path, {"actions/run.yaml": ACTION + "owner_team: payments\n"})
    assert [(f.code, f.message) for f in found] == [(
        "key.unknown", "Attune does not read 'owner_team' here, so it has no effect; remove it (or name it x-owner_team to keep it as a note)",
    )]


def test_keys_marked_as_private_notes_are_never_reported(tmp_path: Path) -> None:
    assert run(tmp_path, {"actions/run.yaml": ACTION + "x-owner: payments\n_note: keep\n"}) == []


def test_unknown_keys_inside_a_parameter_definition_are_reported_there(tmp_path: Path) -> None:
    text = ACTION + "parameters:\n  ids:\n    type: array\n    max_items: 50\n    key_ref: true\n"
    found = run(tmp_path, {"actions/run.yaml": text})
    assert [(f.code, f.data) for f in found] == [("key.unknown", {"rename_to": "maxItems"}), ("key.unknown", {"delete": True})]


def test_every_json_schema_keyword_is_a_known_key_of_a_parameter(tmp_path: Path) -> None:
    text = ACTION + (
        "parameters:\n  ids:\n    type: array\n    uniqueItems: true\n    contains: {type: string}\n"
        "    $comment: ids\n    deprecated: false\n  n:\n    type: number\n    multipleOf: 5\n    exclusiveMinimum: 0\n"
    )
    assert run(tmp_path, {"actions/run.yaml": text}) == []


def test_retries_on_an_action_is_reported_because_nothing_retries(tmp_path: Path) -> None:
    found = run(tmp_path, {"actions/run.yaml": ACTION + "retries: 3\n"})
    assert [(f.code, f.severity) for f in found] == [("key.ignored", Severity.WARNING)]
    assert "retry: {count: 3, delay: 10}" in found[0].message


def test_immutable_from_stackstorm_is_reported_as_ignored(tmp_path: Path) -> None:
    found = run(tmp_path, {"actions/run.yaml": ACTION + "parameters:\n  cmd: {type: string, default: ls, immutable: true}\n"})
    assert [f.code for f in found] == ["key.ignored"]
    assert "can still pass another value" in found[0].message


RUNTIME = 'ref: demo.py\nname: DemoPy\npack_ref: {pack}\nexecution_config: {{interpreter: {{binary: python3}}}}\n'


def test_pack_ref_naming_the_installing_pack_is_harmless(tmp_path: Path) -> None:
    files = {
        "runtimes/py.yaml": RUNTIME.format(pack="demo"),
        "rules/r.yaml": "ref: demo.r\npack_ref: demo\ntrigger_ref: core.alert\naction_ref: demo.run\n",
        "actions/run.yaml": ACTION,
    }
    assert run(tmp_path, files) == []


def test_pack_ref_naming_another_pack_is_reported_with_the_pack_that_owns_it(tmp_path: Path) -> None:
    found = run(tmp_path, {"runtimes/py.yaml": RUNTIME.format(pack="core")})
    assert [f.code for f in found] == ["key.ignored"]
    assert "belongs to the pack that installs it, 'demo', not 'core'" in found[0].message


def test_the_retired_schema_wrapper_is_walked_as_its_fields_so_field_names_are_not_taken_for_keywords(tmp_path: Path) -> None:
    # `count` is close to `const`: read as a keyword of a field, it used to be guessed as a misspelling.
    text = ACTION + (
        "parameters:\n  type: object\n  properties:\n    count:\n      type: integer\n      defualt: 1\n"
        "    name: {type: string}\n  required: []\n"
    )
    found = run(tmp_path, {"actions/run.yaml": text})
    assert sorted((f.code, f.data and f.data.get("rename_to")) for f in found) == [
        ("key.misspelled", "default"),  # a real misspelling inside a field of the wrapper
        ("schema.invalid_field", None),  # the wrapper itself (pack check's finding)
    ]
