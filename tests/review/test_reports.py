"""The comparison as text (grouped by runtime), JSON (stable) and Markdown (a pull-request comment)."""

from __future__ import annotations

import json
from pathlib import Path

from packls.report.selection_changes import Compared, render_changes_json, render_changes_text
from packls.report import selection_changes_markdown as markdown_report
from packls.report.selection_changes_markdown import VISIBLE_ROWS, code, render_changes_markdown
from tests.security.inert import assert_inert
from tests.security.injection import FORGED, FORGED_YAML
from tests.review.support import FILES, diff_of, edited

ADD_314 = edited("runtimes/python.yaml", '  - version: "3.13"\n', '  - version: "3.13"\n  - version: "3.14"\n')


def compared(tmp: Path) -> Compared:
    return Compared(tmp / "after", "HEAD~1", "0123456789ab" + "0" * 28)


def test_text_groups_changes_by_runtime_with_moves_and_causes(tmp_path: Path) -> None:
    after = edited("actions/pinned.yaml", "runner_type: demo.python", "runner_type: python", ADD_314)
    after = {k: v for k, v in after.items() if k != "sensors/watch.yaml"}
    diff = diff_of(tmp_path, FILES, after)
    text = render_changes_text(diff, compared(tmp_path), cwd=tmp_path / "after")
    assert text.splitlines() == [
        "packls resolve: HEAD~1 (0123456789ab) -> the working tree: 2 of 3 actions and sensors change selection"
        " (0 added, 1 removed, 1 unchanged)",
        "",
        "core.python",
        "  demo.pinned (action)  demo/actions/pinned.yaml",
        f"    demo.python 3.11 -> core.python {diff.changed[0].after.version}  (runner_type edited: demo.python -> python)",
        f"    env: /opt/attune/runtime_envs/demo/demopython-3.11 -> {diff.changed[0].after.env_dir}",
        "",
        "demo.python",
        "  demo.newest (action)  demo/actions/newest.yaml",
        "    3.13 -> 3.14  (version 3.14 added)",
        "  demo.watch (sensor)  demo/sensors/watch.yaml",
        "    removed: 3.12 ('~3.12')",
    ]


def test_text_says_when_nothing_changed(tmp_path: Path) -> None:
    text = render_changes_text(diff_of(tmp_path, FILES, FILES), compared(tmp_path))
    assert text == (
        "packls resolve: HEAD~1 (0123456789ab) -> the working tree: no selection changes among 4 actions and sensors"
        " (0 added, 0 removed, 4 unchanged)"
    )


def test_json_has_a_stable_shape(tmp_path: Path) -> None:
    after = edited("runtimes/python.yaml", '  - version: "3.11"\n', "")
    document = json.loads(render_changes_json(diff_of(tmp_path, FILES, after), compared(tmp_path), cwd=tmp_path / "after"))
    assert list(document) == ["base", "commit", "assumptions", "summary", "changed", "added", "removed"]
    assert document["summary"] == {"changed": 1, "unsatisfied": 1, "added": 0, "removed": 0, "unchanged": 3}
    (change,) = document["changed"]
    assert change["ref"] == "demo.pinned" and change["path"] == "demo/actions/pinned.yaml" and change["unsatisfied"]
    assert change["before"]["selected"] == "3.11" and change["after"] == {
        "runner_type": "demo.python", "runtime": "demo.python", "constraint": "3.11", "selected": None,
        "state": "unsatisfied", "env_dir": "/opt/attune/runtime_envs/demo/demopython", "reason": change["after"]["reason"],
    }
    assert change["causes"] == [
        {"kind": "version_removed", "message": "version 3.11 removed", "version": "3.11", "before": None, "after": None},
    ]


