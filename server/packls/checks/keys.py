"""Keys and values against the key schema: ignored keys, likely misspellings, wrong types, bad enum values."""

from __future__ import annotations

import difflib
from functools import lru_cache
from typing import Iterator

from packls.checks.base import finding, is_null, manifest_pack_ref, pack_of, type_word
from packls.checks.flat_schema import legacy_wrapper
from packls.checks.environment import FORBIDDEN_KEY, FORBIDDEN_KINDS
from packls.checks.moved import reuse, reuse_each
from packls.checks.per_source import own_content
from packls.checks.pack_fields import HANDLED
from packls.checks.rules import KEY_IGNORED, KEY_MISSPELLED, KEY_UNKNOWN, VALUE_NOT_ALLOWED, VALUE_WRONG_TYPE
from packls.findings import Finding, Related
from packls.model import FileKind
from packls.schema import ROOTS
from packls.schema.common import FLAT_SCHEMA
from packls.schema.spec import IgnoredKey, KeySpec, MapShape, SeqShape, Shape
from packls.syntax.nodes import Mapping, Node, Pair, Scalar, Sequence, node_type_name
from packls.syntax.shifted import SHIFTED, shifted
from packls.workspace import SourceFile, Workspace

_NOTHING_OWNED: frozenset[str] = frozenset()  # one object: reuse compares its context by identity
# Kinds whose values a serde parser reads strictly: their type errors are reported by their own checks.
_SERDE_KINDS = frozenset({FileKind.WORKFLOW, FileKind.LEGACY_WORKFLOW, FileKind.QUEUE, FileKind.CACHE})

# Root keys whose values another check owns (it reports with Attune's code or a sharper message).
_OWNED: dict[FileKind, frozenset[str]] = {
    FileKind.ACTION: frozenset({
        "runtime_version", "timeout_seconds", "reference_visibility", "reference_allowed_pack_refs",
        "log_retention_policy", "log_retention_limit", "artifact_retention_policy", "artifact_retention_limit",
        "worker_selector", "worker_tolerations", "worker_affinity", "parameters", "output", "required_worker_runtimes",
    }),
    FileKind.SENSOR: frozenset({
        "runtime_version", "trigger_types", "trigger_type", "log_retention_policy", "log_retention_limit",
        "artifact_retention_policy", "artifact_retention_limit", "worker_selector", "worker_tolerations",
        "worker_affinity", "parameters",
    }),
    FileKind.TRIGGER: frozenset({"reference_visibility", "reference_allowed_pack_refs", "parameters", "output"}),
    FileKind.RULE: frozenset({
        "permission_set_refs", "permission_set_ref", "sensor_worker_selector", "sensor_worker_tolerations",
        "sensor_worker_affinity",
    }),
    FileKind.RUNTIME: frozenset({"execution_config", "versions"}),
    FileKind.PERMISSION_SET: frozenset({"grants"}),
    FileKind.POLICY: frozenset({"concurrency", "rate_limit", "quotas"}),
    FileKind.MANIFEST: frozenset({"conf_schema", "config_schema", "runtime_deps", "worker_selector", "worker_tolerations", "worker_affinity"}),
    FileKind.DASHBOARD: frozenset({"scope_type", "visibility"}),
}
# Release archives (attune.pack.release/v1) read the database column names for schemas.
_RELEASE_FORMAT_KEYS = frozenset({"param_schema", "out_schema"})
# Keys inside runtime versions[] entries owned elsewhere.
_OWNED_IN_VERSION = frozenset({"version", "execution_config"})


def check_keys(source: SourceFile, workspace: Workspace) -> Iterator[Finding]:
    """Walk a file along its key schema."""
    if source.parsed.root_mapping is None or source.kind not in ROOTS or source.component is None:
        return
    pack = pack_of(source, workspace)
    yield from _own_findings(source, manifest_pack_ref(pack) or (pack.ref if pack is not None else None))


