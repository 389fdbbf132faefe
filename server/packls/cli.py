"""The `packls` command: validate, resolve, serve and sync, all on the same core."""

from __future__ import annotations

import argparse
import functools
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Sequence

from packls import __version__
from packls.checks import iter_findings
from packls.parallel import check_parallel
from packls.facts import NO_FACTS, RegistryFacts
from packls.config import Config, ConfigProblem, apply_config, find_config_root, load_config, load_config_file
from packls.config import read_config_text
from packls.findings import Finding, Severity
from packls.report.escape import output_line
from packls.report.findings_json import render_json
from packls.report.findings_text import render_text
from packls.report.github import render_github
from packls.report.resolutions import render_resolutions_json, render_resolutions_text
from packls.report.sarif import render_sarif
from packls.resolutions import findings_of, list_runnables
from packls.resolve import DEFAULT_RUNTIME_ENVS_DIR
from packls.workspace import Workspace, discover_pack_roots

FAIL_ON = ("error", "warning", "information", "hint", "never")
FORMATS = ("text", "json", "sarif", "github")


class UsageError(Exception):
    """A problem with the command line or the paths it names (exit 2)."""


def build_parser() -> argparse.ArgumentParser:
    """The argument parser for every subcommand."""
    parser = argparse.ArgumentParser(prog="packls", description="Authoring toolkit for Attune packs.")
    parser.add_argument("--version", action="version", version=f"packls {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    validate = commands.add_parser("validate", help="check packs and report findings")
    validate.add_argument("paths", nargs="*", type=Path, default=[Path(".")], metavar="PATH")
    validate.add_argument("--format", choices=FORMATS, default="text", help="output format (default: text)")
    validate.add_argument("--fail-on", choices=FAIL_ON, default="error", help="lowest severity that fails (exit 1)")
    validate.add_argument("--stats", action="store_true", help="print counts per severity and per rule")
    validate.add_argument("--jobs", "-j", type=_positive_int, default=None, metavar="N",
                          help="processes checking files (default: the usable CPUs; 1: none forked)")
    _config_options(validate)

    resolve_cmd = commands.add_parser("resolve", help="show which runtime version each action and sensor gets")
    resolve_cmd.add_argument("paths", nargs="*", type=Path, default=[Path(".")], metavar="PATH")
    resolve_cmd.add_argument("--format", choices=("text", "json", "markdown"), default="text",
                             help="output format (markdown: a comparison, for a pull-request comment)")
    resolve_cmd.add_argument("--runtime-envs-dir", default=None, help=f"default: the config's, else {DEFAULT_RUNTIME_ENVS_DIR}")
    resolve_cmd.add_argument("--fail-on", choices=FAIL_ON, default="error", help="lowest severity of a resolution finding that fails (exit 1)")
    _config_options(resolve_cmd)
    _review_options(resolve_cmd)

    serve = commands.add_parser("serve", help="run the language server (stdio by default)")
    serve.add_argument("--tcp", metavar="HOST:PORT", default=None, help="listen on TCP instead of stdio")
    serve.add_argument("--log-file", metavar="PATH", type=Path, default=None, help="write the server log here")
    serve.add_argument("-v", "--verbose", action="count", default=0, help="more logging (repeat for debug)")

    sync = commands.add_parser("sync", help="sync pack indexes and runtime availability into the registry store")
    try:
        from packls.registry.command import add_sync_arguments
    except ImportError:
        sync.add_argument("rest", nargs=argparse.REMAINDER, help=argparse.SUPPRESS)
    else:
        add_sync_arguments(sync)
    return parser


def _config_options(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--database", default=None, metavar="URL",
        help="registry store with synced availability (default: the config's, $PACKLS_DATABASE, else the per-user file)",
    )
    group = command.add_mutually_exclusive_group()
    group.add_argument("--config", type=Path, default=None, metavar="FILE", help="packls.toml or pyproject.toml to use")
    group.add_argument("--no-config", action="store_true", help="ignore configuration files")


def _review_options(command: argparse.ArgumentParser) -> None:
    """`resolve` as a review: what a change (or a what-if) does to version selection (packls.review)."""
    group = command.add_argument_group("comparing selections")
    other = group.add_mutually_exclusive_group()
    other.add_argument("--since", metavar="REV", default=None, help="compare with the same paths at this git revision")
    other.add_argument("--base", metavar="DIR", type=Path, default=None,
                       help="compare with another checkout of the current folder (no git needed)")
    for available in (False, True):
        group.add_argument(
            f"--assume-{'available' if available else 'unavailable'}", metavar="RUNTIME@VERSION", action="append",
            dest="assumptions", default=[], type=functools.partial(_assumption, available=available),
            help=f"what if this declared version were {'available' if available else 'unavailable'} (repeatable; nothing is written)",
        )
    group.add_argument("--fail-on-change", action="store_true", help="exit 1 when any selection changed")
    group.add_argument("--fail-on-unsatisfied", action="store_true",
                       help="exit 1 when a component that selected a version selects none now")


def _assumption(text: str, available: bool) -> object:
    """argparse type: RUNTIME@VERSION."""
    from packls.review import parse_assumption

    try:
        return parse_assumption(text, available)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def _run_resolve_review(args: argparse.Namespace, config: Config, workspace: Workspace, only: set[Path] | None, envs_dir: str) -> int:
    """`resolve --since/--base/--assume-…`: the comparison, its report and its gates."""
    from packls import review
    from packls.git_revision import RevisionError

    request = review.Request(args.paths, args.since, args.base, tuple(args.assumptions), envs_dir)
    if not request.compares:
        if args.format == "markdown" or args.fail_on_change or args.fail_on_unsatisfied:
            raise UsageError("--format markdown and --fail-on-change/--fail-on-unsatisfied need a comparison: "
                             "--since REV, --base DIR or --assume-(un)available RUNTIME@VERSION")
        return -1
    try:
        diff, compared = review.review(request, workspace, only, config)
    except (review.ReviewError, RevisionError) as error:
        raise UsageError(str(error)) from None
    print(review.render(diff, compared, args.format))
    return review.exit_code(diff, args.fail_on_change, args.fail_on_unsatisfied)


def main(argv: Sequence[str] | None = None) -> int:
    """Run a subcommand and return its exit code."""
    args = build_parser().parse_args(argv)
    try:
        if args.command == "validate":
            return run_validate(args)
        if args.command == "resolve":
            return run_resolve(args)
        if args.command == "serve":
            return run_serve(args)
        if args.command == "sync":
            return run_sync_command(args)
    except UsageError as error:
        print(output_line(f"packls: {error}"), file=sys.stderr)
        return 2
    except BrokenPipeError:  # `packls ... | head`: the reader left, nothing more to say
        sys.stderr.close()
        return 0
    return 2


def run_serve(args: argparse.Namespace) -> int:
    """`packls serve`: the language server lives in packls.lsp (imported only when asked for)."""
    try:
        from packls.lsp.server import run_server
    except ImportError as error:
        raise UsageError(f"the language server is not available in this installation ({error})") from error
    return int(run_server(args) or 0)


def run_sync_command(args: argparse.Namespace) -> int:
    """`packls sync`: the registry sync lives in packls.registry (imported only when asked for)."""
    try:
        from packls.registry.command import run_sync
    except ImportError as error:
        raise UsageError(f"the registry sync is not available in this installation ({error})") from error
    return int(run_sync(args) or 0)


def resolve_config(args: argparse.Namespace) -> tuple[Config, list[ConfigProblem]]:
    """--config, else the nearest packls.toml / [tool.packls] above the first path or the current folder."""
    if getattr(args, "no_config", False):
        return Config(root=Path.cwd()), []
    if args.config is not None:
        if not args.config.is_file():
            raise UsageError(f"no such config file: {args.config}")
        return load_config_file(args.config.resolve())
    for start in (*(Path(p).resolve() for p in args.paths[:1]), Path.cwd()):
        root = find_config_root(start)
        if root is not None:
            return load_config(root)
    return Config(root=Path.cwd()), []


def load_registry_facts(database: str | None, named_by: Path | None = None) -> RegistryFacts:
    """Synced availability and indexes from the registry store; a store that cannot be read is said once."""
    try:
        from packls.registry import load_facts_checked
    except ImportError:
        return NO_FACTS
    loaded = load_facts_checked(database, named_by=named_by)
    if loaded.warning:
        print(output_line(f"packls: {loaded.warning}"), file=sys.stderr)
    return loaded.facts


def load_workspace(
    paths: list[Path], config: Config | None = None, database: str | None = None
) -> tuple[Workspace, set[Path] | None]:
    """The workspace for the given paths, and the files to report on when files were named."""
    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        raise UsageError(f"no such file or directory: {', '.join(missing)}")
    if not discover_pack_roots(paths):
        raise UsageError(
            f"no pack found in {', '.join(str(p) for p in paths)} (a pack is a folder with pack.yaml)"
        )
    config = config or Config()
    exclude = config.is_excluded if config.exclude else None
    facts = load_registry_facts(database or config.database, named_by=None if database else config.source)
    workspace = Workspace.load(paths, facts, exclude=exclude, extra_catalog_paths=config.extra_catalog_paths)
    named_files = [p.resolve() for p in paths if p.is_file()]
    only = set(named_files) if named_files and len(named_files) == len(paths) else None
    return workspace, only


def collect_findings(args: argparse.Namespace) -> tuple[list[Finding], dict[Path, str], int]:
    """Everything `validate` reports, configured: findings, the texts they point into, files checked."""
    config, problems = resolve_config(args)
    return validate(args.paths, config, problems, args.database, jobs=getattr(args, "jobs", None))


def validate(
    paths: list[Path],
    config: Config | None = None,
    problems: Sequence[ConfigProblem] = (),
    database: str | None = None,
    jobs: int | None = None,
) -> tuple[list[Finding], dict[Path, str], int]:
    """Check the packs under paths with a configuration: what every output format renders."""
    config = config or Config(root=Path.cwd())
    workspace, only = load_workspace(paths, config, database)
    results = check_parallel(workspace, only, jobs)
    texts = {source.path: source.text for source in workspace.sources()}
    findings = list(iter_findings(results))
    if problems and config.source is not None:
        try:
            texts[config.source] = read_config_text(config.source)
        except (OSError, UnicodeDecodeError):
            texts[config.source] = ""
        findings += [problem.to_finding(config.source) for problem in problems]
    return apply_config(findings, config, texts), texts, len(results)


def run_validate(args: argparse.Namespace) -> int:
    """`packls validate`: findings in the chosen format; exit 1 when one reaches --fail-on."""
    started = time.perf_counter()
    findings, texts, files = collect_findings(args)
    elapsed = time.perf_counter() - started
    if args.format == "json":
        print(render_json(findings, texts, files))
    elif args.format == "sarif":
        print(render_sarif(findings, texts))
    elif args.format == "github":
        output = render_github(findings, texts)
        if output:
            print(output)
    else:
        if findings:
            print(render_text(findings, texts))
        print(_summary(files, findings))
    if args.stats:
        print(render_stats(findings, files, elapsed), file=sys.stdout if args.format == "text" else sys.stderr)
    return exit_code(findings, args.fail_on)


def _positive_int(text: str) -> int:
    """argparse type: a whole number >= 1."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, not {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected at least 1, not {value}")
    return value


def exit_code(findings: list[Finding], fail_on: str) -> int:
    """0 when nothing reaches the threshold, 1 when something does."""
    if fail_on == "never":
        return 0
    threshold = Severity.from_label(fail_on)
    return 1 if any(f.severity <= threshold for f in findings) else 0


def _summary(files: int, findings: list[Finding]) -> str:
    counts = Counter(item.severity for item in findings)
    parts = [f"{counts[s]} {s.label}{'s' if counts[s] != 1 else ''}" for s in Severity if counts[s]]
    return f"{files} file{'s' if files != 1 else ''} checked: " + (", ".join(parts) if parts else "no problems")


def render_stats(findings: list[Finding], files: int, elapsed: float) -> str:
    """A small table: findings per severity and per rule code, and how long it took."""
    by_code = Counter((item.code, item.severity) for item in findings)
    lines = [f"packls: {files} files, {len(findings)} findings in {elapsed * 1000:.0f} ms"]
    for severity in Severity:
        count = sum(1 for item in findings if item.severity is severity)
        if count:
            lines.append(f"  {severity.label:<12}{count:>5}")
    if by_code:
        lines.append("  by rule:")
        width = max(len(code) for code, _ in by_code)
        for (code, severity), count in sorted(by_code.items(), key=lambda kv: (-kv[1], kv[0][0])):
            lines.append(f"    {code:<{width}}  {severity.label:<12}{count:>5}")
    return "\n".join(lines)


def run_resolve(args: argparse.Namespace) -> int:
    """`packls resolve`: which runtime version every action and sensor gets, and why."""
    config, _ = resolve_config(args)
    workspace, only = load_workspace(args.paths, config, args.database)
    envs_dir = args.runtime_envs_dir or config.runtime_envs_dir or DEFAULT_RUNTIME_ENVS_DIR
    reviewed = _run_resolve_review(args, config, workspace, only, envs_dir)
    if reviewed >= 0:
        return reviewed
    listed = list_runnables(workspace, only, envs_dir, config)
    if args.format == "json":
        print(render_resolutions_json(listed))
    else:
        print(render_resolutions_text(listed))
    return exit_code(findings_of(listed), args.fail_on)


if __name__ == "__main__":
    raise SystemExit(main())
