"""Files Attune cannot read at all: unreadable bytes and invalid YAML."""

from __future__ import annotations

from typing import Iterator

from packls.checks.base import finding
from packls.checks.rules import METADATA_UNREADABLE, YAML_SYNTAX
from packls.findings import Finding, Related
from packls.syntax.nodes import Span
from packls.workspace import SourceFile, Workspace


def check_readable(source: SourceFile, workspace: Workspace) -> Iterator[Finding]:
    """Report why a file could not be read, or why its text is not YAML."""
    if source.read_error is not None:
        yield finding(source, Span(0, 0), METADATA_UNREADABLE, source.read_error)
        return
    problem = source.parsed.problem
    if problem is None:
        return
    related = ()
    if problem.context and problem.context_span is not None:
        related = (Related(source.path, problem.context_span, problem.context),)
    yield finding(source, problem.span, YAML_SYNTAX, f"not valid YAML: {problem.message}", related=related)
