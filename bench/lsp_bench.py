"""`packls serve` over stdio through a real client, on a generated 10,000-file workspace.

    python bench/lsp_bench.py [--files 10000] [--reps 20] [--json OUT]

The client is `lsp_latency.py` (copied from shared/bench/lsp-latency; stdlib only): JSON-RPC
over the server's stdin/stdout, every time taken on the client side. Measured:

* cold index: spawn -> `initialize` -> `initialized` -> the indexing progress ends and the
  diagnostics of closed files stop arriving (1 s of quiet, not counted);
* warm index: the same with a second server process (its persistent cache, written by the
  first, and the OS file cache are warm). Two times: every diagnostic shown (the last
  publication; checked to be exactly the cold run's final diagnostics, else the budget fails)
  and index complete (progress end and quiet: every pack parsed, hover ready everywhere).
  The cold run starts from an emptied cache folder (`_work/lsp-cache`);
* on the warm server, an open action file (`bench-workspace.json` names it and its
  positions): didOpen -> first diagnostics; keystroke -> diagnostics (an incremental edit of
  `runtime_version`, alternating an invalid and a valid constraint; publications carry
  `version`, so "reflected" means version >= the edit's; the server's debounce is set to 0,
  so debounce is excluded); hover, completion, inlay hints and definition round trips;
* editing the `hub.python` runtime that 1,000 actions depend on: from the `didChange` until
  every one of those 1,000 closed files has had a new publication (each flips between no
  finding and `runtime_version.unsatisfiable`), both ways;
* peak RSS (VmHWM) of the server;
* idle: a third server (warm cache) driven as VS Code's pull client drives it: capabilities
  for pull diagnostics with refresh, `workspace/diagnostic` sent again 2 s after every answer
  (with the result ids it holds), open documents pulled again on every refresh; once indexing
  has ended and the first pull was answered, nothing is typed for IDLE_SECONDS and the
  server's CPU time over that window is taken (the budget is ≤ 1% of one core).
"""

from __future__ import annotations

import argparse
import copy
import os
import shutil
import sys
import threading
import time
import urllib.parse
from pathlib import Path
from types import SimpleNamespace
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
import lsp_latency as L  # noqa: E402
from common import QUICK, WORK, budget, ensure_bytecode, loadavg, now, stats, write_json  # noqa: E402
from generate import ensure  # noqa: E402

SETTINGS = {"packls": {"debounceMs": 0}}
PHASE_SECONDS = 15.0  # a phase stops early (with >= 6 samples) past this, so a slow server cannot stall the run
REPUBLISH_TIMEOUT = 30.0
CAPABILITIES = copy.deepcopy(L.CLIENT_CAPABILITIES)
CAPABILITIES["window"]["workDoneProgress"] = True
CAPABILITIES["textDocument"].update({
    "inlayHint": {"dynamicRegistration": False},
    "definition": {"dynamicRegistration": False, "linkSupport": False},
})
PULL_CAPABILITIES = copy.deepcopy(CAPABILITIES)  # what VS Code announces for diagnostics and file watching
PULL_CAPABILITIES["textDocument"]["diagnostic"] = {"dynamicRegistration": True, "relatedDocumentSupport": True}
PULL_CAPABILITIES["workspace"].update({
    "diagnostics": {"refreshSupport": True}, "inlayHint": {"refreshSupport": True},
    "didChangeWatchedFiles": {"dynamicRegistration": True, "relativePatternSupport": True},
    "didChangeConfiguration": {"dynamicRegistration": True},
})
IDLE_SECONDS = 20.0
PULL_AGAIN_SECONDS = 2.0  # vscode-languageclient pulls the workspace again 2 s after each answer


_SPAWNS = [0]


def server_argv() -> list[str]:
    """`python -m packls serve`; with BENCH_PROFILE=DIR, under py-spy writing collapsed stacks to DIR."""
    argv = [sys.executable, "-m", "packls", "serve"]
    profile_dir = os.environ.get("BENCH_PROFILE")
    if profile_dir:
        _SPAWNS[0] += 1
        Path(profile_dir).mkdir(parents=True, exist_ok=True)
        out = Path(profile_dir) / f"lsp-server-{_SPAWNS[0]}.txt"
        spy = str(Path(sys.executable).with_name("py-spy"))
        argv = [spy, "record", "--format", "raw", "--rate", "250", "--nonblocking", "-o", str(out), "--", *argv]
    return argv


