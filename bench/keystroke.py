"""In-process keystroke timing on the peer's 50,000-line inputs: the server's steps without the client.

    python bench/keystroke.py [parameters|tasks|top] [--reps 20] [--profile OUT.prof]

Opens the input's pack in a `Session` (the inputs `peer.py` writes, copied to a temporary
folder), then repeats the edit `peer.py` makes (a value made wrong, then right again): the
ranged edit applied as the server applies it (`apply_changes`, which derives the line index),
`Session.change`, `Session.findings`, and the findings converted to LSP diagnostics. Prints the
median and maximum per step and in total (ms), with the load average.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "server"))

from peer import PEER_DIR, inside_parameters, inside_tasks, write_inputs  # noqa: E402

from packls.features.session import Session  # noqa: E402
from packls.lsp.diagnostics import to_diagnostic  # noqa: E402
from packls.lsp.documents import apply_changes  # noqa: E402
from packls.lsp.messages import ContentChange, Position, Range  # noqa: E402
from packls.lsp.positions import Positions  # noqa: E402
from packls.workspace import load_pack  # noqa: E402

INPUTS = {  # edit name → (pack folder under packls-ws, file)
    "parameters": ("large", "actions/large.yaml"),
    "top": ("large", "actions/large.yaml"),
    "tasks": ("workflow", "workflows/large.yaml"),
}


def edit_of(name: str, path: Path) -> dict:
    """The line and values peer.py edits for this input."""
    if name == "parameters":
        return inside_parameters(path)
    if name == "tasks":
        return inside_tasks(path)
    return write_inputs()["large"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("edit", choices=sorted(INPUTS), nargs="?", default="parameters")
    parser.add_argument("--reps", type=int, default=20)
    parser.add_argument("--profile", help="write a cProfile of the timed keystrokes here")
    args = parser.parse_args()
    folder, relative = INPUTS[args.edit]
    source = PEER_DIR / "packls-ws" / folder
    if not source.is_dir():
        write_inputs()
    gc.set_threshold(20_000, 20, 20)  # as the server sets it
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / folder
        shutil.copytree(source, root)
        path = (root / relative).resolve()
        text = path.read_text(encoding="utf-8")
        edit = edit_of(args.edit, path)
        session = Session()
        session.add_pack(load_pack(root.resolve()))
        session.open(path, text, 1)
        session.findings(path)
        profile = cProfile.Profile() if args.profile else None
        steps: dict[str, list[float]] = {"edit": [], "change": [], "findings": [], "publish": [], "total": []}
        counts = []
        for k in range(args.reps + 4):  # 4 warm-up keystrokes
            lines = text.split("\n")
            raw = lines[edit["edit_line"]]
            head, _, old = raw.partition(": ")
            value = edit["invalid"] if k % 2 == 0 else edit["valid"]
            start = len(head) + 2
            change = ContentChange(value, Range(Position(edit["edit_line"], start), Position(edit["edit_line"], start + len(old))))
            if profile is not None and k >= 4:
                profile.enable()
            t0 = time.perf_counter()
            text = apply_changes(text, [change], "utf-16")
            t1 = time.perf_counter()
            session.change(path, text, k + 2)
            t2 = time.perf_counter()
            findings = session.findings(path)
            t3 = time.perf_counter()
            positions = Positions(text, "utf-16")
            [to_diagnostic(f, positions, lambda p: None) for f in findings]
            t4 = time.perf_counter()
            if profile is not None:
                profile.disable()
            if k >= 4:
                for name, a, b in (("edit", t0, t1), ("change", t1, t2), ("findings", t2, t3), ("publish", t3, t4), ("total", t0, t4)):
                    steps[name].append((b - a) * 1000)
                counts.append(len(findings))
        if profile is not None:
            profile.dump_stats(args.profile)
    load = os.getloadavg()
    print(f"{args.edit}: {args.reps} keystrokes, load {load[0]:.2f} {load[1]:.2f}, findings {min(counts)}-{max(counts)}")
    for name, values in steps.items():
        print(f"  {name:9} median {statistics.median(values):7.1f} ms   max {max(values):7.1f} ms")


if __name__ == "__main__":
    main()
