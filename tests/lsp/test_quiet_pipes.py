"""The server writes nothing to stderr for normal traffic: VS Code shows every stderr line as an error.

A cancel that crosses its answer on the wire, and requests or notifications that arrive after
`shutdown` (a client stopping with a pull still open), are normal; warnings about them would be
errors in the editor's output channel.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.lsp.harness import PACKS, copy_packs
from tests.rpc import frame, messages


def test_cancels_and_traffic_after_shutdown_leave_stderr_empty(tmp_path: Path) -> None:
    folder = copy_packs(tmp_path / "ws", ("data_tools",))
    newest = (folder / "data_tools/actions/newest.yaml").as_uri()
    text = (PACKS / "data_tools/actions/newest.yaml").read_text()
    session = [
        {"jsonrpc": "2.0", "id": 1, "method": "initialize",
         "params": {"processId": None, "rootUri": folder.as_uri(), "capabilities": {}, "workspaceFolders": [{"uri": folder.as_uri(), "name": "ws"}]}},
        {"jsonrpc": "2.0", "method": "initialized", "params": {}},
        {"jsonrpc": "2.0", "method": "textDocument/didOpen",
         "params": {"textDocument": {"uri": newest, "languageId": "yaml", "version": 1, "text": text}}},
        {"jsonrpc": "2.0", "id": 2, "method": "textDocument/hover", "params": {"textDocument": {"uri": newest}, "position": {"line": 3, "character": 20}}},
        {"jsonrpc": "2.0", "id": 3, "method": "textDocument/documentSymbol", "params": {"textDocument": {"uri": newest}}},
        {"jsonrpc": "2.0", "method": "$/cancelRequest", "params": {"id": 1}},  # long answered
        {"jsonrpc": "2.0", "id": 4, "method": "shutdown"},
        {"jsonrpc": "2.0", "method": "$/cancelRequest", "params": {"id": 3}},
        {"jsonrpc": "2.0", "id": 0, "result": None},  # a late answer to a server request (VS Code sends these)
        {"jsonrpc": "2.0", "id": 5, "method": "textDocument/hover", "params": {"textDocument": {"uri": newest}, "position": {"line": 3, "character": 20}}},
        {"jsonrpc": "2.0", "method": "exit"},
    ]
    proc = subprocess.run([sys.executable, "-m", "packls", "serve"], input=b"".join(frame(m) for m in session),
                          capture_output=True, timeout=60, cwd=tmp_path)
    assert proc.returncode == 0
    assert proc.stderr.decode() == ""
    answers = {m["id"]: m for m in messages(proc.stdout) if "id" in m and "method" not in m}
    assert answers[4] == {"jsonrpc": "2.0", "id": 4, "result": None}
    assert answers[5]["error"]["code"] == -32600  # a request after shutdown: Invalid Request, and an answer all the same