def uri_path(uri: str) -> str:
    return urllib.parse.unquote(urllib.parse.urlparse(uri).path)


class Client(L.Client):
    """The harness client, also recording `$/progress` (begin/report/end) and diagnostic refreshes with timestamps."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.progress: list[tuple[float, str, str]] = []
        self.refreshes: list[float] = []
        super().__init__(*args, **kwargs)

    def _answer_server_request(self, msg: dict) -> None:
        if msg.get("method") == "workspace/diagnostic/refresh":
            with self.cv:
                self.refreshes.append(now())
                self.cv.notify_all()
        super()._answer_server_request(msg)

    def _dispatch(self, msg: dict, t: float) -> None:
        if msg.get("method") == "$/progress":
            value = (msg.get("params") or {}).get("value") or {}
            with self.cv:
                self.progress.append((t, value.get("kind", ""), str(value.get("message", ""))))
                self.cv.notify_all()
        super()._dispatch(msg, t)

    def wait_progress_end(self, deadline: float) -> float | None:
        with self.cv:
            while True:
                ends = [t for t, kind, _ in self.progress if kind == "end"]
                if ends:
                    return ends[0]
                if self.dead or now() >= deadline:
                    return None
                self.cv.wait(max(0.0, deadline - now()))

    def publications_after(self, t0: float) -> list[tuple[float, str]]:
        with self.cv:
            return sorted((t, uri) for uri, items in self.diags.items() for t, _ in items if t >= t0)


def start(ws: Path, index_timeout: float, capabilities: dict = CAPABILITIES) -> tuple[Client, dict]:
    """Spawn, initialize and wait for the index and its diagnostics to settle."""
    c = Client(server_argv(), str(ws), SETTINGS, ws.as_uri(), ws.name, 900, 4096)
    params = {
        "processId": os.getpid(), "clientInfo": {"name": "packls-bench", "version": "1"}, "rootUri": ws.as_uri(),
        "rootPath": str(ws), "workspaceFolders": [{"uri": ws.as_uri(), "name": ws.name}],
        "capabilities": capabilities, "initializationOptions": SETTINGS["packls"], "trace": "off",
    }
    resp, _t_sent, t_init = c.request("initialize", params, 120)
    if "error" in resp:
        raise SystemExit(f"initialize failed: {resp['error']}")
    c.init_result = resp.get("result") or {}
    t0 = c.notify("initialized", {})
    c.notify("workspace/didChangeConfiguration", {"settings": SETTINGS})
    deadline = t0 + index_timeout
    t_end = c.wait_progress_end(deadline)
    # then wait until closed-file publications stop (1 s of quiet)
    last = t_end or t0
    while now() < deadline and not c.dead:
        pubs = c.publications_after(t0)
        newest = pubs[-1][0] if pubs else t0
        last = max(last, newest)
        if now() - last >= 1.0 and (t_end is not None or pubs):
            break
        time.sleep(0.05)
    pubs = c.publications_after(t0)
    settled = max([t_end or t0] + [t for t, _ in pubs])
    shown = max([t for t, _ in pubs] or [t_end or t0])
    info = {
        "initialize_from_spawn_ms": (t_init - c.t_spawn) * 1000,
        "progress_end_ms": ((t_end - c.t_spawn) * 1000) if t_end else None,
        "first_publication_ms": ((pubs[0][0] - c.t_spawn) * 1000) if pubs else None,
        "settled_ms": (settled - c.t_spawn) * 1000,
        "diagnostics_shown_ms": (shown - c.t_spawn) * 1000,  # the last publication: every finding is on screen
        "publications": len(pubs),
        "uris_published": len({u for _, u in pubs}),
        "timed_out": now() >= deadline,
        "progress_messages": [m for _, k, m in c.progress if k == "end"],
        "rss_mb": (L.status_kb(c.pid, "VmRSS") or 0) / 1024,
        "loadavg": loadavg(),
    }
    return c, info


def shown_diagnostics(c: Client) -> dict[str, tuple]:
    """What the editor shows now: each file's latest publication (files showing nothing left out)."""
    with c.cv:
        latest = {uri: items[-1][1] for uri, items in c.diags.items() if items}
    return {
        uri: tuple(sorted((d.get("code"), repr(d.get("range")), d.get("message")) for d in p.get("diagnostics", [])))
        for uri, p in latest.items() if p.get("diagnostics")
    }


