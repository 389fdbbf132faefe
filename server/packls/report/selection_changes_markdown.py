"""What a change does to version selection as Markdown sized for a pull-request comment."""

from __future__ import annotations

import re
from pathlib import Path

from packls.report import display_path
from packls.report._review_escape import printable
from packls.report.selection_changes import Compared, runtime_label, scope, summary, why
from packls.selection_diff import Change, Outcome, Presence, SelectionDiff

VISIBLE_ROWS = 20  # rows shown per runtime; the rest are collapsed in a <details> block
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]<>&|~@#!])")  # inline syntax, HTML, mentions, references


def render_changes_markdown(diff: SelectionDiff, compared: Compared, cwd: Path | None = None) -> str:
    """A summary line, then a table per runtime; rows beyond VISIBLE_ROWS collapsed."""
    lines = [f"**packls resolve** {escape(scope(compared, '→'))}: {escape(summary(diff))}."]
    for ref in diff.runtimes():
        rows = [_change_row(c, compared, cwd) for c in diff.changed if c.runtime == ref]
        rows += [_presence_row(p, "added", compared, cwd) for p in diff.added if p.runtime == ref]
        rows += [_presence_row(p, "removed", compared, cwd) for p in diff.removed if p.runtime == ref]
        lines += ["", f"#### {code(runtime_label(ref))}", ""]
        lines += _table(rows[:VISIBLE_ROWS])
        rest = rows[VISIBLE_ROWS:]
        if rest:
            lines += ["", f"<details><summary>{len(rest)} more on {escape(runtime_label(ref))}</summary>", ""]
            lines += _table(rest)
            lines += ["", "</details>"]
    return "\n".join(lines) + "\n"


def _table(rows: list[str]) -> list[str]:
    return ["| component | kind | before | after | why |", "|---|---|---|---|---|", *rows]


def _change_row(change: Change, compared: Compared, cwd: Path | None) -> str:
    before, after = _cell(change.before, change.before.runtime != change.after.runtime), _cell(change.after, change.before.runtime != change.after.runtime)
    return _row(change.subject.ref, change.subject.kind, compared.root / change.subject.path, cwd, before, f"**{after}**", why(change, code, escape, '→'))


def _presence_row(presence: Presence, label: str, compared: Compared, cwd: Path | None) -> str:
    shown = _cell(presence.outcome, True)
    before, after = ("—", f"**{shown}**") if label == "added" else (shown, "—")
    return _row(presence.subject.ref, presence.subject.kind, compared.root / presence.subject.path, cwd, before, after, label)


def _row(ref: str | None, kind: str, path: Path, cwd: Path | None, before: str, after: str, reason: str) -> str:
    name = code(ref) if ref else escape(display_path(path, cwd))
    return f"| {name} | {escape(kind)} | {before} | {after} | {reason} |"


def _cell(outcome: Outcome, with_runtime: bool) -> str:
    text = escape(outcome.shown)
    if with_runtime and outcome.runtime is not None:
        text = f"{code(outcome.runtime)} {text}"
    return text


def escape(text: str) -> str:
    """Text shown as itself in GitHub Markdown: punctuation backslash-escaped, controls made visible, one line."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", printable(text))


def code(text: str) -> str:
    """A code span that cannot be broken out of (a fence longer than any backtick run; pipes escaped for tables)."""
    shown = printable(text).replace("|", "\\|")
    longest = max((len(run) for run in re.findall(r"`+", shown)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if shown.startswith("`") or shown.endswith("`") or not shown.strip() else ""
    return f"{fence}{pad}{shown}{pad}{fence}"
