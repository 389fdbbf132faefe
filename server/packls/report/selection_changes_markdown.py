"""What a change does to version selection as Markdown sized for a pull-request comment."""

from __future__ import annotations

import html
from pathlib import Path

from packls.report import display_path
from packls.report.escape import markdown_code, markdown_text, printable
from packls.report.selection_changes import Compared, runtime_label, scope, summary, why
from packls.selection_diff import NO_RUNTIME_GROUP, Change, Outcome, Presence, SelectionDiff, State

VISIBLE_ROWS = 20  # rows shown per runtime; the rest are collapsed in a <details> block


def render_changes_markdown(diff: SelectionDiff, compared: Compared, cwd: Path | None = None) -> str:
    """A summary line, then a table per runtime; rows beyond VISIBLE_ROWS collapsed."""
    lines = [f"**packls resolve** {scope(compared, code, '→')}: {summary(diff)}."]
    for ref in diff.runtimes():
        rows = [_change_row(c, compared, cwd) for c in diff.changed if c.runtime == ref]
        rows += [_presence_row(p, "added", compared, cwd) for p in diff.added if p.runtime == ref]
        rows += [_presence_row(p, "removed", compared, cwd) for p in diff.removed if p.runtime == ref]
        lines += ["", f"#### {code(ref) if ref != NO_RUNTIME_GROUP else runtime_label(ref)}", ""]
        lines += _table(rows[:VISIBLE_ROWS])
        rest = rows[VISIBLE_ROWS:]
        if rest:
            # An HTML block: Markdown escapes do not apply inside it, HTML's do.
            label = html.escape(printable(runtime_label(ref)))
            lines += ["", f"<details><summary>{len(rest)} more on {label}</summary>", ""]
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
    """A version as code; otherwise why there is none, in packls' own words."""
    text = code(outcome.version) if outcome.state is State.SELECTED and outcome.version is not None else outcome.shown
    if with_runtime and outcome.runtime is not None:
        text = f"{code(outcome.runtime)} {text}"
    return text


def escape(text: str) -> str:
    """Text shown literally in a table cell or the summary line."""
    return markdown_text(text)


def code(text: str) -> str:
    """A code span that also stays inside its table cell (GFM splits cells at a pipe even inside code)."""
    return markdown_code(text).replace("|", "\\|")
