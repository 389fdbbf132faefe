"""Rules whose failing pack cannot be written as a docs example, and details the examples do not pin."""

from __future__ import annotations

from packls.checks import check_workspace, iter_findings
from packls.facts import RegistryFacts, VersionAvailability
from packls.workspace import Workspace
from tests.checks.helpers import codes, make_pack, only, run

ACTION = "ref: demo.run\nrunner_type: python\nentry_point: run.py\n"


def test_metadata_unreadable_for_bytes_that_are_not_utf8(tmp_path):
    findings = run(tmp_path, {"actions/run.yaml": b"ref: demo.run\ndescription: caf\xe9\n"})
    [item] = only(findings, "metadata.unreadable")
    assert "not UTF-8" in item.message


def test_metadata_file_too_large(tmp_path):
    findings = run(tmp_path, {"actions/big.yaml": "ref: demo.big\nrunner_type: native\nentry_point: big\n" + "# x\n" * 300_000})
    [item] = only(findings, "limits.metadata_file_too_large")
    assert item.message == "Metadata file exceeds 1048576 bytes"


def test_metadata_files_exceeded(tmp_path, monkeypatch):
    monkeypatch.setattr("packls.checks.files.MAX_METADATA_FILES", 3)
    files = {f"triggers/t{i}.yaml": f"ref: demo.t{i}\n" for i in range(4)}
    [item] = only(run(tmp_path, files), "limits.metadata_files_exceeded")
    assert item.path.name == "pack.yaml" and item.message == "Pack contains more than 3 metadata files"


def test_traversed_entries_exceeded(tmp_path, monkeypatch):
    monkeypatch.setattr("packls.workspace.MAX_TRAVERSED_ENTRIES", 5)
    monkeypatch.setattr("packls.checks.files.MAX_TRAVERSED_ENTRIES", 5)
    files = {f"lib/f{i}.txt": "" for i in range(10)}
    [item] = only(run(tmp_path, files), "limits.traversed_entries_exceeded")
    assert item.message == "Pack traversal exceeds 5 entries"


def test_runtime_version_unavailable_uses_synced_availability(tmp_path):
    root = make_pack(tmp_path, {"actions/run.yaml": ACTION + 'runtime_version: ">=3.13"\n', "actions/run.py": ""})
    facts = RegistryFacts(availability={
        ("core.python", v): VersionAvailability("core.python", v, v != "3.13") for v in ("3.11", "3.12", "3.13")
    })
    workspace = Workspace.load([root], facts)
    found = list(iter_findings(check_workspace(workspace)))
    assert codes(found) == ["runtime_version.unavailable"]


def test_every_duplicate_key_is_reported_with_both_spans(tmp_path):
    text = "ref: demo.run\nref: demo.other\nrunner_type: native\nentry_point: run\nref: demo.third\n"
    findings = only(run(tmp_path, {"actions/run.yaml": text}), "yaml.duplicate_key")
    assert [text[f.span.start : f.span.end] for f in findings] == ["ref", "ref"]
    assert all(f.related[0].span.start == 0 for f in findings)


def test_constraint_traps_carry_what_was_meant(tmp_path):
    findings = run(tmp_path, {"actions/run.yaml": ACTION + 'runtime_version: ">=3.*"\n', "actions/run.py": ""})
    [item] = findings
    assert item.code == "constraint.wildcard_operator" and item.data == {"meant": ">=3"}
    findings = run(tmp_path, {"actions/run.yaml": ACTION + 'runtime_version: ">=3.11, <=3.12"\n'})
    [trap] = only(findings, "constraint.inclusive_partial")
    text = (tmp_path / "demo" / "actions" / "run.yaml").read_text()
    assert text[trap.span.start : trap.span.end] == "<=3.12" and trap.data == {"meant": "<3.13"}


def test_required_worker_runtimes_get_the_same_traps(tmp_path):
    action = "ref: demo.run\nrunner_type: native\nentry_point: run\nrequired_worker_runtimes: {nodejs: \"20\", go: \"*\"}\n"
    assert codes(run(tmp_path, {"actions/run.yaml": action})) == ["constraint.bare_major"]


