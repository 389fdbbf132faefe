"""Dependencies: runtime_deps in the pack-dependency dialect, and Python requirements (PEP 508)."""

from __future__ import annotations

import re
from typing import Iterable, Iterator

from packaging.markers import Marker
from packaging.requirements import InvalidRequirement, Requirement

from packls.checks.base import finding, pack_of, type_word
from packls.checks.rules import PYTHON_INVALID_REQUIREMENT, PYTHON_REQUIREMENT_SKIPPED, RUNTIME_DEPS_INVALID, VALUE_WRONG_TYPE
from packls.findings import Finding, Severity
from packls.model import Manifest, Runnable
from packls.resolve import resolve
from packls.runtime_names import normalize_runtime_name
from packls.syntax.nodes import Mapping, Scalar, Sequence, Span
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
    """`python_dependencies` in the manifest's metadata: requirement strings, though nothing installs them.

    Registration stores `metadata` (pack check's `meta` is dropped), and a worker builds a pack's
    Python environment from the runtime's dependency manifest (`requirements.txt`), never from the
    pack's metadata: an invalid entry misleads readers, it breaks nothing, so it is a warning.
    """
    manifest = source.component
    if not isinstance(manifest, Manifest):
        return
    meta = manifest.node.value("metadata") or manifest.node.value("meta")
    deps = meta.value("python_dependencies") if isinstance(meta, Mapping) else None
    if not isinstance(deps, Sequence):
        return
    for item in deps.items:
        if isinstance(item, Scalar) and isinstance(item.value, str):
            problem = requirement_problem(item.value)
            if problem is not None:
                yield finding(
                    source, item.span, PYTHON_INVALID_REQUIREMENT,
                    f"'{item.value}' is not a valid Python requirement ({problem}); Attune installs nothing from "
                    "python_dependencies (the environment is built from requirements.txt), so the entry only "
                    "misleads whoever reads the pack's metadata",
                    severity=Severity.WARNING,
                )


def check_requirements_file(source: SourceFile, workspace: Workspace) -> Iterator[Finding]:
    """requirements.txt in the pack root, which a Python runtime installs into the pack's environment."""
    versions = selected_python_versions(pack_of(source, workspace), workspace)
    for line, start in requirement_lines(source.text):
        yield from _requirement(source, line, start, versions)


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


def requirement_problem(text: str) -> str | None:
    """Why pip refuses a requirement string (PEP 508), or None when it parses."""
    try:
        Requirement(text)
    except InvalidRequirement as error:
        return str(error).splitlines()[0]
    return None


def _requirement(source: SourceFile, text: str, start: int, versions: list[str]) -> Iterator[Finding]:
    """One line of requirements.txt: pip must accept it, and its marker must hold for a selected Python."""
    problem = requirement_problem(text)
    if problem is not None:
        yield finding(
            source, Span(start, start + len(text)), PYTHON_INVALID_REQUIREMENT,
            f"'{text}' is not a valid Python requirement ({problem}); pip refuses it when Attune builds the pack's "
            "environment from this file",
        )
        return
    requirement = Requirement(text)
    marker = requirement.marker
    if marker is None or not versions or not any(var in str(marker) for var in _PY_VARS):
        return
    if any(_evaluate(marker, version) for version in versions):
        return
    marker_start = text.find(";")
    span = Span(start + marker_start + 1, start + len(text)) if marker_start >= 0 else Span(start, start + len(text))
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
