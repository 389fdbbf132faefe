"""`packls sync`: arguments, progress on a terminal, a short report, one-line errors, exit codes.

Exit 0: everything asked for worked. 1: some index or the workers payload failed (what
did work is stored) or no index is usable. 2: usage or database problems.
"""

from __future__ import annotations

import argparse
import sys
from contextlib import contextmanager
from datetime import timedelta
from typing import Any, Callable, Iterator, Mapping, Sequence, TextIO

from packls.registry.detect import DEFAULT_TIMEOUT, DetectTarget
from packls.registry.fetch import FetchLimits
from packls.registry.indexes import DEFAULT_TTL_SECONDS, sources_from_config, sources_from_urls
from packls.registry.redact import mask_dsn, mask_url
from packls.registry.status import render_json, render_text, status_document
from packls.registry.store import StoreError, open_store, resolve_location
from packls.registry.sync import NoProgress, Progress, SyncReport, SyncRequest, run_sync as run_request
from packls.report.escape import json_dumps, output_line, output_lines

EXIT_OK = 0
EXIT_PARTIAL = 1
EXIT_ERROR = 2


def add_sync_arguments(parser: argparse.ArgumentParser) -> None:
    """The `packls sync` options."""
    parser.add_argument("--index", action="append", metavar="URL_OR_PATH",
                        help="pack index to sync (repeatable; earlier ones have priority)")
    parser.add_argument("--detect", nargs="*", metavar="PATH", default=None,
                        help="run the verification commands of every runtime version declared by packs under "
                             "PATHs and by the built-in catalog")
    parser.add_argument("--workers", metavar="FILE_OR_URL",
                        help="mark versions available from Attune's GET /api/v1/workers payload")
    parser.add_argument("paths", nargs="*", metavar="PATH",
                        help="workspace folders whose runtimes --workers checks (the catalog is always included)")
    parser.add_argument("--status", action="store_true", help="show what the store holds")
    parser.add_argument("--format", choices=("text", "json"), default="text", help="output format")
    parser.add_argument("--database", metavar="PATH_OR_DSN",
                        help="SQLite file or postgresql:// URL (default: $PACKLS_DATABASE, else a per-user file)")
    parser.add_argument("--refresh", action="store_true", help="fetch indexes even if their snapshot is fresh")
    parser.add_argument("--ttl", type=int, default=DEFAULT_TTL_SECONDS, metavar="SECONDS",
                        help=f"how long an index snapshot stays fresh (default {DEFAULT_TTL_SECONDS})")
    parser.add_argument("--timeout", type=float, default=FetchLimits.connect_timeout, metavar="SECONDS",
                        help="connect and read timeout for each fetch (default %(default)s)")
    parser.add_argument("--max-bytes", type=int, default=FetchLimits.max_bytes, metavar="BYTES",
                        help="largest index or workers document accepted (default %(default)s)")
    parser.add_argument("--detect-timeout", type=float, default=DEFAULT_TIMEOUT, metavar="SECONDS",
                        help="time limit of each verification command (default 10, as Attune's worker)")


def run_sync(args: argparse.Namespace, *, configured_indexes: Sequence[Mapping[str, Any]] | None = None,
             stdout: TextIO | None = None, stderr: TextIO | None = None) -> int:
    """Run `packls sync` with parsed arguments; `configured_indexes` are `[{url, priority}]` from config."""
    out = stdout or sys.stdout
    err = stderr or sys.stderr

    def fail(message: str) -> int:
        print(output_line(f"packls sync: error: {message}"), file=err)
        return EXIT_ERROR

    try:
        request = _request(args, configured_indexes)
    except ValueError as exc:
        return fail(str(exc))
    if request is None and not args.status:
        return fail("nothing to do: give --index, --detect, --workers or --status, or list `indexes` in packls.toml")
    location = resolve_location(args.database)
    shown = mask_dsn(location.target) if location.kind == "postgres" else location.target
    try:
        store = open_store(args.database, create=request is not None)
    except StoreError as exc:
        if request is None and location.kind == "sqlite" and not location.explicit:
            _print_status({"database": shown, "mode": "packls", "indexes": [], "unusable_indexes": [],
                           "runtime_versions": []}, args.format, out)
            return EXIT_OK  # never synced: an empty status
        return fail(str(exc))
    try:
        code = EXIT_OK
        if request is not None:
            with _progress(out) as progress:
                report = run_request(store, request, targets_from=_targets_from, progress=progress)
            if not (args.status and args.format == "json"):  # one JSON document per run
                _print_report(report, args.format, out)
            code = EXIT_PARTIAL if report.problems else EXIT_OK
        if args.status:
            # with contents: whether an index is usable is judged on its snapshot, as validate judges it
            _print_status(status_document(store.read_state(), store.description), args.format, out)
        return code
    except StoreError as exc:
        return fail(str(exc))
    finally:
        store.close()