def open_doc(c: Client, path: Path) -> tuple[L.Doc, float | None]:
    text = path.read_text(encoding="utf-8")
    doc = L.Doc(path.as_uri(), text, "yaml")
    start_n = c.diag_count(doc.uri)
    t0 = c.notify("textDocument/didOpen", {"textDocument": {"uri": doc.uri, "languageId": "yaml", "version": 1,
                                                             "text": text}})
    try:
        _, t, _ = c.wait_diag(doc.uri, start_n, lambda p: True, now() + 60)
        return doc, (t - t0) * 1000
    except L.WaitTimeout:
        return doc, None


def request_samples(c: Client, method: str, params: dict, reps: int) -> dict:
    samples, errors, result = [], 0, None
    t_phase = now()
    for _ in range(reps):
        if len(samples) >= 6 and now() - t_phase > PHASE_SECONDS:
            break
        try:
            resp, t0, t1 = c.request(method, params, 30)
        except L.WaitTimeout:
            errors += 1
            break
        samples.append((t1 - t0) * 1000)
        if "error" in resp:
            errors += 1
            result = f"error: {resp['error'].get('message')}"
        elif result is None:
            r = resp.get("result")
            result = (f"{len(r)} items" if isinstance(r, list) else
                      f"{len(r.get('items', []))} items" if isinstance(r, dict) and "items" in r else str(r)[:100])
    return {"ms": stats(samples), "errors": errors, "result": result}


def keystrokes(c: Client, doc: L.Doc, line: int, valid: str, invalid: str, reps: int) -> dict:
    args = SimpleNamespace(edit_line=line, valid=valid, invalid=invalid, diag_timeout=30.0)
    sync = (c.init_result.get("capabilities") or {}).get("textDocumentSync")
    sync_kind = sync.get("change") if isinstance(sync, dict) else sync
    samples, mismatches, timeouts = [], 0, 0
    cpu0 = c.watch.cpu()
    t_phase = now()
    for k in range(reps + reps % 2):
        if len(samples) >= 6 and len(samples) % 2 == 0 and now() - t_phase > PHASE_SECONDS:
            break  # a slow server: enough samples for a median, keep the whole run within minutes
        try:
            t0, t, matches, _ = L.edit_and_wait(c, doc, args, sync_kind, k % 2 == 0)
        except L.WaitTimeout:
            timeouts += 1
            break
        mismatches += 0 if matches else 1
        samples.append((t - t0) * 1000)
        time.sleep(0.05)
    return {"ms": stats(samples), "content_mismatch": mismatches, "timeouts": timeouts,
            "server_cpu_s_per_edit": round((c.watch.cpu() - cpu0) / max(1, len(samples)), 4)}


def republish(c: Client, ws: Path, manifest: dict, reps: int) -> dict:
    """Edit the hub runtime; time until all its dependents are republished (both directions)."""
    path = ws / manifest["hub_runtime"]
    doc, _ = open_doc(c, path)
    c.wait_quiet(doc.uri, 0.5, 10)
    wanted = {str(ws / d) for d in manifest["dependents"]}
    line = manifest["hub_edit_line"]
    valid, broken = manifest["hub_edit_values"]
    sync = (c.init_result.get("capabilities") or {}).get("textDocumentSync")
    sync_kind = sync.get("change") if isinstance(sync, dict) else sync
    out: dict[str, list[float]] = {"break": [], "fix": []}
    flagged: list[int] = []
    incomplete = []
    for k in range(reps * 2):
        value = broken if k % 2 == 0 else valid
        change = doc.replace_value(line, value)
        changes = [change] if sync_kind == 2 else [{"text": "\n".join(doc.lines)}]
        t0 = c.notify("textDocument/didChange", {"textDocument": {"uri": doc.uri, "version": doc.version},
                                                 "contentChanges": changes})
        deadline = t0 + REPUBLISH_TIMEOUT
        seen: dict[str, tuple[float, dict]] = {}
        while now() < deadline and not c.dead:
            with c.cv:
                for uri, items in c.diags.items():
                    p = uri_path(uri)
                    if p in wanted and p not in seen:
                        for t, params in reversed(items):
                            if t >= t0:
                                seen[p] = (t, params)
                                break
                if len(seen) >= len(wanted):
                    break
                c.cv.wait(0.2)
        if len(seen) < len(wanted):
            incomplete.append(f"{len(seen)}/{len(wanted)} republished within {REPUBLISH_TIMEOUT:g} s")
            break
        elapsed = (max(t for t, _ in seen.values()) - t0) * 1000
        out["break" if k % 2 == 0 else "fix"].append(elapsed)
        if elapsed > 5000 and k % 2 == 1:
            break  # one round trip of a slow server is enough
        if k % 2 == 0:
            flagged.append(sum(1 for _, p in seen.values()
                               if any(d.get("code") == "runtime_version.unsatisfiable" for d in p.get("diagnostics", []))))
        c.wait_quiet(doc.uri, 0.3, 10)
    return {"dependents": len(wanted), "break_ms": stats(out["break"]), "fix_ms": stats(out["fix"]),
            "all_ms": stats(out["break"] + out["fix"]), "flagged_unsatisfiable": flagged, "incomplete": incomplete}


