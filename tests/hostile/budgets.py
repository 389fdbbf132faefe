"""Hostile files of up to 16 MiB (the most packls reads), and what a command costs: CPU seconds and peak memory.

Budgets are CPU time, not wall time: the suite runs on machines shared with other work, where
a wall clock measures the neighbours. Memory is the process's own peak (ru_maxrss).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from packls.workspace import HARD_FILE_BYTES
from tests.hostile.workspace import MANIFEST, write

CPU_SECONDS = 10.0
PEAK_MB = 1024.0
HEAD = "ref: hostile.big\nrunner_type: python\nentry_point: big.py\n"


def _fill(head: str, unit: str, tail: str = "", limit: int = HARD_FILE_BYTES - 64) -> str:
    """head + as many copies of unit (formatted with their number) as fit in limit bytes, then tail."""
    parts, size, i = [head], len(head) + len(tail), 0
    while True:
        piece = unit.format(i=i)
        if size + len(piece) > limit:
            break
        parts.append(piece)
        size += len(piece)
        i += 1
    return "".join(parts) + tail


# Each is just under the 16 MiB read limit (ASCII: bytes = characters).
LOREM = "lorem ipsum " * 34
SHAPES: dict[str, Callable[[], str]] = {
    "a million duplicate keys": lambda: _fill(HEAD, "key: value{i}\n"),
    "parameters described at length": lambda: _fill(
        HEAD + "parameters:\n", "  p{i}:\n    type: string\n    description: parameter {i} " + LOREM + "\n"),
    "the same, with CRLF line ends": lambda: _fill(
        HEAD.replace("\n", "\r\n") + "parameters:\r\n", "  p{i}:\r\n    type: string\r\n    description: parameter {i} " + LOREM + "\r\n"),
    "a tab, so the slow reader": lambda: _fill(HEAD + "description: \"a\ttab\"\nparameters:\n", "  p{i}:\n    type: string\n"),
    "one line of repeated keys": lambda: _fill(HEAD + "parameters: {", "a: 1, ", "}\n"),
}


def hostile_file(shape: str) -> str:
    """The text of one hostile shape (built on demand: each is 16 MiB)."""
    return SHAPES[shape]()


def one_file_pack(root: Path, text: str) -> Path:
    """A pack holding one action with this text (and its entry point)."""
    write(root / "pack.yaml", MANIFEST)
    write(root / "actions/big.py", "")
    return write(root / "actions/big.yaml", text)


@dataclass(frozen=True)
class Run:
    """What one `packls validate --format json` run reported and cost."""

    codes: list[str]
    cpu_seconds: float
    peak_mb: float


# Runs the CLI and reports its own CPU time and peak memory on stderr at exit.
_MEASURED = """
import resource, sys
from packls.cli import main
code = main(sys.argv[1:])
usage = resource.getrusage(resource.RUSAGE_SELF)
sys.stderr.write(f"\\nRUSAGE {usage.ru_utime + usage.ru_stime} {usage.ru_maxrss}\\n")
sys.exit(code)
"""


def validate_measured(path: Path, timeout: float = 300) -> Run:
    done = subprocess.run(
        [sys.executable, "-c", _MEASURED, "validate", "--format", "json", "--no-config", "--fail-on", "never", str(path)],
        capture_output=True, text=True, timeout=timeout, env={**os.environ, "XDG_DATA_HOME": str(path / ".no-data")},
    )
    assert done.returncode == 0, done.stderr[-2000:]
    cpu, peak_kb = done.stderr.rsplit("RUSAGE ", 1)[1].split()
    report = json.loads(done.stdout)
    return Run([d["code"] for d in report["diagnostics"]], float(cpu), int(peak_kb) / 1024)
