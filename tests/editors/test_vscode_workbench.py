"""packls in a real VS Code: the .vsix installed into code-server 4.100.3 (VS Code 1.100.3) and
used through headless Chromium the way a person would, with no packls installed anywhere.

One window goes through the whole story, so the tests share it and run in file order:
restricted mode first, where the bundled server runs and the workspace's settings are ignored;
then the folder is trusted, the server restarted and the window reloaded. Every assertion reads
what the UI shows, the server processes code-server runs, or the logs VS Code writes.

Screenshots go to a temporary folder, or to $PACKLS_SCREENSHOTS (`make screenshots`:
docs/images) under the names the READMEs use.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.editors.support import PACKS, REPO, venv_bin
from tests.editors.workbench import (
    CHROMIUM, USER_SETTINGS, CodeServer, Marker, Workbench, clean_path, code_server_binary, command_line, cpu_seconds, settles, wait_for,
)

WORKERS = REPO / "tests" / "registry" / "data" / "workers.json"  # Attune's GET /api/v1/workers, saved
SEVERITY_ICON = {"error": "error", "warning": "warning", "information": "info"}  # hints are not listed in Problems
IDLE_SECONDS = float(os.environ.get("PACKLS_IDLE_SECONDS", "10"))  # longer for a measurement


@dataclass
class Session:
    """The running window and what the tests compare it with."""

    server: CodeServer
    wb: Workbench
    workspace: Path
    expected: list[Marker]  # restricted: the workspace's registry store is ignored
    expected_trusted: list[Marker]  # trusted: its facts count
    venv_packls: Path
    measured: dict[str, Any]

    def packls_log(self) -> str:
        return self.server.log_text("exthost*/packls.packls/packls.log")

    def trace_log(self) -> str:
        return self.server.log_text("exthost*/output_logging_*/*packls Trace.log")

    def one_server(self, not_in: tuple[int, ...] = ()) -> int:
        """Waits until exactly one packls server runs (and it is a new one); its pid."""

        def single() -> int | None:
            pids = self.server.servers()
            return pids[0] if len(pids) == 1 and pids[0] not in not_in else None

        return int(wait_for(f"exactly one packls server other than {not_in}", single, 60))

    def problem_counts(self) -> list[str]:
        """The status bar's problem counts: [errors, warnings, infos]."""
        return str(self.wb.page.locator("#status\\.problems").inner_text()).split()


def _expected_markers(workspace: Path, env: dict[str, str], database: Path | None = None) -> list[Marker]:
    """`packls validate --format json` on the same folder, as the Problems panel would list it."""
    store = ["--database", str(database)] if database else []
    proc = subprocess.run([sys.executable, "-m", "packls", "validate", str(workspace), "--format", "json", "--fail-on", "never", *store],
                          capture_output=True, text=True, env={**os.environ, **env}, timeout=300, cwd=workspace)
    assert proc.returncode == 0, proc.stderr
    markers = []
    for d in json.loads(proc.stdout)["diagnostics"]:
        if d["severity"] in SEVERITY_ICON:
            start = d["range"]["start"]
            path = Path(d["path"]) if Path(d["path"]).is_absolute() else workspace / d["path"]  # relative to the cwd
            relative = path.resolve().relative_to(workspace.resolve()).as_posix()
            markers.append(Marker(relative, SEVERITY_ICON[d["severity"]], d["message"], d["code"], start["line"] + 1, start["character"] + 1))
    return sorted(markers, key=_order)


def _order(m: Marker) -> tuple[Any, ...]:
    return (m.path, m.line, m.column, m.code, m.message)