def test_legacy_schema_wrapper_is_one_finding_with_a_note(tmp_path):
    trigger = "ref: demo.t\nparameters:\n  type: object\n  properties:\n    unit: {type: string}\n  required: [unit]\n"
    [item] = run(tmp_path, {"triggers/t.yaml": trigger})
    assert item.code == "schema.invalid_field" and item.message == "Each 'parameters' entry must have a string name and object definition"
    assert "move each entry of `properties` up one level" in item.related[0].message


def test_env_vars_and_versions_are_typed_like_attune(tmp_path):
    runtime = (
        "ref: demo.py\nname: DemoPy\nexecution_config: &base\n  interpreter: {binary: python3}\n"
        "  env_vars: {PYTHONPATH: {value: lib, operation: prefix}}\n"
        "versions:\n  - version: \"3.12\"\n    execution_config:\n      interpreter: {binary: python3.12, args: -u}\n"
    )
    found = only(run(tmp_path, {"runtimes/py.yaml": runtime}), "execution_config.invalid")
    assert [f.message.split(";")[0] for f in found] == [
        "execution_config.env_vars.PYTHONPATH: data did not match any variant of untagged enum RuntimeEnvVarConfig",
        'versions[0].execution_config.interpreter.args: invalid type: string "-u", expected a sequence',
    ]


def test_suppression_comments_work_end_to_end(tmp_path):
    action = ACTION + "timeout: 30  # packls: ignore[key.ignored]\n"
    assert run(tmp_path, {"actions/run.yaml": action, "actions/run.py": ""}) == []


def test_requirements_file_skips_options_comments_and_urls(tmp_path):
    requirements = (
        "# tools\n-r base.txt\n--index-url https://example.org/simple\nrequests>=2.28  # http\n"
        "git+https://example.org/x.git#egg=x\n./local-wheel.whl\nflask==3.*.1\n"
    )
    findings = run(tmp_path, {"requirements.txt": requirements})
    [item] = findings
    assert item.code == "python.invalid_requirement"
    assert requirements[item.span.start : item.span.end] == "flask==3.*.1"


def test_restricted_visibility_allows_listed_packs(tmp_path):
    files = {
        "rules/r.yaml": "ref: r\ntrigger_ref: core.intervaltimer\naction_ref: ops.restart\n",
        "../ops/pack.yaml": 'ref: ops\nversion: "1.0.0"\n',
        "../ops/actions/restart.yaml": "ref: ops.restart\nrunner_type: native\nentry_point: r\nreference_visibility: Restricted\nreference_allowed_pack_refs: [other]\n",
    }
    [item] = run(tmp_path, files)
    assert item.code == "reference.not_visible" and "Restricted to pack 'ops'" in item.message


def test_nested_parallel_tasks_are_checked_for_refs(tmp_path):
    workflow = (
        'version: "1"\ntasks:\n  - name: fan\n    type: parallel\n    tasks:\n'
        "      - name: one\n        action: demo.missing\n"
    )
    [item] = run(tmp_path, {"actions/workflows/w.yaml": workflow})
    assert item.code == "reference.missing_local_target"
    assert item.message == "workflow references missing local action 'demo.missing'"


def test_templated_task_actions_are_not_refs(tmp_path):
    workflow = 'version: "1"\ntasks:\n  - name: dyn\n    action: "{{ parameters.action }}"\n'
    assert run(tmp_path, {"actions/workflows/w.yaml": workflow}) == []


def test_runtime_deps_in_the_dependency_dialect(tmp_path):
    manifest = 'ref: demo\nversion: "1.0.0"\nruntime_deps: [shell, "python3>=3.8", "node^20", "python>=3.12rc1"]\n'
    [item] = run(tmp_path, {"pack.yaml": manifest})
    assert item.code == "runtime_deps.invalid" and "'python>=3.12rc1'" in item.message


def test_ignored_yaml_in_a_nested_folder_is_reported_once(tmp_path):
    findings = run(tmp_path, {"actions/nested/x.yaml": "ref: demo.x\n", "docs/notes.yml": "a: 1\n"})
    assert [(f.code, f.path.relative_to(tmp_path / "demo").as_posix()) for f in findings] == [
        ("metadata.ignored_location", "actions/nested/x.yaml"),
        ("metadata.ignored_location", "docs/notes.yml"),
    ]


def test_core_pack_refs_are_never_errors_without_the_core_pack(tmp_path):
    rule = "ref: r\ntrigger_ref: core.intervaltimer\naction_ref: core.http_request\npermission_set_refs: [core.key_creator]\n"
    assert run(tmp_path, {"rules/r.yaml": rule}) == []


