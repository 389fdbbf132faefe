"""Strict validation of Attune pack index JSON (format "1.0") into frozen dataclasses.

Attune's ``PackIndex``/``PackIndexEntry`` are ``deny_unknown_fields`` and the standard
index's JSON schema (``attune-system/index schema/index.schema.json``) pins every nested
object too, so one unknown key or malformed value rejects the whole index: a half-read
index must never be mistaken for the full list of packs. Every problem is reported at once
(each field and each pack is checked even after an earlier one failed), so an index author
fixes them in one go.
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
    """The document is not a valid pack index; each problem names the offending path."""

    def __init__(self, *problems: str) -> None:
        self.problems = list(problems)
        shown = problems[0] if len(problems) == 1 else f"{len(problems)} problems: " + "; ".join(problems)
        super().__init__(shown)


class _Problems(list[str]):
    """Problems gathered while validating on past the first one."""

    def run(self, check: Any, *args: Any, **kwargs: Any) -> Any:
        """check(*args), or None with its problems recorded."""
        try:
            return check(*args, **kwargs)
        except IndexFormatError as exc:
            self.extend(exc.problems)
            return None

    def raise_any(self) -> None:
        if self:
            raise IndexFormatError(*self)


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
    """Validate an already-decoded index document against Attune's format "1.0" (every problem at once)."""
    if not isinstance(document, dict):
        raise IndexFormatError("index: expected an object")
    problems = _Problems()
    problems.run(_keys, document, "index", required=_INDEX_KEYS, allowed=_INDEX_KEYS)
    version = document.get("version")
    if "version" in document and version != INDEX_FORMAT_VERSION:
        problems.append(f"version: unsupported index format {version!r} (expected {INDEX_FORMAT_VERSION!r})")
    registry_name = problems.run(_string, document["registry_name"], "registry_name", min_length=1) if "registry_name" in document else ""
    registry_url = problems.run(_https_url, document["registry_url"], "registry_url") if "registry_url" in document else ""
    last_updated = problems.run(_date_time, document["last_updated"], "last_updated") if "last_updated" in document else ""
    packs: list[IndexEntry] = []
    packs_value = document.get("packs", [])
    if not isinstance(packs_value, list):
        problems.append("packs: expected an array")
        packs_value = []
    seen: dict[str, int] = {}
    for i, value in enumerate(packs_value):
        entry = problems.run(_entry, value, f"packs[{i}]")
        if entry is None:
            continue
        if entry.ref in seen:
            problems.append(f"packs[{i}].ref: duplicate pack ref {entry.ref!r} (first at packs[{seen[entry.ref]}])")
        seen.setdefault(entry.ref, i)
        packs.append(entry)
    problems.raise_any()
    canonical = json.dumps(document, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return PackIndex(registry_name, registry_url, str(version), last_updated, tuple(packs), canonical)


def _date_time(value: Any, path: str) -> str:
    text = _string(value, path)
    try:
        datetime.fromisoformat(text)
    except ValueError:
        raise IndexFormatError(f"{path}: {text!r} is not an ISO 8601 date-time") from None
    return text


def _entry(value: Any, path: str) -> IndexEntry:
    if not isinstance(value, dict):
        raise IndexFormatError(f"{path}: expected an object")
    problems = _Problems()
    problems.run(_keys, value, path, required=_PACK_REQUIRED_SET, allowed=_PACK_ALLOWED)
    fields = {key: value.get(key) for key in _PACK_ALLOWED}
    ref = problems.run(_pack_ref, fields["ref"], f"{path}.ref") if "ref" in value else None
    version = problems.run(_pack_version, fields["version"], f"{path}.version") if "version" in value else None
    sources: tuple[InstallSource, ...] = ()
    if "install_sources" in value:
        sources_value = fields["install_sources"]
        if not isinstance(sources_value, list) or not sources_value:
            problems.append(f"{path}.install_sources: expected a non-empty array")
        else:
            found = [problems.run(_source, s, f"{path}.install_sources[{i}]") for i, s in enumerate(sources_value)]
            sources = tuple(source for source in found if source is not None)
    for key in ("use_case", "email"):
        if key in value:
            problems.run(_string, fields[key], f"{path}.{key}")
    if "homepage" in value:
        problems.run(_uri, fields["homepage"], f"{path}.homepage")
    if "repository" in value:
        repository = problems.run(_uri, fields["repository"], f"{path}.repository")
        if repository is not None and not repository.startswith("https://"):
            problems.append(f"{path}.repository: must be an https URL")
    if "dependencies" in value:
        problems.run(_dependencies, fields["dependencies"], f"{path}.dependencies")
    if "meta" in value:
        problems.run(_meta, fields["meta"], f"{path}.meta")
    texts = {
        key: problems.run(_string, fields[key], f"{path}.{key}", min_length=0 if key == "description" else 1)
        for key in ("label", "description", "author", "license") if key in value
    }
    lists = {key: problems.run(_unique_strings, fields[key], f"{path}.{key}") for key in ("keywords", "runtime_deps") if key in value}
    contents = problems.run(_contents, fields["contents"], f"{path}.contents") if "contents" in value else None
    problems.raise_any()
    return IndexEntry(
        ref=ref, label=texts["label"], description=texts["description"], version=version, author=texts["author"],
        license=texts["license"], keywords=lists["keywords"], runtime_deps=lists["runtime_deps"],
        install_sources=sources, contents=contents,
    )


def _pack_ref(value: Any, path: str) -> str:
    return _matching(value, path, _REF, "does not match ^[a-z][a-z0-9_-]*$")


def _pack_version(value: Any, path: str) -> str:
    return _matching(value, path, _PACK_VERSION, "is not a semantic version (MAJOR.MINOR.PATCH)")


def _matching(value: Any, path: str, pattern: re.Pattern[str], problem: str) -> str:
    """A string the whole of which matches pattern; else `path: 'value' <problem>`."""
    text = _string(value, path)
    if not pattern.fullmatch(text):
        raise IndexFormatError(f"{path}: {text!r} {problem}")
    return text


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
    problems = _Problems()
    contents: dict[str, tuple[str, ...]] = {}
    for kind in _CONTENT_KINDS:
        items = fields[kind]
        if not isinstance(items, list):
            problems.append(f"{path}.{kind}: expected an array")
            continue
        names = [problems.run(_component, item, f"{path}.{kind}[{i}]") for i, item in enumerate(items)]
        contents[kind] = tuple(name for name in names if name is not None)
    problems.raise_any()
    return contents


def _component(value: Any, path: str) -> str:
    keys = frozenset({"name", "description"})
    component = _object(value, path, required=keys, allowed=keys)
    problems = _Problems()
    name = problems.run(_string, component["name"], f"{path}.name", min_length=1)
    problems.run(_string, component["description"], f"{path}.description")
    problems.raise_any()
    return str(name)


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
    _keys(value, path, required=required, allowed=allowed)
    return value


def _keys(value: dict[str, Any], path: str, *, required: frozenset[str], allowed: frozenset[str]) -> None:
    """Every unknown and every missing field of an object, in one error."""
    problems = [f"{path}: unknown field {key!r}" for key in sorted(set(value) - allowed)]
    problems += [f"{path}: missing required field {key!r}" for key in sorted(required - set(value))]
    if problems:
        raise IndexFormatError(*problems)


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
    return _matching(value, path, _HTTPS_URL, "is not an https URL without query, fragment or credentials")


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
