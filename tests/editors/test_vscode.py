"""The VS Code extension: `npm test` (type check, lint, unit tests, client-stack e2e against the
real server), the `.vsix` package, and its settings against the server's configuration."""

from __future__ import annotations

import dataclasses
import json
import re
import subprocess
import zipfile
from pathlib import Path

from tests.editors.support import VSCODE, npm_run

MANIFEST = json.loads((VSCODE / "package.json").read_text(encoding="utf-8"))


def test_npm_test_type_check_lint_unit_and_server_e2e() -> None:
    proc = npm_run("test")
    output = proc.stdout + proc.stderr
    assert proc.returncode == 0, output[-6000:]
    passed = re.search(r"^# pass (\d+)$", output, re.M)
    failed = re.search(r"^# fail (\d+)$", output, re.M)
    assert passed and failed, output[-3000:]
    assert int(failed.group(1)) == 0, output[-6000:]
    # unit tests plus the four end-to-end checks against the real server
    assert int(passed.group(1)) >= 50, output[-3000:]
    assert "the real packls server through the VS Code client stack" in output
    assert "activate() with the real languageclient and server" in output


def test_npm_run_package_builds_a_vsix_that_brings_its_own_server(vsix: Path) -> None:
    with zipfile.ZipFile(vsix) as archive:
        names = set(archive.namelist())
        shipped = json.loads(archive.read("extension/package.json"))
    assert "extension/dist/extension.js" in names
    assert not any(n.startswith("extension/node_modules/") for n in names), "the bundle replaces node_modules"
    assert not any(n.startswith(("extension/src/", "extension/test/", "extension/out/", "extension/scripts/")) for n in names)
    assert not any("__pycache__" in n or n.endswith(".pyc") for n in names)
    assert {"extension/readme.md", "extension/LICENSE.txt", "extension/bundled/tool/launch.py"} <= names, sorted(names)[:20]
    libs = {n.split("/")[3] for n in names if n.startswith("extension/bundled/libs/")}
    # packls and its pure-Python dependencies; nothing with native code (PyYAML, psycopg's driver)
    assert {"packls", "pygls", "lsprotocol", "cattrs", "attrs", "ruamel", "packaging", "platformdirs", "rich"} <= libs, sorted(libs)
    assert not libs & {"yaml", "_yaml", "psycopg", "psycopg_binary"}, sorted(libs)
    assert not [n for n in names if n.endswith((".so", ".pyd", ".dylib"))]
    assert any(n.startswith("extension/bundled/libs/packls/catalog/") and n.endswith(".yaml") for n in names)
    assert any(n.startswith("extension/bundled/libs/packls/registry/migrations/") and n.endswith(".sql") for n in names)
    assert vsix.stat().st_size < 4_000_000, f"{vsix.stat().st_size} bytes"  # README states the size
    assert shipped["main"] == "./dist/extension.js"
    assert shipped["name"] == "packls"


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


def test_every_server_setting_is_a_vscode_setting() -> None:
    try:
        from packls.features.configuration import Config
    except ImportError:  # older layout
        from packls.config import Config  # type: ignore[no-redef]
    server_keys = {
        _camel(f.name) for f in dataclasses.fields(Config)
        if f.name not in ("root", "source") and f.metadata.get("editor", True)  # `indexes` is for `packls sync` only
    }
    properties = MANIFEST["contributes"]["configuration"]["properties"]
    extension_keys = {key.removeprefix("packls.") for key in properties}
    launch_keys = {"server.path", "server.args", "python.interpreter", "trace.server"}
    assert extension_keys - launch_keys == server_keys
    for key in server_keys:
        assert properties[f"packls.{key}"]["scope"] in ("resource", "machine-overridable"), key


def test_severity_setting_offers_the_server_severities() -> None:
    severity = MANIFEST["contributes"]["configuration"]["properties"]["packls.severity"]
    assert severity["additionalProperties"]["enum"] == ["error", "warning", "information", "hint", "off"]


def test_restricted_mode_covers_every_launch_setting_and_what_reaches_paths_or_a_database() -> None:
    trust = MANIFEST["capabilities"]["untrustedWorkspaces"]
    assert trust["supported"] == "limited"
    assert set(trust["restrictedConfigurations"]) == {
        "packls.server.path", "packls.server.args", "packls.python.interpreter",  # which process starts
        "packls.database", "packls.extraCatalogPaths",  # what the server connects to and reads
    }


def test_lockfile_is_committed_and_matches_the_manifest() -> None:
    lock = json.loads((VSCODE / "package-lock.json").read_text(encoding="utf-8"))
    root = lock["packages"][""]
    assert root["dependencies"] == MANIFEST["dependencies"]
    assert root["devDependencies"] == MANIFEST["devDependencies"]
    # the client stack the e2e test drives is the one vscode-languageclient 11.0.0 uses
    assert lock["packages"]["node_modules/vscode-languageserver-protocol"]["version"] == "3.18.5"
    assert lock["packages"]["node_modules/vscode-jsonrpc"]["version"] == "10.0.0"
    assert MANIFEST["dependencies"]["vscode-languageclient"] == "11.0.0"


def test_neovim_and_vscode_use_the_same_server_command() -> None:
    lua = (VSCODE.parent / "nvim" / "lsp" / "packls.lua").read_text(encoding="utf-8")
    assert "cmd = { 'packls', 'serve' }" in lua
    assert MANIFEST["contributes"]["configuration"]["properties"]["packls.server.args"]["default"] == ["serve"]
    assert "root_markers = { 'pack.yaml' }" in lua
    assert Path(VSCODE.parent / "nvim" / "lua" / "packls" / "init.lua").is_file()
