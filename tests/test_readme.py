"""What README.md shows is what packls does: the hover table, the pre-commit snippet, the commands of the tour."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import yaml

from packls.cli import build_parser
from packls.features.hover import hover
from packls.features.session import Session, normalize
from packls.workspace import load_pack

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_the_hover_example_is_the_real_hover_table():
    shown = [line.removeprefix("  > ") for line in README.splitlines() if line.startswith("  > |")]
    session = Session()
    session.add_pack(load_pack(normalize(ROOT / "packs" / "data_tools")))
    source = session.source(normalize(ROOT / "packs/data_tools/actions/newest.yaml"))
    assert source is not None
    found = hover(session, source, source.text.index('">=3.11') + 1)
    assert found is not None
    real = [line for line in found.markdown.splitlines() if line.startswith("|")]
    assert shown == real


def test_the_pre_commit_snippet_names_the_hook_and_a_rev_that_can_exist():
    snippet = re.search(r"# \.pre-commit-config\.yaml\n(.*?)```", README, re.S)
    assert snippet is not None
    [repo] = yaml.safe_load(snippet.group(1))["repos"]
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert [hook["id"] for hook in repo["hooks"]] == [hooks[0]["id"]]
    rev = str(repo["rev"])
    tags = subprocess.run(["git", "tag", "--list"], cwd=ROOT, capture_output=True, text=True).stdout.split()
    assert rev in tags or re.fullmatch(r"[0-9a-f]{40}", rev), f"rev {rev!r} is neither a tag of this repository nor a commit"


def test_every_command_of_the_quick_tour_parses():
    tour = README.split("A quick tour of the command line", 1)[1].split("```sh\n", 1)[1].split("```", 1)[0]
    commands = [line.split("#", 1)[0].split() for line in tour.splitlines() if line.startswith("packls ")]
    assert {"--fix", "--diff"} <= {word for command in commands for word in command}
    assert any(command[1] == "rule" for command in commands)
    for command in commands:
        build_parser().parse_args(command[1:])


def test_make_run_succeeds_on_the_example_packs_although_one_is_broken_on_purpose():
    """The quick start's first command: each step of the Makefile's `run` target exits 0 and prints its part."""
    import sys

    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    recipe = makefile.split("\nrun:", 1)[1].split("\n\n", 1)[0]
    steps = [line.strip().split() for line in recipe.splitlines()[1:] if line.startswith("\t")]
    assert [step[1] for step in steps] == ["validate", "resolve"]
    for step in steps:
        done = subprocess.run([sys.executable, "-m", "packls", *step[1:]], cwd=ROOT, capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, (step, done.stderr[-500:])
        assert "broken_pack" in done.stdout