def settled(c: Client, quiet: float = 2.0, limit: float = 30.0) -> float:
    """Wait until the server used no CPU for `quiet` seconds (one-off work after indexing: the warm-start
    snapshot, the first pass); how long that took. Idle is measured from there."""
    t0 = now()
    last, since = c.watch.cpu(), now()
    while now() - t0 < limit and not c.dead:
        time.sleep(0.25)
        cpu = c.watch.cpu()
        if cpu > last:
            last, since = cpu, now()
        elif now() - since >= quiet:
            break
    return round(now() - t0, 2)


def idle(ws: Path, open_path: Path, timeout: float) -> dict:
    """A VS Code-like pull client on a settled server, nothing typed: the server's CPU share over IDLE_SECONDS."""
    c, info = start(ws, timeout, PULL_CAPABILITIES)
    held: dict[str, str] = {}  # uri -> result id the client holds
    answered: list[float] = []
    stop = [False]
    lock = threading.Lock()

    def pull_workspace() -> None:
        while not stop[0] and not c.dead:
            with lock:
                previous = [{"uri": u, "value": v} for u, v in held.items()]
            try:
                resp, _t0, t1 = c.request("workspace/diagnostic", {"identifier": "packls", "previousResultIds": previous},
                                          IDLE_SECONDS * 3)
            except (L.WaitTimeout, L.ServerDied):
                return
            answered.append(t1)
            with lock:
                for item in (resp.get("result") or {}).get("items", []):
                    if item.get("resultId"):
                        held[item["uri"]] = item["resultId"]
            time.sleep(PULL_AGAIN_SECONDS)

    doc = L.Doc(open_path.as_uri(), open_path.read_text(encoding="utf-8"), "yaml")
    c.notify("textDocument/didOpen", {"textDocument": {"uri": doc.uri, "languageId": "yaml", "version": 1, "text": doc.text}})
    pulls = threading.Thread(target=pull_workspace, daemon=True)
    pulls.start()
    document_pulls = 0
    result_id = None

    def pull_document() -> None:
        nonlocal document_pulls, result_id
        params: dict[str, Any] = {"textDocument": {"uri": doc.uri}}
        if result_id:
            params["previousResultId"] = result_id
        resp, _, _ = c.request("textDocument/diagnostic", params, 30)
        result_id = (resp.get("result") or {}).get("resultId") or result_id
        document_pulls += 1

    pull_document()
    deadline = now() + 60
    while not answered and now() < deadline and not c.dead:
        time.sleep(0.05)
    time.sleep(1.0)  # let the first answers' follow-ups (a refresh, a re-pull) settle
    settle = settled(c)
    seen_refreshes = refreshes_before = len(c.refreshes)
    cpu0, t0 = c.watch.cpu(), now()
    answered_before = len(answered)
    while now() - t0 < IDLE_SECONDS and not c.dead:
        if len(c.refreshes) > seen_refreshes:  # VS Code re-pulls its open documents on a refresh
            seen_refreshes = len(c.refreshes)
            pull_document()
        time.sleep(0.05)
    window = now() - t0
    cpu = c.watch.cpu() - cpu0
    stop[0] = True
    result = {
        "window_s": round(window, 2), "server_cpu_s": round(cpu, 4), "cpu_percent": round(100 * cpu / window, 3),
        "workspace_pulls_answered_in_window": len(answered) - answered_before,
        "refreshes_in_window": len(c.refreshes) - refreshes_before, "settled_after_s": settle,
        "document_pulls": document_pulls, "index": info,
    }
    c.close()
    return result


