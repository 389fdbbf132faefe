"""Hover: which version Attune would select and why, how runner_type resolves, who uses a version, key docs."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Iterable

from packls.facts import age_text
from packls.features.dependents import runtime_users, users_of, version_selectors
from packls.features.locate import Cursor, locate
from packls.features.refs import RefSite, site_at, target_of
from packls.features.save_impact import count_kinds, save_impact
from packls.features.session import Session
from packls.model import Component, FileKind, Manifest, Runnable, Runtime, RuntimeVersion
from packls.pack_dependencies import DependencyStatus, check_dependency
from packls.report.escape import markdown_code as code
from packls.report.escape import markdown_text as text_md
from packls.resolve import Candidate, Resolution, fallback_sentence, resolve
from packls.schema import ignored_keys, key_spec
from packls.syntax.nodes import Scalar, Span, node_type_name, string_value
from packls.versions import CandidateVerdict, Verdict
from packls.workspace import SourceFile


SAVE_NAMES_SHOWN = 10  # components named per move in the unsaved-edits section
LISTED_USERS = 50  # components listed per list in a hover


@dataclass(frozen=True)
class HoverText:
    """Markdown for a hover and the span it describes (offsets in the source's text)."""

    markdown: str
    span: Span


def hover(session: Session, source: SourceFile, offset: int, now: datetime | None = None) -> HoverText | None:
    """The hover at offset (short enough for an editor's hover), or None when there is nothing worth saying."""
    return _describe(session, source, offset, now, brief=True)


def explain(session: Session, source: SourceFile, offset: int, now: datetime | None = None) -> HoverText | None:
    """The full explanation at offset (a page of its own): the hover plus everything it leaves out."""
    return _describe(session, source, offset, now, brief=False)


def _describe(session: Session, source: SourceFile, offset: int, now: datetime | None, brief: bool) -> HoverText | None:
    root = source.parsed.root
    cursor = locate(root, offset, source.text)
    if cursor is None or cursor.node is None:
        return None
    component = source.component
    if cursor.role == "key":
        return _key_hover(source, cursor)
    if isinstance(component, Runnable) and cursor.path == ("runtime_version",) and cursor.role == "value":
        return HoverText(explain_constraint(session, component, now, brief=brief), cursor.node.span)
    if isinstance(component, Runnable) and cursor.path == ("runner_type",) and cursor.role == "value":
        return HoverText(explain_runner(session, component), cursor.node.span)
    if isinstance(component, Runtime) and len(cursor.path) >= 2 and cursor.path[0] == "versions":
        entry = _entry(component, cursor.path[1])
        if entry is not None:
            return HoverText(explain_version_entry(session, entry, now), cursor.node.span)
    if isinstance(component, Runtime) and cursor.path in (("ref",), ("name",)):
        return HoverText(explain_runtime_users(session, component), cursor.node.span)
    if isinstance(component, Manifest) and len(cursor.path) == 2 and cursor.path[0] == "dependencies":
        text = string_value(cursor.node)
        if text is not None:
            return HoverText(explain_dependency(check_dependency(text, session.workspace)), cursor.node.span)
    site = site_at(source, session.workspace, offset)
    if site is not None:
        return HoverText(_ref_hover(session, site), site.span)
    if component is not None and cursor.path == ("ref",) and component.kind in (FileKind.TRIGGER, FileKind.ACTION):
        return HoverText(_users_hover(session, component), cursor.node.span)
    return None


def explain_dependency(status: DependencyStatus) -> str:
    """Where a dependency comes from: a workspace pack, a synced index entry (version, description, sources)."""
    dependency = status.dependency
    lines = [f"**dependency** {code(dependency.ref)}" + (f" @ {code(dependency.version)}" if dependency.version else "")]
    if status.workspace_pack is not None:
        manifest = status.workspace_pack.manifest
        version = manifest.string("version") if manifest is not None else None
        lines.append(f"In this workspace: {code(status.workspace_pack.root.name + '/pack.yaml')}" + (f", version {text_md(version)}" if version else ""))
    indexed = status.indexed
    if indexed is not None:
        lines.append(
            f"Index entry ({text_md(indexed.index_url or 'synced index')}): **{text_md(indexed.label or indexed.ref)}** {text_md(indexed.version)}"
        )
        if indexed.description:
            lines.append(_paragraph(indexed.description))
        if indexed.sources:
            lines.append("Sources: " + ", ".join(code(s) for s in indexed.sources))
    if status.message:
        lines.append(f"⚠ {text_md(status.message)}")
    elif status.workspace_pack is None and indexed is None:
        lines.append("Not in this workspace; run `packls sync --index URL` to check it against a pack index.")
    return "\n\n".join(lines)


def _entry(runtime: Runtime, index: object) -> RuntimeVersion | None:
    if isinstance(index, int) and 0 <= index < len(runtime.versions):
        return runtime.versions[index]
    return None


# -- runtime_version ------------------------------------------------------------------------------


def explain_constraint(session: Session, component: Runnable, now: datetime | None = None, brief: bool = False) -> str:
    """The full story of one runtime_version: runtime, winner, a verdict per declared version, env dir.

    Brief (the hover): the answer, Attune's reading and the verdict table only, which fit in
    an editor's hover; the reason, environment directory and fallback are the explanation's.
    """
    resolution = _resolve(session, component)
    pair = component.runtime_version_pair
    written = pair.value.text if pair is not None and isinstance(pair.value, Scalar) else None
    lines: list[str] = []
    runtime = resolution.runtime
    if component.is_workflow:
        return "**runtime_version** has no effect: workflow actions run no runtime."
    if pair is not None and component.constraint is None and not (isinstance(pair.value, Scalar) and pair.value.value is None):
        lines.append(
            f"**runtime_version** is a {node_type_name(pair.value)}, not a string: Attune ignores it, "
            "so no constraint applies. Quote it to make it a constraint.\n"
        )
    shown = code(component.constraint) if component.constraint is not None else "*(no constraint)*"
    target = f"**{text_md(runtime.ref or '')}** ({text_md(runtime.display_name)})" if runtime is not None else "*no runtime*"
    chosen = f"**{text_md(resolution.selected.version)}**" if resolution.selected else "**none**"
    lines.append(f"**runtime_version** {shown} on {target} → {chosen}")
    lines.append("")
    if runtime is None:
        lines.append(text_md(resolution.reason[:1].upper() + resolution.reason[1:] + "."))
        return "\n".join(lines)
    if not brief:
        lines.append(text_md(_sentence(resolution.reason)))
    explanation = resolution.explanation
    if explanation is not None and explanation.constraint is not None and component.constraint is not None:
        lines.append("")
        lines.append(f"Attune reads it as {code(str(explanation.constraint))}.")
    if explanation is not None and resolution.candidates:
        lines.append("")
        lines.extend(_verdict_table(explanation.verdicts, session.workspace.facts.availability_synced, now))
    if brief:
        return "\n".join(lines).replace("\n\n\n", "\n\n").strip("\n")
    lines.append("")
    if resolution.env_dir:
        lines.append(f"Environment directory: {code(resolution.env_dir)}")
        lines.append("")
    other = "actions fall back to the base config" if component.kind is FileKind.SENSOR else "sensors refuse to start"
    lines.append(f"When nothing matches, {fallback_sentence(component)} ({other}).")
    if written is not None and written != component.constraint and component.constraint is None:
        lines.append("")
        lines.append(f"Written: {code(written)}")
    return "\n".join(lines)


def _verdict_table(verdicts: tuple[CandidateVerdict, ...], with_availability: bool, now: datetime | None) -> list[str]:
    header = "| version | default | verdict |" + (" availability |" if with_availability else "")
    rule = "|---|---|---|" + ("---|" if with_availability else "")
    rows = [header, rule]
    for row in verdicts:
        candidate = row.candidate
        assert isinstance(candidate, Candidate)
        version = f"**{text_md(row.version_text)}**" if row.verdict is Verdict.SELECTED else text_md(row.version_text)
        verdict = text_md(row.reason)
        if row.verdict is Verdict.SELECTED:
            rest = row.reason.split(": ", 1)[1] if row.reason.startswith("selected: ") else row.reason
            verdict = f"**selected** — {text_md(rest)}"
        line = f"| {version} | {'yes' if candidate.is_default else ''} | {verdict} |"
        if with_availability:
            line += f" {text_md(_availability(candidate, now))} |"
        rows.append(line)
    return rows


def _availability(candidate: Candidate, now: datetime | None) -> str:
    fact = candidate.availability
    if fact is None:
        return "not synced (assumed available)" if candidate.available else f"{candidate.version} declared — never verified on a synced worker"
    age = f" (verified {_age(fact.verified_at, now)})" if fact.verified_at else ""
    if fact.available:
        seen = f", {fact.detected}" if fact.detected else ""
        return f"available{age}{seen}"
    return f"{candidate.version} declared — not available on any synced worker{age}"


def _age(when: datetime, now: datetime | None) -> str:
    return age_text(when, now)


# -- runner_type ----------------------------------------------------------------------------------


def explain_runner(session: Session, component: Runnable) -> str:
    """How runner_type resolved: alias, ref or name, and the runtime it found."""
    resolution = _resolve(session, component)
    runner = resolution.runner
    if runner is None:
        return "Workflow actions run no runtime; **runner_type** is ignored."
    if runner.runtime is None:
        return (
            f"**runner_type** {code(runner.runner_type)} → **no runtime**\n\n{text_md(_period(runner.description))}\n\n"
            "Attune tries, in order: a built-in alias (shell, python, node, native, …), a runtime ref "
            "(`pack.name`), then a runtime's `name` (case-insensitive). Declared `aliases` are never used."
        )
    runtime = runner.runtime
    how = {"alias": "built-in alias", "ref": "runtime ref", "name": "runtime name"}.get(runner.how or "", runner.how or "")
    lines = [
        f"**runner_type** {code(runner.runner_type)} → **{text_md(runtime.ref or '')}** ({text_md(runtime.display_name)}), resolved by {how}",
        "",
        text_md(_period(runner.description)),
        "",
        f"Defined in {code(_where(session, runtime))}",
    ]
    versions = [f"{v.version}{' (default)' if v.is_default else ''}" for v in runtime.versions if v.version is not None]
    lines.append("")
    lines.append(f"Versions: {text_md(', '.join(versions))}" if versions else "Versions: none declared (the runtime's own execution_config is used)")
    if runtime.aliases:
        lines.append("")
        lines.append(f"Declared aliases (never used by runner_type): {text_md(', '.join(runtime.aliases))}")
    return "\n".join(lines)


# -- runtime files --------------------------------------------------------------------------------


def explain_version_entry(session: Session, entry: RuntimeVersion, now: datetime | None = None) -> str:
    """Which actions and sensors select this version entry (and which take another one)."""
    runtime = entry.runtime
    label = entry.version if entry.version is not None else "(no version)"
    lines = [f"**{text_md(f'{runtime.ref} {label}')}**{' (default)' if entry.is_default else ''}"]
    fact = session.workspace.facts.availability_of(runtime.ref or "", entry.version or "")
    if fact is not None:
        lines.append("")
        candidate = Candidate(entry, entry.version or "", entry.is_default, fact.available, fact)
        lines.append(text_md(_sentence(_availability(candidate, now))))
    users = runtime_users(session.resolutions(), runtime)
    selecting = version_selectors(session.resolutions(), entry)
    lines.append("")
    if entry.version is None:
        lines.append("Attune skips this entry: it has no string `version`.")
    elif selecting:
        lines.append(f"Selected by {count_kinds(user.kind.value for user in selecting)}:")
        lines += _listed(f"- {code(user.ref or '')} ({user.kind.value}) — {_constraint_text(user.resolution)}" for user in selecting)
    else:
        lines.append("No action or sensor selects this version.")
    chosen = {user.path for user in selecting}
    others = [u for u in users if u.path not in chosen]
    if others:
        lines.append("")
        lines.append("Other users of this runtime:")
        lines += _listed(
            f"- {code(user.ref or '')} ({user.kind.value}) → {text_md(user.selected or 'none')} — {_constraint_text(user.resolution)}"
            for user in others
        )
    lines += _save_section(session, runtime, entry.version)
    return "\n".join(lines)


def _listed(items: Iterable[str]) -> list[str]:
    """At most LISTED_USERS lines of a list, then how many more (a runtime can have thousands of users)."""
    lines = list(items)
    if len(lines) <= LISTED_USERS:
        return lines
    return lines[:LISTED_USERS] + [f"- … {len(lines) - LISTED_USERS} more"]


def _save_section(session: Session, runtime: Runtime, version: str | None) -> list[str]:
    """While the runtime's buffer differs from its file: who would change selection if it were saved."""
    source = session.source(runtime.path)
    impact = save_impact(session, source) if source is not None else None
    if impact is None or impact.diff is None:
        return []
    moves = impact.moves(runtime.ref, version)
    if not moves:
        if version is None:
            return ["", "**Unsaved edits:** saving changes no selection."]
        others = len(impact.diff.changed)
        rest = f" ({others} other selection{'s' if others != 1 else ''} would change)" if others else ""
        return ["", f"**Unsaved edits:** saving moves no action or sensor into or out of this version{rest}."]
    lines = ["", "**Unsaved edits:**"]
    for move in moves:
        names = [code(change.subject.ref or change.subject.path) for change in move.changes]
        more = len(names) - SAVE_NAMES_SHOWN
        shown = ", ".join(names[:SAVE_NAMES_SHOWN]) + (f", … {more} more" if more > 0 else "")
        lines.append(f"- {move.sentence(text_md)}: {shown}")
    return lines


def explain_runtime_users(session: Session, runtime: Runtime) -> str:
    """Every action and sensor on this runtime, with the version each gets."""
    users = runtime_users(session.resolutions(), runtime)
    lines = [f"**{text_md(runtime.ref or '')}** ({text_md(runtime.display_name)}) — used by {len(users)} component{'s' if len(users) != 1 else ''}"]
    lines += _listed(
        f"- {code(user.ref or '')} ({user.kind.value}) → {text_md(user.selected or 'none')} — {_constraint_text(user.resolution)}"
        for user in users
    )
    lines += _save_section(session, runtime, None)
    return "\n".join(lines)


def _constraint_text(resolution: Resolution) -> str:
    constraint = resolution.constraint
    return code(constraint) if constraint is not None else "no constraint"


# -- refs and keys --------------------------------------------------------------------------------


def _ref_hover(session: Session, site: RefSite) -> str:
    ref, kind = site.ref, site.target_kind
    component = target_of(site, session.workspace)
    if component is None:
        return f"**{text_md(ref)}** — no {kind.value} with this ref is in scope."
    label = component.string("label")
    description = component.string("description")
    lines = [f"**{text_md(ref)}** ({kind.value}){' — ' + text_md(label) if label else ''}"]
    if description:
        lines += ["", _paragraph(description)]
    lines += ["", f"Defined in {code(_where(session, component))}"]
    return "\n".join(lines)


def _users_hover(session: Session, component: Component) -> str:
    sites = users_of(component, session.workspace.sources(), session.workspace)
    lines = [f"**{text_md(component.ref or '')}** ({component.kind.value}) — referenced {len(sites)} time{'s' if len(sites) != 1 else ''}"]
    for site in sites:
        owner = (site.source.component.ref if site.source.component is not None else None) or site.source.relative
        lines.append(f"- {code(owner)} ({site.source.kind.value}, {code(site.field)})")
    return "\n".join(lines)


def _key_hover(source: SourceFile, cursor: Cursor) -> HoverText | None:
    assert cursor.node is not None
    name = cursor.path[-1] if cursor.path else None
    if not isinstance(name, str):
        return None
    parent = cursor.path[:-1]
    spec = key_spec(source.kind, cursor.path)
    if spec is not None and spec.doc:
        types = " or ".join(spec.types)
        facts = [types, "required" if spec.required else "optional"]
        if spec.default is not None:
            facts.append(f"default `{spec.default}`")
        lines = [f"**{text_md(name)}** — {', '.join(facts)}", "", spec.doc]
        if spec.enum:
            lines += ["", "Allowed: " + ", ".join(f"`{v}`" for v in spec.enum)]
        return HoverText("\n".join(lines), cursor.node.span)
    ignored = ignored_keys(source.kind, parent).get(name)
    if ignored is not None:
        instead = f" It reads `{ignored.reads_instead}` instead." if ignored.reads_instead else ""
        return HoverText(f"**{text_md(name)}** is ignored by Attune: {ignored.why}.{instead}", cursor.node.span)
    return None


def _resolve(session: Session, component: Runnable) -> Resolution:
    envs_dir = session.config_for(component.path).runtime_envs_dir
    return resolve(component, session.workspace, envs_dir) if envs_dir else resolve(component, session.workspace)


def _where(session: Session, component: Component) -> str:
    for pack in session.workspace.all_packs():
        if component.path in pack.files:
            origin = " (platform catalog)" if pack is session.workspace.catalog else ""
            return f"{pack.ref}/{component.path.relative_to(pack.root).as_posix()}{origin}"
    return str(component.path)


def _sentence(text: str) -> str:
    text = text.strip()
    if not text:
        return text
    text = text[0].upper() + text[1:]
    return text if text.endswith((".", "!", "?")) else text + "."


def _period(text: str) -> str:
    text = text.strip()
    return text if text.endswith((".", "!", "?")) else text + "."


def _paragraph(text: str) -> str:
    """A pack's free text (a description) as literal Markdown, its own line breaks kept."""
    return "  \n".join(text_md(line) for line in text.strip().splitlines())


__all__ = ["HoverText", "explain", "explain_constraint", "explain_runner", "explain_version_entry", "hover"]
