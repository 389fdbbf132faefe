"""Dependencies: runtime_deps in the pack-dependency dialect, and Python requirements (PEP 508)."""

from __future__ import annotations

import re
from typing import Iterable, Iterator

from packaging.markers import Marker
from packaging.requirements import InvalidRequirement, Requirement

from packls.checks.base import finding, pack_of, sub_span, type_word
from packls.checks.rules import PYTHON_INVALID_REQUIREMENT, PYTHON_REQUIREMENT_SKIPPED, RUNTIME_DEPS_INVALID, VALUE_WRONG_TYPE
from packls.findings import Finding
from packls.model import Manifest, Runnable
from packls.resolve import resolve
from packls.runtime_names import normalize_runtime_name
from packls.syntax.nodes import Mapping, Node, Scalar, Sequence, Span
from packls.versions import VersionError, parse_version
from packls.workspace import Pack, SourceFile, Workspace

# predecessor dependency.rs: a name, then optionally one of these operators and a numeric version.
_DEP = re.compile(r"^(?P<name>[A-Za-z][A-Za-z0-9_.+-]*)\s*(?:(?P<op>>=|<=|>|<|=|\^|~)?\s*(?P<version>\S.*))?$")
_NUMERIC_VERSION = re.compile(r"^\d+(\.\d+)*$")
_PY_VARS = ("python_version", "python_full_version")
_LINUX_ENV = {
    "os_name": "posix", "sys_platform": "linux", "platform_system": "Linux", "platform_machine": "x86_64",
    "implementation_name": "cpython", "platform_python_implementation": "CPython", "platform_release": "",
    "platform_version": "",
}


def check_runtime_deps(source: SourceFile, workspace: Workspace) -> Iterator[Finding]:
    """Each runtime_deps entry must be a name with at most one constraint in the dependency dialect."""
    manifest = source.component
    if not isinstance(manifest, Manifest):
        return
    for item in manifest.items("runtime_deps"):
        if not (isinstance(item, Scalar) and isinstance(item.value, str)):
            if not (isinstance(item, Scalar) and item.value is None):
                yield finding(source, item.span, VALUE_WRONG_TYPE, f"a runtime_deps entry is {type_word(item)}; Attune keeps only strings, so it is dropped")
            continue
        problem = runtime_dep_problem(item.value)
        if problem is not None:
            yield finding(source, item.span, RUNTIME_DEPS_INVALID, f"runtime_deps entry '{item.value}' {problem}")


def runtime_dep_problem(entry: str) -> str | None:
    """Why an entry does not parse as `name[op version]` in the pack-dependency dialect (bare version = exact)."""
    text = entry.strip()
    if not text:
        return "is empty"
    if "," in text:
        return "has a comma, but the pack-dependency dialect has no AND: give one constraint, e.g. 'python>=3.8'"
    match = _DEP.match(text)
    if match is None or not match.group("name"):
        return "does not start with a runtime name (e.g. python, shell, python3>=3.8)"
    version = match.group("version")
    if version is None:
        return None
    version = version.strip()
    if version == "*" and not match.group("op"):
        return None
    if not _NUMERIC_VERSION.match(version):
        return (
            f"has the version '{version}', but the pack-dependency dialect accepts only numeric versions after one of "
            ">=, <=, >, <, =, ^, ~ (a bare version means exactly that version)"
        )
    return None


def check_python_dependencies(source: SourceFile, workspace: Workspace) -> Iterator[Finding]:
    """meta.python_dependencies (or legacy metadata.python_dependencies) as PEP 508 requirements."""
    manifest = source.component
    if not isinstance(manifest, Manifest):
        return
    meta = manifest.node.value("meta") or manifest.node.value("metadata")
    deps = meta.value("python_dependencies") if isinstance(meta, Mapping) else None
    if not isinstance(deps, Sequence):
        return
    versions = None
    for item in deps.items:
        if not (isinstance(item, Scalar) and isinstance(item.value, str)):
            continue
        if versions is None:
            versions = selected_python_versions(pack_of(source, workspace), workspace)
        yield from _requirement(source, item.value, item, 0, versions)