@pytest.fixture(scope="module")
def s(vsix: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Session]:
    binary = code_server_binary()
    from playwright.sync_api import sync_playwright

    started = time.monotonic()
    root = tmp_path_factory.mktemp("vscode")
    workspace = root / "packs"
    shutil.copytree(PACKS, workspace)
    # The workspace names a registry store (synced from saved worker adverts) and a server path:
    # both restricted settings, ignored until the folder is trusted.
    database = root / "registry.sqlite"
    sync = subprocess.run([sys.executable, "-m", "packls", "sync", "--workers", str(WORKERS), "--database", str(database)],
                          capture_output=True, text=True, timeout=120)
    assert sync.returncode == 0, sync.stderr
    venv_packls = venv_bin() / "packls"
    (workspace / ".vscode").mkdir()
    (workspace / ".vscode" / "settings.json").write_text(json.dumps({"packls.server.path": str(venv_packls), "packls.database": str(database)}))

    server = CodeServer(binary, root, clean_path(os.environ.get("PATH", "")))
    env = server.env()
    # No packls anywhere the extension could look: not on PATH, not importable by the pythons there.
    assert shutil.which("packls", path=env["PATH"]) is None
    python3 = shutil.which("python3", path=env["PATH"])
    assert python3 is not None
    probe = subprocess.run([python3, "-c", "import packls"], env=env, capture_output=True, text=True, cwd=root)
    assert probe.returncode != 0 and "No module named 'packls'" in probe.stderr, probe
    expected = _expected_markers(workspace, env)
    expected_trusted = _expected_markers(workspace, env, database)
    assert expected != expected_trusted  # the store's facts change what is reported

    server.prepare(vsix, USER_SETTINGS)
    shots = (REPO / os.environ["PACKLS_SCREENSHOTS"]) if os.environ.get("PACKLS_SCREENSHOTS") else root / "shots"
    shots.mkdir(parents=True, exist_ok=True)
    measured: dict[str, Any] = {}
    playwright = sync_playwright().start()
    try:
        server.start(workspace)
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True,
            args=["--no-sandbox", "--disable-dev-shm-usage", "--proxy-server=direct://", "--proxy-bypass-list=*"],
        )
        page = browser.new_context(viewport={"width": 1400, "height": 860}).new_page()
        page.goto(f"{server.url}?folder={workspace}", wait_until="domcontentloaded")
        session = Session(server, Workbench(page, shots), workspace, expected, expected_trusted, venv_packls, measured)
        session.wb.wait_until_up()
        measured["window_up_s"] = round(time.monotonic() - started, 1)
        yield session
    finally:
        playwright.stop()  # closes the browser
        server.stop()
        measured["module_s"] = round(time.monotonic() - started, 1)
        (root / "measurements.json").write_text(json.dumps(measured, indent=2))
        print(f"\nreal-workbench: {json.dumps(measured)}; logs and screenshots in {root}")


@pytest.fixture(autouse=True)
def _screenshot_on_failure(request: pytest.FixtureRequest, s: Session) -> Iterator[None]:
    """What the window showed when a test failed, next to the logs."""
    yield
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed:
        s.wb.page.screenshot(path=str(s.server.root / f"failed-{request.node.name}.png"))
        (s.server.root / f"failed-{request.node.name}.html").write_text(s.wb.page.content())


# -- restricted mode: the bundled server ------------------------------------------------------------


def test_restricted_mode_runs_the_bundled_server_and_ignores_the_workspace_settings(s: Session) -> None:
    wait_for("the Restricted Mode status item", lambda: s.wb.page.locator(".statusbar-item", has_text="Restricted Mode").count() == 1, 30)
    start = wait_for("the extension to start a server", lambda: [l for l in s.packls_log().splitlines() if "] Starting " in l])[0]
    assert "bundled with the extension" in start and "launch.py serve" in start, start
    assert str(s.venv_packls) not in start  # the workspace's packls.server.path is not used
    pid = s.one_server()
    line = command_line(pid)
    assert line[1:3] == ["-I", str(s.server.root / "extensions" / "packls.packls-0.1.0" / "bundled" / "tool" / "launch.py")], line


