"""A real VS Code for the tests: code-server (VS Code 1.100 served to a browser) driven by Chromium.

code-server and Chromium come from scripts/install-vscode-workbench.sh; Playwright drives
/usr/bin/chromium (no browser download). Everything stays on 127.0.0.1. `CodeServer` owns the
process and its folders, `Workbench` is the page a person would see and use.
"""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from tests.editors.support import missing

CODE_SERVER_VERSION = "4.100.3"
CHROMIUM = Path("/usr/bin/chromium")
CACHE = Path(os.environ.get("PACKLS_TEST_CACHE") or Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "packls-test")

USER_SETTINGS: dict[str, Any] = {
    "packls.trace.server": "messages",  # the *packls Trace* channel must fill without touching its log level
    "workbench.startupEditor": "none",
    "workbench.tips.enabled": False,
    "telemetry.telemetryLevel": "off",
    "update.mode": "none",
    "extensions.autoCheckUpdates": False,
    "extensions.autoUpdate": False,
    "workbench.enableExperiments": False,
    "git.enabled": False,
    "security.workspace.trust.startupPrompt": "never",
    "editor.hover.delay": 150,
    "editor.minimap.enabled": False,
    "window.commandCenter": False,
    "workbench.tree.enableStickyScroll": False,  # sticky copies of file rows would shadow the real ones
}


def code_server_binary() -> Path:
    """code-server from the test cache, or a skip (a failure in CI) saying how to install it."""
    binary = CACHE / f"code-server-{CODE_SERVER_VERSION}" / "node_modules" / ".bin" / "code-server"
    if not binary.exists():
        missing(f"code-server {CODE_SERVER_VERSION} ({binary})")
    if not CHROMIUM.exists():
        missing(f"Chromium ({CHROMIUM})")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        missing("playwright (Python)")
    return binary


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def clean_path(path: str) -> str:
    """PATH without any folder that has a `packls` (the venv's bin above all)."""
    keep = [d for d in path.split(os.pathsep) if d and not (Path(d) / "packls").exists()]
    return os.pathsep.join(keep)


# -- processes ------------------------------------------------------------------------------------


def _children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            tree.setdefault(parent, []).append(int(entry.name))
    return tree


def command_line(pid: int) -> list[str]:
    try:
        return (Path(f"/proc/{pid}/cmdline").read_bytes().rstrip(b"\0").decode(errors="replace")).split("\0")
    except OSError:
        return []


def descendants(pid: int) -> list[int]:
    tree, found, todo = _children(), [], [pid]
    while todo:
        for child in tree.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process, from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


# -- code-server ----------------------------------------------------------------------------------


@dataclass
class CodeServer:
    """One code-server with its own user data, extensions, home and logs under `root`."""

    binary: Path
    root: Path
    env_path: str
    port: int = field(default_factory=free_port)
    process: subprocess.Popen[bytes] | None = None

    @property
    def data(self) -> Path:
        return self.root / "data"

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    def env(self) -> dict[str, str]:
        """A user's environment: no packls on PATH, no venv, home and caches inside `root`."""
        home = self.root / "home"
        home.mkdir(parents=True, exist_ok=True)
        return {
            "PATH": self.env_path, "HOME": str(home), "LANG": "C.UTF-8", "TMPDIR": str(self.root / "tmp"),
            "XDG_DATA_HOME": str(home / ".local/share"), "XDG_CACHE_HOME": str(home / ".cache"), "XDG_CONFIG_HOME": str(home / ".config"),
        }

    def args(self) -> list[str]:
        return [str(self.binary), "--config", str(self.root / "config.yaml"), "--user-data-dir", str(self.data),
                "--extensions-dir", str(self.root / "extensions"), "--disable-telemetry", "--disable-update-check",
                "--disable-getting-started-override"]

    def prepare(self, vsix: Path, settings: dict[str, Any]) -> None:
        (self.root / "tmp").mkdir(parents=True, exist_ok=True)
        (self.data / "User").mkdir(parents=True, exist_ok=True)
        (self.root / "config.yaml").write_text(f"bind-addr: 127.0.0.1:{self.port}\nauth: none\ncert: false\n")
        self.write_settings(settings)
        proc = subprocess.run([*self.args(), "--install-extension", str(vsix)], env=self.env(), capture_output=True, text=True, timeout=120)
        assert proc.returncode == 0 and "successfully installed" in proc.stdout, proc.stdout + proc.stderr

    def write_settings(self, settings: dict[str, Any]) -> None:
        (self.data / "User" / "settings.json").write_text(json.dumps(settings, indent=2))

    def start(self, folder: Path) -> None:
        with open(self.root / "code-server.log", "wb") as log:  # the child keeps its own descriptor
            self.process = subprocess.Popen([*self.args(), str(folder)], env=self.env(), stdout=log, stderr=subprocess.STDOUT,
                                            stdin=subprocess.DEVNULL, start_new_session=True)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(self.url + "healthz", timeout=2):
                    return
            except OSError:
                time.sleep(0.3)
        raise AssertionError(f"code-server did not answer on {self.url}: {(self.root / 'code-server.log').read_text()[-2000:]}")

    def stop(self) -> None:
        """SIGTERM to code-server's process group (its extension hosts and servers), then SIGKILL."""
        if self.process is None:
            return
        try:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=15)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            pass
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.process = None

    def servers(self) -> list[int]:
        """The packls language servers code-server's extension hosts are running now."""
        if self.process is None:
            return []
        return [pid for pid in descendants(self.process.pid) if "serve" in command_line(pid)
                and any(part.endswith(("launch.py", "/packls")) for part in command_line(pid))]

    def logs(self, pattern: str) -> list[Path]:
        return sorted(self.data.glob(f"logs/*/{pattern}"))

    def log_text(self, pattern: str) -> str:
        return "".join(p.read_text(errors="replace") for p in self.logs(pattern))


