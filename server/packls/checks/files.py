"""Where files are: YAML registration never reads, folders that are files, pack check's limits."""

from __future__ import annotations

from typing import Iterator

from packls.checks.base import file_start, finding, pack_of
from packls.checks.rules import (
    COMPONENT_NOT_DIRECTORY,
    LIMITS_TOO_MANY_ENTRIES,
    LIMITS_TOO_MANY_FILES,
    METADATA_DIRECTORY_UNREADABLE,
    METADATA_IGNORED_LOCATION,
)
from packls.findings import Finding
from packls.model import FileKind
from packls.syntax.nodes import Span
from packls.workspace import MAX_METADATA_FILES, MAX_TRAVERSED_ENTRIES, SourceFile, Workspace


def check_ignored_location(source: SourceFile, workspace: Workspace) -> Iterator[Finding]:
    """A YAML file outside every folder registration reads (pack check warns, verbatim)."""
    yield finding(
        source, Span(0, 0), METADATA_IGNORED_LOCATION,
        "YAML file is outside a metadata location read by pack registration",
        data={"relative": source.relative},
    )


def check_pack_layout(source: SourceFile, workspace: Workspace) -> Iterator[Finding]:
    """Pack-wide problems, reported on pack.yaml: folders that are files, and the walk limits."""
    pack = pack_of(source, workspace)
    if pack is None or pack.scan is None:
        return
    span = file_start(source)
    for folder in pack.scan.not_directories:
        yield finding(source, span, COMPONENT_NOT_DIRECTORY, f"Expected {folder} to be a directory", data={"folder": folder})
    for folder, why in pack.scan.unreadable_dirs:
        yield finding(
            source, span, METADATA_DIRECTORY_UNREADABLE,
            f"cannot list {folder}/ ({why}): pack check reports it, and registration fails because the loader "
            "cannot read the folder; nothing in it is checked",
            data={"folder": folder},
        )
    if pack.scan.entries_exceeded:
        yield finding(source, span, LIMITS_TOO_MANY_ENTRIES, f"Pack traversal exceeds {MAX_TRAVERSED_ENTRIES} entries")
    metadata = sum(1 for s in pack.files.values() if s.kind not in (FileKind.IGNORED, FileKind.PYTHON_REQUIREMENTS))
    if metadata > MAX_METADATA_FILES:
        yield finding(source, span, LIMITS_TOO_MANY_FILES, f"Pack contains more than {MAX_METADATA_FILES} metadata files")