def test_problems_of_the_opened_and_the_closed_files_equal_packls_validate(s: Session) -> None:
    s.wb.open_file("broken_pack/actions/unquoted.yaml", "runtime_version")
    s.wb.page.wait_for_selector(".monaco-editor .squiggly-error", timeout=60000)
    errors = sum(m.severity == "error" for m in s.expected)
    warnings = sum(m.severity == "warning" for m in s.expected)
    wait_for(f"{errors} errors and {warnings} warnings in the status bar", lambda: s.problem_counts()[:2] == [str(errors), str(warnings)], 60)
    shown = sorted(s.wb.problems(), key=_order)
    missing = [m for m in s.expected if m not in shown]
    extra = [m for m in shown if m not in s.expected]
    assert (missing, extra) == ([], []), "\n".join(["not shown:", *map(repr, missing), "shown, not reported:", *map(repr, extra)])
    assert shown == s.expected  # the same order too: by file, then position
    paths = {m.path for m in shown}
    assert "broken_pack/actions/unquoted.yaml" in paths  # the open file (pulled per document) …
    assert "broken_pack/actions/golang.yaml" in paths  # … and a closed one (the workspace pull)
    s.measured["problems"] = len(shown)


def test_hover_shows_the_selection_table_and_fits_the_hover(s: Session) -> None:
    s.wb.page.keyboard.press("Control+J")  # the panel closes: room for the editor
    s.wb.open_file("data_tools/actions/newest.yaml", ">=3.11,<4.0")
    widget = s.wb.hover("runtime_version", ">=3.11")
    text = widget.inner_text()
    assert "runtime_version >=3.11,<4.0 on data_tools.python (DataPython) → 3.13" in text, text
    assert "Attune reads it as >=3.11.0, <4.0.0." in text
    for row in ("3.13\t\tselected — highest matching version", "3.12\tyes\tlower than 3.13",
                "3.10\t\texcluded by >=3.11.0 (from '>=3.11')"):
        assert row in text, text
    assert "Full explanation" in text and "Environment directory" not in text
    # Nothing is cut off: the content is no taller than the widget, and its last line is inside it.
    fits = widget.evaluate("""w => { const c = w.querySelector('.monaco-hover-content'); const link = [...w.querySelectorAll('a')].pop();
        const box = w.getBoundingClientRect(), last = link.getBoundingClientRect();
        return {scroll: c.scrollHeight, client: c.clientHeight, inside: last.bottom <= box.bottom + 0.5, bottom: box.bottom}; }""")
    assert fits["scroll"] <= fits["client"] and fits["inside"], fits
    editor = s.wb.page.locator(".part.editor").first
    s.wb.shot("packls-vscode-hover.png", editor, height=fits["bottom"] - editor.bounding_box()["y"] + 12)
    # The workspace's registry store is ignored in restricted mode: no availability column.
    s.wb.open_file("data_tools/sensors/folder_watch.yaml", "~3.12")
    text = s.wb.hover("runtime_version", "~3.12").inner_text()
    assert "→ 3.12" in text and "availability" not in text, text


def test_the_hover_links_to_the_explanation_page(s: Session) -> None:
    s.wb.open_file("data_tools/actions/newest.yaml", ">=3.11,<4.0")
    widget = s.wb.hover("runtime_version", ">=3.11")
    widget.locator("a", has_text="Full explanation").click()
    tab = wait_for("the explanation's preview tab", lambda: [t for t in s.wb.tabs() if "newest.yaml-line-4" in t], 30)
    assert tab[0].startswith("Preview"), tab

    def page_text() -> str:
        for frame in s.wb.page.frames:
            try:
                body = frame.locator("body").inner_text(timeout=500)
            except Exception:
                continue
            if "Runtime version selection" in body:
                return str(body)
        return ""

    body = wait_for("the explanation's text in the preview", page_text, 30)
    assert "Runtime version selection: data_tools/actions/newest.yaml:4" in body
    assert "3.13 is the highest" in body and "Environment directory: /opt/attune/runtime_envs/data_tools/datapython-3.13" in body
    s.wb.page.keyboard.press("Control+W")


