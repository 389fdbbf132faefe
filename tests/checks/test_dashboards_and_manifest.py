"""Dashboards (loader.rs and dashboard_spec.rs) and the manifest names registration stores (routes/packs.rs@e76cd03a)."""

from __future__ import annotations

import pytest

from tests.checks.helpers import codes, only, run

SPEC = "layout: {breakpoints: {lg: {columns: 12}, sm: {columns: 4}}}\ndata_sources: {events: {type: event_count}}\n"
CARD = "{id: events, source: events, position: {lg: {x: 0, y: 0, w: 6, h: 4}, sm: {x: 0, y: 0, w: 4, h: 4}}}"


def dashboard(extra: str = "", cards: str = f"cards: [{CARD}]\n") -> str:
    return "ref: ops\nlabel: Operations\n" + extra + SPEC + cards


def test_a_complete_dashboard_is_clean(tmp_path):
    assert run(tmp_path, {"dashboards/ops.yaml": dashboard("scope_type: Identity\nvisibility: ' public '\n")}) == []


@pytest.mark.parametrize("line, shown", [("scope_type: tenant", "scope_type 'tenant'"), ("visibility: everyone", "visibility 'everyone'")])
def test_scopes_and_visibilities_the_loader_skips(tmp_path, line, shown):
    [item] = only(run(tmp_path, {"dashboards/ops.yaml": dashboard(line + "\n")}), "dashboard.skipped")
    assert shown in item.message and item.severity.label == "warning"


def test_a_non_string_scope_is_read_as_the_default(tmp_path):
    found = run(tmp_path, {"dashboards/ops.yaml": dashboard("scope_type: [pack]\n")})
    assert codes(found) == ["value.wrong_type"] and "default 'pack'" in found[0].message


@pytest.mark.parametrize("text, words", [
    ("ref: ops\ncards: []\n", "needs a 'data_sources' mapping"),
    ("ref: ops\ndata_sources: {}\ncards: {}\n", "needs a 'cards' list"),
    ("ref: ops\ndata_sources: {}\ncards: []\nlayout: {}\n", "needs a 'layout.breakpoints' mapping"),
    ("ref: ops\ndata_sources: {}\ncards: []\nlayout: {breakpoints: {}}\n", "at least one breakpoint"),
    (dashboard("filters: [{id: pack}, {id: pack}]\n"), "filter id 'pack' is used twice"),
    (dashboard(cards=f"cards: [{CARD}, {CARD}]\n"), "card id 'events' is used twice"),
    (dashboard(cards="cards: [{id: a, source: runs, position: {}}]\n"), "uses source 'runs'"),
    (dashboard(cards="cards: [{id: a, source: events, position: {lg: {}}}]\n"), "no position for breakpoint 'sm'"),
])
def test_the_spec_pack_check_validates(tmp_path, text, words):
    [item] = only(run(tmp_path, {"dashboards/ops.yaml": text}), "dashboard.invalid_spec")
    assert words in item.message and "registration skips it" in item.message


@pytest.mark.parametrize("checked, stored", [("label", "name"), ("conf_schema", "config_schema"), ("meta", "metadata"), ("tags", "keywords")])
def test_manifest_keys_registration_never_stores(tmp_path, checked, stored):
    value = {"label": "Demo", "conf_schema": "{url: {type: string}}", "meta": "{category: x}", "tags": "[a]"}[checked]
    manifest = f'ref: demo\nversion: "1.0.0"\n{checked}: {value}\n'
    [item] = only(run(tmp_path, {"pack.yaml": manifest}), "manifest.not_stored")
    assert manifest[item.span.start : item.span.end] == checked and item.data == {"rename_to": stored}
    assert "registration through the API (register, upload, install)" in item.message
    renamed = f'ref: demo\nversion: "1.0.0"\n{stored}: {value}\n'
    assert run(tmp_path / "renamed", {"pack.yaml": renamed}) == []


def test_nothing_is_reported_when_registration_stores_the_same_without_the_key(tmp_path):
    manifest = 'ref: demo\nversion: "1.0.0"\nlabel: demo\nconf_schema: {}\nmeta: {}\ntags: []\n'
    assert run(tmp_path, {"pack.yaml": manifest}) == []


def test_both_names_agree_or_the_stored_one_wins(tmp_path):
    same = 'ref: demo\nversion: "1.0.0"\nlabel: Demo\nname: Demo\n'
    assert run(tmp_path / "same", {"pack.yaml": same}) == []
    differ = 'ref: demo\nversion: "1.0.0"\nlabel: Demo\nname: Old\n'
    [item] = only(run(tmp_path / "differ", {"pack.yaml": differ}), "manifest.not_stored")
    assert "the two differ" in item.message and item.related[0].message == "the value registration stores"


def test_pack_level_placement_uses_pack_checks_code(tmp_path):
    manifest = 'ref: demo\nversion: "1.0.0"\nworker_selector: {gpu: true}\n'
    [item] = run(tmp_path, {"pack.yaml": manifest})
    assert item.code == "manifest.invalid_worker_placement" and "pack check rejects" in item.message


def test_rule_sensor_placement_types_are_pack_check_type_errors(tmp_path):
    rule = "ref: demo.on_tick\ntrigger_ref: core.intervaltimer\naction_ref: core.echo\nsensor_worker_tolerations: {key: gpu}\n"
    found = codes(run(tmp_path, {"rules/on_tick.yaml": rule}))
    assert "metadata.invalid_field_type" in found and "placement.invalid" not in found


def test_config_values_are_reported_except_for_the_bootstrapped_core_pack(tmp_path):
    # docker/init-packs.sh and bootstrap_core_pack.py write `core` with scripts/load_core_pack.py, which
    # stores `config`; API registration (register_pack_internal) never does and keeps it on update.
    [item] = only(run(tmp_path / "a", {"pack.yaml": 'ref: demo\nversion: "1.0.0"\nconfig: {timeout: 30}\n'}), "manifest.config_not_applied")
    assert item.message.startswith("registration through the API never applies these values")
    core = {"pack.yaml": 'ref: core\nversion: "1.0.0"\nconfig: {timeout: 30}\n'}
    assert only(run(tmp_path / "b", core), "manifest.config_not_applied") == []
