"""Matching core: constraints parsed, matches and selections made per second, against the Rust oracle.

    python bench/core_bench.py [--json OUT]

The cases are the oracle's own `shared/semver-oracle/cases.tsv` (20,002 requests). packls
answers them in-process with caches cleared before every pass (cold: every constraint really
parsed), and again with warm caches (what an editor session sees). The oracle
(`shared/semver-oracle`, the real Rust `semver` crate) answers the same lines through its
stdin protocol; its process start-up is measured separately and subtracted. Both sides run
in this one invocation, so the ratio holds for the same machine state.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import QUICK, SHARED, WORK, budget, median_of, now, write_json  # noqa: E402

from packls import versions  # noqa: E402

# The oracle's LIST field is read exactly as the differential test reads it.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from versions_port import parse_list  # noqa: E402

ORACLE_SRC = SHARED / "semver-oracle"
CASES = ORACLE_SRC / "cases.tsv"


def load_cases() -> list[list[str]]:
    """Request lines as field lists (command first); read exactly as the oracle README says."""
    with open(CASES, encoding="utf-8", newline="\n") as handle:
        lines = handle.read().split("\n")
    out = []
    for line in lines:
        if not line or line.startswith("#"):
            continue
        _cls, *fields = line.split("\t")
        out.append(fields[:-1])  # drop EXPECTED
    return out


def clear_caches() -> None:
    for fn in (versions._constraint_cached, versions._lenient_version):
        fn.cache_clear()


def answer(fields: list[str]) -> str:
    """The oracle protocol, answered by packls.versions (only the commands the benchmark sends)."""
    cmd = fields[0]
    if cmd == "match":
        try:
            return "true" if versions.matches_constraint(fields[1], fields[2]) else "false"
        except versions.VersionError:
            return "error:version"
        except versions.ConstraintError:
            return "error:constraint"
    if cmd == "parse_constraint":
        try:
            return str(versions.parse_constraint(fields[1]))
        except versions.ConstraintError:
            return "error"
    if cmd == "select":
        constraint = fields[1] if fields[1] != "" else None
        entries = parse_list(fields[2])
        chosen = versions.select_best_version(entries, constraint)
        return chosen.version if chosen is not None else "none"
    if cmd == "parse_version":
        try:
            return str(versions.parse_version(fields[1]))
        except versions.VersionError:
            return "error"
    if cmd == "preprocess":
        text = versions.preprocess_constraint(fields[1])
        return "<star>" if text is None else text
    if cmd == "components":
        return ",".join("-" if x is None else str(x) for x in versions.extract_version_components(fields[1]))
    if cmd == "cmp":
        try:
            a = versions.parse_version(fields[1])
        except versions.VersionError:
            return "error:a"
        try:
            b = versions.parse_version(fields[2])
        except versions.VersionError:
            return "error:b"
        return "<" if a < b else ">" if a > b else "="
    raise ValueError(cmd)


def ensure_oracle() -> tuple[Path | None, str]:
    """Build the oracle offline from Debian's semver crate (installing it when root and missing)."""
    build = WORK / "semver-oracle"
    binary = build / "target" / "release" / "semver-oracle"
    if binary.exists():
        return binary, "built earlier"
    if not ORACLE_SRC.exists():
        return None, f"no oracle source at {ORACLE_SRC}"
    have_crate = any(Path("/usr/share/cargo/registry").glob("semver-*")) if Path("/usr/share/cargo/registry").exists() else False
    if (shutil.which("cargo") is None or not have_crate) and os.geteuid() == 0 and shutil.which("apt-get"):
        subprocess.run(["apt-get", "install", "-y", "-q", "librust-semver-dev", "cargo"], capture_output=True, timeout=600)
    if shutil.which("cargo") is None:
        return None, "cargo is not installed (apt-get install -y librust-semver-dev cargo); oracle ratio skipped"
    if build.exists():
        shutil.rmtree(build)
    shutil.copytree(ORACLE_SRC, build, ignore=shutil.ignore_patterns("target", ".venv"))
    done = subprocess.run(["cargo", "build", "--release", "--offline", "--quiet"], cwd=build, capture_output=True,
                          text=True, timeout=900)
    if done.returncode != 0 or not binary.exists():
        return None, f"oracle build failed: {done.stderr.strip()[-300:]}"
    return binary, "built now"


