"""Strict validation of Attune pack index JSON (format "1.0") into frozen dataclasses.

Attune's ``PackIndex``/``PackIndexEntry`` are ``deny_unknown_fields`` and the standard
index's JSON schema (``attune-system/index schema/index.schema.json``) pins every nested
object too, so one unknown key or malformed value rejects the whole index: a half-read
index must never be mistaken for the full list of packs.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Final, Mapping
from urllib.parse import urlsplit

from packls.facts import IndexedPack

INDEX_FORMAT_VERSION: Final = "1.0"

_REF: Final = re.compile(r"[a-z][a-z0-9_-]*")
_PACK_VERSION: Final = re.compile(r"[0-9]+\.[0-9]+\.[0-9]+(?:[-+][0-9A-Za-z.-]+)?")
_HTTPS_URL: Final = re.compile(r"https://[^/?#@]+(?:/[^?#]*)?")
_SHA256: Final = re.compile(r"sha256:[0-9a-f]{64}")

_INDEX_KEYS: Final = frozenset({"registry_name", "registry_url", "version", "last_updated", "packs"})
_PACK_REQUIRED: Final = (
    "ref", "label", "description", "version", "author", "license",
    "keywords", "runtime_deps", "install_sources", "contents",
)
_PACK_OPTIONAL: Final = ("use_case", "email", "homepage", "repository", "dependencies", "meta")
_PACK_REQUIRED_SET: Final = frozenset(_PACK_REQUIRED)
_PACK_ALLOWED: Final = frozenset(_PACK_REQUIRED + _PACK_OPTIONAL)
_CONTENT_KINDS: Final = ("actions", "sensors", "triggers", "rules", "workflows")
_DEPENDENCY_KEYS: Final = frozenset({"attune_version", "python_version", "nodejs_version", "packs"})


class IndexFormatError(ValueError):
    """The document is not a valid pack index; the message names the offending path."""


@dataclass(frozen=True)
class InstallSource:
    """One place a pack can be installed from; git sources carry the commit ref."""

    type: str  # "git" | "archive"
    url: str
    checksum: str
    ref: str | None = None


@dataclass(frozen=True)
class IndexEntry:
    """One pack of an index: a single version per entry, as Attune's format has it."""

    ref: str
    label: str
    description: str
    version: str
    author: str
    license: str
    keywords: tuple[str, ...]
    runtime_deps: tuple[str, ...]
    install_sources: tuple[InstallSource, ...]
    contents: Mapping[str, tuple[str, ...]]  # kind → component names


@dataclass(frozen=True)
class PackIndex:
    """A validated index, plus the canonical JSON it was validated from (what a snapshot stores)."""

    registry_name: str
    registry_url: str
    version: str
    last_updated: str
    packs: tuple[IndexEntry, ...]
    canonical_json: str

    def indexed_packs(self, index_url: str, priority: int) -> list[IndexedPack]:
        """The entries as the core's facts, with git sources listed first."""
        return [_indexed_pack(entry, index_url, priority) for entry in self.packs]


def parse_index(raw: bytes | str) -> PackIndex:
    """Validate raw index bytes: strict JSON (no duplicate keys, no NaN), then the schema."""
    try:
        text = raw.decode("utf-8") if isinstance(raw, bytes) else raw
    except UnicodeDecodeError as exc:
        raise IndexFormatError(f"index is not UTF-8 ({exc.reason} at byte {exc.start})") from None
    try:
        document = json.loads(text, object_pairs_hook=_no_duplicate_keys, parse_constant=_no_constant)
    except json.JSONDecodeError as exc:
        raise IndexFormatError(f"invalid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}") from None
    except _StrictJsonError as exc:
        raise IndexFormatError(f"invalid JSON: {exc}") from None
    except RecursionError:  # `[[[[…` from a hostile server: json recurses per level
        raise IndexFormatError("invalid JSON: nested too deeply") from None
    except ValueError as exc:  # e.g. an integer of millions of digits (Python's int conversion limit)
        raise IndexFormatError(f"invalid JSON: {exc}") from None
    return validate_index(document)


