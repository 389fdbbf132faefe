"""`packls validate` on a generated 10,000-file workspace, against composing the same files.

    python bench/validate_bench.py [--files 10000] [--runs 3] [--json OUT]

Four measurements in one run:

* `packls validate` of a small pack (`packs/web_hooks`, 5 YAML files), the whole process, as
  pre-commit runs it on every commit: median of 10 runs, next to `python -c pass`; run from an
  empty home folder, so no registry store exists;

and three on the same generated files:

* `packls validate WS --format json` as a subprocess: wall time, files/s, peak memory (summed PSS) of its
  process tree (sampled from /proc every 50 ms);
* ruamel.yaml alone: a fresh `YAML()` and `compose_all` per file, one process, nothing else
  (the cost of the obvious implementation); measured on every `--stride`-th file and scaled
  by bytes to the whole workspace, to keep the run short (the files share one distribution);
* libyaml alone (PyYAML's C loader, `compose_all`, every file): the floor for any
  Python-hosted YAML tool.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import (  # noqa: E402
    PYTHON, QUICK, ROOT, WORK, budget, ensure_bytecode, loadavg, now, packls_cmd, run_measured, stats, write_json,
)
from generate import ensure  # noqa: E402

COMPOSE_SCRIPT = r"""
import sys, time
from pathlib import Path
mode, listing = sys.argv[1], sys.argv[2]
paths = Path(listing).read_text().split("\n")
texts = [Path(p).read_text(encoding="utf-8") for p in paths if p]
if mode == "ruamel":
    import warnings
    from ruamel.yaml import YAML
    warnings.simplefilter("ignore")
    t0 = time.perf_counter()
    for text in texts:
        list(YAML().compose_all(text))
else:
    import yaml
    t0 = time.perf_counter()
    for text in texts:
        list(yaml.compose_all(text, Loader=yaml.CSafeLoader))
