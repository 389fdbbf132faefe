"""`packls validate --watch`: everything once, then only the files whose findings changed."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

from packls.cli import build_parser
from packls.cli.watch import watch


def pack(root: Path) -> Path:
    (root / "demo/actions").mkdir(parents=True)
    (root / "demo/pack.yaml").write_text('ref: demo\nversion: "1.0.0"\n')
    (root / "demo/actions/run.sh").write_text("")
    (root / "demo/actions/run.yaml").write_text("ref: demo.run\nrunner_type: python\nentry_point: run.sh\n")
    return root / "demo"


def test_watch_prints_only_what_changed(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    root = pack(tmp_path)
    edits = [
        lambda: (root / "actions/run.yaml").write_text("ref: demo.run\nrunner_type: python\nentry_point: run.sh\nruntime_version: 3.12\n"),
        lambda: (root / "actions/other.yaml").write_text("ref: demo.other\nrunner_type: golang\nentry_point: run.sh\n"),
        lambda: (root / "actions/run.yaml").write_text("ref: demo.run\nrunner_type: python\nentry_point: run.sh\n"),
        lambda: (root / "actions/other.yaml").unlink(),
        lambda: (root / "actions/notes.txt").write_text("no pack file changed"),
    ]
    args = build_parser().parse_args(["validate", "demo", "--watch", "--no-registry", "--no-config"])
    assert watch(args, polls=len(edits), sleep=lambda _: edits.pop(0)()) == 0
    blocks = [line for line in capsys.readouterr().out.splitlines() if not line.startswith("  ")]
    assert blocks[0] == "2 files checked: 0 findings; watching for changes (Ctrl-C stops)"
    assert [line[11:] for line in blocks[1:] if line.startswith("[")] == [
        "demo/actions/run.yaml: 1 finding",
        "demo/actions/other.yaml: 1 finding",
        "demo/actions/run.yaml: no problems",
        "demo/actions/other.yaml: deleted",
    ]
    assert any(line.startswith("demo/actions/other.yaml:2:14: error runner_type.unknown") for line in blocks)


def test_ctrl_c_ends_the_watch_with_130(tmp_path):
    pack(tmp_path)
    process = subprocess.Popen(
        [sys.executable, "-m", "packls", "validate", "demo", "--watch", "--no-registry"],
        cwd=tmp_path, stdout=subprocess.PIPE, text=True,
    )
    try:
        assert process.stdout.readline().startswith("2 files checked")  # type: ignore[union-attr]
        time.sleep(0.2)
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=20) == 130
    finally:
        process.kill()
