"""Why a component's selection changed: the edits (or availability changes) that explain it."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Callable

from packls.selection_diff.outcome import Outcome, State
from packls.versions import is_blank_constraint


class CauseKind(enum.Enum):
    """The kinds of edits that move a selection, in the order they are reported."""

    FILE_BROKEN = "file_broken"  # the component's own file no longer parses (or parses again)
    RUNTIME_FILE_BROKEN = "runtime_file_broken"  # a runtime file that could declare its runtime does not parse
    RUNNER_TYPE_CHANGED = "runner_type_changed"  # runner_type was edited
    RUNTIME_CHANGED = "runtime_changed"  # the same runner_type now finds another runtime (or none)
    CONSTRAINT_EDITED = "constraint_edited"
    VERSION_ADDED = "version_added"
    VERSION_REMOVED = "version_removed"
    DEFAULT_MOVED = "default_moved"
    AVAILABILITY_CHANGED = "availability_changed"
    ENVIRONMENT_MOVED = "environment_moved"  # same version, another environment folder (runtime or pack renamed)
    OTHER = "other"


@dataclass(frozen=True)
class Cause:
    """One reason in one sentence: a template whose {0}, {1} are values taken from the packs."""

    kind: CauseKind
    template: str
    values: tuple[str | None, ...] = ()
    version: str | None = None  # the declared version concerned, when one is
    before: str | None = None
    after: str | None = None

    def render(self, value: Callable[[str], str] = str, arrow: str = "->") -> str:
        """The sentence, each value shown by `value` (a code span in Markdown); none and empty said in words."""
        shown = ("none" if v is None else value(v) if v else value('""') for v in self.values)
        return self.template.format(*shown, arrow=arrow)

    @property
    def message(self) -> str:
        """The sentence as plain text."""
        return self.render()


def causes_of(before: Outcome, after: Outcome) -> tuple[Cause, ...]:
    """Every edit between two outcomes that explains why the selection moved (OTHER when none is found)."""
    if State.BROKEN in (before.state, after.state):
        return (_file_cause(before, after),)
    found: list[Cause] = []
    if after.broken is not None and after.runtime is None and before.runtime is not None:
        where, what = after.broken
        found.append(Cause(CauseKind.RUNTIME_FILE_BROKEN, "runtime file {0} " + what, (where,), before=before.runtime))
    elif before.runner_type != after.runner_type:
        found.append(Cause(
            CauseKind.RUNNER_TYPE_CHANGED, "runner_type edited: {0} {arrow} {1}", (before.runner_type, after.runner_type),
            before=before.runner_type, after=after.runner_type,
        ))
    elif before.runtime != after.runtime:
        found.append(Cause(
            CauseKind.RUNTIME_CHANGED, "runner_type {0} now resolves to {1} (was {2})",
            (after.runner_type, after.runtime, before.runtime), before=before.runtime, after=after.runtime,
        ))
    if before.constraint != after.constraint and State.WORKFLOW not in (before.state, after.state):
        found.append(Cause(
            CauseKind.CONSTRAINT_EDITED, "runtime_version edited: {0} {arrow} {1}", (before.constraint, after.constraint),
            before=before.constraint, after=after.constraint,
        ))
    if before.runtime is not None and before.runtime == after.runtime:
        found.extend(_version_causes(before, after))
    if not found and before.version == after.version and before.env_dir != after.env_dir:
        found.append(_environment_cause(before, after))
    if not found:
        found.append(Cause(CauseKind.OTHER, "the runtime's declarations changed", before=before.shown, after=after.shown))
    return tuple(found)


def _version_causes(before: Outcome, after: Outcome) -> list[Cause]:
    """Edits of the same runtime's versions that touch the old or the new selection."""
    found: list[Cause] = []
    if after.version is not None and not before.declares(after.version):
        found.append(Cause(CauseKind.VERSION_ADDED, "version {0} added", (after.version,), version=after.version))
    if before.version is not None and not after.declares(before.version):
        found.append(Cause(CauseKind.VERSION_REMOVED, "version {0} removed", (before.version,), version=before.version))
    blank = is_blank_constraint(before.constraint) or is_blank_constraint(after.constraint)
    if blank and before.default != after.default:
        found.append(Cause(
            CauseKind.DEFAULT_MOVED, "default moved: {0} {arrow} {1}", (before.default, after.default),
            before=before.default, after=after.default,
        ))
    concerned = [before.version, after.version] + ([before.default, after.default] if blank else [])
    seen: set[str] = set()
    for version in concerned:
        if version is None or version in seen:
            continue
        seen.add(version)
        was, now = before.available(version), after.available(version)
        if was is not None and now is not None and was != now:
            found.append(Cause(
                CauseKind.AVAILABILITY_CHANGED, "{0} " + ("now available" if now else "no longer available"), (version,),
                version=version, before=_availability(was), after=_availability(now),
            ))
    return found


def _file_cause(before: Outcome, after: Outcome) -> Cause:
    """The component's own file stopped parsing, or parses again."""
    if after.broken is not None and after.state is State.BROKEN:
        where, what = after.broken
        return Cause(CauseKind.FILE_BROKEN, "{0} " + what + " (Attune fails to register it)", (where,))
    assert before.broken is not None
    where, what = before.broken
    return Cause(CauseKind.FILE_BROKEN, "{0} loads again (was: " + what + ")", (where,))


def _environment_cause(before: Outcome, after: Outcome) -> Cause:
    if before.runtime_name != after.runtime_name:
        template, values = "environment folder moved: runtime name {0} {arrow} {1}", (before.runtime_name, after.runtime_name)
    elif before.pack != after.pack:
        template, values = "environment folder moved: pack ref {0} {arrow} {1}", (before.pack, after.pack)
    else:
        template, values = "environment folder moved: {0} {arrow} {1}", (before.env_dir, after.env_dir)
    return Cause(CauseKind.ENVIRONMENT_MOVED, template, values, before=before.env_dir, after=after.env_dir)


def _availability(available: bool) -> str:
    return "available" if available else "unavailable"