def time_oracle(binary: Path, lines: list[str], repeat: int) -> tuple[float, int]:
    """Seconds the oracle spends answering len(lines) * repeat requests (start-up subtracted)."""
    payload = ("\n".join(lines) + "\n").encode("utf-8") * repeat
    probe = (lines[0] + "\n").encode("utf-8")

    def run(data: bytes) -> float:
        t0 = now()
        subprocess.run([str(binary)], input=data, capture_output=True, check=True, timeout=300)
        return now() - t0

    startup, _ = median_of(5, lambda: run(probe))
    total, _ = median_of(3, lambda: run(payload))
    return max(total - startup, 1e-9), len(lines) * repeat


def time_python(cases: list[list[str]], cold: bool, passes: int) -> float:
    def one() -> float:
        if cold:
            clear_caches()
        t0 = now()
        for fields in cases:
            answer(fields)
        return now() - t0

    if not cold:
        one()  # warm the caches
    best, _ = median_of(passes, one)
    return best


def run(quick: bool = QUICK) -> dict:
    if not CASES.exists():  # a measurement that cannot be made is skipped with its reason, never failed
        note = f"the oracle's cases are missing ({CASES}); set PACKLS_SHARED to the shared folder"
        return {"rows": [], "oracle": None, "oracle_note": note, "disagreements_with_oracle_answers": None, "passes": 0,
                "budgets": [budget("matching core: answers differing from the oracle's (20,002 cases)", None, 0, "cases",
                                   note=note, skipped=True)]}
    cases = load_cases()
    groups = {
        "all 20k oracle requests": cases,
        "parse_constraint": [c for c in cases if c[0] == "parse_constraint"],
        "match (parse version + constraint, then match)": [c for c in cases if c[0] == "match"],
        "select (parse list + constraint, select)": [c for c in cases if c[0] == "select"],
    }
    binary, oracle_note = ensure_oracle()
    passes = 3 if quick else 5
    rows = []
    for name, group in groups.items():
        lines = ["\t".join(f) for f in group]
        cold = time_python(group, cold=True, passes=passes)
        warm = time_python(group, cold=False, passes=passes)
        row = {"ops": name, "n": len(group), "packls_cold_per_s": len(group) / cold,
               "packls_warm_per_s": len(group) / warm}
        if binary is not None:
            repeat = max(1, 200_000 // max(1, len(group)))
            seconds, count = time_oracle(binary, lines, repeat)
            row["oracle_per_s"] = count / seconds
            row["oracle_over_packls_cold"] = row["oracle_per_s"] / row["packls_cold_per_s"]
            row["oracle_over_packls_warm"] = row["oracle_per_s"] / row["packls_warm_per_s"]
        rows.append(row)
    # correctness while we are here: the cold answers must equal the recorded expectations
    clear_caches()
    with open(CASES, encoding="utf-8", newline="\n") as handle:
        expected = [line.split("\t")[-1] for line in handle.read().split("\n") if line and not line.startswith("#")]
    disagreements = sum(1 for c, e in zip(cases, expected) if answer(c) != e)
    return {"rows": rows, "oracle": str(binary) if binary else None, "oracle_note": oracle_note,
            "disagreements_with_oracle_answers": disagreements, "passes": passes,
            "budgets": [budget("matching core: answers differing from the oracle's (20,002 cases)", disagreements, 0,
                               "cases")]}


def print_table(result: dict) -> None:
    print(f"matching core (oracle: {result['oracle_note']}; disagreements with recorded answers: "
          f"{result['disagreements_with_oracle_answers']})")
    print(f"{'ops':<48}{'n':>7}{'packls cold/s':>15}{'packls warm/s':>15}{'oracle/s':>13}{'oracle÷cold':>13}")
    for r in result["rows"]:
        oracle = f"{r['oracle_per_s']:,.0f}" if "oracle_per_s" in r else "—"
        ratio = f"{r['oracle_over_packls_cold']:.1f}x" if "oracle_per_s" in r else "—"
        print(f"{r['ops']:<48}{r['n']:>7}{r['packls_cold_per_s']:>15,.0f}{r['packls_warm_per_s']:>15,.0f}{oracle:>13}{ratio:>13}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    result = run()
    print_table(result)
    if args.json:
        write_json(args.json, result)


if __name__ == "__main__":
    main()