def _request(args: argparse.Namespace, configured: Sequence[Mapping[str, Any]] | None) -> SyncRequest | None:
    """The sync the arguments ask for, or None for a status-only run."""
    detect = args.detect is not None
    if detect and args.workers:
        raise ValueError("--detect and --workers both set availability; run them separately")
    if args.ttl < 0 or args.timeout <= 0 or args.max_bytes <= 0 or args.detect_timeout <= 0:
        raise ValueError("--ttl, --timeout, --max-bytes and --detect-timeout must be positive")
    sources = None
    if args.index:
        sources = tuple(sources_from_urls(args.index))
    elif configured and not (detect or args.workers or args.status):
        sources = tuple(sources_from_config(configured))
    if sources is None and not detect and not args.workers:
        return None
    paths = tuple(args.detect or ()) + tuple(args.paths or ())
    limits = FetchLimits(max_bytes=args.max_bytes, connect_timeout=args.timeout, read_timeout=args.timeout)
    return SyncRequest(
        sources=sources,
        detect=detect,
        workers=args.workers,
        paths=paths,
        ttl=timedelta(seconds=args.ttl),
        refresh=args.refresh,
        limits=limits,
        detect_timeout=args.detect_timeout,
    )


def _targets_from(paths: Sequence[str]) -> list[DetectTarget]:
    from packls.registry.targets import targets_from_yaml  # loads the workspace model only when needed

    return targets_from_yaml(paths)


class _RichProgress:
    """Progress bars on a terminal."""

    def __init__(self, progress: Any) -> None:
        self._progress = progress

    def stage(self, label: str, total: int) -> Callable[[], None]:
        task = self._progress.add_task(label, total=total)
        return lambda: self._progress.advance(task)


@contextmanager
def _progress(out: TextIO) -> Iterator[Progress]:
    """Rich progress bars when `out` is a terminal, nothing otherwise."""
    if not (hasattr(out, "isatty") and out.isatty()):
        yield NoProgress()
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress as RichProgress, TextColumn, TimeElapsedColumn

    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with RichProgress(*columns, console=Console(file=out), transient=True) as progress:
        yield _RichProgress(progress)


def report_document(report: SyncReport) -> dict[str, Any]:
    """The sync's outcome as JSON-able data."""
    return {
        "mode": report.mode,
        "indexes": [
            {"url": mask_url(o.url), "priority": o.priority, "status": o.status, "packs": o.pack_count,
             "error": o.error, "snapshot_in_use": o.usable}
            for o in report.indexes
        ],
        "runtime_versions": [
            {"ref": v.target.runtime_ref, "version": v.target.version, "available": v.available,
             "detected": v.detected, "detail": v.detail, "source": "detect",
             "reports_another_version": _reports_another(v.target.version, v.detected) if v.available else False}
            for v in report.verifications
        ] + [
            {"ref": m.target.runtime_ref, "version": m.target.version, "available": m.available,
             "detected": m.advertised, "detail": m.detail, "source": "workers"}
            for m in report.worker_matches
        ],
        "workers_error": report.workers_error,
        "workers_warning": report.workers_warning,
        "not_registered": [{"ref": ref, "version": version} for ref, version in report.applied.not_registered],
    }


def _reports_another(declared: str, detected: str | None) -> bool:
    """True when a verification succeeded but the version it saw is not the declared one (3.10 verified by a 3.11)."""
    from packls.versions import runtime_version_matches_worker

    return detected is not None and not runtime_version_matches_worker(declared, detected)


def _print_report(report: SyncReport, fmt: str, out: TextIO) -> None:
    document = report_document(report)
    if fmt == "json":
        print(json_dumps(document, indent=2), file=out)
        return
    for index in document["indexes"]:
        line = f"index {index['url']}: {index['status']}"
        if index["packs"] is not None:
            line += f", {index['packs']} packs"
        if index["error"]:
            kept = "previous snapshot kept" if index["snapshot_in_use"] else "no snapshot"
            line += f" ({kept}): {index['error']}"
        print(output_line(line), file=out)
    for row in document["runtime_versions"]:
        verdict = "available" if row["available"] else "unavailable"
        seen = f" ({row['detected']})" if row["detected"] else ""
        print(output_line(f"runtime {row['ref']} {row['version']}: {verdict}{seen} - {row['detail']}"), file=out)
        if row.get("reports_another_version"):
            print(output_line(f"  warning: the interpreter that verified {row['version']} reports {row['detected']}: this "
                              "version probably runs another version's interpreter (see packls rule runtime.shared_interpreter)"), file=out)
    for message in (document["workers_error"], document["workers_warning"]):
        if message:
            print(output_line(message), file=out)
    for missing in document["not_registered"]:
        print(output_line(f"runtime {missing['ref']} {missing['version']}: not registered in the Attune database, skipped"),
              file=out)


def _print_status(document: dict[str, Any], fmt: str, out: TextIO) -> None:
    print(render_json(document) if fmt == "json" else output_lines(render_text(document)), file=out)