print(time.perf_counter() - t0, sum(len(t.encode()) for t in texts))
"""


def workspace(files: int) -> tuple[Path, dict]:
    root = WORK / f"ws-{files}"
    return root, ensure(root, files)


def compose_seconds(mode: str, paths: list[Path]) -> tuple[float, int]:
    """Seconds a separate process spends composing these files (reading excluded), and their bytes."""
    listing = WORK / f"listing-{mode}.txt"
    listing.write_text("\n".join(str(p) for p in paths))
    out = subprocess.run([PYTHON, "-c", COMPOSE_SCRIPT, mode, str(listing)], capture_output=True, text=True,
                         check=True, timeout=900)
    seconds, size = out.stdout.split()
    return float(seconds), int(size)


SMALL_PACK = ROOT / "packs" / "web_hooks"
SMALL_RUNS = 10


def small_pack(runs: int = SMALL_RUNS) -> dict:
    """Whole-process wall time of `packls validate` on a small pack, and of `python -c pass` (the floor)."""
    home = WORK / "empty-home"
    home.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "HOME": str(home), "XDG_DATA_HOME": str(home / "data"), "XDG_CONFIG_HOME": str(home / "config")}
    env.pop("PACKLS_DATABASE", None)
    timed: dict[str, list[float]] = {"validate": [], "python": []}
    outcome = None
    for _ in range(runs):
        for name, argv in (("validate", [*packls_cmd(), "validate", str(SMALL_PACK)]), ("python", [PYTHON, "-c", "pass"])):
            t0 = now()
            done = subprocess.run(argv, env=env, cwd=home, capture_output=True, text=True, timeout=120)
            timed[name].append(now() - t0)
            if name == "validate":
                outcome = (done.returncode, done.stdout.strip().splitlines()[-1:] or done.stderr.strip()[-200:])
    yaml_files = sum(1 for _ in SMALL_PACK.rglob("*.yaml"))
    return {"pack": str(SMALL_PACK.relative_to(ROOT)), "yaml_files": yaml_files, "validate_s": stats(timed["validate"]),
            "python_pass_s": stats(timed["python"]), "last_exit_and_summary": outcome}


def run(files: int | None = None, runs: int | None = None, stride: int = 4) -> dict:
    files = files or (2000 if QUICK else 10_000)
    runs = runs or (2 if QUICK else 3)
    ensure_bytecode()
    small = small_pack()
    root, manifest = workspace(files)
    yaml_paths = sorted(root.rglob("*.yaml"))
    total_bytes = sum(p.stat().st_size for p in yaml_paths)

    # packls validate (the real CLI, cold process each time)
    samples, rss, checked, diagnostics, notes = [], [], None, None, []
    for _ in range(runs):
        load = loadavg()
        r = run_measured([*packls_cmd(), "validate", str(root), "--format", "json", "--fail-on", "never"], timeout=900)
        if r["returncode"] not in (0, 1):
            notes.append(f"validate exited {r['returncode']}: {r['stderr'][-300:]}")
            break
        samples.append(r["wall_s"])
        rss.append(r["peak_rss_kb"] / 1024)
        try:
            report = json.loads(r["stdout"])
            checked, diagnostics = report.get("files"), len(report.get("diagnostics", []))
        except ValueError:
            notes.append("validate did not print JSON")
        notes.append(f"validate run: {r['wall_s']:.2f} s, load average before {load}")
    validate = stats(samples)

    # ruamel compose alone (sampled) and libyaml compose (all files)
    sample = yaml_paths[::stride]
    ruamel_s, ruamel_bytes = compose_seconds("ruamel", sample)
    ruamel_scaled = ruamel_s * total_bytes / ruamel_bytes
    libyaml_s, _ = compose_seconds("libyaml", yaml_paths)

    median = validate.get("median")
    result = {
        "workspace": {"files": manifest["files"], "lines": manifest["lines"], "bytes": manifest["bytes"],
                      "packs": len(manifest["packs"]), "path": str(root)},
        "validate_s": validate, "validate_files_checked": checked, "validate_diagnostics": diagnostics,
        "validate_files_per_s": (manifest["files"] / median) if median else None,
        "validate_peak_rss_mb": max(rss) if rss else None,
        "ruamel_compose_s": ruamel_scaled, "ruamel_compose_sampled": {"files": len(sample), "seconds": ruamel_s,
                                                                       "stride": stride},
        "libyaml_compose_s": libyaml_s,
        "ratio_to_ruamel": (median / ruamel_scaled) if median else None,
        "ratio_to_libyaml": (median / libyaml_s) if median else None,
        "notes": notes,
        "small_pack": small,
    }
    small_ms = (small["validate_s"].get("median") or 0) * 1000 or None
    result["budgets"] = [
        budget(f"validate of a small pack ({small['yaml_files']} YAML files), whole process (median)", small_ms, 150, "ms",
               note=f"python -c pass {small['python_pass_s'].get('median', 0) * 1000:.0f} ms; n={small['validate_s'].get('n')}"),
        budget(f"validate of {manifest['files']:,} files (median)", median, 2.5, "s"),
        budget("validate / libyaml compose of the same files (the floor)", result["ratio_to_libyaml"], 2.5, "x",
               note=f"libyaml {libyaml_s:.2f} s"),
        budget("validate / ruamel compose alone", result["ratio_to_ruamel"], 1.5, "x",
               note=f"validate {median:.2f} s vs ruamel {ruamel_scaled:.2f} s" if median else "validate failed"),
        budget("validate peak memory (PSS of all its processes)", result["validate_peak_rss_mb"], 500, "MB"),
    ]
    if manifest["files"] != 10_000:
        for b in result["budgets"][1:]:
            b["note"] = "; ".join(x for x in (b["note"], f"on {manifest['files']} files: quick mode") if x)
    return result


def print_table(result: dict) -> None:
    ws = result["workspace"]
    v = result["validate_s"]
    small = result["small_pack"]
    sv = small["validate_s"]
    print(f"validate of {small['pack']} ({small['yaml_files']} YAML files), whole process: median {sv['median'] * 1000:.0f} ms, "
          f"p95 {sv['p95'] * 1000:.0f} ms (n={sv['n']}); python -c pass {small['python_pass_s']['median'] * 1000:.0f} ms")
    print(f"validate: {ws['files']:,} files, {ws['lines']:,} lines, {ws['bytes'] / 1e6:.1f} MB in {ws['packs']} packs")
    if v.get("n"):
        print(f"  packls validate      median {v['median']:.2f} s (min {v['min']:.2f}, n={v['n']}), "
              f"{result['validate_files_per_s']:,.0f} files/s, peak RSS {result['validate_peak_rss_mb']:.0f} MB, "
              f"{result['validate_diagnostics']} diagnostics")
    print(f"  ruamel compose alone {result['ruamel_compose_s']:.2f} s (1 process; {result['ruamel_compose_sampled']['files']} "
          f"files measured, scaled by bytes)  -> validate is {result['ratio_to_ruamel'] or float('nan'):.2f}x")
    print(f"  libyaml compose      {result['libyaml_compose_s']:.2f} s (the floor)  -> validate is "
          f"{result['ratio_to_libyaml'] or float('nan'):.2f}x")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--files", type=int)
    parser.add_argument("--runs", type=int)
    parser.add_argument("--stride", type=int, default=4)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    result = run(args.files, args.runs, args.stride)
    print_table(result)
    if args.json:
        write_json(args.json, result)


if __name__ == "__main__":
    main()
