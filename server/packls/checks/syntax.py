"""Files Attune cannot read at all: unreadable bytes, invalid YAML, duplicate keys, several documents."""

from __future__ import annotations

from typing import Iterator

from packls.checks.base import file_start, finding
from packls.checks.rules import (
    COMPONENT_NOT_OBJECT,
    LIMITS_FILE_TOO_LARGE,
    LIMITS_TOO_MANY_VALUES,
    MANIFEST_NOT_OBJECT,
    METADATA_UNREADABLE,
    YAML_DUPLICATE_KEY,
    YAML_MULTIPLE_DOCUMENTS,
    YAML_SYNTAX,
)
from packls.findings import Finding, Related
from packls.model import FileKind
from packls.model.kinds import COMPONENT_FOLDERS
from packls.syntax.nodes import Span
from packls.workspace import MAX_FILE_BYTES, SourceFile, Workspace

_FOLDER_OF = {kind: folder for folder, kind in COMPONENT_FOLDERS.items()}


def check_readable(source: SourceFile, workspace: Workspace) -> Iterator[Finding]:
    """Report why a file could not be read, or why its text is not YAML Attune accepts."""
    if source.read_error is not None:
        at = source.read_error_at
        yield finding(source, Span(at, min(at + 1, len(source.text))), METADATA_UNREADABLE, source.read_error)
        return
    if source.size > MAX_FILE_BYTES:
        yield finding(source, file_start(source), LIMITS_FILE_TOO_LARGE, f"Metadata file exceeds {MAX_FILE_BYTES} bytes")
    problem = source.parsed.problem
    if problem is not None and problem.kind == "size":
        yield finding(source, problem.span, LIMITS_TOO_MANY_VALUES, problem.message)
        return
    if problem is not None:
        related = ()
        if problem.context and problem.context_span is not None:
            related = (Related(source.path, problem.context_span, problem.context),)
        yield finding(source, problem.span, YAML_SYNTAX, f"not valid YAML: {problem.message}", related=related)
        return
    yield from _duplicates(source)
    yield from _documents(source)


def _duplicates(source: SourceFile) -> Iterator[Finding]:
    for duplicate in source.parsed.duplicates:
        yield finding(
            source, duplicate.again, YAML_DUPLICATE_KEY,
            f"key '{duplicate.key}' is written twice in this mapping; Attune's YAML reader rejects the whole file "
            "— keep one of them",
            related=(Related(source.path, duplicate.first, f"'{duplicate.key}' first written here"),),
            data={"key": duplicate.key},
        )


def _documents(source: SourceFile) -> Iterator[Finding]:
    documents = source.parsed.documents
    if len(documents) < 2:
        return
    second = documents[1]
    start = source.text.rfind("---", 0, second.span.start + 1)
    span = Span(start, start + 3) if start >= 0 else second.span
    yield finding(
        source, span, YAML_MULTIPLE_DOCUMENTS,
        f"this file holds {len(documents)} YAML documents, but Attune reads a file as exactly one; "
        "split them into separate files",
    )


def check_root_object(source: SourceFile, workspace: Workspace) -> Iterator[Finding]:
    """pack check's not_object codes: every metadata file must be a YAML mapping."""
    if source.read_error is not None or source.parsed.problem is not None or source.component is not None:
        return
    if source.parsed.root_mapping is not None or len(source.parsed.documents) > 1:
        return
    span = source.parsed.root.span if source.parsed.root is not None else file_start(source)
    empty = "; the file is empty" if source.parsed.root is None else ""  # only comments or blank lines
    if source.kind is FileKind.MANIFEST:
        yield finding(source, span, MANIFEST_NOT_OBJECT, f"Pack manifest must be a YAML object{empty}")
    elif source.kind in _FOLDER_OF and source.kind is not FileKind.LEGACY_WORKFLOW:
        yield finding(source, span, COMPONENT_NOT_OBJECT, f"{_FOLDER_OF[source.kind]} metadata must be a YAML object{empty}")
