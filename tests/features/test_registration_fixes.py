"""Quick fixes for what registration refuses: drop a misplaced env_vars, rename `constraint`, prefix a bare ref."""

from __future__ import annotations

from pathlib import Path

from packls.features.code_actions import quick_fixes
from packls.features.session import Session
from tests.features.conftest import NEWEST, edit
from tests.features.test_editing import apply


def fixes(session: Session, path: Path, text: str, code: str) -> dict[str, str]:
    edit(session, path, text)
    source = session.source(path)
    assert source is not None
    found = [f for f in session.findings(path) if f.code == code]
    assert found, f"no {code} in {[f.code for f in session.findings(path)]}"
    return {fix.title: apply(text, list(fix.edits)) for fix in quick_fixes(session, source, found)}


def test_a_misplaced_env_vars_block_is_removed(session: Session, pack: Path) -> None:
    text = NEWEST + "env_vars:\n  LOG: debug\n  ATTUNE_X: y\ntimeout_seconds: 5\n"
    result = fixes(session, pack / "actions/newest.yaml", text, "environment.invalid")
    assert result == {"Remove 'env_vars'": NEWEST + "timeout_seconds: 5\n"}


def test_a_flow_style_env_vars_is_removed_with_its_comma(session: Session, pack: Path) -> None:
    (pack / "actions/workflows").mkdir()
    head = 'version: "1.0"\ntasks:\n  - {name: a, '
    text = head + "env_vars: {X: y}, action: demo.newest}\n  - {name: b, action: demo.newest, env_vars: {}}\n"
    path = pack / "actions/workflows/flow.workflow.yaml"
    edit(session, path, text)
    source = session.source(path)
    assert source is not None
    found = [f for f in session.findings(path) if f.code == "environment.invalid"]
    results = [apply(text, list(fix.edits)) for fix in quick_fixes(session, source, found)]
    assert results == [
        head + "action: demo.newest}\n  - {name: b, action: demo.newest, env_vars: {}}\n",
        head + "env_vars: {X: y}, action: demo.newest}\n  - {name: b, action: demo.newest}\n",
    ]


def test_a_misspelt_constraints_key_is_renamed(session: Session, pack: Path) -> None:
    text = "ref: demo.ops\ngrants:\n  - resource: actions\n    actions: [read]\n    constraint: {refs: [demo.newest]}\n"
    result = fixes(session, pack / "permission_sets/ops.yaml", text, "permission_set.invalid_grants")
    assert result == {"Rename 'constraint' to 'constraints'": text.replace("constraint:", "constraints:")}


def test_a_bare_ref_gets_its_pack_prefix(session: Session, pack: Path) -> None:
    edit(session, pack / "permission_sets/ops.yaml", "ref: demo.ops\ngrants: []\n")
    text = NEWEST + "default_execution_permission_set_refs: [ops]\n"
    result = fixes(session, pack / "actions/newest.yaml", text, "permission_refs.unavailable")
    assert result == {"Replace with demo.ops": text.replace("[ops]", "[demo.ops]")}


def test_a_manifest_key_is_renamed_to_the_name_registration_stores(session: Session, pack: Path) -> None:
    text = 'ref: demo\nversion: "1.0.0"\nconf_schema:\n  url: {type: string}\n'
    result = fixes(session, pack / "pack.yaml", text, "manifest.not_stored")
    assert result == {"Rename 'conf_schema' to 'config_schema'": text.replace("conf_schema", "config_schema")}
