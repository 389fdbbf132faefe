#!/usr/bin/env python3
# Copied unchanged from shared/bench/lsp-latency/lsp_latency.py (v1.0); bench/lsp_bench.py and
# bench/peer.py drive it, so packls and the peer are measured by the very same client.
"""Client-side latency harness for any language server that speaks LSP over stdio.

Python 3 standard library only.  It starts the server command given with
--server, acts as a minimal editor (JSON-RPC over the server's stdin/stdout) and
measures, from the client side:

  (a) initialize: spawn -> initialize response (includes process start-up),
      and initialized+didOpen -> first textDocument/publishDiagnostics for the file;
      one fresh server per repetition;
  (b) keystroke -> diagnostics: an incremental didChange that replaces one scalar
      value on --edit-line, alternating --invalid / --valid, until the first
      publishDiagnostics for the document that reflects the change;
  (c) hover and (d) completion round trips at the given positions;
  (e) optional: completion sent right after each (b)-style didChange (the typing case);
  plus the server's peak RSS (VmHWM) and CPU time from /proc.

Phases (b)-(e) run on the server of the last (a) repetition.  Every wait has a
timeout; a watchdog kills the server (by its PID) past --max-seconds or
--rss-cap-mb.  Positions are LSP positions: 0-based line and UTF-16 character.

"Reflects the change": if the server sends `version` in publishDiagnostics, a
publication for a version >= the edit's version; otherwise a publication whose
content matches the edit (a diagnostic on the edited line after the invalid
value, none on that line after the valid value).  Publications whose version
matches but whose content does not are counted as content_mismatch.

Run with --help for the options; README.md beside this file has examples.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import pathlib
import platform
import re
import shlex
import signal
import subprocess
import sys
import threading
import time

__version__ = "1.0"

CLK_TCK = os.sysconf("SC_CLK_TCK")
now = time.perf_counter


class ServerDied(Exception):
    pass


class WaitTimeout(Exception):
    pass


# --------------------------------------------------------------------------- /proc


def _read(path: str) -> str | None:
    try:
        with open(path, "r") as f:
            return f.read()
    except OSError:
        return None


def proc_tree(pid: int) -> list[int]:
    """pid and all its descendants (via /proc/PID/task/TID/children)."""
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        if p in out:
            continue
        out.append(p)
        try:
            tids = os.listdir(f"/proc/{p}/task")
        except OSError:
            continue
        for tid in tids:
            kids = _read(f"/proc/{p}/task/{tid}/children") or ""
            todo.extend(int(k) for k in kids.split())
    return out


def status_kb(pid: int, field: str) -> int | None:
    text = _read(f"/proc/{pid}/status")
    if not text:
        return None
    m = re.search(rf"^{field}:\s+(\d+) kB", text, re.M)
    return int(m.group(1)) if m else None


def cpu_seconds(pid: int) -> float | None:
    text = _read(f"/proc/{pid}/stat")
    if not text:
        return None
    fields = text[text.rfind(")") + 2:].split()
    # fields[0] is field 3 (state); utime = field 14, stime = field 15
    return (int(fields[11]) + int(fields[12])) / CLK_TCK


class Watch(threading.Thread):
    """Samples RSS and CPU of the server's process tree; enforces hard limits."""

    def __init__(self, pid: int, max_seconds: float, rss_cap_mb: float, interval: float = 0.05):
        super().__init__(daemon=True)
        self.pid, self.max_seconds, self.rss_cap_kb = pid, max_seconds, rss_cap_mb * 1024
        self.interval = interval
        self.t_start = now()
        self.peak_rss_kb = 0
        self.pids_seen: set[int] = {pid}
        self.cpu_by_pid: dict[int, float] = {}
        self.killed_reason: str | None = None
        self.stop_ev = threading.Event()

    def sample(self) -> int:
        rss = 0
        for p in proc_tree(self.pid):
            self.pids_seen.add(p)
            rss += status_kb(p, "VmRSS") or 0
            c = cpu_seconds(p)
            if c is not None:
                self.cpu_by_pid[p] = c
        self.peak_rss_kb = max(self.peak_rss_kb, rss)
        return rss

    def cpu(self) -> float:
        self.sample()
        return sum(self.cpu_by_pid.values())

    def kill_tree(self, reason: str) -> None:
        if self.killed_reason is None:
            self.killed_reason = reason
        for p in reversed(proc_tree(self.pid)):
            try:
                os.kill(p, signal.SIGKILL)
            except OSError:
                pass

    def run(self) -> None:
        while not self.stop_ev.wait(self.interval):
            if not os.path.exists(f"/proc/{self.pid}"):
                return
            rss = self.sample()
            if rss > self.rss_cap_kb:
                self.kill_tree(f"RSS {rss // 1024} MiB > cap {self.rss_cap_kb // 1024:.0f} MiB")
                return
            if now() - self.t_start > self.max_seconds:
                self.kill_tree(f"running longer than --max-seconds {self.max_seconds:g}")
                return


