"""What a change does to version selection (`packls resolve --since/--base/--assume-…`) as text or JSON."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from packls.report import display_path
from packls.report.escape import json_dumps, output_line
from packls.selection_diff import NO_RUNTIME_GROUP, Change, Outcome, Presence, SelectionDiff, State


@dataclass(frozen=True)
class Compared:
    """What was compared, for the reports' headings."""

    root: Path  # the folder the components' paths are relative to
    base: str | None = None  # the revision or folder compared with; None: the same files (a what-if)
    commit: str | None = None  # the commit the revision named
    assumptions: tuple[tuple[str, str, bool], ...] = ()  # (runtime ref, version, available) taken as given


def plural(count: int, word: str, many: str | None = None) -> str:
    """'1 action', '2 actions'."""
    return f"{count} {word if count == 1 else (many or word + 's')}"


def summary(diff: SelectionDiff) -> str:
    """The counts in one sentence (changed first: that is what a reviewer looks for)."""
    total = len(diff.changed) + diff.unchanged + len(diff.added)
    if diff.changed:
        head = f"{len(diff.changed)} of {plural(total, 'action or sensor', 'actions and sensors')} change selection"
    elif total:
        head = f"no selection changes among {plural(total, 'action or sensor', 'actions and sensors')}"
    else:
        head = "no actions or sensors"
    rest = [f"{len(diff.added)} added", f"{len(diff.removed)} removed", f"{diff.unchanged} unchanged"]
    if diff.unsatisfied:
        rest.insert(0, f"{len(diff.unsatisfied)} now select{'s' if len(diff.unsatisfied) == 1 else ''} nothing")
    return f"{head} ({', '.join(rest)})"


def scope(compared: Compared, value: Callable[[str], str] = str, arrow: str = "->") -> str:
    """'HEAD~1 (1a2b3c4) -> the working tree', with the what-if assumptions (names shown by `value`)."""
    if compared.base is None:
        text = f"availability now {arrow} availability assumed"
    else:
        commit = f" ({value(compared.commit[:12])})" if compared.commit else ""
        text = f"{value(compared.base)}{commit} {arrow} the working tree"
    if compared.assumptions:
        shown = [f"{value(f'{ref}@{version}')} {'available' if ok else 'unavailable'}" for ref, version, ok in compared.assumptions]
        text += ", assuming " + ", ".join(shown)
    return text


def why(change: Change, value: Callable[[str], str] = str, prose: Callable[[str], str] = str, arrow: str = "->") -> str:
    """The causes in one line (values shown by `value`, resolve's sentences by `prose`), and what a component left with nothing does."""
    parts = [cause.render(value, arrow) for cause in change.causes]
    if change.unsatisfied and change.after.state is State.UNSATISFIED:
        parts.append(f"nothing matches any more: {prose(change.after.reason)}")
    return "; ".join(parts)


def runtime_label(ref: str) -> str:
    """The heading of a runtime's group."""
    return ref if ref != NO_RUNTIME_GROUP else "(no runtime)"


# -- text -----------------------------------------------------------------------------------------


def render_changes_text(diff: SelectionDiff, compared: Compared, cwd: Path | None = None) -> str:
    """Grouped by runtime: each changed, added or removed component with its move and why."""
    lines = [output_line(f"packls resolve: {scope(compared)}: {summary(diff)}")]
    for ref in diff.runtimes():
        lines += ["", output_line(runtime_label(ref))]
        for change in (c for c in diff.changed if c.runtime == ref):
            lines.append(_heading(change.subject.ref, change.subject.kind, compared.root / change.subject.path, cwd))
            before, after = change.labels
            lines.append(output_line(f"    {before} -> {after}  ({why(change)})"))
            if _moves_environment(change):
                lines.append(output_line(f"    env: {change.before.env_dir or 'none'} -> {change.after.env_dir or 'none'}"))
        for label, items in (("added", diff.added), ("removed", diff.removed)):
            for presence in (p for p in items if p.runtime == ref):
                lines.append(_heading(presence.subject.ref, presence.subject.kind, compared.root / presence.subject.path, cwd))
                lines.append(output_line(f"    {label}: {_presence(presence)}"))
    return "\n".join(lines)


def _moves_environment(change: Change) -> bool:
    """The environment folder changed beyond the version in its name (the version is shown already)."""
    before, after = change.before, change.after
    if before.env_dir == after.env_dir:
        return False
    return before.version == after.version or (before.runtime, before.runtime_name, before.pack) != (after.runtime, after.runtime_name, after.pack)


def _heading(ref: str | None, kind: str, path: Path, cwd: Path | None) -> str:
    return output_line(f"  {ref or '(no ref)'} ({kind})  {display_path(path, cwd)}")


def _presence(presence: Presence) -> str:
    outcome = presence.outcome
    constraint = f"'{outcome.constraint}'" if outcome.constraint is not None else "no constraint"
    return f"{outcome.shown} ({constraint})"


# -- json -----------------------------------------------------------------------------------------


def changes_record(diff: SelectionDiff, compared: Compared, cwd: Path | None = None) -> dict[str, Any]:
    """The comparison as plain data, in a stable order and shape."""

    def place(path: str) -> str:
        return display_path(compared.root / path, cwd)

    return {
        "base": compared.base,
        "commit": compared.commit,
        "assumptions": [{"runtime": ref, "version": version, "available": ok} for ref, version, ok in compared.assumptions],
        "summary": {
            "changed": len(diff.changed),
            "unsatisfied": len(diff.unsatisfied),
            "added": len(diff.added),
            "removed": len(diff.removed),
            "unchanged": diff.unchanged,
        },
        "changed": [
            {
                "ref": change.subject.ref,
                "kind": change.subject.kind,
                "path": place(change.subject.path),
                "before": _outcome(change.before),
                "after": _outcome(change.after),
                "unsatisfied": change.unsatisfied,
                "causes": [
                    {"kind": c.kind.value, "message": c.message, "version": c.version, "before": c.before, "after": c.after}
                    for c in change.causes
                ],
            }
            for change in diff.changed
        ],
        "added": [_presence_record(p, place) for p in diff.added],
        "removed": [_presence_record(p, place) for p in diff.removed],
    }


def _outcome(outcome: Outcome) -> dict[str, Any]:
    return {
        "runner_type": outcome.runner_type,
        "runtime": outcome.runtime,
        "constraint": outcome.constraint,
        "selected": outcome.version,
        "state": outcome.state.value,
        "env_dir": outcome.env_dir,
        "reason": outcome.reason,
    }


def _presence_record(presence: Presence, place: Any) -> dict[str, Any]:
    return {
        "ref": presence.subject.ref,
        "kind": presence.subject.kind,
        "path": place(presence.subject.path),
        "outcome": _outcome(presence.outcome),
    }


def render_changes_json(diff: SelectionDiff, compared: Compared, cwd: Path | None = None) -> str:
    """The JSON document (keys in a fixed order; no raw control character in its bytes)."""
    return json_dumps(changes_record(diff, compared, cwd), indent=2)