def check_requirements_file(source: SourceFile, workspace: Workspace) -> Iterator[Finding]:
    """requirements.txt in the pack root, which a Python runtime installs into the pack's environment."""
    versions = selected_python_versions(pack_of(source, workspace), workspace)
    for line, start in requirement_lines(source.text):
        yield from _requirement(source, line, None, start, versions)


def requirement_lines(text: str) -> Iterator[tuple[str, int]]:
    """Requirement specifiers of a requirements file with their offsets (options, URLs and paths skipped)."""
    offset = 0
    for raw in text.splitlines(keepends=True):
        start = offset
        offset += len(raw)
        line = raw.rstrip("\r\n")
        comment = re.search(r"(^|\s)#", line)
        if comment is not None:
            line = line[: comment.start()]
        option = re.search(r"\s--?[A-Za-z]", line)
        if option is not None:
            line = line[: option.start()]
        stripped = line.strip()
        if not stripped or stripped.startswith("-") or stripped.endswith("\\"):
            continue
        if "://" in stripped.split("@")[0] or stripped.startswith((".", "/", "~")) or "${" in stripped:
            continue
        if stripped.endswith((".whl", ".tar.gz", ".zip")):
            continue
        yield stripped, start + (len(line) - len(line.lstrip()))


def _requirement(source: SourceFile, text: str, node: Node | None, start: int, versions: list[str]) -> Iterator[Finding]:
    span = node.span if node is not None else Span(start, start + len(text))
    try:
        requirement = Requirement(text)
    except InvalidRequirement as error:
        reason = str(error).splitlines()[0]
        yield finding(
            source, span, PYTHON_INVALID_REQUIREMENT,
            f"'{text}' is not a valid Python requirement ({reason}); pip would refuse it when Attune builds the environment",
        )
        return
    marker = requirement.marker
    if marker is None or not versions or not any(var in str(marker) for var in _PY_VARS):
        return
    if any(_evaluate(marker, version) for version in versions):
        return
    marker_start = text.find(";")
    if node is not None and marker_start >= 0:
        span = sub_span(node, source.text, marker_start + 1, len(text))
    elif marker_start >= 0:
        span = Span(start + marker_start + 1, start + len(text))
    shown = ", ".join(versions)
    yield finding(
        source, span, PYTHON_REQUIREMENT_SKIPPED,
        f"the marker '{marker}' is false for Python {shown} (what Attune selects for this pack's Python actions), "
        f"so pip never installs '{requirement.name}'",
        data={"python_versions": versions},
    )


def _evaluate(marker: Marker, version: str) -> bool:
    try:
        parsed = parse_version(version)
    except VersionError:
        return True  # unknown: never claim a marker is false
    environment = dict(_LINUX_ENV)
    environment["python_version"] = f"{parsed.major}.{parsed.minor}"
    environment["python_full_version"] = f"{parsed.major}.{parsed.minor}.{parsed.patch}"
    environment["implementation_version"] = environment["python_full_version"]
    try:
        return bool(marker.evaluate(environment))
    except Exception:
        return True


def selected_python_versions(pack: Pack | None, workspace: Workspace) -> list[str]:
    """Python versions Attune would select for the pack's actions and sensors on a Python runtime."""
    if pack is None:
        return []
    found: list[str] = []
    for runnable in _runnables(pack.components()):
        resolution = resolve(runnable, workspace)
        runtime = resolution.runtime
        if runtime is None or normalize_runtime_name(runtime.display_name) != "python":
            continue
        if resolution.selected is not None and resolution.selected.version not in found:
            found.append(resolution.selected.version)
    return sorted(found, key=lambda v: [int(p) if p.isdigit() else 0 for p in re.split(r"[.+-]", v)])


def _runnables(components: Iterable[object]) -> Iterator[Runnable]:
    for component in components:
        if isinstance(component, Runnable) and not component.is_workflow:
            yield component