def test_a_quick_fix_from_the_light_bulb_edits_the_file(s: Session) -> None:
    errors_before = int(s.problem_counts()[0])
    s.wb.open_file("broken_pack/actions/unquoted.yaml", "runtime_version")
    s.wb.go_to(3, 19)  # on the unquoted 3.12
    # The light bulb sits in the gutter (or beside the text when the gutter has no room).
    bulb = s.wb.page.locator(".monaco-editor .glyph-margin-widgets [class*=codicon-gutter-lightbulb]:visible, "
                             ".monaco-editor .lightBulbWidget:visible").first
    bulb.wait_for(state="visible", timeout=20000)
    bulb.click()
    menu = s.wb.page.locator(".action-widget").first
    menu.wait_for(state="visible", timeout=20000)
    time.sleep(0.5)
    s.wb.shot("packls-vscode-quickfix.png", s.wb.page.locator(".part.editor").first, height=200)
    # Pick the fix with the keyboard, as the menu says ("Enter to Apply"); it blocks pointer events.
    wanted = 'Quote it: "3.12"'
    for _ in range(10):
        if menu.locator(".monaco-list-row.focused").first.get_attribute("aria-label") == wanted:
            break
        s.wb.page.keyboard.press("ArrowDown")
    assert menu.locator(".monaco-list-row.focused").first.get_attribute("aria-label") == wanted, menu.inner_text()
    s.wb.page.keyboard.press("Enter")
    s.wb.editor_line('runtime_version: "3.12"').wait_for(timeout=20000)
    s.wb.page.keyboard.press("Control+S")
    saved = s.workspace / "broken_pack/actions/unquoted.yaml"
    wait_for("the fix saved to disk", lambda: 'runtime_version: "3.12"\n' in saved.read_text(), 20)
    wait_for("the finding to go", lambda: int(s.problem_counts()[0]) == errors_before - 1, 30)


# -- trusted: the workspace's settings apply ---------------------------------------------------------


def test_trusting_the_folder_restarts_one_server_with_the_workspace_settings(s: Session) -> None:
    bundled = s.one_server()
    s.wb.command("Workspaces: Manage Workspace Trust")
    button = s.wb.page.locator(".workspace-trust-editor .monaco-button", has_text="Trust").first
    button.wait_for(state="visible", timeout=20000)
    button.click()
    wait_for("restricted mode to end", lambda: s.wb.page.locator(".statusbar-item", has_text="Restricted Mode").count() == 0, 30)
    wait_for("a start with the workspace's packls.server.path",
             lambda: f"Starting {s.venv_packls} serve (packls.server.path)" in s.packls_log(), 60)
    pid = s.one_server(not_in=(bundled,))
    assert command_line(pid)[1:] == [str(s.venv_packls), "serve"], command_line(pid)  # the venv's python runs its packls script
    s.wb.page.keyboard.press("Control+W")  # the trust editor
    # The workspace's registry store now counts: the findings of `validate --database` (minus the
    # quick fix made above), and the hover's table gains the workers' availability.
    fixed = [m for m in s.expected_trusted if not (m.path == "broken_pack/actions/unquoted.yaml" and m.code == "runtime_version.not_string")]
    counts = [str(sum(m.severity == kind for m in fixed)) for kind in ("error", "warning")]
    counted = settles(lambda: s.problem_counts()[:2] == counts, 90)
    shown = s.wb.problems()
    s.wb.scroll_problems_to_top()
    s.wb.shot("packls-vscode-problems.png")
    s.wb.page.keyboard.press("Control+J")
    extra = [m for m in shown if m not in fixed]
    missing = [m for m in fixed if m not in shown]
    assert (missing, extra) == ([], []), "\n".join(["not shown:", *map(repr, missing), "shown, not reported:", *map(repr, extra)])
    assert counted, f"the status bar counts {s.problem_counts()}, not {counts}"
    s.wb.open_file("data_tools/sensors/folder_watch.yaml", "~3.12")
    text = s.wb.hover("runtime_version", "~3.12").inner_text()
    assert "availability" in text and "→ 3.12" in text and "available (verified" in text, text


def test_restart_server_leaves_exactly_one_server(s: Session) -> None:
    before = s.one_server()
    s.wb.command("packls: Restart Server")
    s.one_server(not_in=(before,))


