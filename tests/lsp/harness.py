"""A small driver over pytest-lsp's client: open files, wait for diagnostics, ask at a needle."""

from __future__ import annotations

import asyncio
import itertools
import os
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from lsprotocol import types
from pygls.protocol import default_converter
from pygls.uris import from_fs_path
from pytest_lsp import LanguageClient, client_capabilities
from pytest_lsp.client import DEFAULT_CLIENT_FEATURES, register_lsp_features

REPO = Path(__file__).resolve().parents[2]
PACKS = REPO / "packs"
CLIENTS = ("vscode", "neovim")
TIMEOUT = 8.0
QUIET_SECONDS = 0.5  # no publication for this long: the server has nothing more to say for now


def server_command() -> list[str]:
    """`python -m packls serve` once the CLI has it; the server module directly until then."""
    from packls.cli import build_parser

    try:
        build_parser().parse_args(["serve"])
    except SystemExit:
        return [sys.executable, "-c", "import sys; from packls.lsp.server import run_server; sys.exit(run_server(None))"]
    return [sys.executable, "-m", "packls", "serve"]


def server_env(data_home: Path) -> dict[str, str]:
    """The test environment: the registry store pointed at an empty folder, warm-start snapshots kept out of the repository."""
    env = {k: v for k, v in os.environ.items() if k != "PACKLS_DATABASE"}
    env["XDG_DATA_HOME"] = str(data_home)
    env["HOME"] = str(data_home)
    env["PACKLS_CACHE_DIR"] = str(Path(tempfile.gettempdir()) / "packls-test-cache")  # keyed by folder: tests never share one
    return env


def capabilities_for(name: str) -> types.ClientCapabilities:
    """VS Code (UTF-16, pull, snippets, progress, watched files) or Neovim 0.11 (UTF-8, push only)."""
    if name == "neovim":
        return client_capabilities("neovim@v0.11")
    caps = client_capabilities("visual-studio-code")
    assert caps.text_document is not None and caps.workspace is not None
    caps.text_document.diagnostic = types.DiagnosticClientCapabilities(dynamic_registration=True, related_document_support=True)
    caps.text_document.inlay_hint = types.InlayHintClientCapabilities(dynamic_registration=True)
    caps.workspace.diagnostics = types.DiagnosticWorkspaceClientCapabilities(refresh_support=True)
    caps.workspace.inlay_hint = types.InlayHintWorkspaceClientCapabilities(refresh_support=True)
    caps.general = types.GeneralClientCapabilities(position_encodings=[types.PositionEncodingKind.Utf16])
    return caps


def _on_publish(client: LanguageClient, params: types.PublishDiagnosticsParams) -> None:
    client.diagnostics[params.uri] = params.diagnostics
    client.published_versions[params.uri] = params.version  # type: ignore[attr-defined]
    client.publishes.append((params.uri, params.version, len(params.diagnostics)))  # type: ignore[attr-defined]
    client.last_publish = time.monotonic()  # type: ignore[attr-defined]


def _on_register(client: LanguageClient, params: types.RegistrationParams) -> None:
    client.registrations.extend(params.registrations)  # type: ignore[attr-defined]


def _on_inlay_refresh(client: LanguageClient, params: None) -> None:
    client.inlay_refreshes += 1  # type: ignore[attr-defined]


def make_client() -> LanguageClient:
    """A test client that records publish versions, registrations and refreshes."""
    client = LanguageClient(converter_factory=default_converter)
    client.published_versions = {}  # type: ignore[attr-defined]
    client.publishes = []  # type: ignore[attr-defined]
    client.last_publish = time.monotonic()  # type: ignore[attr-defined]
    client.registrations = []  # type: ignore[attr-defined]
    client.inlay_refreshes = 0  # type: ignore[attr-defined]
    register_lsp_features(
        client,
        {
            **DEFAULT_CLIENT_FEATURES,
            types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS: _on_publish,
            types.CLIENT_REGISTER_CAPABILITY: _on_register,
            types.WORKSPACE_INLAY_HINT_REFRESH: _on_inlay_refresh,
        },
    )
    return client


def copy_packs(target: Path, names: tuple[str, ...] = ("data_tools", "broken_pack", "version_traps", "web_hooks")) -> Path:
    """Copy example packs into a fresh folder (tests never touch the repository's packs)."""
    target.mkdir(parents=True, exist_ok=True)
    for name in names:
        shutil.copytree(PACKS / name, target / name)
    return target


_FRESH = itertools.count(1)


def fresh_pack(root: Path, name: str) -> Path:
    """A copy of an example pack under a new, unique pack ref (so tests sharing a server never collide)."""
    number = next(_FRESH)
    new = f"{name}_{number}"
    target = root / new
    shutil.copytree(PACKS / name, target)
    for path in target.rglob("*.yaml"):
        text = path.read_text(encoding="utf-8").replace(name, new).replace("DataPython", f"DataPython{number}")
        path.write_text(text, encoding="utf-8")
    return target


def units(text: str, encoding: str) -> int:
    """Length of text in the encoding's code units (independent of packls' own converter)."""
    if encoding == "utf-8":
        return len(text.encode("utf-8"))
    if encoding == "utf-32":
        return len(text)
    return len(text.encode("utf-16-le")) // 2


