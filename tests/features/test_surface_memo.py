"""A big document's surface, reused entry by entry across many edits, equals the full walk every time."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from packls.features import invalidation
from packls.features.invalidation import surface
from packls.model import FileKind
from packls.syntax import incremental
from packls.workspace import SourceFile


def big_text() -> str:
    lines = ["ref: demo.big", "runner_type: python", "parameters:"]
    for i in range(150):
        lines += [f"  p_{i:05d}:", "    type: string", f"    description: parameter {i}"]
        if i % 50 == 0:
            lines += ["    nested:"] + [f"      k_{j}: {j}" for j in range(40)]
    return "\n".join(lines + ["output:", "  status: {type: integer}", ""])


def big_workflow() -> str:
    """A workflow whose tasks (one big block sequence) are reused item by item."""
    lines = ['version: "1.0.0"', "tasks:"]
    for i in range(120):
        lines += [f"  - name: step_{i:05d}", "    action: demo.run", "    next:", f"      - do: [step_{i + 1:05d}]"]
        if i % 40 == 0:
            lines += ["    input:"] + [f"      k_{j}: {j}" for j in range(40)]
    return "\n".join(lines + ["output_map:", "  status: string", ""])


@pytest.mark.parametrize("relative, kind, make", [
    ("actions/big.yaml", FileKind.ACTION, big_text), ("actions/workflows/big.yaml", FileKind.WORKFLOW, big_workflow),
])
def test_random_edits_keep_the_reused_surface_equal_to_the_full_walk(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                      relative: str, kind: FileKind, make) -> None:
    monkeypatch.setattr(invalidation, "BIG_SURFACE", 2000)
    monkeypatch.setattr(incremental, "MIN_CHARS", 2000)
    path = tmp_path / relative

    def source(body: str, fresh: bool = False) -> SourceFile:
        saved = incremental.MIN_CHARS
        if fresh:
            incremental.MIN_CHARS = 10**12  # a parse from scratch: nothing shifted, nothing remembered
        try:
            return SourceFile.from_text(path, tmp_path, relative, kind, body)
        finally:
            incremental.MIN_CHARS = saved

    rng = random.Random(4)
    text = make()
    memo: dict[Path, object] = {}
    assert surface(source(text), memo) == surface(source(text, fresh=True))
    lines = text.split("\n")
    valid = 0
    for _ in range(150):
        previous = list(lines)
        k = rng.randrange(len(lines))
        line = lines[k]
        choice = rng.random()
        if choice < 0.5 and line:
            i = rng.randrange(len(line))
            lines[k] = line[:i] + rng.choice("xyz 9") + line[i:]
        elif choice < 0.7:
            lines[k] = line + "  # note"
        elif choice < 0.85:
            lines.insert(k, lines[k])
        else:
            lines[k] = lines[k].replace("string", "integer")
        text = "\n".join(lines)
        fresh = source(text, fresh=True)
        assert surface(source(text), memo) == surface(fresh)
        if fresh.parsed.problem is not None:
            lines = previous  # keep editing a document that parses
        else:
            valid += 1
    assert valid > 100
