"""schema.unknown_type: a `type` the jsonschema crate rejects, where Attune's API validates against the schema."""

from __future__ import annotations

from pathlib import Path

from tests.checks.helpers import only, run

ACTION = "ref: demo.run\nrunner_type: native\nentry_point: run\n"


def unknown_types(tmp_path: Path, files: dict[str, str]) -> list[tuple[str, dict | None]]:
    return [(f.message.split(":", 1)[0], f.data) for f in only(run(tmp_path, files), "schema.unknown_type")]


def test_a_typo_gets_the_type_meant(tmp_path: Path) -> None:
    found = only(run(tmp_path, {"actions/run.yaml": ACTION + "parameters:\n  name: {type: strng}\n"}), "schema.unknown_type")
    assert [f.data for f in found] == [{"type": "strng", "replacement": "string"}]
    assert ("creating a rule for this action through the API fails, and so does an update that sets such a rule's action or "
            "action parameters" in found[0].message)
    assert found[0].message.endswith("did you mean 'string'?")


def test_type_names_from_other_languages_map_to_json_schema_types(tmp_path: Path) -> None:
    text = ACTION + "parameters:\n  a: {type: str}\n  b: {type: int}\n  c: {type: dict}\n  d: {type: float}\n"
    assert [data["replacement"] for _, data in unknown_types(tmp_path, {"actions/run.yaml": text})] == ["string", "integer", "object", "number"]


def test_any_is_reported_with_the_fix_that_fits_where_it_is(tmp_path: Path) -> None:
    text = ACTION + "parameters:\n  value: {type: any}\n  values: {type: array, items: {type: any}}\n"
    found = only(run(tmp_path, {"actions/run.yaml": text}), "schema.unknown_type")
    assert [f.message.split(":", 1)[0] for f in found] == ["parameters.value", "parameters.values.items"]
    assert found[0].message.endswith("write the type callers pass (pack check needs one here)")
    assert found[1].message.endswith("remove `type` to accept any value")


def test_nested_schemas_and_type_lists_are_checked(tmp_path: Path) -> None:
    text = ACTION + (
        "parameters:\n  cfg:\n    type: object\n    properties:\n      port: {type: integr}\n"
        "    anyOf:\n      - {type: [string, nul]}\n"
    )
    assert [where for where, _ in unknown_types(tmp_path, {"actions/run.yaml": text})] == [
        "parameters.cfg.properties.port", "parameters.cfg.anyOf",
    ]


def test_trigger_parameters_are_checked_but_output_schemas_are_not(tmp_path: Path) -> None:
    files = {  # output schemas are only searched for `secret: true`, never compiled: an unknown type changes nothing
        "actions/run.yaml": ACTION + "output:\n  data: {type: any}\n",
        "triggers/t.yaml": "ref: demo.t\nparameters:\n  a: {type: any}\noutput:\n  b: {type: strng}\n  c: {type: any}\n",
    }
    found = only(run(tmp_path, files), "schema.unknown_type")
    assert [(f.path.name, f.message.split(":", 1)[0]) for f in found] == [("t.yaml", "parameters.a")]


def test_every_json_schema_type_is_accepted(tmp_path: Path) -> None:
    text = ACTION + "parameters:\n" + "".join(
        f"  f_{t}: {{type: {t}}}\n" for t in ("array", "boolean", "integer", "null", "number", "object", "string")
    )
    assert unknown_types(tmp_path, {"actions/run.yaml": text}) == []


def test_a_subschema_keyword_written_twice_is_read_from_its_first_entry(tmp_path: Path) -> None:
    text = ACTION + "parameters:\n  cfg:\n    type: array\n    items: {type: strng}\n    items: {type: intger}\n"
    assert [message for message, _ in unknown_types(tmp_path, {"actions/run.yaml": text})] == ["parameters.cfg.items"]
    found = only(run(tmp_path, {"actions/run.yaml": text}), "schema.unknown_type")
    assert found[0].data == {"type": "strng", "replacement": "string"}