def run(files: int | None = None, reps: int | None = None) -> dict:
    files = files or (2000 if QUICK else 10_000)
    reps = reps or (10 if QUICK else 20)
    ensure_bytecode()
    root = WORK / f"ws-{files}"
    manifest = ensure(root, files)
    ws = root / "packs"
    result: dict[str, Any] = {"workspace": {"files": manifest["files"], "lines": manifest["lines"]}, "notes": []}
    timeout = 240.0
    cache = WORK / "lsp-cache"  # the servers' persistent cache: empty for the cold start, kept for the warm one
    shutil.rmtree(cache, ignore_errors=True)
    os.environ["PACKLS_CACHE_DIR"] = str(cache)
    c, cold = start(ws, timeout)
    result["cold_index"] = cold
    cold_shown = shown_diagnostics(c)
    c.close()
    c, warm = start(ws, timeout)
    warm["same_diagnostics_as_cold"] = shown_diagnostics(c) == cold_shown
    warm["files_with_diagnostics"] = len(cold_shown)
    result["warm_index"] = warm
    try:
        pos = manifest["open_positions"]
        action = root / manifest["open_action"]
        doc, open_ms = open_doc(c, action)
        result["open_action"] = {"file": manifest["open_action"], "lines": len(doc.lines), "didopen_to_diagnostics_ms": open_ms}
        c.wait_quiet(doc.uri, 0.3, 10)
        result["keystroke"] = keystrokes(c, doc, pos["edit_line"], pos["valid"], pos["invalid"], reps)
        uri = {"uri": doc.uri}

        def at(spec: str) -> dict:
            line, ch = L.parse_pos(spec)
            return {"textDocument": uri, "position": {"line": line, "character": ch}}

        last = len(doc.lines) - 1
        result["hover_version"] = request_samples(c, "textDocument/hover", at(pos["hover_version"]), reps)
        result["hover_runner"] = request_samples(c, "textDocument/hover", at(pos["hover_runner"]), reps)
        result["completion_runner"] = request_samples(c, "textDocument/completion", at(pos["completion_runner"]), reps)
        result["completion_version"] = request_samples(c, "textDocument/completion", at(pos["completion_version"]), reps)
        result["inlay_hints"] = request_samples(c, "textDocument/inlayHint", {
            "textDocument": uri, "range": {"start": {"line": 0, "character": 0}, "end": {"line": last, "character": 0}}}, reps)
        result["definition"] = request_samples(c, "textDocument/definition", at(pos["definition_runner"]), reps)
        result["republish"] = republish(c, ws.parent, manifest, 1 if QUICK else 3)
    except L.ServerDied as error:
        result["notes"].append(f"server died: {error}")
    finally:
        res = c.resources()
        result["peak_rss_mb"] = (res.get("vmhwm_kb_main") or 0) / 1024
        result["server_requests"] = c.server_requests
        result["stderr_tail"] = c.stderr_tail[-5:]
        c.close()
    try:
        result["idle"] = idle(ws, root / manifest["open_action"], timeout)
    except (L.ServerDied, L.WaitTimeout) as error:
        result["notes"].append(f"idle phase: {error}")
    result["budgets"] = budgets(result)
    return result


def _p95(result: dict, key: str) -> float | None:
    return ((result.get(key) or {}).get("ms") or {}).get("p95")


def _warm_shown_s(warm: dict) -> float | None:
    """Seconds until the warm server showed all diagnostics; None (a failure) if they differ from the cold run's."""
    if warm["timed_out"] or not warm.get("same_diagnostics_as_cold"):
        return None
    return warm["diagnostics_shown_ms"] / 1000