def test_reload_window_leaves_exactly_one_server(s: Session) -> None:
    before = s.one_server()
    s.wb.command("Developer: Reload Window")
    time.sleep(2)
    s.wb.wait_until_up()
    s.one_server(not_in=(before,))
    wait_for("the problems again", lambda: s.problem_counts()[:1] not in ([], ["0"]), 90)


def test_an_idle_window_sends_no_pulls_and_costs_the_server_no_cpu(s: Session) -> None:
    pid = s.one_server()
    time.sleep(5)  # startup settles: the first workspace pull is answered, the next one is held
    sent = s.trace_log().count("Sending request 'workspace/diagnostic")
    cpu = cpu_seconds(pid)
    time.sleep(IDLE_SECONDS)
    pulls = s.trace_log().count("Sending request 'workspace/diagnostic") - sent
    spent = cpu_seconds(pid) - cpu
    s.measured["idle"] = {"seconds": IDLE_SECONDS, "workspace_pulls": pulls, "server_cpu_s": round(spent, 3)}
    assert pulls == 0, f"{pulls} workspace/diagnostic requests in {IDLE_SECONDS} s of idle"
    assert spent < 0.3, f"the idle server used {spent:.2f} s of CPU in {IDLE_SECONDS} s"


def test_the_trace_channel_follows_the_setting_alone(s: Session) -> None:
    # "messages" in the user settings, and no one touched the channel's log level:
    trace = s.trace_log()
    assert "Sending request 'initialize" in trace and "Received response 'textDocument/diagnostic" in trace
    folder_settings = s.workspace / ".vscode" / "settings.json"
    folder_settings.write_text(json.dumps({**json.loads(folder_settings.read_text()), "packls.trace.server": "off"}))
    s.wb.open_file("data_tools/actions/newest.yaml", ">=3.11,<4.0")

    def hover_untraced() -> bool:
        before = len(s.trace_log())
        assert "→ 3.13" in s.wb.hover("runtime_version", ">=3.11").inner_text()
        time.sleep(0.5)
        return "textDocument/hover" not in s.trace_log()[before:]

    started = time.monotonic()
    wait_for("a hover that is not traced once the setting is off", hover_untraced, 60, every=1)
    s.measured["trace_off_after_s"] = round(time.monotonic() - started, 1)
    assert hover_untraced(), "traced again although packls.trace.server is off"


def _host_errors(log: str) -> list[str]:
    """The extension host's [error] lines, but for code-server's own lock file read while the host exits.

    code-server 4.100.3 releases its workspace lock as the host terminates and sometimes reads the
    lock file half-written: "SyntaxError: Unexpected end of JSON input" thrown at JSON.parse inside
    its extensionHostProcess.js, after "Extension host terminating". That is VS Code's, not packls's.
    """
    lines = log.splitlines()
    terminating = next((i for i, line in enumerate(lines) if "Extension host terminating" in line), len(lines))
    errors = []
    for i, line in enumerate(lines):
        if "[error]" not in line:
            continue
        stack = lines[i + 1 : i + 3]
        own_lock_read = (i > terminating and "Unexpected end of JSON input" in line and len(stack) == 2
                         and "JSON.parse" in stack[0] and "extensionHostProcess.js" in stack[1])
        if not own_lock_read:
            errors.append(line)
    return errors


def test_no_errors_in_the_extension_host_or_packls_logs(s: Session) -> None:
    """Includes the first extension host's shutdown (the reload), where deactivate() runs."""
    hosts = s.server.logs("exthost*/remoteexthost.log")
    assert len(hosts) >= 2, hosts  # before and after the reload
    errors = [error for p in hosts for error in _host_errors(p.read_text(errors="replace"))]
    packls_errors = [line for line in s.packls_log().splitlines() if "[error]" in line or "[warning]" in line]
    assert errors == [] and packls_errors == [], "\n".join(errors + packls_errors)
    assert "Channel has been closed" not in s.packls_log() + "".join(p.read_text() for p in hosts)