# --------------------------------------------------------------------------- client


def lookup_section(settings, section):
    if section is None or section == "":
        return settings
    if isinstance(settings, dict) and section in settings:
        return settings[section]
    cur = settings
    for part in section.split("."):
        if not isinstance(cur, dict) or part not in cur:
            return None
        cur = cur[part]
    return cur


class Client:
    """One server process and the JSON-RPC plumbing around it."""

    def __init__(self, argv, cwd, settings, ws_uri, ws_name, max_seconds, rss_cap_mb, verbose=False):
        self.settings, self.ws_uri, self.ws_name, self.verbose = settings, ws_uri, ws_name, verbose
        self.cv = threading.Condition()
        self.wlock = threading.Lock()
        self.responses: dict[int, tuple[dict, float]] = {}
        self.diags: dict[str, list[tuple[float, dict]]] = {}
        self.server_requests: dict[str, int] = {}
        self.notifications: dict[str, int] = {}
        self.log_messages: list[str] = []
        self.stderr_tail: list[str] = []
        self.stderr_head: list[str] = []
        self.init_result: dict = {}
        self.dead = False
        self.next_id = 0
        self.t_spawn = now()
        self.proc = subprocess.Popen(argv, cwd=cwd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE)
        self.pid = self.proc.pid
        self.watch = Watch(self.pid, max_seconds, rss_cap_mb)
        self.watch.start()
        threading.Thread(target=self._read_stdout, daemon=True).start()
        threading.Thread(target=self._read_stderr, daemon=True).start()

    # -- wire
    def _send(self, msg: dict) -> float:
        body = json.dumps(msg, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
        data = b"Content-Length: %d\r\n\r\n" % len(body) + body
        with self.wlock:
            t = now()
            try:
                self.proc.stdin.write(data)
                self.proc.stdin.flush()
            except (BrokenPipeError, OSError, ValueError) as e:
                raise ServerDied(f"write failed: {e}") from None
        return t

    def _read_stdout(self) -> None:
        out = self.proc.stdout
        try:
            while True:
                length = None
                while True:
                    line = out.readline()
                    if not line:
                        raise EOFError
                    line = line.rstrip(b"\r\n")
                    if not line:
                        break
                    k, _, v = line.partition(b":")
                    if k.strip().lower() == b"content-length":
                        length = int(v.strip())
                if length is None:
                    continue
                body = out.read(length)
                t = now()
                if len(body) < length:
                    raise EOFError
                self._dispatch(json.loads(body), t)
        except (EOFError, OSError, ValueError):
            pass
        finally:
            with self.cv:
                self.dead = True
                self.cv.notify_all()

    def _read_stderr(self) -> None:
        for raw in self.proc.stderr:
            line = raw.decode("utf-8", "replace").rstrip()
            if len(self.stderr_head) < 10:
                self.stderr_head.append(line)
            self.stderr_tail = (self.stderr_tail + [line])[-50:]
            if self.verbose:
                print(f"[server stderr] {line}", file=sys.stderr)

    def _dispatch(self, msg: dict, t: float) -> None:
        method = msg.get("method")
        if method is not None and "id" in msg:
            self._answer_server_request(msg)
            return
        if method is None:
            with self.cv:
                self.responses[msg.get("id")] = (msg, t)
                self.cv.notify_all()
            return
        self.notifications[method] = self.notifications.get(method, 0) + 1
        params = msg.get("params") or {}
        if method == "textDocument/publishDiagnostics":
            with self.cv:
                self.diags.setdefault(params.get("uri"), []).append((t, params))
                self.cv.notify_all()
        elif method in ("window/logMessage", "window/showMessage"):
            text = str(params.get("message", ""))
            self.log_messages = (self.log_messages + [text[:500]])[-50:]
            if self.verbose:
                print(f"[server {method}] {text[:500]}", file=sys.stderr)

    def _answer_server_request(self, msg: dict) -> None:
        method, params = msg["method"], msg.get("params") or {}
        self.server_requests[method] = self.server_requests.get(method, 0) + 1
        reply: dict = {"jsonrpc": "2.0", "id": msg["id"]}
        if method == "workspace/configuration":
            reply["result"] = [lookup_section(self.settings, it.get("section")) for it in params.get("items", [])]
        elif method == "workspace/workspaceFolders":
            reply["result"] = [{"uri": self.ws_uri, "name": self.ws_name}]
        elif method in ("client/registerCapability", "client/unregisterCapability",
                        "window/workDoneProgress/create", "window/showMessageRequest") or method.endswith("/refresh"):
            reply["result"] = None
        else:
            reply["error"] = {"code": -32601, "message": f"lsp_latency does not implement {method}"}
        try:
            self._send(reply)
        except ServerDied:
            pass

    # -- API
    def notify(self, method: str, params) -> float:
        return self._send({"jsonrpc": "2.0", "method": method, "params": params})

    def request(self, method: str, params, timeout: float) -> tuple[dict, float, float]:
        """Returns (response, t_sent, t_received); raises WaitTimeout / ServerDied."""
        self.next_id += 1
        rid = self.next_id
        t0 = self._send({"jsonrpc": "2.0", "id": rid, "method": method, "params": params})
        deadline = t0 + timeout
        with self.cv:
            while rid not in self.responses:
                if self.dead:
                    raise ServerDied(f"server exited while waiting for {method}")
                left = deadline - now()
                if left <= 0:
                    break
                self.cv.wait(left)
            got = self.responses.pop(rid, None)
        if got is None:
            try:
                self.notify("$/cancelRequest", {"id": rid})
            except ServerDied:
                pass
            raise WaitTimeout(f"{method}: no response in {timeout:g} s")
        return got[0], t0, got[1]

    def diag_count(self, uri: str) -> int:
        with self.cv:
            return len(self.diags.get(uri, []))

    def wait_diag(self, uri: str, start: int, accept, deadline: float):
        """First publication for uri at index >= start with accept(params) true.
        Returns (index, t_received, params)."""
        i = start
        with self.cv:
            while True:
                lst = self.diags.get(uri, [])
                while i < len(lst):
                    t, params = lst[i]
                    if accept(params):
                        return i, t, params
                    i += 1
                if self.dead:
                    raise ServerDied("server exited while waiting for diagnostics")
                left = deadline - now()
                if left <= 0:
                    raise WaitTimeout("no matching publishDiagnostics before the timeout")
                self.cv.wait(left)

    def wait_quiet(self, uri: str, quiet: float, max_wait: float) -> int:
        """Wait until no publication for uri arrived for `quiet` seconds (bounded)."""
        end = now() + max_wait
        with self.cv:
            n = len(self.diags.get(uri, []))
            last = now()
            while now() < end and not self.dead:
                self.cv.wait(min(quiet, max(0.0, end - now())))
                m = len(self.diags.get(uri, []))
                if m != n:
                    n, last = m, now()
                elif now() - last >= quiet:
                    break
            return n

    def resources(self) -> dict:
        pids = [p for p in proc_tree(self.pid) if os.path.exists(f"/proc/{p}")]
        hwm = {p: status_kb(p, "VmHWM") for p in pids}
        return {
            "alive": self.proc.poll() is None,
            "pids": pids,
            "vmhwm_kb_main": hwm.get(self.pid),
            "vmhwm_kb_tree_sum": sum(v or 0 for v in hwm.values()) if hwm else None,
            "sampled_peak_rss_kb_tree": self.watch.peak_rss_kb,
            "cpu_s_tree": round(self.watch.cpu(), 3),
        }

    def close(self, timeout: float = 5.0) -> dict:
        """shutdown + exit, then SIGKILL by PID if the server is still there."""
        info = {"shutdown": "ok"}
        if self.proc.poll() is not None or self.dead:
            info["shutdown"] = "skipped: server had already exited"
        else:
            try:
                self.request("shutdown", None, timeout)
                self.notify("exit", None)
            except (WaitTimeout, ServerDied) as e:
                info["shutdown"] = f"failed: {e}"
        try:
            self.proc.stdin.close()
        except OSError:
            pass
        try:
            self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            info["shutdown"] += "; killed by PID"
            self.watch.kill_tree("did not exit after shutdown/exit")
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                info["shutdown"] += "; still alive after SIGKILL?!"
        self.watch.stop_ev.set()
        for p in self.watch.pids_seen - {self.pid}:  # orphans we started indirectly
            if os.path.exists(f"/proc/{p}"):
                try:
                    os.kill(p, signal.SIGKILL)
                except OSError:
                    pass
        info["exit_code"] = self.proc.returncode
        if self.watch.killed_reason:
            info["watchdog"] = self.watch.killed_reason
        return info


# --------------------------------------------------------------------------- document


def utf16_len(s: str) -> int:
    return len(s.encode("utf-16-le")) // 2


VALUE_RE = re.compile(r"^(\s*(?:-\s+)?[^:#\s][^:#]*:[ \t]+)(.*?)([ \t]+#.*)?$")


class Doc:
    def __init__(self, uri: str, text: str, language_id: str):
        self.uri, self.text, self.language_id, self.version = uri, text, language_id, 1
        self.lines = text.split("\n")

    def value(self, line: int) -> str:
        m = VALUE_RE.match(self.lines[line].rstrip("\r"))
        if not m:
            raise SystemExit(f"--edit-line {line}: no 'key: value' on that line: {self.lines[line]!r}")
        return m.group(2)

    def replace_value(self, line: int, new_value: str) -> dict:
        raw = self.lines[line]
        cr = "\r" if raw.endswith("\r") else ""
        m = VALUE_RE.match(raw.rstrip("\r"))
        start, end = len(m.group(1)), len(m.group(1)) + len(m.group(2))
        rng = {"start": {"line": line, "character": utf16_len(raw[:start])},
               "end": {"line": line, "character": utf16_len(raw[:end])}}
        self.lines[line] = raw[:start] + new_value + raw[end:].rstrip("\r") + cr
        self.version += 1
        return {"range": rng, "text": new_value}


# --------------------------------------------------------------------------- stats


def stats(samples: list[float]) -> dict:
    if not samples:
        return {"n": 0}
    s = sorted(samples)
    p95 = s[max(0, math.ceil(0.95 * len(s)) - 1)]  # nearest-rank
    mid = len(s) // 2
    med = s[mid] if len(s) % 2 else (s[mid - 1] + s[mid]) / 2
    r = lambda x: round(x, 2)
    return {"n": len(s), "min": r(s[0]), "median": r(med), "p95": r(p95), "max": r(s[-1]),
            "mean": r(sum(s) / len(s)), "first": r(samples[0])}


def summarize_result(method: str, result) -> str:
    if result is None:
        return "null"
    if method == "textDocument/hover":
        c = result.get("contents")
        if isinstance(c, dict):
            c = c.get("value", "")
        elif isinstance(c, list):
            c = " | ".join(x.get("value", "") if isinstance(x, dict) else str(x) for x in c)
        return f"{len(str(c))} chars: {str(c)[:80]!r}"
    if method == "textDocument/completion":
        items = result.get("items", []) if isinstance(result, dict) else result
        return f"{len(items)} items: {[i.get('label') for i in items[:6]]}"
    return str(result)[:80]


# --------------------------------------------------------------------------- run


CLIENT_CAPABILITIES = {
    "workspace": {
        "configuration": True,
        "workspaceFolders": True,
        "didChangeConfiguration": {"dynamicRegistration": False},
        "applyEdit": True,
    },
    "textDocument": {
        "synchronization": {"dynamicRegistration": False, "didSave": True},
        "publishDiagnostics": {"relatedInformation": True, "versionSupport": True},
        "hover": {"contentFormat": ["markdown", "plaintext"]},
        "completion": {"completionItem": {"snippetSupport": True, "documentationFormat": ["markdown", "plaintext"]}},
    },
    "window": {"workDoneProgress": False},
    "general": {"positionEncodings": ["utf-16"]},
}


def parse_pos(s: str) -> tuple[int, int]:
    line, _, ch = s.partition(":")
    return int(line), int(ch)


def load_settings(arg: str | None, ws: pathlib.Path):
    if not arg:
        return None
    text = pathlib.Path(arg[1:]).read_text() if arg.startswith("@") else arg
    text = text.replace("${workspaceUri}", ws.as_uri()).replace("${workspaceFolder}", str(ws))
    return json.loads(text)


def open_document(c, args, settings, ws, doc_text, uri, record):
    """On a fresh server: initialize, initialized (+config) + didOpen -> first diagnostics."""
    init_params = {
        "processId": os.getpid(),
        "clientInfo": {"name": "lsp_latency", "version": __version__},
        "locale": "en",
        "rootPath": str(ws),
        "rootUri": ws.as_uri(),
        "workspaceFolders": [{"uri": ws.as_uri(), "name": ws.name}],
        "capabilities": CLIENT_CAPABILITIES,
        "initializationOptions": json.loads(args.init_options) if args.init_options else None,
        "trace": "off",
    }
    resp, t_sent, t_recv = c.request("initialize", init_params, args.init_timeout)
    if "error" in resp:
        raise SystemExit(f"initialize failed: {resp['error']}")
    c.init_result = resp.get("result") or {}
    record["initialize_from_spawn_ms"].append((t_recv - c.t_spawn) * 1000)
    record["initialize_rtt_ms"].append((t_recv - t_sent) * 1000)
    cpu0 = c.watch.cpu()
    start = c.diag_count(uri)
    t0 = c.notify("initialized", {})
    if settings is not None:
        c.notify("workspace/didChangeConfiguration", {"settings": settings})
    c.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": args.language_id,
                                                       "version": 1, "text": doc_text}})
    try:
        _, t, params = c.wait_diag(uri, start, lambda p: True, now() + args.open_timeout)
        record["open_to_first_diagnostics_ms"].append((t - t0) * 1000)
        record["first_diagnostics_count"].append(len(params.get("diagnostics", [])))
        record["first_messages"] = [f"{d['range']['start']['line']}: {d.get('message', '')[:150]}"
                                    for d in params.get("diagnostics", [])[:5]]
    except WaitTimeout:
        record["open_timeouts"] += 1
    finally:
        record["open_cpu_s"].append(c.watch.cpu() - cpu0)
    return c.init_result


