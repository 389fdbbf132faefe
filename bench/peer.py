"""packls and yaml-language-server through the same client, on the same inputs, in one run.

    python bench/peer.py [--no-live-peer] [--json OUT] [--only large] [--reps 30]

Inputs are those of shared/bench/lsp-latency (`gen_ws.py`, copied as peer_gen_ws.py): action
files of 40, 2,000 and 50,000 lines and two alias bombs. For packls each file is the only
action of its own pack (so a pack.yaml and the entry point exist, and nothing else is
indexed); for the peer they sit under the harness' JSON Schema, mapped by
`settings.yaml-ls.json`, as in the recorded run. Both servers are driven by the very same
`lsp_latency.py` with the same edit (line 8, `output_format: json` <-> `jsonx`), hover,
completion and completion-after-edit positions.

The peer runs live when `npm install` of yaml-language-server works (npm registry, into
bench/_work/peer/node_modules); otherwise, and for the bomb that kills it (4 GB, 30 s), its
figures come from shared/bench/lsp-latency/results/ and the table says so. packls runs with
its default settings; it checks an isolated edit at once (its debounce applies only while
edits arrive faster than 50 ms), while the stock peer always waits its hard-coded 200 ms.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import peer_gen_ws as G  # noqa: E402
from common import PYTHON, QUICK, SHARED, WORK, budget, ensure_bytecode, loadavg, write_json  # noqa: E402

HARNESS = Path(__file__).resolve().parent / "lsp_latency.py"
PEER_SRC = SHARED / "bench" / "lsp-latency"
PEER_DIR = WORK / "peer"
SIZES = {"small": 40, "medium": 2000, "large": 50_000}
BOMBS = ("bomb", "bomb_enum")
WORKFLOW_LINES = 50_000  # packls only: a workflow whose `tasks` is one big block sequence
OPEN_REPS = {"packls": 10, "peer": 5}  # fresh servers on the 2,000-line file: spawn -> initialize, didOpen -> diagnostics


def write_inputs() -> dict:
    """packls packs (one per input) and the peer's schema-mapped ws/, plus the positions."""
    positions: dict[str, dict] = {}
    texts: dict[str, str] = {}
    for name, lines in SIZES.items():
        texts[name], positions[name] = G.action(lines)
    texts["bomb"] = G.bomb()
    texts["bomb_enum"] = G.bomb(force_expand=True)
    for name in BOMBS:
        positions[name] = {"hover": ["1:1", "11:1" if name == "bomb" else "12:1"], "completion": ["1:13"]}
    for name, text in texts.items():
        pack = PEER_DIR / "packls-ws" / name
        (pack / "actions").mkdir(parents=True, exist_ok=True)
        (pack / "pack.yaml").write_text(f'ref: bench\nlabel: Bench {name}\ndescription: Latency input\nversion: "1.0.0"\n')
        (pack / "actions" / f"{name}.yaml").write_text(text)
        (pack / "actions" / "http_request.py").write_text("# entry point\n")
        yls = PEER_DIR / "yls-ws" / "actions"
        yls.mkdir(parents=True, exist_ok=True)
        (yls / f"{name}.yaml").write_text(text)
    (PEER_DIR / "yls-ws" / "action.schema.json").write_text(json.dumps(G.SCHEMA, indent=2) + "\n")
    pack = PEER_DIR / "packls-ws" / "workflow"
    (pack / "workflows").mkdir(parents=True, exist_ok=True)
    (pack / "actions").mkdir(parents=True, exist_ok=True)
    (pack / "pack.yaml").write_text('ref: bench\nlabel: Bench workflow\ndescription: Latency input\nversion: "1.0.0"\n')
    (pack / "actions" / "http_request.yaml").write_text(
        "ref: bench.http_request\nlabel: HTTP request\ndescription: Send a request\nentry_point: http_request.py\n"
        "runner_type: python\nparameters:\n  url:\n    type: string\n  attempt:\n    type: integer\n")
    (pack / "actions" / "http_request.py").write_text("# entry point\n")
    (pack / "workflows" / "large.yaml").write_text(workflow(WORKFLOW_LINES))
    return positions


