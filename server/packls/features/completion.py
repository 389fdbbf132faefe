"""Completion: keys for the file kind, enum values, runner_type words, constraints, refs."""

from __future__ import annotations

from dataclasses import dataclass, replace

from packls.features.locate import EditContext, KeyPath, Tree, edit_context
from packls.features.offsets import TextDelta, line_index
from packls.features.refs import components_of
from packls.features.session import Session
from packls.model import FileKind, Manifest, Runnable
from packls.resolve import Candidate, candidates_for, resolve, resolve_runner_type
from packls.runtime_names import LOADER_ALIASES
from packls.schema import KeySpec, key_spec, keys_at
from packls.syntax.nodes import Span
from packls.versions import VersionError, explain_selection, parse_version
from packls.workspace import SourceFile


@dataclass(frozen=True)
class Completion:
    """One proposal: what to show, what to insert, and which text it replaces."""

    label: str
    kind: str  # property | value | enum | reference | snippet | constant
    insert_text: str
    replace: Span  # current-text offsets
    detail: str | None = None
    documentation: str | None = None
    is_snippet: bool = False
    sort_text: str | None = None
    filter_text: str | None = None
    markdown: bool = False  # documentation is packls' own Markdown; else plain text (pack values are never Markdown)


def complete(session: Session, source: SourceFile, delta: TextDelta, text: str, offset: int, snippets: bool) -> list[Completion]:
    """Every proposal at offset in the current text (source may be the last tree that parsed)."""
    context = edit_context(text, offset, Tree(source.parsed.root, source.text, delta.to_old))
    if context is None:
        return []
    kind = source.kind
    if context.role == "key":
        item = key_spec(kind, context.path) if context.new_item else None
        if item is not None and not keys_at(kind, context.path):
            return _values(session, source, context, item, text)
        return _keys(kind, context, text, snippets)
    path = context.path if context.role == "value" else (*context.path, 0)
    spec = key_spec(kind, path)
    if source.component is None:
        source = _repaired(source, text, offset, context)
    return _values(session, source, context, spec, text)


def _repaired(source: SourceFile, text: str, offset: int, context: EditContext) -> SourceFile:
    """A buffer that never parsed (opened mid-edit): the open quote closed at the cursor, the line's rest dropped."""
    line_end = text.find("\n", offset)
    candidate = text[:offset] + (context.quote or "") + ("" if line_end < 0 else text[line_end:])
    repaired = SourceFile.from_text(source.path, source.pack_root, source.relative, source.kind, candidate)
    return repaired if repaired.component is not None else source


# -- keys ------------------------------------------------------------------------------------------


def _keys(kind: FileKind, context: EditContext, text: str, snippets: bool) -> list[Completion]:
    specs = keys_at(kind, context.path)
    present = set(context.siblings) - {context.prefix}
    index = line_index(text)
    line = index.line_of(context.replace.start)
    line_text = index.line_text(line)
    column = context.replace.start - index.starts[line]
    extra = column - (len(line_text) - len(line_text.lstrip(" ")))
    items = []
    for name, spec in specs.items():
        if name in present:
            continue
        insert, is_snippet = _key_insert(spec, extra, snippets)
        items.append(
            Completion(
                label=name, kind="property", insert_text=insert, replace=context.replace,
                detail=_type_detail(spec), documentation=spec.doc or None, is_snippet=is_snippet, markdown=True,
                sort_text=("0" if spec.required else "1") + name, filter_text=name,
            )
        )
    if context.new_item and snippets:
        entry = _entry_snippet(kind, context.path, extra)
        if entry is not None:
            items.append(replace(entry, replace=context.replace))
    if not specs and snippets and not context.new_item:
        entry = _named_entry_snippet(kind, context.path, extra)
        if entry is not None:
            items.append(replace(entry, replace=context.replace))
    return items


def _named_entry_snippet(kind: FileKind, path: KeyPath, extra: int) -> Completion | None:
    """A new `name:` entry of a name → definition map (a parameter, an output field) from its key's snippet."""
    spec = key_spec(kind, path)
    if spec is None or not spec.snippet or not spec.snippet.startswith("\n  ") or spec.snippet.startswith("\n  - "):
        return None
    body = spec.snippet[len("\n  ") :].rstrip("\n").replace("\n  ", "\n")
    return Completion(
        label=f"new {spec.name} entry", kind="snippet", insert_text=_reindent(body, extra), replace=Span(0, 0),
        detail=f"{spec.name} entry", documentation=spec.doc or None, is_snippet=True, sort_text="~", filter_text="", markdown=True,
    )


def _key_insert(spec: KeySpec, extra: int, snippets: bool) -> tuple[str, bool]:
    name = spec.name
    block = set(spec.types) <= {"mapping", "sequence", "null"}
    if not snippets:
        return (f"{name}:" if block else f"{name}: "), False
    snippet = spec.snippet
    if snippet:
        if snippet.startswith("\n"):
            return name + ":" + _reindent(snippet.rstrip("\n"), extra), True
        return f"{name}: {snippet}", True
    if spec.enum:
        return f"{name}: ${{1|{','.join(spec.enum)}|}}", True
    if spec.types == ("boolean",):
        return f"{name}: ${{1|true,false|}}", True
    if block and "mapping" in spec.types:
        return f"{name}:" + _reindent("\n  $0", extra), True
    if block:
        return f"{name}:" + _reindent("\n  - $0", extra), True
    return f"{name}: $0", True


def _reindent(block: str, extra: int) -> str:
    """Snippet lines are relative to the key; the client adds the line's own indentation."""
    return block.replace("\n", "\n" + " " * extra)


