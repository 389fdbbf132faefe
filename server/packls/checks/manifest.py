"""pack.yaml: ref, version, legacy aliases and pack check's field types."""

from __future__ import annotations

from typing import Iterator

from packls.checks.base import finding
from packls.checks.pack_fields import check_declared_types, required_string
from packls.checks.ref_grammar import pack_ref_error
from packls.checks.rules import (
    MANIFEST_CONFIG_NOT_APPLIED,
    MANIFEST_INVALID_REF,
    MANIFEST_INVALID_VERSION,
    MANIFEST_NOT_STORED,
    MANIFEST_REF_TOO_SHORT,
)
from packls.findings import Finding, Related
from packls.model import Manifest
from packls.schema.manifest import REGISTERED_NAMES
from packls.syntax.nodes import Mapping, Node, Scalar, Sequence
from packls._semver import SemverError, parse_strict_version
from packls.workspace import SourceFile, Workspace


def check_manifest(source: SourceFile, workspace: Workspace) -> Iterator[Finding]:
    """The manifest checks of pack check, plus the database's two-character pack ref rule."""
    manifest = source.component
    if not isinstance(manifest, Manifest):
        return
    root = manifest.node
    yield from _not_stored(source, root)
    ref, problems = required_string(source, root, "ref")
    yield from problems
    if ref is not None:
        ref_node = root.value("ref")
        error = pack_ref_error(ref)
        if error is not None:
            yield finding(source, ref_node.span, MANIFEST_INVALID_REF, error)  # type: ignore[union-attr]
        elif len(ref) < 2:
            yield finding(
                source, ref_node.span, MANIFEST_REF_TOO_SHORT,  # type: ignore[union-attr]
                f"pack ref '{ref}' has one character: pack check accepts it, but the database requires at least two, "
                "so registration fails",
            )
    version, problems = required_string(source, root, "version")
    yield from problems
    if version is not None:
        try:
            parse_strict_version(version)
        except SemverError as error:
            yield finding(
                source, root.value("version").span, MANIFEST_INVALID_VERSION,  # type: ignore[union-attr]
                f"Pack version must be semantic version syntax: {error}",
            )
    yield from check_declared_types(source, root)
    config = root.get("config")
    if config is not None and isinstance(config.value, Mapping) and config.value.pairs and ref != BOOTSTRAPPED_PACK:
        yield finding(
            source, config.key.span, MANIFEST_CONFIG_NOT_APPLIED,
            "registration through the API never applies these values: a new pack starts with an empty "
            "configuration and a re-registered pack keeps the user's; declare defaults in config_schema instead",
        )


# The pack every deployment bootstraps with scripts/load_core_pack.py (docker/init-packs.sh, and before its
# upload scripts/bootstrap_core_pack.py): that loader writes `config`, and re-registration keeps it.
BOOTSTRAPPED_PACK = "core"


# What registration loses when it does not read a key pack check validates.
_LOSS = {
    "label": "is registered with its ref as display name",
    "conf_schema": "is registered without its configuration schema (no config fields, defaults or secret masking)",
    "meta": "is registered without this metadata",
    "tags": "is registered without these tags",
}


def _not_stored(source: SourceFile, root: Mapping) -> Iterator[Finding]:
    """pack check validates label/conf_schema/meta/tags, but registration reads name/config_schema/metadata/keywords."""
    for checked, stored in REGISTERED_NAMES.items():
        pair = root.get(checked)
        if pair is None:
            continue
        other = root.get(stored)
        if other is None:
            if _nothing_lost(checked, pair.value, root):
                continue
            yield finding(
                source, pair.key.span, MANIFEST_NOT_STORED,
                f"registration through the API (register, upload, install) reads '{stored}', not '{checked}', so "
                f"the pack {_LOSS[checked]}; rename the key to '{stored}' (pack check validates '{checked}', and only "
                "the init-packs loader of packs bundled with a deployment stores it; packls checks both)",
                data={"rename_to": stored},
            )
        elif not same_value(pair.value, other.value):
            yield finding(
                source, pair.key.span, MANIFEST_NOT_STORED,
                f"registration stores '{stored}' and never reads '{checked}', and the two differ; make them equal "
                f"or remove '{checked}'",
                related=(Related(source.path, other.key.span, "the value registration stores"),),
            )


def _nothing_lost(key: str, value: Node, root: Mapping) -> bool:
    """True when what registration stores without the key equals its value (empty, or a label equal to the ref)."""
    if isinstance(value, Scalar) and value.value is None:
        return True
    if isinstance(value, (Mapping, Sequence)) and not (value.pairs if isinstance(value, Mapping) else value.items):
        return True
    ref = root.value("ref")
    return key == "label" and isinstance(ref, Scalar) and isinstance(value, Scalar) and value.value == ref.value


def same_value(a: Node, b: Node) -> bool:
    """YAML value equality as serde compares parsed values (styles and spans ignored)."""
    if isinstance(a, Scalar) and isinstance(b, Scalar):
        return type(a.value) is type(b.value) and a.value == b.value
    if isinstance(a, Sequence) and isinstance(b, Sequence):
        return len(a.items) == len(b.items) and all(same_value(x, y) for x, y in zip(a.items, b.items))
    if isinstance(a, Mapping) and isinstance(b, Mapping):
        left = {p.key_text: p.value for p in a.pairs}
        right = {p.key_text: p.value for p in b.pairs}
        return left.keys() == right.keys() and all(same_value(left[k], right[k]) for k in left)
    return False
