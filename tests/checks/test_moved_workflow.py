"""A big workflow typed in task by task: what is kept per moved task gives a fresh parse's findings every time."""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest

from packls.syntax import incremental
from packls.syntax.fast import available
from packls.features.refs import named_refs, ref_sites
from packls.features.session import Session
from packls.syntax.shifted import shifted
from packls.syntax.spliced import splice_of
from tests.checks.test_moved import change_checked, open_big
from tests.packbuilder import write_pack

pytestmark = pytest.mark.skipif(not available(), reason="PyYAML's C extension (libyaml) is not installed")

ACTION = "ref: demo.run\nrunner_type: python\nentry_point: run.py\n"
TASKS = [
    "  - name: t{i}\n    action: demo.run\n    next:\n      - when: ok\n        do: [t{j}]\n",
    "  - name: t{i}\n    action: demo.missing\n    input:\n      n: {i}\n",  # an action no pack has
    "  - name: t{i}\n    action: demo.run\n    retry:\n      count: 5\n      delay: 1\n",
    "  - name: t{i}\n    type: parallel\n    tasks:\n      - name: s{i}\n        action: demo.run\n        colour: red\n",
    "  - name: t{i}\n    action: demo.run\n    on_success: t{j}\n    wait_for:\n      execution: 5\n",  # in a cycle once an edit closes one
]
EDITS = ("name: t7", "name: fresh", "action: demo.missing", "action: demo.runx", "permission_set_refs: [p.q]", "on_success: t4",
         "do: [t3]", "do: [t80]", "count: 500", "do: [nowhere]", "action: demo.run", "action:", "env_vars: {A: 1}", "env_vars: {ATTUNE_B: 1}", "count: 2",
         "colour: 1", "type: parallel", "wait_for: {inquiry: 1}", "retry: {count: 0, delay: 1}", "on_failure: nowhere")


def big_workflow(count: int) -> str:
    body = "".join(TASKS[i % len(TASKS)].format(i=i, j=min(i + 1, count - 1)) for i in range(count))
    return 'version: "1.0.0"\ndescription: many tasks\ntasks:\n' + body + "output_map:\n  done: yes\n"


@pytest.fixture
def small_threshold(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(incremental, "MIN_CHARS", 1000)
    monkeypatch.setattr(incremental, "NESTED_MIN", 300)
    incremental.forget()


def open_workflow(tmp_path: Path, text: str) -> tuple[Session, Path]:
    """A session over a pack with one action and the workflow text open in it."""
    root = write_pack(tmp_path / "demo", {"actions/run.yaml": ACTION, "actions/run.py": ""})
    path = (root / "actions" / "workflows" / "big.yaml").resolve()
    path.parent.mkdir(parents=True)
    return open_big(root, path, text), path


def test_edits_inside_tasks_give_the_findings_of_a_fresh_parse(tmp_path: Path, small_threshold: None) -> None:
    text = big_workflow(90)
    session, path = open_workflow(tmp_path, text)
    rng = random.Random(11)
    moved = spliced = 0
    codes: set[str] = set()
    problems: set[str] = set()  # the workflow parser's first complaint, which moves from rule to rule
    for version in range(2, 150):
        lines = text.split("\n")
        k = rng.randrange(3, len(lines) - 3)
        line = lines[k]
        if line.startswith("    ") and rng.random() < 0.5:
            lines[k] = line[: len(line) - len(line.lstrip(" "))] + rng.choice(EDITS)
        else:
            i = rng.randrange(len(line) + 1)
            lines[k] = line[:i] + rng.choice("ax1 :-") + line[i:] if rng.random() < 0.6 else line[: max(0, i - 1)] + line[i:]
        source, text = change_checked(session, path, "\n".join(lines), text, version)
        codes |= {f.code for f in session.findings(path)}
        problems |= {re.sub(r"\d+", "N", f.message) for f in session.findings(path) if f.code == "workflow.invalid_definition"}
        tasks = source.parsed.root_mapping.value("tasks") if source.parsed.root_mapping else None
        items = getattr(tasks, "items", [])
        moved += sum(1 for item in items[-5:] if (found := shifted(item)) is not None and found[1])
        spliced += tasks is not None and splice_of(tasks) is not None
        # what the refs name, kept with the task list and patched, is what the refs found one by one name
        assert named_refs(source, session.workspace) == {(site.ref, site.written) for site in ref_sites(source, session.workspace)}
    assert moved > 100  # the tail's tasks were moved, not parsed again
    assert spliced > 60  # one task reparsed, the per-list summaries patched
    assert {"environment.invalid", "key.unknown"} <= codes, (codes, problems)
    assert len(problems) >= 3, problems


def clean_workflow(count: int) -> str:
    body = "".join(
        f"  - name: t{i}\n    action: demo.run\n    next:\n      - when: ok\n        do: [t{min(i + 1, count - 1)}]\n"
        + ("    wait_for:\n      execution: 5\n" if i % 30 == 7 else "")
        for i in range(count)
    )
    return 'version: "1.0.0"\ndescription: many tasks\ntasks:\n' + body + "output_map:\n  done: yes\n"


RULE_EDITS = ("name: renamed", "name: t3", "do: [nowhere]", "do: [t2]", "action:", "retry: {count: 500, delay: 1}",
              "type: parallel", "on_success: t1", "wait_for: {execution: 1}", "permission_set_ref: missing")


def test_rules_across_tasks_hold_after_each_edit_inside_tasks(tmp_path: Path, small_threshold: None) -> None:
    """Names, targets and waits kept for the whole task list and patched for one task give a fresh parse's answer."""
    clean = clean_workflow(80)
    session, path = open_workflow(tmp_path, clean)
    rng = random.Random(3)
    text, spliced = clean, 0
    problems: set[str] = set()
    for version in range(2, 130):
        lines = (text if rng.random() < 0.7 else clean).split("\n")  # broken tasks pile up, or the list is clean again
        k = rng.choice([k for k, line in enumerate(lines) if line.startswith(("    name", "    action", "        do", "    wait"))])
        indent = lines[k][: len(lines[k]) - len(lines[k].lstrip(" "))]
        lines[k] = indent + rng.choice(RULE_EDITS)
        source, text = change_checked(session, path, "\n".join(lines), text, version)
        problems |= {re.sub(r"\d+", "N", f.message) for f in session.findings(path) if f.code == "workflow.invalid_definition"}
        tasks = source.parsed.root_mapping.value("tasks") if source.parsed.root_mapping else None
        spliced += tasks is not None and splice_of(tasks) is not None
    assert spliced > 40
    assert len(problems) >= 4, problems  # missing targets, a renamed task's starters, a wait in a cycle, retry counts ...
