"""`packls validate --fix / --diff`: the editor's quick fixes applied to files, then what remains reported."""

from __future__ import annotations

import argparse
import difflib
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Sequence

from packls.checks import check_source
from packls.cli.loading import Loaded, UsageError, check_loaded, say
from packls.cli.output import MACHINE_FORMATS
from packls.config import ConfigProblem, file_findings
from packls.features.fixing import FixOutcome, SelectionJudge, fix_workspace, plan
from packls.findings import Finding
from packls.report import display_path
from packls.report.escape import output_line, output_lines
from packls.syntax.lines import LineIndex
from packls.workspace import SourceFile

_BOM = b"\xef\xbb\xbf"


def fixability(loaded: Loaded, findings: Sequence[Finding]) -> dict[Finding, bool]:
    """For each finding --fix can fix: True when its fix is safe, False when it needs --unsafe-fixes."""
    by_path: dict[Path, list[Finding]] = {}
    for item in findings:
        by_path.setdefault(item.path, []).append(item)
    result: dict[Finding, bool] = {}
    judge = SelectionJudge(loaded.workspace)
    for path, items in by_path.items():
        source = loaded.workspace.source(path)
        if source is not None:
            for planned in plan(loaded.workspace, source, items, judge):
                result[planned.finding] = planned.safe
    return result


def run_fix(args: argparse.Namespace, loaded: Loaded, problems: Sequence[ConfigProblem]) -> int:
    """Fix (or show the diff), print what was fixed and what remains, return the exit code."""
    from packls.cli.commands.validate import finish, report_for

    started = time.perf_counter()
    findings, _, _ = check_loaded(loaded, problems, args.jobs)
    targets = {item.path for item in findings if loaded.workspace.source(item.path) is not None}

    def configured(source: SourceFile) -> list[Finding]:
        return file_findings(source.path, check_source(source, loaded.workspace), loaded.config, source.text)

    outcome = fix_workspace(loaded.workspace, targets, configured, unsafe=args.unsafe_fixes)
    stdin = loaded.stdin_path
    if args.diff:
        sys.stdout.write(unified_diff(outcome))
        print(output_lines(describe(outcome, "would fix")), file=sys.stderr)
        return 1 if outcome.texts else 0
    if stdin is not None:
        source = loaded.workspace.source(stdin)
        sys.stdout.write(source.text if source is not None else "")
    else:
        write_files(outcome)
    remaining, texts, files = check_loaded(loaded, problems, args.jobs)
    machine = args.format in MACHINE_FORMATS or stdin is not None
    print(output_lines(describe(outcome, "fixed")), file=sys.stderr if machine else sys.stdout)
    for path, why in outcome.refused.items():
        say(f"{display_path(path)}: {why}")
    report = report_for(args, loaded, remaining, texts, files)
    return finish(args, report, loaded, time.perf_counter() - started, out=sys.stderr if stdin is not None else None)


def describe(outcome: FixOutcome, verb: str) -> str:
    """`fixed 3 findings in 2 files:` then one line per fix (file:line:col code title)."""
    count = len(outcome.applied)
    files = len(outcome.texts)
    if not count or not files:
        return "nothing to fix" if verb == "fixed" else "no fixes to apply"
    lines = [f"{verb} {count} finding{'s' if count != 1 else ''} in {files} file{'s' if files != 1 else ''}:"]
    originals = {path: LineIndex.of(text) for path, text in outcome.originals.items()}
    for planned in outcome.applied:
        item = planned.finding
        index = originals.get(item.path)
        where = display_path(item.path)
        if index is not None:
            line, column = index.position(item.span.start, "utf-32")
            where += f":{line + 1}:{column + 1}"
        note = "" if planned.safe else " (unsafe)"
        lines.append(f"  {where}: {item.code}: {planned.fix.title}{note}")
    return "\n".join(lines)


def unified_diff(outcome: FixOutcome) -> str:
    """Every changed file as a unified diff against its original text."""
    chunks = []
    for path in sorted(outcome.texts, key=str):
        shown = display_path(path)
        before = outcome.originals[path].splitlines(keepends=True)
        after = outcome.texts[path].splitlines(keepends=True)
        for line in difflib.unified_diff(before, after, f"a/{shown}", f"b/{shown}"):
            ending = "\n" if line.endswith("\n") else "\n\\ No newline at end of file\n"
            chunks.append(output_line(line.rstrip("\n")) + ending)  # control characters shown, not sent
    return "".join(chunks)


def write_files(outcome: FixOutcome) -> None:
    """Write each fixed file, only if it still holds the text that was checked (else leave it, and say so)."""
    for path in sorted(outcome.texts, key=str):
        try:
            data = path.read_bytes()
        except OSError as error:
            raise UsageError(f"cannot read {display_path(path)} again to fix it: {error.strerror or error}") from error
        bom = data.startswith(_BOM)
        try:
            current = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            current = None
        if current != outcome.originals[path]:
            say(f"{display_path(path)} changed while it was checked; not fixed")
            outcome.applied = [p for p in outcome.applied if p.finding.path != path]
            continue
        _replace(path, (_BOM if bom else b"") + outcome.texts[path].encode("utf-8", "surrogatepass"))


def _replace(path: Path, data: bytes) -> None:
    """Write data to path atomically, keeping the file's permissions."""
    mode = path.stat().st_mode & 0o7777
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".packls", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise

