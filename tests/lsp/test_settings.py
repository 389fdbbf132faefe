"""Settings: workspace/configuration, initializationOptions, the project file, and bad values."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest
from lsprotocol import types
from pygls.uris import from_fs_path
from pytest_lsp import client_capabilities

from tests.lsp.conftest import CONFIG, stop
from tests.lsp.harness import Harness, wait_for

UNSAT = "runtime_version.unsatisfiable"


@pytest.mark.parametrize("settings", [{"severity": {UNSAT: "loud", "no.such_code": "error"}, "diagnoseClosedFiles": "yes", "debounceMs": -5, "bogus": 1}])
async def test_bad_settings_fall_back_to_defaults_and_the_user_is_told(h: Harness, settings: dict[str, Any]) -> None:
    words = ("loud", "no.such_code", "diagnoseClosedFiles", "debounceMs", "bogus")  # in the spelling the user wrote

    def told() -> bool:
        text = " ".join(m.message for m in h.client.messages)
        return all(word in text for word in words)

    await wait_for(told, "messages naming every bad setting")
    assert all(m.type == types.MessageType.Warning for m in h.client.messages)
    doc = h.open(h.root / "broken_pack/actions/too_new.yaml")
    unsat = [d for d in await h.diagnostics(doc) if d.code == UNSAT]
    assert unsat and unsat[0].severity == types.DiagnosticSeverity.Error


@pytest.mark.parametrize("settings", [{"severity": {UNSAT: "warning", "runner_type.unknown": "off"}, "diagnoseClosedFiles": False, "debounceMs": 10}])
async def test_severity_overrides_and_closed_files_left_alone(h: Harness, settings: dict[str, Any]) -> None:
    doc = h.open(h.root / "broken_pack/actions/too_new.yaml")
    unsat = [d for d in await h.diagnostics(doc) if d.code == UNSAT]
    assert unsat and unsat[0].severity == types.DiagnosticSeverity.Warning  # as `packls validate` would say
    golang = h.open(h.root / "broken_pack/actions/golang.yaml")
    assert "runner_type.unknown" not in [d.code for d in await h.diagnostics(golang)]  # "off"
    h.close(golang)
    await asyncio.sleep(0.3)
    if h.pull:
        assert await h.closed_diagnostics(h.root / "broken_pack/runtimes/ruby.yaml") == []
    else:
        assert doc.uri.replace("actions/too_new", "runtimes/ruby") not in h.client.diagnostics  # never published
    h.close(doc)
    if not h.pull:
        await wait_for(lambda: doc.uri in h.client.diagnostics and not h.client.diagnostics[doc.uri], "cleared on close")
    assert not h.client.messages


async def test_changed_settings_are_pulled_again(h: Harness) -> None:
    doc = h.open(h.root / "broken_pack/actions/too_new.yaml")
    assert [d.severity for d in await h.diagnostics(doc) if d.code == UNSAT] == [types.DiagnosticSeverity.Error]
    refreshes = h.client.diagnostic_refresh_count
    h.client.set_configuration({"severity": {UNSAT: "information"}, "debounceMs": 10}, section="packls")
    h.client.workspace_did_change_configuration(types.DidChangeConfigurationParams(settings={"packls": {"severity": {UNSAT: "information"}}}))
    if h.pull:  # a pull client asks again when the server says diagnostics changed
        await wait_for(lambda: h.client.diagnostic_refresh_count > refreshes, "workspace/diagnostic/refresh")
    else:
        await wait_for(lambda: any(d.severity == types.DiagnosticSeverity.Information for d in h.client.diagnostics.get(doc.uri, [])), "republished")
    assert [d.severity for d in await h.diagnostics(doc) if d.code == UNSAT] == [types.DiagnosticSeverity.Information]


async def test_a_client_without_workspace_configuration_uses_initialization_options(workspace_dir: Path) -> None:
    """Neovim 0.7 cannot answer workspace/configuration: initializationOptions and didChangeConfiguration carry the settings."""
    client = await CONFIG.start()
    try:
        result = await client.initialize_session(  # type: ignore[attr-defined]
            types.InitializeParams(
                capabilities=client_capabilities("neovim@v0.7"),
                workspace_folders=[types.WorkspaceFolder(uri=from_fs_path(str(workspace_dir)) or "", name="ws")],
                initialization_options={"severity": {UNSAT: "hint"}, "debounceMs": 10},
            )
        )
        h = Harness(client, "neovim", result, workspace_dir)  # type: ignore[arg-type]
        assert h.encoding == "utf-16" and not h.pull
        doc = h.open(workspace_dir / "broken_pack/actions/too_new.yaml")
        assert [d.severity for d in await h.diagnostics(doc) if d.code == UNSAT] == [types.DiagnosticSeverity.Hint]
        client.workspace_did_change_configuration(types.DidChangeConfigurationParams(settings={"packls": {"severity": {UNSAT: "warning"}}}))
        await wait_for(lambda: any(d.severity == types.DiagnosticSeverity.Warning for d in client.diagnostics.get(doc.uri, [])), "republished")
        await stop(client)  # type: ignore[arg-type]
    finally:
        await client.stop()
