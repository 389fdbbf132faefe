"""The `packls` command: validate, resolve, serve and sync, all on the same core."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Sequence

from packls import __version__
from packls.checks import check_workspace, iter_findings
from packls.findings import Severity
from packls.model import Runnable
from packls.report.findings_json import render_json
from packls.report.findings_text import render_text
from packls.report.resolutions import render_resolutions_json, render_resolutions_text
from packls.resolve import DEFAULT_RUNTIME_ENVS_DIR, resolve
from packls.workspace import Workspace, discover_pack_roots

FAIL_ON = ("error", "warning", "information", "hint", "never")


class UsageError(Exception):
    """A problem with the command line or the paths it names (exit 2)."""


def build_parser() -> argparse.ArgumentParser:
    """The argument parser for every subcommand."""
    parser = argparse.ArgumentParser(prog="packls", description="Authoring toolkit for Attune packs.")
    parser.add_argument("--version", action="version", version=f"packls {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    validate = commands.add_parser("validate", help="check packs and report findings")
    validate.add_argument("paths", nargs="*", type=Path, default=[Path(".")], metavar="PATH")
    validate.add_argument("--format", choices=("text", "json"), default="text")
    validate.add_argument("--fail-on", choices=FAIL_ON, default="error", help="lowest severity that fails (exit 1)")

    resolve_cmd = commands.add_parser("resolve", help="show which runtime version each action and sensor gets")
    resolve_cmd.add_argument("paths", nargs="*", type=Path, default=[Path(".")], metavar="PATH")
    resolve_cmd.add_argument("--format", choices=("text", "json"), default="text")
    resolve_cmd.add_argument("--runtime-envs-dir", default=DEFAULT_RUNTIME_ENVS_DIR)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run a subcommand and return its exit code."""
    args = build_parser().parse_args(argv)
    try:
        if args.command == "validate":
            return run_validate(args)
        if args.command == "resolve":
            return run_resolve(args)
    except UsageError as error:
        print(f"packls: {error}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # `packls ... | head`: the reader left, nothing more to say
        sys.stderr.close()
        return 0
    return 2


def load_workspace(paths: list[Path]) -> tuple[Workspace, set[Path] | None]:
    """The workspace for the given paths, and the files to report on when files were named."""
    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        raise UsageError(f"no such file or directory: {', '.join(missing)}")
    if not discover_pack_roots(paths):
        raise UsageError(
            f"no pack found in {', '.join(str(p) for p in paths)} (a pack is a folder with pack.yaml)"
        )
    workspace = Workspace.load(paths)
    named_files = [p.resolve() for p in paths if p.is_file()]
    only = set(named_files) if named_files and len(named_files) == len(paths) else None
    return workspace, only


def run_validate(args: argparse.Namespace) -> int:
    """`packls validate`: findings in the chosen format; exit 1 when one reaches --fail-on."""
    workspace, only = load_workspace(args.paths)
    results = check_workspace(workspace, only)
    findings = list(iter_findings(results))
    texts = {source.path: source.text for source in workspace.sources()}
    if args.format == "json":
        print(render_json(findings, texts, len(results)))
    else:
        if findings:
            print(render_text(findings, texts))
        print(_summary(len(results), findings))
    if args.fail_on == "never":
        return 0
    threshold = Severity.from_label(args.fail_on)
    return 1 if any(f.severity <= threshold for f in findings) else 0


def _summary(files: int, findings: list) -> str:
    counts = {severity: 0 for severity in Severity}
    for item in findings:
        counts[item.severity] += 1
    parts = [f"{counts[s]} {s.label}{'s' if counts[s] != 1 else ''}" for s in Severity if counts[s]]
    return f"{files} file{'s' if files != 1 else ''} checked: " + (", ".join(parts) if parts else "no problems")


def run_resolve(args: argparse.Namespace) -> int:
    """`packls resolve`: which runtime version every action and sensor gets, and why."""
    workspace, only = load_workspace(args.paths)
    components = [c for c in workspace.runnables() if only is None or c.path in only]
    resolutions = [resolve(c, workspace, args.runtime_envs_dir) for c in components]
    if args.format == "json":
        print(render_resolutions_json(resolutions))
    else:
        print(render_resolutions_text(resolutions))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