@own_content
def _own_findings(source: SourceFile, own_pack: str | None) -> Iterator[Finding]:
    """What check_keys finds: the file's own content and its pack's ref decide it."""
    root = source.parsed.root_mapping
    shape = ROOTS[source.kind]
    assert root is not None
    strict = source.kind in _SERDE_KINDS
    owned = _OWNED.get(source.kind, frozenset()) | HANDLED.get(source.kind, frozenset())
    if source.kind is FileKind.ACTION and root.get("launch") is not None:
        owned |= _RELEASE_FORMAT_KEYS  # a release-format action: its checker reads the column names
    yield from _root_ignored(source, root, shape, owned, own_pack)
    yield from _walk_mapping(source, root, shape, owned, strict, depth=0)


def _root_ignored(source: SourceFile, root: Mapping, shape: MapShape, owned: frozenset[str], own_pack: str | None) -> Iterator[Finding]:
    """Top-level keys Attune never reads (a `pack_ref` naming the installing pack is harmless)."""
    for pair in root.pairs:
        key = pair.key_text
        ignored = shape.ignored.get(key) if key is not None and isinstance(pair.key, Scalar) else None
        if ignored is None or key in shape.keys or not ignored.report or key in owned:
            continue
        if ignored.harmless_as_own_pack and _names_pack(pair.value, own_pack):
            continue
        yield _ignored(source, root, pair, ignored, own_pack)


def _names_pack(value: Node, pack_ref: str | None) -> bool:
    return pack_ref is not None and isinstance(value, Scalar) and isinstance(value.value, str) and value.value.strip() == pack_ref


def _walk_mapping(source: SourceFile, node: Mapping, shape: MapShape, owned: frozenset[str], strict: bool, depth: int) -> Iterator[Finding]:
    if depth > 40:
        return
    for pair in node.pairs:
        if pair.key.__class__ is not Scalar:
            continue
        key = pair.key.text  # type: ignore[union-attr]
        ignored = shape.ignored.get(key)
        if ignored is not None and key not in shape.keys:
            if depth > 0 and ignored.report and key not in owned:
                yield _ignored(source, node, pair, ignored, None)
            continue
        spec = shape.keys.get(key)
        if spec is not None:
            typed = not strict and key not in owned
            value = pair.value
            if value.__class__ is Scalar:  # no nested shape applies: the type and enum checks alone, without a generator
                if typed:
                    wrong = _scalar_finding(source, value, spec)  # type: ignore[arg-type]
                    if wrong is not None:
                        yield wrong
                continue
            # another check owns this value: keep looking for ignored and unknown keys, not types
            yield from _walk_value(source, value, spec if typed else None, shape.nested.get(key), not typed, depth)
            continue
        if shape.any_value is not None or shape.any_spec is not None:
            spec = shape.any_spec if not strict else None
            if pair.value.__class__ is Scalar:
                wrong = _scalar_finding(source, pair.value, spec) if spec is not None else None  # type: ignore[arg-type]
                if wrong is not None:
                    yield wrong
                continue
            nested = shape.any_value if isinstance(pair.value, Mapping) else None
            if spec is not None and isinstance(pair.value, Mapping) and shape.any_value is not None:
                spec = None  # a mapping is one of the accepted forms; its own shape is checked below
            yield from _walk_value(source, pair.value, spec, nested, strict, depth)
            continue
        if not shape.closed and not shape.free:
            yield from _unknown(source, node, pair, shape)


def _unmoved(value: Mapping) -> Mapping:
    """The base of a moved mapping (the same content): its lookups build no moved pairs."""
    found = shifted(value)
    return found[0] if found is not None else value  # type: ignore[return-value]


def _alone(shape: MapShape) -> bool:
    """Each entry's findings depend on that entry only: no key can be unknown, and no ignored key names a sibling."""
    return (shape.any_value is not None or shape.any_spec is not None) and all(i.reads_instead is None for i in shape.ignored.values())


def _each_child(source: SourceFile, value: Node, spec: KeySpec | None, nested: Shape | None, strict: bool, depth: int) -> list[Finding] | None:
    """A moved big collection's findings kept entry by entry (item by item): a keystroke inside it re-checks one.

    None when its entries are not checked alone, or the value itself has a finding (its type).
    """
    if depth + 1 > 40:
        return None
    if isinstance(value, Mapping) and isinstance(nested, MapShape) and _alone(nested) and (spec is None or spec.accepts("mapping")):
        if nested is FLAT_SCHEMA and legacy_wrapper(_unmoved(value)) is not None:
            return None
        owned = _OWNED_IN_VERSION if nested is _version_shape() else _NOTHING_OWNED
        return reuse_each(value, ("keys each", source.path, strict, depth), (spec, nested),  # one entry at a time:
                          lambda pair: _walk_mapping(source, Mapping(pair.key.span, [pair]), nested, owned, strict, depth + 1))
    if isinstance(value, Sequence) and isinstance(nested, SeqShape) and (spec is None or spec.accepts("sequence")):
        return reuse_each(value, ("keys each item", source.path, strict, depth), (spec, nested),
                          lambda item: _item_findings(source, item, nested, strict, depth))
    return None