def validate_index(document: Any) -> PackIndex:
    """Validate an already-decoded index document against Attune's format "1.0"."""
    top = _object(document, "index", required=_INDEX_KEYS, allowed=_INDEX_KEYS)
    version = top["version"]
    if version != INDEX_FORMAT_VERSION:
        raise IndexFormatError(f"version: unsupported index format {version!r} (expected {INDEX_FORMAT_VERSION!r})")
    registry_name = _string(top["registry_name"], "registry_name", min_length=1)
    registry_url = _https_url(top["registry_url"], "registry_url")
    last_updated = _string(top["last_updated"], "last_updated")
    try:
        datetime.fromisoformat(last_updated)
    except ValueError:
        raise IndexFormatError(f"last_updated: {last_updated!r} is not an ISO 8601 date-time") from None
    packs_value = top["packs"]
    if not isinstance(packs_value, list):
        raise IndexFormatError("packs: expected an array")
    packs = tuple(_entry(value, f"packs[{i}]") for i, value in enumerate(packs_value))
    seen: dict[str, int] = {}
    for i, entry in enumerate(packs):
        if entry.ref in seen:
            first = seen[entry.ref]
            raise IndexFormatError(f"packs[{i}].ref: duplicate pack ref {entry.ref!r} (first at packs[{first}])")
        seen[entry.ref] = i
    canonical = json.dumps(document, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return PackIndex(registry_name, registry_url, version, last_updated, packs, canonical)


def _entry(value: Any, path: str) -> IndexEntry:
    fields = _object(value, path, required=_PACK_REQUIRED_SET, allowed=_PACK_ALLOWED)
    ref = _string(fields["ref"], f"{path}.ref")
    if not _REF.fullmatch(ref):
        raise IndexFormatError(f"{path}.ref: {ref!r} does not match ^[a-z][a-z0-9_-]*$")
    version = _string(fields["version"], f"{path}.version")
    if not _PACK_VERSION.fullmatch(version):
        raise IndexFormatError(f"{path}.version: {version!r} is not a semantic version (MAJOR.MINOR.PATCH)")
    sources_value = fields["install_sources"]
    if not isinstance(sources_value, list) or not sources_value:
        raise IndexFormatError(f"{path}.install_sources: expected a non-empty array")
    sources = tuple(_source(s, f"{path}.install_sources[{i}]") for i, s in enumerate(sources_value))
    for key in ("use_case", "email"):
        if key in fields:
            _string(fields[key], f"{path}.{key}")
    if "homepage" in fields:
        _uri(fields["homepage"], f"{path}.homepage")
    if "repository" in fields:
        repository = _uri(fields["repository"], f"{path}.repository")
        if not repository.startswith("https://"):
            raise IndexFormatError(f"{path}.repository: must be an https URL")
    if "dependencies" in fields:
        _dependencies(fields["dependencies"], f"{path}.dependencies")
    if "meta" in fields:
        _meta(fields["meta"], f"{path}.meta")
    return IndexEntry(
        ref=ref,
        label=_string(fields["label"], f"{path}.label", min_length=1),
        description=_string(fields["description"], f"{path}.description"),
        version=version,
        author=_string(fields["author"], f"{path}.author", min_length=1),
        license=_string(fields["license"], f"{path}.license", min_length=1),
        keywords=_unique_strings(fields["keywords"], f"{path}.keywords"),
        runtime_deps=_unique_strings(fields["runtime_deps"], f"{path}.runtime_deps"),
        install_sources=sources,
        contents=_contents(fields["contents"], f"{path}.contents"),
    )


def _source(value: Any, path: str) -> InstallSource:
    if not isinstance(value, dict):
        raise IndexFormatError(f"{path}: expected an object")
    kind = value.get("type")
    if kind == "git":
        keys = frozenset({"type", "url", "ref", "checksum"})
        fields = _object(value, path, required=keys, allowed=keys)
        git_ref = _string(fields["ref"], f"{path}.ref", min_length=1)
    elif kind == "archive":
        keys = frozenset({"type", "url", "checksum"})
        fields = _object(value, path, required=keys, allowed=keys)
        git_ref = None
    else:
        raise IndexFormatError(f"{path}.type: expected 'git' or 'archive', got {kind!r}")
    checksum = _string(fields["checksum"], f"{path}.checksum")
    if not _SHA256.fullmatch(checksum):
        raise IndexFormatError(f"{path}.checksum: expected sha256:<64 lowercase hex>, got {checksum!r}")
    return InstallSource(kind, _https_url(fields["url"], f"{path}.url"), checksum, git_ref)


def _contents(value: Any, path: str) -> dict[str, tuple[str, ...]]:
    kinds = frozenset(_CONTENT_KINDS)
    fields = _object(value, path, required=kinds, allowed=kinds)
    contents: dict[str, tuple[str, ...]] = {}
    for kind in _CONTENT_KINDS:
        items = fields[kind]
        if not isinstance(items, list):
            raise IndexFormatError(f"{path}.{kind}: expected an array")
        names = []
        for i, item in enumerate(items):
            component = _object(item, f"{path}.{kind}[{i}]", required=frozenset({"name", "description"}),
                                allowed=frozenset({"name", "description"}))
            names.append(_string(component["name"], f"{path}.{kind}[{i}].name", min_length=1))
            _string(component["description"], f"{path}.{kind}[{i}].description")
        contents[kind] = tuple(names)
    return contents


def _dependencies(value: Any, path: str) -> None:
    fields = _object(value, path, required=frozenset(), allowed=_DEPENDENCY_KEYS)
    for key in ("attune_version", "python_version", "nodejs_version"):
        if key in fields:
            _string(fields[key], f"{path}.{key}")
    if "packs" in fields:
        _strings(fields["packs"], f"{path}.packs")


def _meta(value: Any, path: str) -> None:
    """`meta` is free-form, but its known keys are typed."""
    if not isinstance(value, dict):
        raise IndexFormatError(f"{path}: expected an object")
    for key, minimum in (("downloads", 0), ("stars", 0), ("repository_id", 1)):
        if key in value:
            number = value[key]
            if isinstance(number, bool) or not isinstance(number, int) or number < minimum:
                raise IndexFormatError(f"{path}.{key}: expected an integer >= {minimum}")
    if "tested_attune_versions" in value:
        _unique_strings(value["tested_attune_versions"], f"{path}.tested_attune_versions")


def _object(value: Any, path: str, *, required: frozenset[str], allowed: frozenset[str]) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise IndexFormatError(f"{path}: expected an object")
    unknown = sorted(set(value) - allowed)
    if unknown:
        raise IndexFormatError(f"{path}: unknown field {unknown[0]!r}")
    missing = sorted(required - set(value))
    if missing:
        raise IndexFormatError(f"{path}: missing required field {missing[0]!r}")
    return value


def _string(value: Any, path: str, *, min_length: int = 0) -> str:
    if not isinstance(value, str):
        raise IndexFormatError(f"{path}: expected a string")
    if len(value) < min_length:
        raise IndexFormatError(f"{path}: must not be empty")
    return value


def _strings(value: Any, path: str) -> tuple[str, ...]:
    if not isinstance(value, list):
        raise IndexFormatError(f"{path}: expected an array of strings")
    return tuple(_string(item, f"{path}[{i}]") for i, item in enumerate(value))


def _unique_strings(value: Any, path: str) -> tuple[str, ...]:
    items = _strings(value, path)
    if len(set(items)) != len(items):
        raise IndexFormatError(f"{path}: items must be unique")
    return items


def _https_url(value: Any, path: str) -> str:
    url = _string(value, path)
    if not _HTTPS_URL.fullmatch(url):
        raise IndexFormatError(f"{path}: {url!r} is not an https URL without query, fragment or credentials")
    return url


def _uri(value: Any, path: str) -> str:
    uri = _string(value, path)
    parts = urlsplit(uri)
    if not parts.scheme or not (parts.netloc or parts.path):
        raise IndexFormatError(f"{path}: {uri!r} is not an absolute URI")
    return uri


def _indexed_pack(entry: IndexEntry, index_url: str, priority: int) -> IndexedPack:
    git = [s.url for s in entry.install_sources if s.type == "git"]
    archive = [s.url for s in entry.install_sources if s.type != "git"]
    return IndexedPack(
        ref=entry.ref,
        version=entry.version,
        label=entry.label,
        description=entry.description,
        index_url=index_url,
        index_priority=priority,
        keywords=entry.keywords,
        runtime_deps=entry.runtime_deps,
        sources=tuple(git + archive),
    )


class _StrictJsonError(ValueError):
    """A JSON construct serde_json would refuse (duplicate key, NaN/Infinity)."""


def _no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise _StrictJsonError(f"duplicate key {key!r}")
        result[key] = value
    return result


def _no_constant(name: str) -> Any:
    raise _StrictJsonError(f"{name} is not valid JSON")
