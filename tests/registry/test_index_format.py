"""Pack index validation: Attune's format "1.0", strict everywhere the format is strict."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from packls.registry.index_format import IndexFormatError, parse_index

from .support import index_bytes, standard_index


def test_the_standard_index_shape_validates_into_entries() -> None:
    index = parse_index(index_bytes(standard_index()))

    assert index.registry_name == "Test Standard Index"
    assert [(p.ref, p.version) for p in index.packs] == [("ansible", "0.1.0"), ("slack", "2.1.0")]
    ansible = index.packs[0]
    assert ansible.runtime_deps == ("python",)
    assert ansible.contents["actions"] == ("playbook_run",)
    assert [s.type for s in ansible.install_sources] == ["archive", "git"]


def test_indexed_packs_list_git_sources_first_and_carry_the_index() -> None:
    packs = parse_index(index_bytes(standard_index())).indexed_packs("https://example.org/index.json", 5)

    assert packs[0].sources == (
        "https://github.com/attune-packs/ansible.git",
        "https://codeload.github.com/attune-packs/ansible/tar.gz/06152b8c1ceba864a3cb0e91bb268bfd82cac639",
    )
    assert (packs[0].index_url, packs[0].index_priority) == ("https://example.org/index.json", 5)


def test_canonical_json_round_trips_to_the_same_index() -> None:
    first = parse_index(index_bytes(standard_index()))

    assert parse_index(first.canonical_json) == first


def _mutated(change) -> bytes:
    document = standard_index()
    change(document)
    return index_bytes(document)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d.update(extra=1), "index: unknown field 'extra'"),
        (lambda d: d["packs"][0].update(stars=3), "packs[0]: unknown field 'stars'"),
        (lambda d: d["packs"][0]["install_sources"][0].update(mirror="x"), "unknown field 'mirror'"),
        (lambda d: d["packs"][0]["contents"].update(dashboards=[]), "unknown field 'dashboards'"),
        (lambda d: d["packs"][0]["dependencies"].update(ruby_version="3"), "unknown field 'ruby_version'"),
        (lambda d: d.pop("last_updated"), "missing required field 'last_updated'"),
        (lambda d: d["packs"][1].pop("license"), "packs[1]: missing required field 'license'"),
        (lambda d: d.update(version="2.0"), "unsupported index format '2.0'"),
        (lambda d: d["packs"][0].update(ref="Ansible"), "does not match ^[a-z][a-z0-9_-]*$"),
        (lambda d: d["packs"][0].update(ref="9lives"), "does not match"),
        (lambda d: d["packs"][0].update(version="1.2"), "is not a semantic version"),
        (lambda d: d["packs"][0].update(version="v1.2.3"), "is not a semantic version"),
        (lambda d: d["packs"][0]["install_sources"][0].update(checksum="sha256:ABC"), "sha256:<64 lowercase hex>"),
        (lambda d: d["packs"][0]["install_sources"][0].update(checksum="sha512:" + "a" * 128), "sha256:<64"),
        (lambda d: d["packs"][0]["install_sources"][0].update(checksum="sha256:" + "A" * 64), "sha256:<64"),
        (lambda d: d["packs"][0]["install_sources"][0].update(url="http://example.org/a.tgz"), "not an https URL"),
        (lambda d: d["packs"][0]["install_sources"][0].update(url="https://u:p@example.org/a"), "not an https URL"),
        (lambda d: d["packs"][0]["install_sources"][0].update(url="https://example.org/a?x=1"), "not an https URL"),
        (lambda d: d["packs"][0]["install_sources"][0].update(type="svn"), "expected 'git' or 'archive'"),
        (lambda d: d["packs"][0]["install_sources"][1].pop("ref"), "missing required field 'ref'"),
        (lambda d: d["packs"][0].update(install_sources=[]), "expected a non-empty array"),
        (lambda d: d["packs"][0].update(keywords=["a", "a"]), "items must be unique"),
        (lambda d: d["packs"][0].update(keywords="ansible"), "expected an array of strings"),
        (lambda d: d["packs"][0].update(label=""), "must not be empty"),
        (lambda d: d["packs"][0].update(repository="http://github.com/x"), "must be an https URL"),
        (lambda d: d["packs"][0]["meta"].update(stars=-1), "expected an integer >= 0"),
        (lambda d: d.update(registry_url="ftp://example.org"), "registry_url"),
        (lambda d: d.update(last_updated="yesterday"), "not an ISO 8601 date-time"),
        (lambda d: d["packs"].append(d["packs"][0]), "duplicate pack ref 'ansible'"),
        (lambda d: d.update(packs={}), "packs: expected an array"),
    ],
)
def test_any_violation_rejects_the_whole_index(change, message: str) -> None:
    with pytest.raises(IndexFormatError, match=_escape(message)):
        parse_index(_mutated(change))


def test_meta_is_free_form_beyond_its_typed_keys() -> None:
    document = standard_index()
    document["packs"][0]["meta"].update(default_branch="main", anything={"nested": True})

    assert parse_index(index_bytes(document)).packs[0].ref == "ansible"


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b'{"a": 1, "a": 2}', "duplicate key 'a'"),
        (b'{"registry_name": NaN}', "NaN is not valid JSON"),
        (b'{"registry_name": "x"', "invalid JSON"),
        (b"\xff\xfe{}", "not UTF-8"),
        (b"[]", "index: expected an object"),
    ],
)
def test_the_json_itself_is_read_strictly(raw: bytes, message: str) -> None:
    with pytest.raises(IndexFormatError, match=_escape(message)):
        parse_index(raw)


def test_the_error_names_the_path_to_the_offending_value() -> None:
    document = standard_index()
    document["packs"][1]["contents"]["actions"] = [{"name": "post", "description": 3}]

    with pytest.raises(IndexFormatError) as caught:
        parse_index(json.dumps(document))

    assert str(caught.value) == "packs[1].contents.actions[0].description: expected a string"


def test_every_problem_is_reported_at_once() -> None:
    document = standard_index()
    document.pop("last_updated")
    document["packs"][0].update(version="1.2", stars=3)
    document["packs"][0]["install_sources"][0]["checksum"] = "sha256:ABC"
    document["packs"][1].pop("license")
    document["packs"][1]["contents"]["actions"] = [{"name": "", "description": 3}]

    with pytest.raises(IndexFormatError) as caught:
        parse_index(json.dumps(document))

    assert caught.value.problems == [
        "index: missing required field 'last_updated'",
        "packs[0]: unknown field 'stars'",
        "packs[0].version: '1.2' is not a semantic version (MAJOR.MINOR.PATCH)",
        "packs[0].install_sources[0].checksum: expected sha256:<64 lowercase hex>, got 'sha256:ABC'",
        "packs[1]: missing required field 'license'",
        "packs[1].contents.actions[0].name: must not be empty",
        "packs[1].contents.actions[0].description: expected a string",
    ]
    assert str(caught.value).startswith("7 problems: index: missing required field 'last_updated'; packs[0]: unknown")


def test_the_documented_example_index_is_valid() -> None:
    docs = (Path(__file__).resolve().parents[2] / "docs" / "registry.md").read_text(encoding="utf-8")
    example = docs.split("```json file=index.json\n", 1)[1].split("```", 1)[0]
    index = parse_index(example)
    assert [pack.ref for pack in index.packs] == ["data_tools"]


def _escape(text: str) -> str:
    import re

    return re.escape(text)
