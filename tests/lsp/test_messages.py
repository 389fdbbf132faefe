"""packls' own protocol layer: the initialize answer, params read field by field, and a start that loads nothing heavy."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from packls.lsp import messages
from packls.lsp.capabilities import initialize_result
from packls.lsp.protocol import Code, RpcError

RECORDED = Path(__file__).parent.parent / "data" / "lsp" / "initialize_results.json"


@pytest.mark.parametrize("client", sorted(json.loads(RECORDED.read_text())["clients"]))
def test_initialize_answers_as_pygls_did_for_every_recorded_client(client: str) -> None:
    recorded = json.loads(RECORDED.read_text())["clients"][client]
    params = messages.initialize({"processId": None, "rootUri": None, "capabilities": recorded["client_capabilities"]})
    assert initialize_result(params) == recorded["initialize_result"]


def invalid_params(read, value) -> str:  # type: ignore[no-untyped-def]
    with pytest.raises(RpcError) as caught:
        read(value)
    assert caught.value.code == Code.InvalidParams
    return caught.value.message


def test_positions_outside_lsps_32_bit_range_are_invalid_and_say_where() -> None:
    ident = {"uri": "file:///p/a.yaml"}
    assert messages.at({"textDocument": ident, "position": {"line": 2**31 - 1, "character": 0}}).position.line == 2**31 - 1
    for line, character in [(-1, 0), (0, 2**31), (True, 0), ("1", 0), (1.5, 0)]:
        message = invalid_params(messages.at, {"textDocument": ident, "position": {"line": line, "character": character}})
        assert message.startswith("params.position.line:" if line != 0 else "params.position.character:")


def test_edits_read_ranged_and_whole_text_changes_and_refuse_bad_versions() -> None:
    edit = messages.did_change({
        "textDocument": {"uri": "file:///a.yaml", "version": 3},
        "contentChanges": [{"range": {"start": {"line": 0, "character": 1}, "end": {"line": 0, "character": 2}}, "text": "x"},
                           {"text": "whole\n"}],
    })
    assert (edit.uri, edit.version) == ("file:///a.yaml", 3)
    assert edit.changes[0].range is not None and edit.changes[0].range.end.character == 2 and edit.changes[1].range is None
    assert invalid_params(messages.did_open, {"textDocument": {"uri": "u", "languageId": "yaml", "version": 2**31, "text": ""}}) \
        .startswith("params.textDocument.version:")
    assert invalid_params(messages.did_change, {"textDocument": {"uri": "u", "version": 1}, "contentChanges": [{"range": None}]}) \
        == "params.contentChanges[0].text: missing"


def test_the_initialize_params_are_read_leniently_where_lsp_allows_nulls() -> None:
    params = messages.initialize({"processId": None, "rootUri": None, "capabilities": {}, "workspaceFolders": None,
                                  "clientInfo": {"name": "vim"}, "initializationOptions": {"debounceMs": 5}})
    assert (params.folders, params.client, params.options) == ([], "vim", {"debounceMs": 5})
    assert invalid_params(messages.initialize, {"processId": None}) == "params.capabilities: missing"
    assert invalid_params(messages.initialize, {"capabilities": {}, "workspaceFolders": [{"uri": 1, "name": "x"}]}) \
        == "params.workspaceFolders[0].uri: expected a string, got int"


START = """
import io, sys
from packls.lsp.server import starting_protocol

class Writer:
    def __init__(self):
        self.seen = []
    def write(self, data):
        heavy = sorted(m for m in sys.modules if m.startswith(("packls.checks", "packls.workspace", "packls.features",
                                                                  "packls.syntax", "pygls", "lsprotocol")))
        self.seen.append((data, heavy))

async def main():
    protocol = starting_protocol()
    writer = Writer()
    protocol.set_writer(writer)
    body = b'{"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"processId": null, "rootUri": null, "capabilities": {}}}'
    protocol.receive(body)
    answer, heavy_then = writer.seen[0]
    assert b'"capabilities"' in answer, answer
    print("at the answer:", heavy_then)
    print("afterwards:", "packls.features.session" in sys.modules, protocol.routes.get("textDocument/didOpen") is not None)

import asyncio
asyncio.run(main())
"""


def test_initialize_is_answered_before_the_core_is_imported_and_the_server_is_built_right_after() -> None:
    done = subprocess.run([sys.executable, "-c", START], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.strip().splitlines()
    assert lines == ["at the answer: []", "afterwards: True True"], done.stdout


PRELOAD = """
import sys
from packls.lsp.server import create_server
from packls.lsp.handlers import preload_features

create_server()
adapters = ("hover", "completion", "navigation", "symbols", "actions", "inlay")
print(sorted(a for a in adapters if f"packls.lsp.{a}" in sys.modules))
preload_features()
print(sorted(a for a in adapters if f"packls.lsp.{a}" in sys.modules))
"""


def test_feature_adapters_load_on_first_use_or_when_preloaded_after_the_first_full_pass() -> None:
    done = subprocess.run([sys.executable, "-c", PRELOAD], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    before, after = done.stdout.strip().splitlines()
    assert before == "[]"
    assert after == "['actions', 'completion', 'hover', 'inlay', 'navigation', 'symbols']"
