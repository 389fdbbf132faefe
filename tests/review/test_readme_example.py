"""The README's worked example is what the suite produces: a commit that adds a version to an example pack.

`PACKLS_UPDATE_EXAMPLES=1` rewrites docs/examples/resolve-since.md and the README block from a
fresh run; without it, any difference fails — except the temporary repository's commit id, which
changes whenever the example pack does and says nothing about the code.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest

from packls.cli import main
from tests.review.support import commit_all, new_repository

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "docs" / "examples" / "resolve-since.md"
README = REPO / "README.md"
BLOCK = re.compile(r"(<!-- begin docs/examples/resolve-since\.md -->\n)(.*?)(<!-- end docs/examples/resolve-since\.md -->)", re.S)
UPDATE = os.environ.get("PACKLS_UPDATE_EXAMPLES") == "1"
COMMIT = re.compile(r"\(`[0-9a-f]{12}`\)")


def same(text: str) -> str:
    """The text with the commit id of the example repository blanked."""
    return COMMIT.sub("(`<commit>`)", text)


def pull_request_report(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> str:
    """The example pack in a fresh repository, one commit adding 3.14 and moving the default, reported on."""
    repo = new_repository(tmp_path / "example")
    shutil.copytree(REPO / "packs" / "data_tools", repo / "packs" / "data_tools")
    commit_all(repo, "example pack")
    runtime = repo / "packs/data_tools/runtimes/python.yaml"
    text = runtime.read_text(encoding="utf-8")
    edits = [
        ('  - version: "3.12"\n    is_default: true\n', '  - version: "3.12"\n'),
        ('  - version: "3.13"\n', '  - version: "3.13"\n    is_default: true\n'),
        ('  - version: "3.14.0-rc.1"\n',
         '  - version: "3.14"\n    execution_config:\n      interpreter: {binary: python3.14, args: ["-u"], file_extension: .py}\n'
         '  - version: "3.14.0-rc.1"\n'),
    ]
    for old, new in edits:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    runtime.write_text(text, encoding="utf-8")
    commit_all(repo, "data_tools.python: add 3.14, make 3.13 the default")
    monkeypatch.chdir(repo)
    assert main(["resolve", "--since", "HEAD~1", "--format", "markdown", "--fail-on-change"]) == 1
    return capsys.readouterr().out


def quoted(markdown: str) -> str:
    """The report as a block quote (how the README shows a comment)."""
    return "".join(f"> {line}".rstrip() + "\n" for line in markdown.splitlines())


def test_the_readme_shows_the_report_the_suite_generates(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    report = pull_request_report(tmp_path, monkeypatch, capsys)
    readme = README.read_text(encoding="utf-8")
    if UPDATE:
        EXAMPLE.write_text(report, encoding="utf-8")
        README.write_text(BLOCK.sub(lambda m: m.group(1) + quoted(report) + m.group(3), readme), encoding="utf-8")
        readme = README.read_text(encoding="utf-8")
    hint = "regenerate with PACKLS_UPDATE_EXAMPLES=1 .venv/bin/python -m pytest tests/review/test_readme_example.py"
    assert COMMIT.search(report) is not None
    assert same(EXAMPLE.read_text(encoding="utf-8")) == same(report), hint
    block = BLOCK.search(readme)
    assert block is not None, "README.md lost its example block"
    assert same(block.group(2)) == same(quoted(report)), hint
    assert "| `data_tools.summarize` | action | `3.12` | **`3.13`** | default moved: `3.12` → `3.13` |" in report