def position(text: str, offset: int, encoding: str) -> types.Position:
    """The LSP position of a code-point offset."""
    before = text[:offset]
    line = before.count("\n")
    start = before.rfind("\n") + 1
    return types.Position(line=line, character=units(text[start:offset], encoding))


@dataclass
class Doc:
    """An open document as the test sees it."""

    uri: str
    path: Path
    text: str
    version: int


class Harness:
    """Drives one client against one server."""

    def __init__(self, client: LanguageClient, name: str, result: types.InitializeResult, root: Path) -> None:
        self.client = client
        self.name = name
        self.result = result
        self.root = root
        encoding = result.capabilities.position_encoding or "utf-16"
        self.encoding = str(getattr(encoding, "value", encoding))
        self.pull = result.capabilities.diagnostic_provider is not None

    def fresh(self, name: str = "data_tools") -> Path:
        """A private copy of an example pack inside the workspace folder."""
        return fresh_pack(self.root, name)

    # -- documents -------------------------------------------------------------------------------

    def open(self, path: Path, text: str | None = None) -> Doc:
        text = path.read_text(encoding="utf-8") if text is None else text
        uri = from_fs_path(str(path))
        assert uri is not None
        self.client.text_document_did_open(
            types.DidOpenTextDocumentParams(types.TextDocumentItem(uri=uri, language_id="yaml", version=1, text=text))
        )
        return Doc(uri, path, text, 1)

    def replace(self, doc: Doc, text: str) -> Doc:
        """A whole-document change."""
        doc.version += 1
        doc.text = text
        self.client.text_document_did_change(
            types.DidChangeTextDocumentParams(
                text_document=types.VersionedTextDocumentIdentifier(uri=doc.uri, version=doc.version),
                content_changes=[types.TextDocumentContentChangeWholeDocument(text=text)],
            )
        )
        return doc

    def edit(self, doc: Doc, old: str, new: str) -> Doc:
        """An incremental change replacing the first occurrence of old."""
        start = doc.text.index(old)
        end = start + len(old)
        change = types.TextDocumentContentChangePartial(
            range=types.Range(position(doc.text, start, self.encoding), position(doc.text, end, self.encoding)), text=new
        )
        doc.version += 1
        doc.text = doc.text[:start] + new + doc.text[end:]
        self.client.text_document_did_change(
            types.DidChangeTextDocumentParams(
                text_document=types.VersionedTextDocumentIdentifier(uri=doc.uri, version=doc.version), content_changes=[change]
            )
        )
        return doc

    def close(self, doc: Doc) -> None:
        self.client.text_document_did_close(types.DidCloseTextDocumentParams(types.TextDocumentIdentifier(uri=doc.uri)))

    def at(self, doc: Doc, needle: str, delta: int = 0) -> types.Position:
        """The position of needle (plus delta characters) in the document."""
        return position(doc.text, doc.text.index(needle) + delta, self.encoding)

    def ident(self, doc: Doc) -> types.TextDocumentIdentifier:
        return types.TextDocumentIdentifier(uri=doc.uri)

    # -- diagnostics -------------------------------------------------------------------------------

    async def diagnostics(self, doc: Doc) -> list[types.Diagnostic]:
        """Diagnostics for the document's current version (pulled, or waited for when pushed)."""
        if self.pull:
            report = await self.client.text_document_diagnostic_async(types.DocumentDiagnosticParams(self.ident(doc)))
            assert isinstance(report, types.RelatedFullDocumentDiagnosticReport)
            return list(report.items)
        await wait_for(lambda: self.client.published_versions.get(doc.uri) == doc.version, f"diagnostics for v{doc.version}")  # type: ignore[attr-defined]
        return list(self.client.diagnostics[doc.uri])

    async def closed_diagnostics(self, path: Path, until: Callable[[list[types.Diagnostic]], bool] = lambda d: True) -> list[types.Diagnostic]:
        """Diagnostics of a file that is not open, once `until` holds (workspace pull or push)."""
        uri = from_fs_path(str(path))
        found: list[types.Diagnostic] | None = None
        asked = time.monotonic()

        async def current() -> list[types.Diagnostic] | None:
            if self.pull:
                report = await self.client.workspace_diagnostic_async(types.WorkspaceDiagnosticParams(previous_result_ids=[]))
                for item in report.items:
                    if item.uri == uri and isinstance(item, types.WorkspaceFullDocumentDiagnosticReport):
                        return list(item.items)
                return None
            if uri in self.client.diagnostics:
                return list(self.client.diagnostics[uri])
            # A file never published shows nothing (the server does not send "nothing" for clean files);
            # trust that only once the server has been quiet for a while since this wait began.
            quiet_since = max(self.client.last_publish, asked)  # type: ignore[attr-defined]
            return [] if time.monotonic() - quiet_since >= QUIET_SECONDS else None

        loop = asyncio.get_running_loop()
        deadline = loop.time() + TIMEOUT
        while True:
            found = await current()
            if found is not None and until(found):
                return found
            if loop.time() > deadline:
                raise AssertionError(f"closed-file diagnostics for {path.name} never satisfied the condition: {found}")
            await asyncio.sleep(0.05)

    def codes(self, diagnostics: list[types.Diagnostic]) -> list[str]:
        return sorted(str(d.code) for d in diagnostics)


async def wait_for(condition: Callable[[], Any], what: str, timeout: float = TIMEOUT) -> None:
    """Poll until condition() is truthy."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not condition():
        if loop.time() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(0.02)