def workflow(total_lines: int) -> str:
    """A workflow of `total_lines` lines: 8-line tasks in one block sequence, each running the pack's action."""
    lines = ['version: "1.0.0"', "description: A generated workflow with many tasks", "tasks:"]
    tasks = (total_lines - len(lines)) // 8
    for i in range(1, tasks + 1):
        following = f"step_{i + 1:05d}" if i < tasks else "step_00001"
        lines += [f"  - name: step_{i:05d}", "    action: bench.http_request", "    input:", f'      url: "https://example.org/{i}"',
                  f"      attempt: {i}", "    next:", '      - when: "{{ succeeded() }}"', f"        do: [{following}]"]
    lines += [f"# {n}" for n in range(total_lines - len(lines))]
    return "\n".join(lines) + "\n"


def peer_available() -> tuple[bool, str]:
    """yaml-language-server in bench/_work/peer/node_modules (npm install once), and node."""
    if shutil.which("node") is None:
        return False, "node is not installed"
    server = PEER_DIR / "node_modules" / "yaml-language-server" / "bin" / "yaml-language-server"
    if server.exists():
        return True, "installed earlier"
    if shutil.which("npm") is None:
        return False, "npm is not installed"
    if not (PEER_SRC / "package.json").is_file():
        return False, f"the shared peer harness is missing ({PEER_SRC}); set PACKLS_SHARED to the shared folder"
    PEER_DIR.mkdir(parents=True, exist_ok=True)
    shutil.copy(PEER_SRC / "package.json", PEER_DIR / "package.json")
    done = subprocess.run(["npm", "install", "--no-audit", "--no-fund", "--silent"], cwd=PEER_DIR, capture_output=True,
                          text=True, timeout=600)
    if done.returncode != 0 or not server.exists():
        return False, f"npm install failed: {done.stderr.strip()[-200:]}"
    return True, "installed now"


def harness(label: str, server: str, workspace: Path, file: str, pos: dict, reps: int, open_reps: int,
            settings: str | None, out: Path, edits: bool = True, max_seconds: int = 600) -> dict:
    args = [PYTHON, str(HARNESS), "--server", server, "--workspace", str(workspace), "--cwd", str(workspace),
            "--file", file, "--reps", str(reps), "--open-reps", str(open_reps), "--label", label,
            "--open-timeout", "60", "--diag-timeout", "60", "--request-timeout", "30", "--quiet-ms", "500",
            "--max-seconds", str(max_seconds), "--rss-cap-mb", "4096", "--json-out", str(out)]
    if settings:
        args += ["--settings", settings]
    for h in pos["hover"] + ([pos["hover_last_param_type"]] if "hover_last_param_type" in pos else []):
        args += ["--hover", h]
    for c in pos["completion"] + ([pos["completion_last_param_type"]] if "completion_last_param_type" in pos else []):
        args += ["--completion", c]
    if edits and "edit_line" in pos:
        args += ["--edit-line", str(pos["edit_line"]), "--valid", pos["valid"], "--invalid", pos["invalid"]]
        if pos["completion"]:
            args += ["--completion-after-edit", pos["completion"][0]]
    out.unlink(missing_ok=True)  # never report an earlier run's figures as this run's
    try:
        done = subprocess.run(args, capture_output=True, text=True, timeout=max_seconds + 120)
    except subprocess.TimeoutExpired:
        return {"notes": [f"harness timed out after {max_seconds + 120} s"]}
    if out.exists():
        return json.loads(out.read_text())
    why = (done.stderr.strip().splitlines() or [f"exit code {done.returncode}"])[-1]
    return {"notes": [f"harness wrote nothing ({why[-200:]})"]}


def profiled(command: str, name: str) -> str:
    """command, under py-spy writing collapsed stacks to $BENCH_PROFILE/peer-packls-NAME.txt when that is set."""
    folder = os.environ.get("BENCH_PROFILE")
    if not folder:
        return command
    Path(folder).mkdir(parents=True, exist_ok=True)
    spy = Path(PYTHON).with_name("py-spy")
    return f"{spy} record --format raw --rate 250 --nonblocking -o {Path(folder) / f'peer-packls-{name}.txt'} -- {command}"


def recorded(name: str) -> dict | None:
    path = PEER_SRC / "results" / f"delay200-{name}.json"
    return json.loads(path.read_text()) if path.exists() else None