def _walk_value(source: SourceFile, value: Node, spec: KeySpec | None, nested: Shape | None, strict: bool, depth: int) -> Iterator[Finding]:
    if value.__class__ in SHIFTED:  # moved by an edit above it: reuse what was found on its base
        each = _each_child(source, value, spec, nested, strict, depth)
        if each is not None:
            yield from each
            return
        yield from reuse(
            value, ("keys", source.path, strict, depth), (spec, nested),
            lambda base: _value_findings(source, base, spec, nested, strict, depth),
        )
        return
    yield from _value_findings(source, value, spec, nested, strict, depth)


def _scalar_finding(source: SourceFile, value: Scalar, spec: KeySpec) -> Finding | None:
    """A scalar of the wrong type, or not one of a case-insensitive enum's values (what _value_findings says of it)."""
    if value.value is None:
        return None
    if not spec.accepts(value.type_name):
        return _wrong_type(source, value, spec)
    if spec.enum and not spec.case_sensitive and isinstance(value.value, str) and not spec.allows(value.value):
        return _not_allowed(source, value, spec)
    return None


def _value_findings(source: SourceFile, value: Node, spec: KeySpec | None, nested: Shape | None, strict: bool, depth: int) -> Iterator[Finding]:
    if is_null(value):
        return
    if spec is not None:
        type_name = node_type_name(value)
        if not spec.accepts(type_name):
            yield _wrong_type(source, value, spec)
            return
        if spec.enum and not spec.case_sensitive and isinstance(value, Scalar) and isinstance(value.value, str):
            if not spec.allows(value.value):
                yield _not_allowed(source, value, spec)
    if isinstance(nested, MapShape) and isinstance(value, Mapping):
        if nested is FLAT_SCHEMA:
            fields = legacy_wrapper(value)
            value = fields if fields is not None else value  # the retired wrapper: its fields are under `properties`
        owned = _OWNED_IN_VERSION if nested is _version_shape() else frozenset()
        yield from _walk_mapping(source, value, nested, owned, strict, depth + 1)
    elif isinstance(nested, SeqShape) and isinstance(value, Sequence):
        for item in value.items:
            yield from _item_findings(source, item, nested, strict, depth)


def _item_findings(source: SourceFile, item: Node, nested: SeqShape, strict: bool, depth: int) -> Iterator[Finding]:
    """One item of a sequence."""
    if is_null(item):
        return
    item_spec = nested.item_spec if not strict else None
    if item_spec is not None and not item_spec.accepts(node_type_name(item)):
        yield _wrong_type(source, item, item_spec, in_list=True)
    elif isinstance(nested.item, MapShape) and isinstance(item, Mapping):
        shape = nested.item
        owned = _OWNED_IN_VERSION if shape is _version_shape() else _NOTHING_OWNED
        if item.__class__ in SHIFTED:  # an item an edit only moved (a big workflow's tasks): reuse its base's
            yield from reuse(item, ("keys item", source.path, strict, depth), (shape, owned),
                             lambda base: _walk_mapping(source, base, shape, owned, strict, depth + 1))
        else:
            yield from _walk_mapping(source, item, shape, owned, strict, depth + 1)


def _version_shape() -> Shape | None:
    runtime = ROOTS[FileKind.RUNTIME]
    versions = runtime.nested.get("versions")
    return versions.item if isinstance(versions, SeqShape) else None


