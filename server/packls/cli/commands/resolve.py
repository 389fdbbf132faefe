"""`packls resolve`: which runtime version every action and sensor gets, and why."""

from __future__ import annotations

import argparse
from pathlib import Path

from packls.cli.loading import load, load_registry, resolve_config, say
from packls.cli.parser import add_config_options
from packls.cli.review import add_review_options, run_review
from packls.report.escape import json_dumps
from packls.report.resolutions import listed_record, render_resolutions_text
from packls.resolutions import findings_of, list_runnables
from packls.resolve import DEFAULT_RUNTIME_ENVS_DIR

NAME = "resolve"
HELP = "show which runtime version each action and sensor gets"
DESCRIPTION = """\
For every action and sensor: how its runner_type resolves, its runtime_version constraint, the
version a worker would select with every declared version's verdict, and the environment folder.
With synced registry facts (packls sync), only available versions are selected. Actions and
sensors that resolve to nothing are listed as unresolved with the findings behind them; the exit
code follows --fail-on over those findings."""
FAIL_ON = ("error", "warning", "information", "hint", "never")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Paths, --format, --runtime-envs-dir and the configuration options."""
    parser.add_argument("paths", nargs="*", type=Path, default=[Path(".")], metavar="PATH",
                        help="packs, folders holding packs, or files inside packs (default: .)")
    parser.add_argument("--format", "--output-format", dest="format", choices=("text", "json", "markdown"), default="text",
                        help="text (default), json, or markdown (a comparison, for a pull-request comment)")
    parser.add_argument("--runtime-envs-dir", default=None, metavar="DIR",
                        help=f"where workers keep environments (default: the config's, else {DEFAULT_RUNTIME_ENVS_DIR})")
    parser.add_argument("--fail-on", choices=FAIL_ON, default="error",
                        help="lowest severity of a resolution finding that makes the exit code 1 (default: error)")
    add_config_options(parser)
    add_review_options(parser)


def run(args: argparse.Namespace) -> int:
    """Print every action's and sensor's resolution; exit 1 when a resolution finding reaches --fail-on."""
    from packls.cli.commands.validate import exit_code

    config, _ = resolve_config(args)
    loaded = load(args.paths, config, load_registry(args.database, config, ignore=args.no_registry))
    envs_dir = args.runtime_envs_dir or config.runtime_envs_dir or DEFAULT_RUNTIME_ENVS_DIR
    reviewed = run_review(args, config, loaded.workspace, loaded.only, envs_dir)
    if reviewed is not None:
        return reviewed
    listed = list_runnables(loaded.workspace, loaded.only, envs_dir, config)
    for note in loaded.notes:
        say(note)
    if args.format == "json":
        document = {"components": [listed_record(entry) for entry in listed], "registry": loaded.registry.record()}
        print(json_dumps(document, indent=2))
    else:
        notice = loaded.registry.notice()
        if notice:
            say(notice)
        print(render_resolutions_text(listed))
    return exit_code(findings_of(listed), args.fail_on)