def metric(d: dict | None, key: str, stat: str = "median") -> float | None:
    """One statistic of a harness result: keystroke, open, hover, completion, after_edit, rss."""
    if not d:
        return None
    try:
        if key == "keystroke":
            return d["keystroke_to_diagnostics"]["ms"].get(stat)
        if key == "open":
            return d["open_to_first_diagnostics"]["ms"].get(stat)
        if key == "initialize":
            return d["initialize"]["from_spawn_ms"].get(stat)
        if key == "hover":
            return d["hover"]["8:2"]["ms"].get(stat)
        if key == "hover_last":
            return [v for k, v in d["hover"].items() if k != "8:2"][0]["ms"].get(stat)
        if key == "completion":
            return d["completion"]["8:15"]["ms"].get(stat)
        if key == "completion_last":
            return [v for k, v in d["completion"].items() if k != "8:15"][0]["ms"].get(stat)
        if key == "after_edit":
            return d["completion_after_edit"]["8:15"]["ms"].get(stat)
        if key == "rss":
            return (d["resources"]["vmhwm_kb_main"] or 0) / 1024
    except (KeyError, IndexError, TypeError):
        return None
    return None


def run(live_peer: bool = True, only: tuple[str, ...] = (), repetitions: int | None = None) -> dict:
    """Every input (or only the named ones), packls and the peer; repetitions overrides packls' count."""
    ensure_bytecode()
    positions = write_inputs()
    out_dir = PEER_DIR / "results"
    out_dir.mkdir(parents=True, exist_ok=True)
    packls = f"{PYTHON} -m packls serve"
    ok, peer_note = peer_available() if live_peer else (False, "live peer disabled (--no-live-peer)")
    sizes = ("small", "medium") if QUICK else tuple(SIZES)
    if only:
        sizes = tuple(name for name in sizes if name in only)
    result: dict = {"peer": {"live": ok, "note": peer_note}, "inputs": {}, "loadavg_start": loadavg()}
    yls_cmd = f"node {PEER_DIR / 'node_modules' / 'yaml-language-server' / 'bin' / 'yaml-language-server'} --stdio"
    settings = f"@{PEER_SRC / 'settings.yaml-ls.json'}"
    for name in sizes:
        pos = positions[name]
        reps = repetitions or ({"small": 20, "medium": 20, "large": 10}[name] if not QUICK else 10)
        open_reps = OPEN_REPS["packls"] if name == "medium" else min(reps, 5)
        mine = harness(f"packls {name}", profiled(packls, name), PEER_DIR / "packls-ws" / name, f"actions/{name}.yaml",
                       pos, reps, open_reps, None, out_dir / f"packls-{name}.json")
        if ok:
            peer_reps = {"small": 10, "medium": 10, "large": 5}[name]
            theirs = harness(f"yaml-language-server {name}", yls_cmd, PEER_DIR / "yls-ws", f"actions/{name}.yaml", pos,
                             peer_reps, OPEN_REPS["peer"] if name == "medium" else 3, settings, out_dir / f"yls-{name}.json")
            source = "live"
        else:
            theirs, source = recorded(name), "recorded (shared/bench/lsp-latency/results)"
        result["inputs"][name] = {"lines": SIZES[name], "packls": mine, "peer": theirs, "peer_source": source}
    if "large" in result["inputs"]:  # packls only: typing inside the 10,000-entry `parameters` mapping
        large_file = PEER_DIR / "packls-ws" / "large" / "actions" / "large.yaml"
        inside = {**positions["large"], **inside_parameters(large_file)}
        reps = repetitions or 20
        result["inputs"]["large"]["packls_inside"] = harness(
            "packls large (inside parameters)", packls, PEER_DIR / "packls-ws" / "large", "actions/large.yaml",
            inside, reps, 1, None, out_dir / "packls-large-inside.json")
        result["inputs"]["large"]["inside_edit"] = inside
    if not QUICK and (not only or "workflow" in only):  # packls only: typing inside a big block sequence
        flow = PEER_DIR / "packls-ws" / "workflow"
        tasks = {"hover": [], "completion": [], **inside_tasks(flow / "workflows" / "large.yaml")}
        mine = harness("packls workflow (inside tasks)", profiled(packls, "workflow"), flow, "workflows/large.yaml", tasks,
                       repetitions or 20, 1, None, out_dir / "packls-workflow.json")
        result["inputs"]["workflow"] = {"lines": WORKFLOW_LINES, "packls": mine, "tasks_edit": tasks}
    for name in BOMBS:
        if only and name not in only:
            continue
        mine = harness(f"packls {name}", packls, PEER_DIR / "packls-ws" / name, f"actions/{name}.yaml",
                       positions[name], 1, 1, None, out_dir / f"packls-{name}.json", edits=False, max_seconds=120)
        result["inputs"][name] = {"packls": mine, "peer": recorded(name),
                                  "peer_source": "recorded (the bomb_enum run kills the peer: 4 GB, 30 s)"}
    result["budgets"] = budgets(result)
    return result