def edit_and_wait(c, doc, args, sync_kind, want_invalid, between=None):
    """didChange that sets --edit-line to the invalid/valid value, then wait for the first
    publication reflecting it.  `between(t_change)` runs right after the didChange is sent.
    Returns (t_change, t_diagnostics, content_matches, diagnostic_message_or_None)."""
    change = doc.replace_value(args.edit_line, args.invalid if want_invalid else args.valid)
    content_changes = [change] if sync_kind == 2 else [{"text": "\n".join(doc.lines)}]
    version, line = doc.version, args.edit_line

    def on_line(p):
        return [d for d in p.get("diagnostics", []) if d["range"]["start"]["line"] <= line <= d["range"]["end"]["line"]]

    def accept(p):
        if p.get("version") is not None:
            return p["version"] >= version
        return bool(on_line(p)) == want_invalid

    start = c.diag_count(doc.uri)
    t0 = c.notify("textDocument/didChange", {"textDocument": {"uri": doc.uri, "version": version},
                                             "contentChanges": content_changes})
    if between is not None:
        between(t0)
    _, t, p = c.wait_diag(doc.uri, start, accept, now() + args.diag_timeout)
    hits = on_line(p)
    msg = hits[0].get("message", "")[:120] if (hits and want_invalid) else None
    return t0, t, bool(hits) == want_invalid, msg


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--server", required=True, help="server command line (shlex-split, no shell)")
    ap.add_argument("--workspace", required=True, help="workspace folder (rootUri)")
    ap.add_argument("--file", required=True, help="file to open (relative to the workspace or absolute)")
    ap.add_argument("--cwd", default=None, help="working directory for the server (default: current)")
    ap.add_argument("--language-id", default="yaml")
    ap.add_argument("--settings", help="JSON (or @file.json) sent with workspace/didChangeConfiguration and "
                                       "used to answer workspace/configuration; ${workspaceUri} and "
                                       "${workspaceFolder} are substituted")
    ap.add_argument("--init-options", help="JSON for initializationOptions")
    ap.add_argument("--reps", type=int, default=20, help="repetitions of every measurement (default 20)")
    ap.add_argument("--open-reps", type=int, help="fresh-server repetitions for (a) (default --reps)")
    ap.add_argument("--edit-line", type=int, help="0-based line whose scalar value is edited for (b)")
    ap.add_argument("--valid", help="valid value for --edit-line")
    ap.add_argument("--invalid", help="schema-invalid value for --edit-line")
    ap.add_argument("--debounce-ms", type=float, default=0.0,
                    help="the server's known validation delay; reported, and subtracted in a separate row")
    ap.add_argument("--gap-ms", type=float, default=50.0, help="pause between keystroke repetitions")
    ap.add_argument("--hover", action="append", default=[], metavar="LINE:CHAR", help="hover position (repeatable)")
    ap.add_argument("--completion", action="append", default=[], metavar="LINE:CHAR",
                    help="completion position (repeatable)")
    ap.add_argument("--completion-after-edit", metavar="LINE:CHAR",
                    help="(e) completion sent right after each --edit-line didChange (needs --edit-line)")
    ap.add_argument("--quiet-ms", type=float, default=500.0,
                    help="before (b): wait until no diagnostics arrived for this long (bounded by --diag-timeout)")
    ap.add_argument("--init-timeout", type=float, default=30.0)
    ap.add_argument("--open-timeout", type=float, default=60.0)
    ap.add_argument("--diag-timeout", type=float, default=30.0)
    ap.add_argument("--request-timeout", type=float, default=10.0)
    ap.add_argument("--max-seconds", type=float, default=600.0, help="hard limit per server process (watchdog)")
    ap.add_argument("--rss-cap-mb", type=float, default=8192.0, help="watchdog kills the server above this RSS")
    ap.add_argument("--label", default="", help="name of this run in the output")
    ap.add_argument("--json-out", help="write the JSON summary here ('-' for stdout)")
    ap.add_argument("--verbose", action="store_true", help="echo server stderr and log messages")
    args = ap.parse_args(argv)

    ws = pathlib.Path(args.workspace).resolve()
    path = pathlib.Path(args.file)
    path = (path if path.is_absolute() else ws / path).resolve()
    text = path.read_text(encoding="utf-8")
    uri = path.as_uri()
    settings = load_settings(args.settings, ws)
    argv_server = shlex.split(args.server)
    open_reps = args.open_reps if args.open_reps is not None else args.reps
    if (args.edit_line is not None) and (args.valid is None or args.invalid is None):
        ap.error("--edit-line needs --valid and --invalid")

    record = {"initialize_from_spawn_ms": [], "initialize_rtt_ms": [], "open_to_first_diagnostics_ms": [],
              "first_diagnostics_count": [], "open_cpu_s": [], "open_timeouts": 0}
    notes: list[str] = []
    out: dict = {
        "label": args.label,
        "harness": {"name": "lsp_latency.py", "version": __version__, "python": platform.python_version()},
        "host": {"cpus": os.cpu_count(), "platform": platform.platform()},
        "server_cmd": args.server,
        "file": {"path": str(path), "lines": text.count("\n") + (0 if text.endswith("\n") else 1),
                 "bytes": len(text.encode("utf-8"))},
        "settings": settings,
        "declared_debounce_ms": args.debounce_ms,
    }

    c = None
    t_run = now()
    try:
        for i in range(max(1, open_reps)):
            if c is not None:
                out.setdefault("open_reps_close", []).append(c.close())
            c = Client(argv_server, args.cwd, settings, ws.as_uri(), ws.name, args.max_seconds,
                       args.rss_cap_mb, args.verbose)
            try:
                open_document(c, args, settings, ws, text, uri, record)
            finally:
                out["server_info"] = c.init_result.get("serverInfo")
                sync = (c.init_result.get("capabilities") or {}).get("textDocumentSync")
                out["text_document_sync"] = sync.get("change") if isinstance(sync, dict) else sync

        doc = Doc(uri, text, args.language_id)
        # (b) keystroke -> diagnostics
        if args.edit_line is not None and not c.dead:
            n_quiet = c.wait_quiet(uri, args.quiet_ms / 1000, args.diag_timeout)
            out["publications_before_edits"] = n_quiet
            original = doc.value(args.edit_line)
            if original != args.valid:
                notes.append(f"line {args.edit_line} starts as {original!r}, not --valid {args.valid!r}")
            sync_kind = out.get("text_document_sync")
            samples, mism, timeouts, example = [], 0, 0, None
            cpu0 = c.watch.cpu()
            t_phase = now()
            for k in range(args.reps + (args.reps % 2)):
                want_invalid = k % 2 == 0
                try:
                    t0, t, matches, msg = edit_and_wait(c, doc, args, sync_kind, want_invalid)
                except WaitTimeout:
                    timeouts += 1
                    notes.append(f"keystroke {k}: no diagnostics within {args.diag_timeout:g} s; stopped (b)")
                    break
                mism += 0 if matches else 1
                example = example or msg
                if k < args.reps:
                    samples.append((t - t0) * 1000)
                time.sleep(args.gap_ms / 1000)
            ks = {"ms": stats(samples), "timeouts": timeouts, "content_mismatch": mism,
                  "edited_line": args.edit_line, "values": [args.invalid, args.valid],
                  "sync": "incremental" if sync_kind == 2 else "full",
                  "diagnostic_for_invalid_value": example,
                  "server_cpu_s_per_edit": round((c.watch.cpu() - cpu0) / max(1, len(samples) + timeouts), 4),
                  "phase_wall_s": round(now() - t_phase, 2)}
            if args.debounce_ms:
                ks["ms_minus_declared_debounce"] = stats([s - args.debounce_ms for s in samples])
            out["keystroke_to_diagnostics"] = ks

        # (c) hover, (d) completion
        for method, positions, key in (("textDocument/hover", args.hover, "hover"),
                                       ("textDocument/completion", args.completion, "completion")):
            for pos in positions:
                if c.dead:
                    break
                line, ch = parse_pos(pos)
                samples, timeouts, summary, errors = [], 0, None, 0
                cpu0 = c.watch.cpu()
                for _ in range(args.reps):
                    try:
                        resp, t0, t1 = c.request(method, {"textDocument": {"uri": uri},
                                                          "position": {"line": line, "character": ch}},
                                                 args.request_timeout)
                    except WaitTimeout:
                        timeouts += 1
                        notes.append(f"{key} {pos}: no response within {args.request_timeout:g} s; stopped")
                        break
                    samples.append((t1 - t0) * 1000)
                    if "error" in resp:
                        errors += 1
                        summary = f"error: {resp['error'].get('message')}"
                    elif summary is None:
                        summary = summarize_result(method, resp.get("result"))
                out.setdefault(key, {})[pos] = {
                    "ms": stats(samples), "timeouts": timeouts, "errors": errors, "result": summary,
                    "line_text": doc.lines[line][:100] if line < len(doc.lines) else None,
                    "server_cpu_s": round(c.watch.cpu() - cpu0, 3)}
        # (e) optional: completion sent right after a didChange (the typing case)
        if args.completion_after_edit and args.edit_line is not None and not c.dead:
            line, ch = parse_pos(args.completion_after_edit)
            samples, timeouts = [], 0
            sync_kind = out.get("text_document_sync")

            def complete_now(_t0):
                resp, t0, t1 = c.request("textDocument/completion",
                                         {"textDocument": {"uri": uri}, "position": {"line": line, "character": ch}},
                                         args.request_timeout)
                samples.append((t1 - t0) * 1000)

            for k in range(args.reps + (args.reps % 2)):
                try:
                    edit_and_wait(c, doc, args, sync_kind, k % 2 == 0, between=complete_now)
                except WaitTimeout as e:
                    timeouts += 1
                    notes.append(f"completion after edit, rep {k}: {e}; stopped (e)")
                    break
                time.sleep(args.gap_ms / 1000)
            out["completion_after_edit"] = {args.completion_after_edit: {"ms": stats(samples[:args.reps]),
                                                                         "timeouts": timeouts}}
    except ServerDied as e:
        notes.append(f"server died: {e}; {now() - c.t_spawn:.1f} s after spawn")
    finally:
        if c is not None:
            out["resources"] = c.resources()
            out["server_requests"] = c.server_requests
            out["notifications"] = c.notifications
            out["close"] = c.close()
            if c.stderr_tail:
                out["stderr_head"] = c.stderr_head
                out["stderr_tail"] = c.stderr_tail[-10:]
            if c.log_messages:
                out["log_messages_tail"] = c.log_messages[-5:]
    out["initialize"] = {
        "from_spawn_ms": stats(record["initialize_from_spawn_ms"]),
        "rtt_ms": stats(record["initialize_rtt_ms"]),
    }
    out["open_to_first_diagnostics"] = {
        "ms": stats(record["open_to_first_diagnostics_ms"]),
        "timeouts": record["open_timeouts"],
        "timeout_s": args.open_timeout,
        "diagnostics_in_first_publication": sorted(set(record["first_diagnostics_count"])),
        "first_publication_messages_last_rep": record.get("first_messages", []),
        "server_cpu_s": stats(record["open_cpu_s"]),
    }
    out["notes"] = notes
    out["wall_s"] = round(now() - t_run, 2)

    if args.json_out and args.json_out != "-":
        pathlib.Path(args.json_out).write_text(json.dumps(out, indent=2) + "\n")
    print_table(out)
    if args.json_out == "-":
        print(json.dumps(out, indent=2))
    return 0