def _ignored(source: SourceFile, node: Mapping, pair: Pair, ignored: IgnoredKey, own_pack: str | None) -> Finding:
    key = pair.key_text or ""
    reads_instead, why = ignored.reads_instead, ignored.why
    if ignored.harmless_as_own_pack and own_pack is not None and isinstance(pair.value, Scalar) and isinstance(pair.value.value, str):
        message = (
            f"Attune never reads '{key}' here: {why}, '{own_pack}', not '{pair.value.value}'; remove it"
        )
        data: dict[str, object] = {"delete": True}
    elif reads_instead is None:
        message = f"Attune never reads '{key}' here ({why}); remove it"
        data = {"delete": True}
    elif node.get(reads_instead) is not None:
        message = f"Attune never reads '{key}' here; it reads '{reads_instead}', which is also set, so this key has no effect — remove it"
        data = {"delete": True, "reads_instead": reads_instead}
    else:
        message = f"Attune never reads '{key}' here, so this value is silently dropped; rename it to '{reads_instead}' ({why})"
        data = {"rename_to": reads_instead}
    return finding(source, pair.key.span, KEY_IGNORED, message, data=data)


def _unknown(source: SourceFile, node: Mapping, pair: Pair, shape: MapShape) -> Iterator[Finding]:
    """A key Attune does not read here: a misspelling of a key that matters is an error, anything else a warning."""
    key = pair.key_text or ""
    if key.startswith(("x-", "x_", "_")):
        return
    if key == FORBIDDEN_KEY and source.kind in FORBIDDEN_KINDS:
        return  # not without effect: the pack fails to load (environment.invalid says so)
    close = _closest(key, tuple(shape.keys))
    meant = shape.keys[close] if close is not None else None
    if meant is None:
        yield finding(
            source, pair.key.span, KEY_UNKNOWN,
            f"Attune does not read '{key}' here, so it has no effect; remove it (or name it x-{key} to keep it as a note)",
            data={"delete": True},
        )
        return
    present = node.get(meant.name)
    if present is not None:
        yield finding(
            source, pair.key.span, KEY_UNKNOWN,
            f"Attune does not read '{key}' here, so it has no effect ('{meant.name}' is also set); remove it",
            related=(Related(source.path, present.key.span, f"'{meant.name}' is set here"),),
            data={"delete": True},
        )
        return
    if meant.critical:
        left = f"keeps its default ({meant.default})" if meant.default is not None else "is not set"
        yield finding(
            source, pair.key.span, KEY_MISSPELLED,
            f"Attune does not read '{key}', so {meant.name} {left}; rename it to '{meant.name}'",
            data={"rename_to": meant.name},
        )
        return
    yield finding(
        source, pair.key.span, KEY_UNKNOWN,
        f"Attune does not read '{key}' here, so it has no effect; did you mean '{meant.name}'?",
        data={"rename_to": meant.name},
    )


@lru_cache(maxsize=4096)
def _closest(key: str, known: tuple[str, ...]) -> str | None:
    """The known key a key most likely misspells (remembered: a generated file repeats its keys a million times)."""
    close = difflib.get_close_matches(key, known, n=1, cutoff=0.8)
    return close[0] if close else None


def _wrong_type(source: SourceFile, value: Node, spec: KeySpec, *, in_list: bool = False) -> Finding:
    expected = " or ".join(t for t in spec.types if t != "null")
    where = f"an item of '{spec.name}'" if in_list and spec.name else f"'{spec.name}'" if spec.name else "this value"
    data: dict[str, object] = {"expected": list(spec.types)}
    if "string" in spec.types and isinstance(value, Scalar) and value.value is not None:
        data["replacement"] = '"' + value.text.replace('"', '\\"') + '"'
        hint = "; quote it"
    else:
        hint = ""
    return finding(
        source, value.span, VALUE_WRONG_TYPE,
        f"{where} is {type_word(value)}, but Attune reads only {expected} here and silently ignores this value{hint}",
        data=data,
    )


def _not_allowed(source: SourceFile, value: Scalar, spec: KeySpec) -> Finding:
    allowed = ", ".join(spec.enum)
    close = difflib.get_close_matches(str(value.value).lower(), list(spec.enum), n=1, cutoff=0.6)
    hint = f"; did you mean '{close[0]}'?" if close else ""
    return finding(
        source, value.span, VALUE_NOT_ALLOWED,
        f"{spec.name} '{value.value}' is not one of {allowed}; registration rejects it{hint}",
        data={"allowed": list(spec.enum), **({"replacement": close[0]} if close else {})},
    )