def test_markdown_is_a_summary_and_a_table_per_runtime(tmp_path: Path) -> None:
    after = edited("runtimes/python.yaml", '  - version: "3.11"\n', "", ADD_314)
    markdown = render_changes_markdown(diff_of(tmp_path, FILES, after), compared(tmp_path))
    assert markdown == (
        "**packls resolve** `HEAD~1` (`0123456789ab`) → the working tree: 2 of 4 actions and sensors change selection"
        " (1 now selects nothing, 0 added, 0 removed, 2 unchanged).\n"
        "\n#### `demo.python`\n\n"
        "| component | kind | before | after | why |\n|---|---|---|---|---|\n"
        "| `demo.newest` | action | `3.13` | **`3.14`** | version `3.14` added |\n"
        "| `demo.pinned` | action | `3.11` | **none** | version `3.11` removed; nothing matches any more: no available"
        " version satisfies '3.11' (declared: 3.14, 3.13, 3.12); the action still runs, with"
        " the runtime's base execution_config |\n"
    )


def test_markdown_collapses_rows_beyond_twenty_per_runtime(tmp_path: Path) -> None:
    many = dict(FILES)
    for n in range(VISIBLE_ROWS + 5):
        many[f"actions/a{n:02}.yaml"] = f'ref: demo.a{n:02}\nrunner_type: demo.python\nruntime_version: ">=3"\n'
    diff = diff_of(tmp_path, many, edited("runtimes/python.yaml", '  - version: "3.13"\n', '  - version: "3.13"\n  - version: "3.14"\n', many))
    markdown = render_changes_markdown(diff, compared(tmp_path))
    visible, _, collapsed = markdown.partition("<details>")
    assert visible.count("| `demo.a") == VISIBLE_ROWS
    assert collapsed.startswith("<summary>6 more on demo.python</summary>")
    assert collapsed.count("| `demo.") == 6 and collapsed.rstrip().endswith("</details>")


def test_values_from_the_packs_cannot_break_out_of_the_comment_or_the_terminal(tmp_path: Path) -> None:
    hostile = "demo.x|y`z</details><img src=x>@octocat\x1b[31m"
    files = {**FILES, "actions/h.yaml": f"ref: {json.dumps(hostile)}\nrunner_type: demo.python\n"}
    after = edited("runtimes/python.yaml", "    is_default: true\n", "", files)
    diff = diff_of(tmp_path, files, after)
    markdown = render_changes_markdown(diff, compared(tmp_path))
    row = next(line for line in markdown.splitlines() if "octocat" in line)
    assert row.startswith("| ``demo.x\\|y`z</details><img src=x>@octocat\\x1b[31m`` | action |")
    assert row.count(" | ") == 4  # five cells: the pipe inside the ref is escaped
    assert "\x1b" not in markdown
    text = render_changes_text(diff, compared(tmp_path))
    assert "\x1b" not in text and "@octocat\\x1b[31m (action)" in text
    assert "\x1b" not in render_changes_json(diff, compared(tmp_path))


def test_forged_commands_in_pack_values_stay_inert_in_every_format(tmp_path: Path, monkeypatch) -> None:
    runtime = FILES["runtimes/python.yaml"].replace("ref: demo.python", f"ref: {FORGED_YAML}")
    files = {k: v.replace("runner_type: demo.python", f"runner_type: {FORGED_YAML}") for k, v in FILES.items()}
    files["runtimes/python.yaml"] = runtime
    diff = diff_of(tmp_path, files, edited("runtimes/python.yaml", "    is_default: true\n", "", files))
    assert diff.changed and diff.changed[0].runtime == FORGED
    assert_inert(render_changes_text(diff, compared(tmp_path)))
    assert_inert(render_changes_json(diff, compared(tmp_path)))
    monkeypatch.setattr(markdown_report, "VISIBLE_ROWS", 0)  # everything in the <details> block
    markdown = render_changes_markdown(diff, compared(tmp_path))
    assert_inert(markdown)
    summary = next(line for line in markdown.splitlines() if line.startswith("<details>"))
    assert "<" not in summary.removeprefix("<details><summary>").removesuffix("</summary>")


def test_code_spans_outlast_any_backtick_run() -> None:
    assert code("a") == "`a`"
    assert code("a``b") == "```a``b```"
    assert code("`x") == "`` `x ``"