# -- the page ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Marker:
    """One row of the Problems panel, as shown."""

    path: str
    severity: str
    message: str
    code: str
    line: int
    column: int


PROBLEM_ROWS_JS = """() => [...document.querySelectorAll('.markers-panel .monaco-list-row')]
  .filter(row => !row.closest('.monaco-tree-sticky-container')).map(row => ({
  index: Number(row.getAttribute('data-index')), level: Number(row.getAttribute('aria-level')),
  label: row.getAttribute('aria-label') || '',
  severity: [...((row.querySelector('.marker-icon') || {classList: []}).classList)].find(c => ['error', 'warning', 'info'].includes(c)) || '',
  message: (row.querySelector('.marker-message') || {innerText: ''}).innerText,
  code: (row.querySelector('.marker-code') || {innerText: ''}).innerText,
  where: (row.querySelector('.marker-line') || {innerText: ''}).innerText,
}))"""


class Workbench:
    """The VS Code window in the browser, used the way a person would: keys, clicks, hovers."""

    def __init__(self, page: Any, shots: Path) -> None:
        self.page = page
        self.shots = shots

    def wait_until_up(self, timeout: float = 90) -> None:
        self.page.wait_for_selector(".monaco-workbench", timeout=timeout * 1000)
        self.page.wait_for_selector(".explorer-folders-view .monaco-list-row", timeout=timeout * 1000)

    def shot(self, name: str, element: Any = None, height: float | None = None) -> Path:
        """A screenshot of the page, or of an element's top `height` pixels."""
        path = self.shots / name
        if element is None:
            self.page.screenshot(path=str(path))
        else:
            box = element.bounding_box()
            assert box is not None, f"{name}: nothing to photograph"
            clip = {**box, "height": min(box["height"], height or box["height"])}
            self.page.screenshot(path=str(path), clip=clip)
        return path

    def scroll_problems_to_top(self) -> None:
        tree = self.page.locator(".markers-panel .monaco-list").first
        box = tree.bounding_box()
        assert box is not None
        self.page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        for _ in range(100):  # bounded
            if min((row["index"] for row in self.page.evaluate(PROBLEM_ROWS_JS)), default=0) == 0:
                return
            self.page.mouse.wheel(0, -box["height"] * 2)
            time.sleep(0.2)

    def _quick_input(self, keys: str, text: str, row: str) -> None:
        self._open_quick_input(keys)
        self.page.keyboard.type(text, delay=10)
        self.page.wait_for_selector(f".quick-input-list .monaco-list-row[aria-label*={json.dumps(row)}]", timeout=20000)
        time.sleep(0.3)
        self.page.keyboard.press("Enter")

    def _open_quick_input(self, keys: str) -> None:
        """Press a quick-input shortcut until its box shows (bounded): a key pressed while a webview
        (the explanation preview) still holds focus never reaches the workbench."""
        for attempt in range(3):
            self.page.keyboard.press("Escape")
            if attempt:
                self.page.evaluate("document.activeElement && document.activeElement.blur()")
            self.page.keyboard.press(keys)
            try:
                self.page.wait_for_selector(".quick-input-widget input", state="visible", timeout=5000 + 5000 * attempt)
                return
            except Exception as error:  # playwright's TimeoutError (playwright is imported only where it is installed)
                if type(error).__name__ != "TimeoutError" or attempt == 2:
                    raise

    def open_file(self, relative: str, shows: str) -> None:
        """Quick Open a workspace file and wait for its text."""
        self._quick_input("Control+P", relative, Path(relative).name)
        self.editor_line(shows).wait_for(timeout=20000)

    def command(self, title: str) -> None:
        """Run a command from the Command Palette."""
        self._quick_input("Control+Shift+P", title, title)

    def go_to(self, line: int, column: int) -> None:
        """Put the cursor at a 1-based line and column (Go to Line/Column)."""
        self._open_quick_input("Control+G")
        self.page.keyboard.type(f"{line}:{column}", delay=10)
        self.page.keyboard.press("Enter")
        self.page.locator(".statusbar-item", has_text=f"Ln {line}, Col {column}").first.wait_for(timeout=10000)

    def editor_line(self, text: str) -> Any:
        return self.page.locator(".monaco-editor .view-line:visible", has_text=text).first  # hidden editors keep their lines

    def token(self, line_text: str, token: str) -> Any:
        return self.editor_line(line_text).locator("span > span", has_text=token).first

    def hover(self, line_text: str, token: str, timeout: float = 60) -> Any:
        """Move the mouse onto a token until the hover widget shows (a hover needs a move over the token)."""
        target = self.token(line_text, token)
        target.wait_for(state="visible", timeout=20000)
        widget = self.page.locator(".monaco-hover:not(.hidden)").first
        content = widget.locator(".monaco-hover-content").first
        deadline = time.monotonic() + timeout
        nudge = 0
        while True:
            self.page.mouse.move(5, 5)
            self.page.keyboard.press("Escape")
            box = target.bounding_box()  # None while the editor re-renders its lines: try again
            try:
                assert box is not None, f"{token!r} is not on screen"
                self.page.mouse.move(box["x"] + 3 + nudge % 4, box["y"] + box["height"] / 2)
                content.wait_for(state="visible", timeout=5000)
                break
            except Exception:
                if time.monotonic() > deadline:
                    raise AssertionError(f"no hover on {token!r} after {timeout:.0f} s") from None
                nudge += 1
        time.sleep(0.8)  # the hover grows as its contents render
        return widget

    def problems(self, expected_rows: int | None = None) -> list[Marker]:
        """Every marker of the Problems panel, scrolling through its virtual list."""
        self.page.keyboard.press("Control+Shift+M")
        self.page.wait_for_selector(".markers-panel .monaco-list-row", timeout=30000)
        time.sleep(1)
        seen: dict[int, dict[str, Any]] = {}
        tree = self.page.locator(".markers-panel .monaco-list").first
        box = tree.bounding_box()
        assert box is not None
        self.scroll_problems_to_top()  # wherever the list was left
        still = 0
        for _ in range(300):  # bounded: 300 wheel steps
            before = set(seen)
            for row in self.page.evaluate(PROBLEM_ROWS_JS):
                seen[row["index"]] = row
            still = still + 1 if set(seen) == before else 0
            if still >= 4:  # the end: four steps (a second) without a new row
                break
            self.page.mouse.wheel(0, box["height"] / 2)
            time.sleep(0.25)
        assert sorted(seen) == list(range(len(seen))), f"rows missed while scrolling: {sorted(seen)}"
        markers, current = [], ""
        for index in sorted(seen):
            row = seen[index]
            if row["level"] == 1:
                m = re.match(r"\d+ problems? in file (.+) of folder (.+)$", row["label"])
                assert m, row
                current = f"{m.group(2)}/{m.group(1)}"
            elif row["level"] == 2:
                where = re.fullmatch(r"\[Ln (\d+), Col (\d+)\]", row["where"].strip())
                assert where, row
                markers.append(Marker(current, row["severity"], row["message"], row["code"], int(where.group(1)), int(where.group(2))))
        return markers

    def tabs(self) -> list[str]:
        return [t.strip() for t in self.page.locator(".tabs-container .tab").all_inner_texts()]


def wait_for(what: str, check: Callable[[], Any], timeout: float = 60, every: float = 0.3) -> Any:
    """Poll until check() is truthy; its value, or an AssertionError naming what never happened."""
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(every)


def settles(check: Callable[[], Any], timeout: float) -> bool:
    """Whether check() becomes true within the timeout (for a caller with a better message than a timeout)."""
    try:
        wait_for("", check, timeout)
    except AssertionError:
        return False
    return True
