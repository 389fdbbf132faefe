"""Every benchmark in one run: a table with budget verdicts on stdout, bench/results/latest.json.

    python bench/run.py              # full: 10,000-file workspace, live peer (about 5-7 minutes)
    BENCH_QUICK=1 python bench/run.py   # quick: 2,000 files, small/medium peer inputs (about 1.5 minutes)
    python bench/run.py --only core,validate,lsp,peer

Exit status 1 when a budget fails (budgets fail the benchmark, never the test suite).
"""

from __future__ import annotations

import argparse
import sys
import time
import traceback
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import core_bench  # noqa: E402
import lsp_bench  # noqa: E402
import peer  # noqa: E402
import validate_bench  # noqa: E402
from common import QUICK, RESULTS, loadavg, machine, write_json  # noqa: E402

PARTS = {"core": core_bench, "validate": validate_bench, "lsp": lsp_bench, "peer": peer}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", default=",".join(PARTS), help="comma-separated parts: " + ", ".join(PARTS))
    parser.add_argument("--json", type=Path, default=RESULTS / ("latest-quick.json" if QUICK else "latest.json"))
    parser.add_argument("--no-live-peer", action="store_true")
    args = parser.parse_args()
    wanted = [p.strip() for p in args.only.split(",") if p.strip()]
    report: dict = {"quick": QUICK, "machine": machine(), "parts": {}, "seconds": {}}
    started = time.perf_counter()
    for name in wanted:
        module = PARTS[name]
        t0 = time.perf_counter()
        print(f"\n=== {name} (load average {loadavg()})", flush=True)
        try:
            result = module.run(live_peer=not args.no_live_peer) if name == "peer" else module.run()
        except Exception as error:  # one broken part must not hide the others
            traceback.print_exc()
            result = {"error": f"{type(error).__name__}: {error}", "budgets": []}
        else:
            module.print_table(result)
        report["parts"][name] = result
        report["seconds"][name] = round(time.perf_counter() - t0, 1)
    report["machine"]["loadavg_end"] = loadavg()
    report["seconds"]["total"] = round(time.perf_counter() - started, 1)
    verdicts = [b for part in report["parts"].values() for b in part.get("budgets", [])]
    report["budgets"] = verdicts
    write_json(args.json, report)
    print_budgets(verdicts, report)
    print(f"\nwrote {args.json} ({report['seconds']['total']:.0f} s)")
    return 0 if verdicts and all(b["pass"] is not False for b in verdicts) else 1


def print_budgets(verdicts: list[dict], report: dict) -> None:
    print(f"\n=== budgets ({'quick mode: figures are for the smaller workspace' if report['quick'] else 'full run'}; "
          f"load average {report['machine']['loadavg_start']} -> {report['machine']['loadavg_end']} on "
          f"{report['machine']['cpus']} CPUs)")
    print(f"{'budget':<72}{'measured':>12}  {'limit':<14}verdict")
    for b in verdicts:
        value = "—" if b["value"] is None else f"{b['value']:,.2f}" if b["value"] < 100 else f"{b['value']:,.0f}"
        verdict = "SKIP" if b["pass"] is None else "PASS" if b["pass"] else "FAIL"
        limit = f"{'>=' if b.get('at_least') else '<='} {b['limit']:g} {b['unit']}"
        print(f"{b['name']:<72}{value:>12}  {limit:<14}{verdict}" + (f"  ({b['note']})" if b.get("note") else ""))


if __name__ == "__main__":
    sys.exit(main())