def _workspace_with_index(tmp_path, dependencies: str, unusable: tuple[str, ...] = ()) -> list:
    from packls.facts import IndexedPack

    root = make_pack(tmp_path, {"pack.yaml": f'ref: demo\nversion: "1.0.0"\ndependencies: {dependencies}\n'})
    facts = RegistryFacts(
        packs={"slack": IndexedPack("slack", "1.4.0", index_url="https://index.example/index.json")},
        indexes_synced=True,
        unusable_indexes=unusable,
    )
    return list(iter_findings(check_workspace(Workspace.load([root], facts))))


def test_dependencies_are_checked_against_synced_indexes(tmp_path):
    assert codes(_workspace_with_index(tmp_path, "[slack, core]")) == []
    [item] = _workspace_with_index(tmp_path, "[slakc]")
    assert item.code == "dependency.unknown_pack" and "slakc" in item.message


def test_unknown_dependencies_are_not_reported_before_any_index_sync(tmp_path):
    root = make_pack(tmp_path, {"pack.yaml": 'ref: demo\nversion: "1.0.0"\ndependencies: [slakc]\n'})
    assert codes(list(iter_findings(check_workspace(Workspace.load([root]))))) == []


def test_a_higher_priority_index_without_a_snapshot_fails_closed(tmp_path):
    [item] = _workspace_with_index(tmp_path, "[slakc]", unusable=("https://first.example/index.json",))
    assert "fails closed" in item.message and "https://first.example/index.json" in item.message


def test_ref_at_version_is_matched_with_the_version_core(tmp_path):
    assert codes(_workspace_with_index(tmp_path, '["slack@^1.4", "slack@1.4", "slack@latest"]')) == []
    [item] = _workspace_with_index(tmp_path, '["slack@^2.0"]')
    assert item.code == "dependency.version_mismatch" and "1.4.0" in item.message
    assert item.span.end - item.span.start == len("^2.0")


def test_yaml_in_hidden_folders_is_reported_like_pack_check_walks_it(tmp_path):
    # pack_check.rs@776988df find_ignored_yaml walks the whole pack with walkdir and skips no hidden entry.
    findings = run(tmp_path, {".github/workflows/ci.yml": "on: push\n", ".hidden.yaml": "a: 1\n"})
    assert sorted((f.code, f.path.relative_to(tmp_path / "demo").as_posix()) for f in findings) == [
        ("metadata.ignored_location", ".github/workflows/ci.yml"),
        ("metadata.ignored_location", ".hidden.yaml"),
    ]


def test_excluded_ci_files_are_not_reported(tmp_path):
    (tmp_path / "packls.toml").write_text('exclude = [".github"]\n', encoding="utf-8")
    assert run(tmp_path, {".github/workflows/ci.yml": "on: push\n"}) == []


def test_a_null_dir_name_empties_the_typed_execution_config(tmp_path):
    # models.rs EnvironmentConfig: `#[serde(default = …)] dir_name: String` — the default covers an absent
    # key only, so `dir_name: null` fails the whole config and parsed_execution_config falls back to empty.
    runtime = (
        "ref: demo.py\nname: Py\nexecution_config:\n  interpreter: {binary: python3}\n"
        "  environment:\n    env_type: virtualenv\n    dir_name: null\n"
    )
    [item] = run(tmp_path, {"runtimes/py.yaml": runtime})
    assert item.code == "execution_config.invalid" and "dir_name" in item.message
    assert runtime[item.span.start:item.span.end] == "null"


def test_a_metadata_folder_that_cannot_be_listed_is_reported_on_the_manifest(tmp_path, monkeypatch):
    import os

    root = tmp_path / "demo"
    files = {"actions/run.yaml": "ref: demo.run\nrunner_type: native\nentry_point: run\n", "actions/run": "x"}
    from tests.checks.helpers import make_pack

    make_pack(tmp_path, files)
    real_scandir = os.scandir
    blocked = str(root / "actions")

    def scandir(path="."):  # the OS refusing to list one folder (root could list a mode-000 folder)
        if os.fspath(path) == blocked:
            raise PermissionError(13, "Permission denied", blocked)
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    [item] = run(tmp_path)
    assert item.code == "metadata.directory_unreadable" and item.path == root / "pack.yaml"
    assert item.message.startswith("cannot list actions/ (Permission denied)")
