"""`packls validate --watch`: check once, then poll the packs and print only the files whose findings changed.

The editor session (`features.session`) keeps the workspace and re-checks what an edit affects,
files open or not; `features.disk_poll` is the language server's own polling. Between polls the
process sleeps; Ctrl-C ends it (exit 130).
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path
from typing import Callable

from packls.cli.loading import UsageError, load_registry, say
from packls.config import Config
from packls.features.disk_poll import CONFIG_FILES, DELETED, changes, snapshot
from packls.features.session import Session, normalize
from packls.findings import Finding
from packls.report import display_path
from packls.report.escape import output_line
from packls.workspace import discover_pack_roots, load_pack, scan_pack

POLL_SECONDS = 0.5


def watch(args: argparse.Namespace, *, polls: int | None = None, sleep: Callable[[float], None] = time.sleep) -> int:
    """Print every finding, then each change as it happens (`polls` bounds the loop for tests)."""
    from packls.cli.commands.validate import configure

    missing = [str(p) for p in args.paths if not p.exists()]
    if missing:
        raise UsageError(f"no such file or directory: {', '.join(missing)}")
    config, problems = configure(args)
    for problem in problems:
        say(f"{config.source}: {problem.message}")
    session = _session(args, config)
    only = {normalize(p.resolve()) for p in args.paths if p.is_file()} or None
    wanted = _wanted(session, only)
    first = session.changed_findings(wanted)
    count = sum(len(found) for found in first.values())
    _print(first, session, args, header=f"{len(wanted)} files checked: {count} finding{'s' if count != 1 else ''}; watching for changes (Ctrl-C stops)")
    stats = snapshot(_roots(session))
    done = 0
    while polls is None or done < polls:
        sleep(POLL_SECONDS)
        done += 1
        current = snapshot(_roots(session))
        found = changes(stats, current)
        stats = current
        if not found:
            continue
        if any(path.name in CONFIG_FILES for path, _ in found):
            config, _ = configure(args)
            session.set_config(lambda path: config)
        for root in _apply(session, found):
            session.set_scan(root, scan_pack(root))
        for root in discover_pack_roots(args.paths):  # a pack created under a watched folder
            if session.known_root(root / "pack.yaml") is None and not config.is_excluded(root):
                session.add_pack(load_pack(root, exclude=config.is_excluded if config.exclude else None))
        wanted = _wanted(session, only)
        changed = session.changed_findings(wanted)
        gone = [path for path, event in found if event == DELETED and session.retract(normalize(path))]
        if changed or gone:
            _print(changed, session, args, header=time.strftime("[%H:%M:%S] ") + _describe(changed, gone))
    return 0


def _session(args: argparse.Namespace, config: Config) -> Session:
    """A session over every pack below the paths, with the configured exclusions and registry facts."""
    registry = load_registry(args.database, config, ignore=args.no_registry)
    notice = registry.notice()
    if notice:
        say(notice)
    session = Session(facts=registry.facts, config_for=lambda path: config)
    roots = discover_pack_roots(args.paths)
    if not roots:
        raise UsageError(f"no pack found in {', '.join(str(p) for p in args.paths)} (a pack is a folder with pack.yaml)")
    exclude = config.is_excluded if config.exclude else None
    for root in roots:
        if exclude is None or not exclude(root):
            session.add_pack(load_pack(normalize(root), exclude=exclude))
    if config.extra_catalog_paths:
        extras = [load_pack(root, is_extra=True) for root in discover_pack_roots(list(config.extra_catalog_paths))]
        session.set_extra_catalogs(extras)
    return session


def _wanted(session: Session, only: set[Path] | None) -> list[Path]:
    paths = session.tracked_paths()
    return [p for p in paths if p in only] if only is not None else paths


def _roots(session: Session) -> list[Path]:
    return [root for root, pack in session.workspace.packs.items() if not pack.is_catalog]


def _apply(session: Session, found: list[tuple[Path, str]]) -> set[Path]:
    """Tell the session what changed on disk; the packs whose file list changed (to walk again)."""
    rescan: set[Path] = set()
    for path, event in found:
        path = normalize(path)
        if path.name in CONFIG_FILES:
            continue
        root = session.known_root(path)
        if root is not None and event != "changed":
            rescan.add(root)
        session.disk_changed(path, deleted=event == DELETED)
    return {root for root in rescan if root in session.workspace.packs}


def _describe(changed: dict[Path, list[Finding]], gone: list[Path]) -> str:
    parts = [f"{display_path(p)}: {len(f)} finding{'s' if len(f) != 1 else ''}" if f else f"{display_path(p)}: no problems"
             for p, f in sorted(changed.items(), key=lambda kv: str(kv[0]))]
    parts += [f"{display_path(p)}: deleted" for p in gone]
    return "; ".join(parts)


def _print(changed: dict[Path, list[Finding]], session: Session, args: argparse.Namespace, *, header: str) -> None:
    """The header line, then the findings of the files that changed (coloured as validate colours them)."""
    import sys

    from packls.report.colour import Style, wants_colour
    from packls.report.findings_text import render_text

    findings = [f for path in sorted(changed, key=str) for f in changed[path]]
    texts = {path: source.text for path in changed if (source := session.source(path)) is not None}
    print(output_line(header), flush=True)
    if findings:
        style = Style(wants_colour(args.color, sys.stdout))
        print(render_text(findings, texts, style=style, excerpts=args.format != "concise"), flush=True)