def budgets(r: dict) -> list[dict]:
    quick = r["workspace"]["files"] != 10_000
    suffix = f"on {r['workspace']['files']} files: quick mode" if quick else ""
    rp = (r.get("republish") or {}).get("all_ms") or {}
    out = [
        budget("keystroke -> diagnostics p95 (open action)", _p95(r, "keystroke"), 50, "ms"),
        *[budget(f"{name} p95", _p95(r, key), 20, "ms") for name, key in (
            ("hover (runtime_version)", "hover_version"), ("hover (runner_type)", "hover_runner"),
            ("completion (runner_type)", "completion_runner"), ("completion (runtime_version)", "completion_version"),
            ("inlay hints (whole file)", "inlay_hints"), ("definition (runner_type)", "definition"))],
        budget("1,000 dependents republished (max of runs)", rp.get("max"), 1000, "ms",
               note="; ".join((r.get("republish") or {}).get("incomplete", []))),
        budget("cold start: every diagnostic shown", r["cold_index"]["diagnostics_shown_ms"] / 1000
               if not r["cold_index"]["timed_out"] else None, 3, "s",
               note=f"index settled at {r['cold_index']['settled_ms'] / 1000:.1f} s"),
        budget("cold index of the workspace (settled)", (r["cold_index"]["settled_ms"] or 0) / 1000
               if not r["cold_index"]["timed_out"] else None, 15, "s"),
        budget("warm restart: every diagnostic shown (same as cold)", _warm_shown_s(r["warm_index"]), 2, "s",
               note=f"index complete (hover everywhere) at {r['warm_index']['settled_ms'] / 1000:.1f} s"),
        budget("server peak RSS", r.get("peak_rss_mb"), 250, "MB"),
        budget("idle with a pull client: server CPU", (r.get("idle") or {}).get("cpu_percent"), 1, "%",
               note=(f"{r['idle']['server_cpu_s']:.3f} s over {r['idle']['window_s']:.0f} s, "
                     f"{r['idle']['workspace_pulls_answered_in_window']} workspace pulls answered") if r.get("idle") else ""),
    ]
    if quick:
        for b in out:
            b["note"] = "; ".join(x for x in (b["note"], suffix) if x)
    if os.environ.get("BENCH_PROFILE"):
        for b in out:
            b["note"] = "; ".join(x for x in (b["note"], "under py-spy: timings inflated, RSS is py-spy's") if x)
    return out


def print_table(r: dict) -> None:
    print(f"language server: {r['workspace']['files']:,} files, {r['workspace']['lines']:,} lines")
    for key in ("cold_index", "warm_index"):
        i = r[key]
        print(f"  {key.replace('_', ' '):<34} diagnostics shown {i['diagnostics_shown_ms'] / 1000:.2f} s, "
              f"settled {i['settled_ms'] / 1000:.2f} s after spawn (initialize "
              f"{i['initialize_from_spawn_ms']:.0f} ms, progress end "
              f"{(i['progress_end_ms'] or 0) / 1000:.2f} s, {i['publications']} publications){' TIMED OUT' if i['timed_out'] else ''}")
    oa = r.get("open_action") or {}
    if oa:
        print(f"  didOpen -> diagnostics ({oa['lines']} lines)  {oa['didopen_to_diagnostics_ms'] or float('nan'):.1f} ms")
    print(f"  {'metric (ms)':<34}{'n':>4}{'median':>10}{'p95':>10}{'max':>10}")
    for key in ("keystroke", "hover_version", "hover_runner", "completion_runner", "completion_version", "inlay_hints",
                "definition"):
        st = (r.get(key) or {}).get("ms") or {}
        if st.get("n"):
            print(f"  {key:<34}{st['n']:>4}{st['median']:>10.1f}{st['p95']:>10.1f}{st['max']:>10.1f}  "
                  f"{(r[key].get('result') or '')[:40]}")
    rp = r.get("republish") or {}
    if rp:
        a = rp.get("all_ms") or {}
        if a.get("n"):
            print(f"  1,000 dependents republished     {a['n']:>4}{a['median']:>10.1f}{a['p95']:>10.1f}{a['max']:>10.1f}  "
                  f"flagged {rp.get('flagged_unsatisfiable')}")
        for note in rp.get("incomplete", []):
            print(f"  republish: {note}")
    print(f"  server peak RSS {r.get('peak_rss_mb', 0):.0f} MB")
    i = r.get("idle")
    if i:
        print(f"  idle with a pull client: {i['cpu_percent']:.2f}% CPU ({i['server_cpu_s']:.3f} s over {i['window_s']:.0f} s), "
              f"{i['workspace_pulls_answered_in_window']} workspace pulls answered, {i['refreshes_in_window']} refreshes")
    for n in r.get("notes", []):
        print(f"  note: {n}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--files", type=int)
    parser.add_argument("--reps", type=int)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    result = run(args.files, args.reps)
    print_table(result)
    if args.json:
        write_json(args.json, result)


if __name__ == "__main__":
    main()
