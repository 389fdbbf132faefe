"""Shared helpers for the benchmarks: where things live, statistics, machine facts, budgets."""

from __future__ import annotations

import json
import math
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any, Callable

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
WORK = BENCH / "_work"  # workspaces, oracle build, peer node_modules (git-ignored; no dot: the peer skips dot dirs)
RESULTS = BENCH / "results"
def _shared() -> Path:
    """The project's shared folder: $PACKLS_SHARED, else `shared` beside this checkout or beside its main repository.

    A git worktree (e.g. /work/wt/NAME) is not beside `shared`; its main repository (git's common
    directory) is.
    """
    if os.environ.get("PACKLS_SHARED"):
        return Path(os.environ["PACKLS_SHARED"])
    beside = ROOT.parent / "shared"
    if beside.is_dir():
        return beside
    try:
        common = subprocess.run(["git", "rev-parse", "--path-format=absolute", "--git-common-dir"], cwd=ROOT,
                                capture_output=True, text=True, timeout=10).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return beside
    main = Path(common).parent.parent / "shared" if common else beside
    return main if main.is_dir() else beside


SHARED = _shared()
PYTHON = sys.executable
QUICK = os.environ.get("BENCH_QUICK", "") not in ("", "0")
now = time.perf_counter


def ensure_bytecode() -> None:
    """Compile packls' modules as a pip install does, so start-up is measured as users get it.

    An editable checkout run with PYTHONDONTWRITEBYTECODE (as on the development machine) would
    otherwise compile every packls module from source at every process start (~0.3 s).
    compileall writes the bytecode whatever that variable says and skips what is current.
    """
    subprocess.run([PYTHON, "-m", "compileall", "-q", str(ROOT / "server" / "packls")], capture_output=True, check=False,
                   timeout=300)


def packls_cmd() -> list[str]:
    """The packls entry point of this interpreter's environment."""
    return [PYTHON, "-m", "packls"]


def stats(samples: list[float]) -> dict[str, Any]:
    """n / min / median / p95 (nearest rank, as the shared harness) / max / mean, rounded."""
    if not samples:
        return {"n": 0}
    s = sorted(samples)
    p95 = s[max(0, math.ceil(0.95 * len(s)) - 1)]
    r = lambda x: round(x, 3)  # noqa: E731
    return {"n": len(s), "min": r(s[0]), "median": r(statistics.median(s)), "p95": r(p95), "max": r(s[-1]),
            "mean": r(sum(s) / len(s))}


def median_of(runs: int, fn: Callable[[], float]) -> tuple[float, list[float]]:
    """Run fn (which returns a duration) several times; the median and every sample."""
    samples = [fn() for _ in range(runs)]
    return statistics.median(samples), samples


def loadavg() -> list[float]:
    """1/5/15-minute load averages: other work on the machine shows here."""
    try:
        return [float(x) for x in Path("/proc/loadavg").read_text().split()[:3]]
    except OSError:
        return []


def machine() -> dict[str, Any]:
    """What the numbers were measured on."""
    cpu = None
    try:
        cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                    if line.startswith("model name")), None)
    except OSError:
        pass
    try:
        import yaml  # noqa: F401

        libyaml = bool(getattr(yaml, "__with_libyaml__", False))
    except ImportError:
        libyaml = False
    return {
        "python": platform.python_version(), "platform": platform.platform(), "cpus": os.cpu_count(),
        "cpus_usable": len(os.sched_getaffinity(0)), "cpu_model": cpu, "libyaml": libyaml, "loadavg_start": loadavg(),
        "git": _git_head(),
    }


def _git_head() -> str | None:
    try:
        out = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True, timeout=10)
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=ROOT,
                               capture_output=True, text=True, timeout=10).stdout.strip()
        return out.stdout.strip() + ("+dirty" if dirty else "") if out.returncode == 0 else None
    except (OSError, subprocess.TimeoutExpired):
        return None


def budget(name: str, value: float | None, limit: float, unit: str, *, note: str = "",
           skipped: bool = False, at_least: bool = False) -> dict[str, Any]:
    """One budget verdict: value <= limit (>= with at_least) passes; no value fails; skipped is None."""
    ok = value is not None and (value >= limit if at_least else value <= limit)
    return {"name": name, "value": value, "limit": limit, "unit": unit, "at_least": at_least,
            "pass": None if skipped else ok, "note": note}


def write_json(path: Path, data: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=1, default=str) + "\n")


def rss_children_peak_kb() -> int:
    """Peak RSS of the largest waited-for child process so far (ru_maxrss of RUSAGE_CHILDREN)."""
    import resource

    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss


def run_measured(argv: list[str], *, cwd: Path | None = None, env: dict[str, str] | None = None,
                 timeout: float = 600) -> dict[str, Any]:
    """Run a command; wall time, its own peak RSS (VmHWM sampled from /proc) and exit code."""
    t0 = now()
    proc = subprocess.Popen(argv, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    peak = 0
    out_chunks: list[bytes] = []
    import threading

    def drain(stream, sink):
        for chunk in iter(lambda: stream.read(65536), b""):
            sink.append(chunk)

    err_chunks: list[bytes] = []
    threads = [threading.Thread(target=drain, args=(proc.stdout, out_chunks), daemon=True),
               threading.Thread(target=drain, args=(proc.stderr, err_chunks), daemon=True)]
    for t in threads:
        t.start()
    deadline = t0 + timeout
    while proc.poll() is None:
        peak = max(peak, _tree_rss_kb(proc.pid))
        if now() > deadline:
            proc.kill()
            break
        time.sleep(0.05)
    wall = now() - t0
    for t in threads:
        t.join(5)
    return {"wall_s": wall, "peak_rss_kb": peak, "returncode": proc.returncode,
            "stdout": b"".join(out_chunks).decode("utf-8", "replace"),
            "stderr": b"".join(err_chunks).decode("utf-8", "replace")[-2000:]}


def _tree_rss_kb(pid: int) -> int:
    """Memory of a process and its children: summed PSS (validate's forked workers share the parent's
    pages copy-on-write; summing their RSS would count those pages twice). PSS equals RSS for a lone
    process; VmRSS is the fallback where smaps_rollup cannot be read."""
    total = 0
    todo, seen = [pid], set()
    while todo:
        p = todo.pop()
        if p in seen:
            continue
        seen.add(p)
        try:
            total += _memory_kb(p)
            for tid in os.listdir(f"/proc/{p}/task"):
                kids = Path(f"/proc/{p}/task/{tid}/children").read_text().split()
                todo.extend(int(k) for k in kids)
        except (OSError, ValueError):
            continue
    return total


def _memory_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1])
    except OSError:
        pass
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def fmt_ms(x: float | None) -> str:
    if x is None:
        return "—"
    return f"{x:,.0f}" if x >= 100 else f"{x:.1f}" if x >= 1 else f"{x:.2f}"