def print_table(out: dict) -> None:
    rows = []

    def add(name, st, extra=""):
        if st and st.get("n"):
            rows.append((name, st["n"], st["min"], st["median"], st["p95"], st["max"], extra))
        else:
            rows.append((name, 0, "-", "-", "-", "-", extra))

    if "initialize" in out:
        add("initialize (from spawn)", out["initialize"]["from_spawn_ms"])
        o = out["open_to_first_diagnostics"]
        add("didOpen -> first diagnostics", o["ms"], f"timeouts {o['timeouts']}" if o["timeouts"] else "")
    ks = out.get("keystroke_to_diagnostics")
    if ks:
        add("keystroke -> diagnostics", ks["ms"],
            ", ".join(x for x in (f"timeouts {ks['timeouts']}" if ks["timeouts"] else "",
                                  f"content_mismatch {ks['content_mismatch']}" if ks["content_mismatch"] else "") if x))
        if "ms_minus_declared_debounce" in ks:
            add(f"  minus {out['declared_debounce_ms']:g} ms debounce", ks["ms_minus_declared_debounce"])
    for key in ("hover", "completion", "completion_after_edit"):
        for pos, v in (out.get(key) or {}).items():
            add(f"{key} {pos}", v["ms"], f"timeouts {v['timeouts']}" if v["timeouts"] else "")
    title = out.get("label") or out.get("server_cmd")
    info = out.get("server_info") or {}
    f = out["file"]
    print(f"# {title}: {info.get('name', '?')} {info.get('version', '')}; {f['lines']} lines, {f['bytes']} bytes")
    print(f"{'metric (ms)':<34}{'n':>4}{'min':>10}{'median':>10}{'p95':>10}{'max':>10}  note")
    for r in rows:
        print(f"{r[0]:<34}{r[1]:>4}" + "".join(f"{x:>10}" for x in r[2:6]) + (f"  {r[6]}" if r[6] else ""))
    res = out.get("resources") or {}
    if res:
        hwm = res.get("vmhwm_kb_main")
        print(f"peak RSS (VmHWM) {hwm / 1024 if hwm else float('nan'):.1f} MiB; sampled tree peak "
              f"{res.get('sampled_peak_rss_kb_tree', 0) / 1024:.1f} MiB; server CPU {res.get('cpu_s_tree')} s; "
              f"alive at end: {res.get('alive')}")
    for n in out.get("notes", []):
        print(f"note: {n}")
    if (out.get("close") or {}).get("watchdog"):
        print(f"watchdog: {out['close']['watchdog']}")


if __name__ == "__main__":
    sys.exit(main())