def _entry_snippet(kind: FileKind, item_path: KeyPath, extra: int) -> Completion | None:
    """A whole sequence item (a `versions` entry, a task, a grant) from the sequence key's snippet."""
    spec = key_spec(kind, item_path[:-1])
    if spec is None or not spec.snippet or not spec.snippet.startswith("\n  - "):
        return None
    body = spec.snippet[len("\n  - ") :].rstrip("\n")
    body = body.replace("\n    ", "\n")
    return Completion(
        label=f"new {spec.name} entry", kind="snippet", insert_text=_reindent(body, extra), replace=Span(0, 0),
        detail=f"{spec.name}[] entry", documentation=spec.doc or None, is_snippet=True, sort_text="~", filter_text="", markdown=True,
    )


def _type_detail(spec: KeySpec) -> str:
    detail = " | ".join(spec.types)
    if spec.required:
        detail += ", required"
    if spec.default is not None:
        detail += f", default {spec.default}"
    return detail


# -- values ----------------------------------------------------------------------------------------


def _values(session: Session, source: SourceFile, context: EditContext, spec: KeySpec | None, text: str) -> list[Completion]:
    component = source.component
    field = context.path[-1] if context.path and isinstance(context.path[-1], str) else None
    if isinstance(component, Runnable) and context.path == ("runner_type",):
        return _runner_types(session, component, context)
    if isinstance(component, Runnable) and context.path == ("runtime_version",):
        return _constraints(session, component, context)
    if isinstance(component, Manifest) and context.path[:1] == ("dependencies",):
        return _dependencies(session, context)
    if spec is None:
        return []
    if spec.ref_kind is not None and spec.ref_kind is not FileKind.RUNTIME:
        return _refs(session, spec.ref_kind, context)
    if spec.enum:
        return [_value(v, "enum", context, detail=f"{field or spec.name}") for v in spec.enum]
    if spec.types == ("boolean",):
        return [_value(v, "constant", context) for v in ("true", "false")]
    return []


def _value(word: str, kind: str, context: EditContext, detail: str | None = None, documentation: str | None = None,
           sort_text: str | None = None, force_quote: bool = False) -> Completion:
    quote = context.quote or ('"' if force_quote else "")
    insert = f"{quote}{word}{quote}"
    return Completion(word, kind, insert, context.replace, detail, documentation, False, sort_text, insert)


def _runner_types(session: Session, component: Runnable, context: EditContext) -> list[Completion]:
    workspace = session.workspace
    words: dict[str, None] = dict.fromkeys(LOADER_ALIASES)
    for runtime in workspace.runtimes():
        if runtime.ref:
            words[runtime.ref] = None
        words[runtime.display_name.lower()] = None
    items = []
    for order, word in enumerate(words):
        runner = resolve_runner_type(word, component.kind, workspace)
        if runner.runtime is None:
            continue
        how = {"alias": "built-in alias", "ref": "runtime ref", "name": "runtime name"}.get(runner.how or "", "")
        versions = ", ".join(v.version for v in runner.runtime.versions if v.version is not None) or "no versions"
        items.append(_value(word, "reference", context, detail=f"→ {runner.runtime.ref} ({how})",
                            documentation=f"{runner.description}. Versions: {versions}.", sort_text=f"{order:04d}"))
    return items


def _constraints(session: Session, component: Runnable, context: EditContext) -> list[Completion]:
    runtime = resolve(component, session.workspace).runtime
    if runtime is None:
        return []
    candidates = candidates_for(runtime, session.workspace)
    options: dict[str, None] = {}
    for candidate in sorted(candidates, key=lambda c: "-" in c.version):  # releases first, newest first
        for option in _constraint_options(candidate):
            options.setdefault(option, None)
    items = []
    for order, option in enumerate(options):
        explanation = explain_selection(candidates, option)
        selected = explanation.selected
        chosen = selected.version if isinstance(selected, Candidate) else "none"
        rank = "0" if isinstance(selected, Candidate) else "1"  # constraints that select nothing come last
        items.append(_value(option, "value", context, detail=f"→ {chosen}", documentation=explanation.summary,
                            sort_text=f"{rank}{order:04d}", force_quote=True))
    return items


def _constraint_options(candidate: Candidate) -> list[str]:
    """Constraints built from one declared version, in the dialect Attune parses."""
    text = candidate.version.strip()
    try:
        version = parse_version(text)
    except VersionError:
        return []
    if version.pre:
        return [f">={text}"]
    major = version.major
    return [text, f">={text}", f"^{text}", f"~{text}", f">={text},<{major + 1}.0", f"{major}.*"]


def _refs(session: Session, kind: FileKind, context: EditContext) -> list[Completion]:
    items = []
    for component in components_of(session.workspace, kind):
        ref = component.ref
        if not ref:
            continue
        label = component.string("label")
        items.append(_value(ref, "reference", context, detail=label or kind.value, documentation=component.string("description")))
    return items


def _dependencies(session: Session, context: EditContext) -> list[Completion]:
    """Pack refs for `dependencies`: workspace packs first, then every pack of the synced indexes."""
    workspace = session.workspace
    items: dict[str, Completion] = {}
    for pack in workspace.all_packs():
        if not pack.is_catalog and pack.ref not in items:
            items[pack.ref] = _value(pack.ref, "reference", context, detail="workspace pack", sort_text="0" + pack.ref)
    for ref, indexed in sorted(workspace.facts.packs.items()):
        if ref not in items:
            items[ref] = _value(
                ref, "reference", context, detail=f"{indexed.version} — {indexed.label or 'pack index'}",
                documentation=indexed.description or None, sort_text="1" + ref,
            )
    return list(items.values())
