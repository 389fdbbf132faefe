"""`packls resolve`: which runtime version every action and sensor gets, and why."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from packls.cli.loading import load, load_registry, resolve_config
from packls.cli.parser import add_config_options
from packls.report.resolutions import render_resolutions_text, resolution_record
from packls.resolve import DEFAULT_RUNTIME_ENVS_DIR, resolve

NAME = "resolve"
HELP = "show which runtime version each action and sensor gets"
DESCRIPTION = """\
For every action and sensor: how its runner_type resolves, its runtime_version constraint, the
version a worker would select with every declared version's verdict, and the environment folder.
With synced registry facts (packls sync), only available versions are selected."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Paths, --format, --runtime-envs-dir and the configuration options."""
    parser.add_argument("paths", nargs="*", type=Path, default=[Path(".")], metavar="PATH",
                        help="packs, folders holding packs, or files inside packs (default: .)")
    parser.add_argument("--format", "--output-format", dest="format", choices=("text", "json"), default="text",
                        help="output format (default: text)")
    parser.add_argument("--runtime-envs-dir", default=None, metavar="DIR",
                        help=f"where workers keep environments (default: the config's, else {DEFAULT_RUNTIME_ENVS_DIR})")
    add_config_options(parser)


def run(args: argparse.Namespace) -> int:
    """Print every resolution; exit 0."""
    config, _ = resolve_config(args)
    loaded = load(args.paths, config, load_registry(args.database, config, ignore=args.no_registry))
    envs_dir = args.runtime_envs_dir or config.runtime_envs_dir or DEFAULT_RUNTIME_ENVS_DIR
    workspace, only = loaded.workspace, loaded.only
    components = [c for c in workspace.runnables() if only is None or c.path in only]
    resolutions = [resolve(c, workspace, envs_dir) for c in components]
    for note in loaded.notes:
        print(f"packls: {note}", file=sys.stderr)
    if args.format == "json":
        document = {"components": [resolution_record(r) for r in resolutions], "registry": loaded.registry.record()}
        print(json.dumps(document, indent=2, ensure_ascii=False))
    else:
        notice = loaded.registry.notice()
        if notice:
            print(f"packls: {notice}", file=sys.stderr)
        print(render_resolutions_text(resolutions))
    return 0
