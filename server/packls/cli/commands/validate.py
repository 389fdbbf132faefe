"""`packls validate`: check packs and report findings; --fix applies the editor's quick fixes."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from packls.cli.errors import UsageError, say
from packls.cli.parser import FORMATS, MACHINE_FORMATS, add_color_option, add_config_options, positive_int

if TYPE_CHECKING:  # what checking needs is imported when validate runs (serve and the rest never load it)
    from packls.cli.loading import Loaded
    from packls.cli.output import Report
    from packls.config import Config, ConfigProblem
    from packls.findings import Finding

NAME = "validate"
HELP = "check packs and report findings"
DESCRIPTION = """\
Check every pack below the given paths (a pack is a folder with pack.yaml) and report findings:
the same codes, spans and messages as the language server. Naming files reports on those files
only, still checked against the whole workspace. `-` reads one file from stdin (give its path
with --stdin-filename)."""
FAIL_ON = ("error", "warning", "information", "hint", "never")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Every validate option, grouped as ruff groups them."""
    parser.add_argument("paths", nargs="*", type=Path, default=[Path(".")], metavar="PATH",
                        help="packs, folders holding packs, or files inside packs; - reads stdin (default: .)")
    output = parser.add_argument_group("output")
    output.add_argument("--output-format", "--format", dest="format", choices=FORMATS, default="text", metavar="FORMAT",
                        help="text (default), concise (one line per finding), json, sarif, github (workflow "
                             "annotations), gitlab (Code Quality) or junit; --format is the same option")
    output.add_argument("--fail-on", choices=FAIL_ON, default="error",
                        help="lowest severity that makes the exit code 1 (default: error)")
    output.add_argument("--statistics", action="store_true",
                        help="print how many findings each rule has, and how many are fixable, instead of the findings")
    output.add_argument("--stats", action="store_true",
                        help="also print counts per severity and per rule, and the time taken")
    add_color_option(output)
    selection = parser.add_argument_group("rule selection (codes, areas such as `key`, or prefixes; comma-separated)")
    selection.add_argument("--select", action="append", metavar="CODES",
                           help="report only these rules (replaces the configuration's choice)")
    selection.add_argument("--extend-select", action="append", metavar="CODES",
                           help="also report these rules (even when the configuration turns them off)")
    selection.add_argument("--ignore", action="append", metavar="CODES", help="never report these rules")
    fixing = parser.add_argument_group("fixes")
    fixing.add_argument("--fix", action="store_true",
                        help="apply the safe quick fixes the editor offers, then report what remains")
    fixing.add_argument("--unsafe-fixes", action="store_true",
                        help="with --fix or --diff, also apply fixes that change a selected runtime version")
    fixing.add_argument("--diff", action="store_true",
                        help="print the fixes as a unified diff instead of writing them (exit 1 when there are some)")
    more = parser.add_argument_group("input and runs")
    more.add_argument("--stdin-filename", type=Path, default=None, metavar="PATH",
                      help="with `-`: check stdin as if it were this file of a pack on disk")
    more.add_argument("--watch", action="store_true",
                      help="check again whenever a pack file changes, printing only what changed (Ctrl-C stops)")
    more.add_argument("--jobs", "-j", type=positive_int, default=None, metavar="N",
                      help="processes parsing and checking packs (default: the usable CPUs; 1: none forked)")
    add_config_options(parser)


def run(args: argparse.Namespace) -> int:
    """Check, fix when asked, print, and return the exit code."""
    check_combinations(args)
    if args.watch:
        from packls.cli.watch import watch

        return watch(args)
    from packls.cli.loading import check_loaded

    started = time.perf_counter()
    config, problems = configure(args)
    loaded = load_for(args, config)
    if args.fix or args.diff:
        from packls.cli.fix import run_fix

        return run_fix(args, loaded, problems)
    findings, texts, files = check_loaded(loaded, problems, args.jobs)
    report = report_for(args, loaded, findings, texts, files)
    return finish(args, report, loaded, time.perf_counter() - started)


