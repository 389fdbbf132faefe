"""Cache definitions: the strict YAML shape, the namespace grammar and who may own the cache."""

from __future__ import annotations

from typing import Iterator

from packls.checks.base import finding, manifest_pack_ref, pack_of
from packls.checks.components import check_ref
from packls.checks.ref_grammar import qualify
from packls.checks.rules import (
    CACHE_INVALID_DEFINITION,
    CACHE_INVALID_OWNER,
    CACHE_OWNER_MISMATCH,
    REFERENCE_MISSING_LOCAL_TARGET,
)
from packls.checks.serde import Enum, FieldSpec, Int, Str, Struct, first_error
from packls.findings import Finding
from packls.model import FileKind
from packls.syntax.nodes import Mapping, string_value
from packls.workspace import SourceFile, Workspace

CACHE = Struct("CacheDefinitionYaml", {
    "ref": FieldSpec(Str, required=True),
    "namespace": FieldSpec(Str, required=True),
    "owner_type": FieldSpec(Enum("CacheDefinitionOwnerType", ("pack", "action", "sensor")), required=True),
    "owner_ref": FieldSpec(Str, required=True),
    "freshness_target_seconds": FieldSpec(Int("i64")),
    "max_records_per_generation": FieldSpec(Int("i64")),
    "max_generation_bytes": FieldSpec(Int("i64")),
    "max_retained_bytes": FieldSpec(Int("i64")),
    "max_retained_generations": FieldSpec(Int("i32")),
    "max_staging_generations": FieldSpec(Int("i32")),
}, deny_unknown=True)
_NAMESPACE_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789._-")


def check_cache(source: SourceFile, workspace: Workspace) -> Iterator[Finding]:
    """cache.invalid_definition, cache.invalid_owner, cache.owner_mismatch and the owner's existence."""
    component = source.component
    if component is None or source.parsed.duplicates:
        return
    root = component.node
    error = first_error(CACHE, root)
    if error is not None:
        node = error.key_node or error.node
        span = node.span if node is not root else (root.pairs[0].key.span if root.pairs else root.span)
        if error.key_node is None and error.message.startswith("unknown field"):
            span = node.span
        yield finding(source, span, CACHE_INVALID_DEFINITION, f"Invalid cache definition: {error.text()}")
        return
    ref = string_value(root.value("ref")) or ""
    yield from check_ref(source, workspace, ref, root)
    owner_node = root.value("owner_ref")
    owner = string_value(owner_node) or ""
    if not owner.strip():
        yield finding(source, owner_node.span, CACHE_INVALID_OWNER, "Cache owner_ref cannot be empty")  # type: ignore[union-attr]
    namespace_node = root.value("namespace")
    namespace = string_value(namespace_node) or ""
    if not _valid_namespace(namespace):
        yield finding(
            source, namespace_node.span, CACHE_INVALID_DEFINITION,  # type: ignore[union-attr]
            f"Validation error: cache namespace '{namespace}' must be lowercase ASCII letters, digits, '.', '_' or '-', "
            "start with a letter or digit, and have at most 128 characters",
        )
    pack = pack_of(source, workspace)
    pack_ref = manifest_pack_ref(pack)
    owner_type = string_value(root.value("owner_type"))
    if owner_type == "pack":
        if owner != pack_ref:
            yield finding(
                source, owner_node.span, CACHE_OWNER_MISMATCH, "Pack-owned cache owner_ref must equal the manifest ref",  # type: ignore[union-attr]
                data={"replacement": pack_ref} if pack_ref else None,
            )
    elif owner.strip() and pack_ref is not None:
        kind = FileKind.ACTION if owner_type == "action" else FileKind.SENSOR
        qualified = qualify(owner.strip(), pack_ref)
        if not qualified.startswith(f"{pack_ref}."):
            yield finding(
                source, owner_node.span, CACHE_OWNER_MISMATCH,  # type: ignore[union-attr]
                f"Cache definition '{ref}' {owner_type} owner '{qualified}' belongs to another pack",
            )
        elif workspace.component(kind, qualified) is None:
            yield finding(
                source, owner_node.span, REFERENCE_MISSING_LOCAL_TARGET,  # type: ignore[union-attr]
                f"cache references missing local {owner_type} '{qualified}'",
            )


def _valid_namespace(value: str) -> bool:
    return 0 < len(value) <= 128 and value[0] in "abcdefghijklmnopqrstuvwxyz0123456789" and set(value) <= _NAMESPACE_CHARS


def cache_parses(source: SourceFile) -> bool:
    """True when the cache file deserializes (refs are only recorded then)."""
    return source.component is not None and isinstance(source.component.node, Mapping) and first_error(CACHE, source.component.node) is None
