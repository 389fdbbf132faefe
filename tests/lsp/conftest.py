"""Fixtures: a packls server over stdio for a VS Code and a Neovim client.

`shared` starts one server per client kind per test module (tests use private pack copies,
`shared.fresh()`); `lsp`/`h` start one per test for tests that need their own settings or folders.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest
import pytest_lsp
from lsprotocol import types
from pygls.uris import from_fs_path
from pytest_lsp import ClientServerConfig, LanguageClient

from tests.lsp.harness import CLIENTS, Harness, capabilities_for, copy_packs, make_client, server_command, server_env

DATA_HOME = Path(__file__).parent / ".no-data-home"  # never created: no synced registry facts
CONFIG = ClientServerConfig(server_command=server_command(), client_factory=make_client, server_env=server_env(DATA_HOME))
DEFAULT_SETTINGS: dict[str, Any] = {"debounceMs": 20, "pollIntervalMs": 150}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Any use of a capability the client did not declare fails the test."""
    for item in items:
        if "tests/lsp" in str(item.fspath).replace("\\", "/"):
            item.add_marker(pytest.mark.filterwarnings("error::pytest_lsp.LspSpecificationWarning"))


async def start(client: LanguageClient, name: str, folders: list[Path], settings: dict[str, Any] | None,
                init_options: Any = None) -> Harness:
    """Initialize a session the way the named editor would."""
    if settings is not None:
        client.set_configuration(settings, section="packls")
    result = await client.initialize_session(
        types.InitializeParams(
            capabilities=capabilities_for(name),
            workspace_folders=[types.WorkspaceFolder(uri=from_fs_path(str(f)) or "", name=f.name) for f in folders],
            root_uri=from_fs_path(str(folders[0])) if folders else None,
            initialization_options=init_options if init_options is not None else settings,
        )
    )
    return Harness(client, name, result, folders[0] if folders else Path.cwd())


async def stop(client: LanguageClient) -> None:
    """Shut down, bounded in time."""
    try:
        await asyncio.wait_for(client.shutdown_session(), timeout=5)
    except asyncio.TimeoutError:
        pass


@pytest_lsp.fixture(scope="module", params=CLIENTS, config=CONFIG)
async def shared_client(request: pytest.FixtureRequest, lsp_client: LanguageClient, tmp_path_factory: pytest.TempPathFactory):
    """One server per client kind for a whole test module, over a copy of the example packs."""
    workspace = copy_packs(tmp_path_factory.mktemp("ws"))
    lsp_client.harness = await start(lsp_client, request.param, [workspace], DEFAULT_SETTINGS)  # type: ignore[attr-defined]
    yield
    await stop(lsp_client)


@pytest.fixture
def shared(shared_client: LanguageClient) -> Harness:
    """The module's shared harness."""
    return shared_client.harness  # type: ignore[attr-defined,no-any-return]


@pytest.fixture
def workspace_dir(tmp_path: Path) -> Path:
    """A fresh copy of the example packs."""
    return copy_packs(tmp_path / "ws")


@pytest.fixture
def folders(workspace_dir: Path) -> list[Path]:
    """The workspace folders the client opens (override for multi-root)."""
    return [workspace_dir]


@pytest.fixture
def settings() -> dict[str, Any]:
    """The `packls` settings section the client answers with (override per test module)."""
    return dict(DEFAULT_SETTINGS)


@pytest_lsp.fixture(params=CLIENTS, config=CONFIG)
async def lsp(request: pytest.FixtureRequest, lsp_client: LanguageClient, folders: list[Path], settings: dict[str, Any]):
    """A session of its own for one test."""
    lsp_client.harness = await start(lsp_client, request.param, folders, settings)  # type: ignore[attr-defined]
    yield
    await stop(lsp_client)


@pytest.fixture
def h(lsp: LanguageClient) -> Harness:
    """The harness of the per-test `lsp` client."""
    return lsp.harness  # type: ignore[attr-defined,no-any-return]