def inside_parameters(path: Path) -> dict:
    """An edit in the middle of `parameters`: the `type:` line of the middle parameter, made a number (a finding) and back."""
    lines = path.read_text(encoding="utf-8").split("\n")
    middle = len(lines) // 2
    line = next(i for i in range(middle, len(lines)) if lines[i].startswith("    type: "))
    return {"edit_line": line, "valid": lines[line].split(": ", 1)[1], "invalid": "12"}


def inside_tasks(path: Path) -> dict:
    """An edit in the middle of the workflow's `tasks` sequence: the middle task's action made unknown (a finding) and back."""
    lines = path.read_text(encoding="utf-8").split("\n")
    line = next(i for i in range(len(lines) // 2, len(lines)) if lines[i].startswith("    action: "))
    value = lines[line].split(": ", 1)[1]
    return {"edit_line": line, "valid": value, "invalid": value + "x"}


def ratio(peer: float | None, mine: float | None) -> float | None:
    return peer / mine if peer and mine else None


def start_budgets(result: dict) -> list[dict]:
    """A fresh server on the 2,000-line file: spawn -> initialize answered, didOpen -> first diagnostics (medians)."""
    medium = result["inputs"].get("medium")
    if not medium:
        return []
    mine, peer, source = medium["packls"], medium["peer"], medium["peer_source"].split()[0]
    out = []
    for key, label, limit in (("initialize", "spawn -> initialize answered", 250), ("open", "didOpen -> first diagnostics", 300)):
        value, theirs = metric(mine, key), metric(peer, key)
        note = f"p95 {metric(mine, key, 'p95')} ms, n={_n(mine, key)}; {source} peer median {theirs} ms"
        out.append(budget(f"fresh server, 2,000-line file: {label} (median)", value, limit, "ms", note=note))
        missing = "" if theirs is not None else f"; no peer measurement: {_why_missing(peer)}"
        out.append(budget(f"fresh server: {label}, peer ÷ packls (medians)", ratio(theirs, value), 1, "x", at_least=True,
                          note=f"{source} peer{missing}", skipped=bool(missing)))
    return out


def _n(d: dict | None, key: str) -> int | None:
    section = {"initialize": "initialize", "open": "open_to_first_diagnostics"}[key]
    try:
        ms = d[section]["from_spawn_ms"] if key == "initialize" else d[section]["ms"]  # type: ignore[index]
        return ms.get("n")
    except (KeyError, TypeError):
        return None


def budgets(result: dict) -> list[dict]:
    out = start_budgets(result)
    large, flow = result["inputs"].get("large"), result["inputs"].get("workflow")
    if flow:
        edit = flow["tasks_edit"]
        out.append(budget("50k-line workflow: keystroke inside `tasks` p95", metric(flow["packls"], "keystroke", "p95"),
                          30, "ms", note=f"line {edit['edit_line'] + 1}: action {edit['valid']} <-> {edit['invalid']}"))
    if not large:
        return out + [budget("50,000-line file budgets", None, 0, "", note="the 50,000-line file was not run (quick mode or --only)",
                             skipped=True)]
    mine, peer = large["packls"], large["peer"]
    out.append(budget("50k-line file: keystroke -> diagnostics p95", metric(mine, "keystroke", "p95"), 30, "ms"))
    if "packls_inside" in large:
        edit = large["inside_edit"]
        out.append(budget("50k-line file: keystroke inside `parameters` p95", metric(large["packls_inside"], "keystroke", "p95"),
                          30, "ms", note=f"line {edit['edit_line'] + 1}: type {edit['valid']} <-> {edit['invalid']}"))
    for key, label in (("hover", "hover"), ("completion", "completion"), ("hover_last", "hover (last parameter)"),
                       ("completion_last", "completion (last parameter)")):
        out.append(budget(f"50k-line file: {label} p95", metric(mine, key, "p95"), 50, "ms"))
    for key, label in (("keystroke", "keystroke"), ("hover", "hover"), ("completion", "completion")):
        theirs = metric(peer, key, "p95")
        missing = "" if theirs is not None else f"no peer measurement: {_why_missing(peer)}"
        out.append(budget(f"50k-line file: {label} p95, peer ÷ packls ({large['peer_source'].split()[0]} peer)",
                          ratio(theirs, metric(mine, key, "p95")), 5, "x", at_least=True, note=missing, skipped=bool(missing)))
    for name in (n for n in BOMBS if n in result["inputs"]):
        d = (result["inputs"].get(name) or {}).get("packls") or {}
        alive = (d.get("resources") or {}).get("alive")
        opened = metric(d, "open")
        out.append(budget(f"alias bomb {name}: diagnostics published and server alive", 0 if (alive and opened) else None,
                          0, "", note=f"open -> diagnostics {opened} ms, alive {alive}"))
    return out


def _why_missing(d: dict | None) -> str:
    """What the harness said when a measurement is missing (a peer that timed out or never started)."""
    if not d:
        return "none recorded"
    return "; ".join(str(n) for n in d.get("notes") or []) or "the harness recorded no such figure"


def print_table(result: dict) -> None:
    print(f"side by side with yaml-language-server 1.25 (peer: {result['peer']['note']}); cells: median / p95 ms, "
          f"ratio = peer ÷ packls")
    head = f"{'metric':<34}"
    names = [n for n in SIZES if n in result["inputs"]]
    for n in names:
        head += f"{n + ' packls':>18}{'peer':>18}{'ratio':>8}"
    print(head)
    for key, label in (("initialize", "spawn -> initialize answered"), ("open", "didOpen -> first diagnostics"),
                       ("keystroke", "keystroke -> diagnostics"),
                       ("hover", "hover (line 8)"), ("hover_last", "hover (last parameter)"),
                       ("completion", "completion (line 8)"), ("completion_last", "completion (last parameter)"),
                       ("after_edit", "completion right after an edit")):
        row = f"{label:<34}"
        for n in names:
            mine, peer = result["inputs"][n]["packls"], result["inputs"][n]["peer"]
            m = (metric(mine, key), metric(mine, key, "p95"))
            p = (metric(peer, key), metric(peer, key, "p95"))
            cell = lambda x: "—" if x[0] is None else f"{x[0]:.1f} / {x[1]:.1f}"  # noqa: E731
            r = ratio(p[0], m[0])
            row += f"{cell(m):>18}{cell(p):>18}{(f'{r:.0f}x' if r else '—'):>8}"
        print(row)
    row = f"{'peak RSS (MiB)':<34}"
    for n in names:
        mine, peer = result["inputs"][n]["packls"], result["inputs"][n]["peer"]
        m, p = metric(mine, "rss"), metric(peer, "rss")
        row += f"{(f'{m:.0f}' if m else '—'):>18}{(f'{p:.0f}' if p else '—'):>18}{(f'{p / m:.1f}x' if m and p else '—'):>8}"
    print(row)
    for n in names:
        print(f"  {n}: peer figures {result['inputs'][n]['peer_source']}")
    inside = (result["inputs"].get("large") or {}).get("packls_inside")
    if inside:
        line = result["inputs"]["large"]["inside_edit"]["edit_line"] + 1
        print(f"  large, packls only: keystroke inside `parameters` (line {line}) -> diagnostics "
              f"{metric(inside, 'keystroke')} / {metric(inside, 'keystroke', 'p95')} ms")
    flow = result["inputs"].get("workflow")
    if flow:
        tasks, line = flow["packls"], flow["tasks_edit"]["edit_line"] + 1
        print(f"  {WORKFLOW_LINES:,}-line workflow, packls only: keystroke inside `tasks` (line {line}) -> diagnostics "
              f"{metric(tasks, 'keystroke')} / {metric(tasks, 'keystroke', 'p95')} ms")
    for name in (n for n in BOMBS if n in result["inputs"]):
        d = result["inputs"][name]["packls"]
        res = d.get("resources") or {}
        print(f"  alias {name}: packls open -> diagnostics {metric(d, 'open')} ms, first publication "
              f"{d.get('open_to_first_diagnostics', {}).get('first_publication_messages_last_rep')}, "
              f"peak RSS {(res.get('vmhwm_kb_main') or 0) / 1024:.0f} MiB, alive {res.get('alive')}; "
              f"hover {[v.get('result') for v in (d.get('hover') or {}).values()]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--no-live-peer", action="store_true")
    parser.add_argument("--json", type=Path)
    parser.add_argument("--only", default="", help="comma-separated inputs (small, medium, large, workflow, bomb, bomb_enum)")
    parser.add_argument("--reps", type=int, help="packls' keystroke/hover/completion repetitions (default 20, large 10)")
    args = parser.parse_args()
    result = run(live_peer=not args.no_live_peer, only=tuple(n for n in args.only.split(",") if n), repetitions=args.reps)
    print_table(result)
    if args.json:
        write_json(args.json, result)


if __name__ == "__main__":
    main()