def check_combinations(args: argparse.Namespace) -> None:
    """Options that make no sense together are usage errors, said before any work."""
    reading_stdin = [str(p) for p in args.paths] == ["-"]
    if "-" in [str(p) for p in args.paths] and not reading_stdin:
        raise UsageError("`-` (stdin) cannot be combined with other paths")
    if reading_stdin and args.stdin_filename is None:
        raise UsageError("reading stdin (`-`) needs --stdin-filename PATH: the pack file the text stands for")
    if args.stdin_filename is not None and not reading_stdin:
        raise UsageError("--stdin-filename applies only when the path is `-` (stdin)")
    if args.watch and (reading_stdin or args.fix or args.diff or args.statistics):
        raise UsageError("--watch cannot be combined with stdin, --fix, --diff or --statistics")
    if args.watch and args.format not in ("text", "concise"):
        raise UsageError("--watch prints findings as they change: use --output-format text or concise")
    if args.unsafe_fixes and not (args.fix or args.diff):
        raise UsageError("--unsafe-fixes applies only with --fix or --diff")


def configure(args: argparse.Namespace) -> tuple[Config, list[ConfigProblem]]:
    """The configuration in effect, with the command line's rule selection over it."""
    from packls.cli.loading import resolve_config

    if [str(p) for p in args.paths] == ["-"]:
        args = argparse.Namespace(**{**vars(args), "paths": [args.stdin_filename]})
    config, problems = resolve_config(args)
    if args.select is None and not args.extend_select and not args.ignore:
        return config, problems
    from packls.selection import Selection, SelectorError, parse_selectors

    selection = Selection(parse_selectors(args.select), parse_selectors(args.extend_select) or (),
                          parse_selectors(args.ignore) or ())
    try:
        return selection.apply(config), problems
    except SelectorError as error:
        raise UsageError(str(error)) from error


def load_for(args: argparse.Namespace, config: Config) -> Loaded:
    """The workspace of the paths given, or of --stdin-filename with stdin's text in its place."""
    from packls.cli.loading import load, load_registry

    registry = load_registry(args.database, config, ignore=args.no_registry)
    if [str(p) for p in args.paths] != ["-"]:
        return load(args.paths, config, registry, defer=True)
    from packls.cli.stdin import load_stdin

    return load_stdin(args.stdin_filename, sys.stdin, config, registry)


def report_for(args: argparse.Namespace, loaded: Loaded, findings: list[Finding], texts: dict[Path, str], files: int) -> Report:
    """The report to print; which findings --fix could fix is worked out only where the output says it."""
    from packls.cli.output import Report

    report = Report(findings, texts, files, loaded.registry)
    if findings and (args.statistics or args.format in ("text", "concise")):
        from packls.cli.fix import fixability

        report.fixable = fixability(loaded, findings)
    return report


def finish(args: argparse.Namespace, report: Report, loaded: Loaded, elapsed: float, out: TextIO | None = None) -> int:
    """Print notes, the findings in the chosen format and the stats; return the exit code."""
    from packls.cli.output import render_findings, render_stats

    out = out or sys.stdout
    for note in loaded.notes:
        say(note)
    notice = report.registry.notice()
    if notice and args.format not in MACHINE_FORMATS:
        say(notice)
    output = render_findings(args, report)
    if output:
        print(output, file=out)
    if args.stats:
        print(render_stats(report.findings, report.files, elapsed), file=out if args.format == "text" else sys.stderr)
    return exit_code(report.findings, args.fail_on)


def exit_code(findings: list[Finding], fail_on: str) -> int:
    """0 when nothing reaches the threshold, 1 when something does."""
    from packls.findings import Severity

    if fail_on == "never":
        return 0
    threshold = Severity.from_label(fail_on)
    return 1 if any(f.severity <= threshold for f in findings) else 0
