"""What the client can do (its `initialize` capabilities) and what packls answers it can do."""

from __future__ import annotations

from typing import Any

from packls import __version__
from packls.lsp.messages import Initialize

ENCODINGS = ("utf-8", "utf-16", "utf-32")
COMPLETION_TRIGGERS = [":", " ", '"', "'", "-", "."]
FILE_OPERATION_FILTERS = [
    {"pattern": {"glob": "**/*.{yaml,yml}", "matches": "file"}},
    {"pattern": {"glob": "**/*", "matches": "folder"}},
]


class ClientCapabilities:
    """The client's capabilities as sent (JSON), looked up by dotted camelCase paths."""

    def __init__(self, raw: dict[str, Any] | None = None) -> None:
        self.raw = raw if isinstance(raw, dict) else {}

    def get(self, path: str, default: Any = None) -> Any:
        """The value at a dotted path (`workspace.configuration`), or default when any step is missing."""
        value: Any = self.raw
        for step in path.split("."):
            if not isinstance(value, dict) or step not in value:
                return default
            value = value[step]
        return default if value is None else value

    def supports(self, path: str) -> bool:
        """True when the client says so (a missing or false value: it does not)."""
        return bool(self.get(path, False))

    @property
    def pull_diagnostics(self) -> bool:
        """Pull when the client can pull and be told to pull again (without refresh, cross-file results would go stale)."""
        return isinstance(self.get("textDocument.diagnostic"), dict) and self.supports("workspace.diagnostics.refreshSupport")

    @property
    def position_encoding(self) -> str:
        """The client's first encoding packls supports (UTF-16 when it names none)."""
        offered = self.get("general.positionEncodings")
        for encoding in offered if isinstance(offered, list) else []:
            if encoding in ENCODINGS:
                return str(encoding)
        return "utf-16"


def server_capabilities(client: ClientCapabilities, pull: bool) -> dict[str, Any]:
    """The `initialize` result: every feature packls serves, as this client can use them."""
    sync: dict[str, Any] = {"openClose": True, "change": 2}  # incremental
    for name in ("willSave", "willSaveWaitUntil"):  # not served; said so to clients that ask about them
        if client.get(f"textDocument.synchronization.{name}") is not None:
            sync[name] = False
    sync["save"] = False
    capabilities: dict[str, Any] = {
        "positionEncoding": client.position_encoding,
        "textDocumentSync": sync,
        "completionProvider": {"triggerCharacters": COMPLETION_TRIGGERS, "resolveProvider": False},
        "hoverProvider": True,
        "definitionProvider": True,
        "referencesProvider": True,
        "documentSymbolProvider": True,
        "codeActionProvider": {"codeActionKinds": ["quickfix"]},
        "workspaceSymbolProvider": {"resolveProvider": False},
        "executeCommandProvider": {"commands": []},
        "inlayHintProvider": {"resolveProvider": False},
        "workspace": {
            "workspaceFolders": {"supported": True, "changeNotifications": True},
            "fileOperations": {
                name: {"filters": FILE_OPERATION_FILTERS}
                for name in ("didRename", "didDelete") if client.supports(f"workspace.fileOperations.{name}")
            },
        },
    }
    if pull:
        capabilities["diagnosticProvider"] = {"interFileDependencies": True, "workspaceDiagnostics": True, "identifier": "packls"}
    return {"capabilities": capabilities, "serverInfo": {"name": "packls", "version": __version__}}


def initialize_result(params: Initialize) -> dict[str, Any]:
    """The answer to `initialize` (it depends on the client's capabilities only)."""
    client = ClientCapabilities(params.capabilities)
    return server_capabilities(client, client.pull_diagnostics)
