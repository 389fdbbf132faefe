"""`packls schema [KIND]`: JSON Schema (draft 2020-12) of pack files, from the tables the checks use."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from packls.cli.errors import UsageError

NAME = "schema"
HELP = "print the JSON Schema of a pack file kind (for yaml-language-server and other editors)"
DESCRIPTION = """\
Print the JSON Schema (draft 2020-12) of one pack file kind: every key Attune reads, with its
type, description, default and allowed values. Without KIND, list the kinds and the files each
applies to. --output-dir writes every schema and prints the `yaml.schemas` setting that maps
them to pack files in yaml-language-server (VS Code's YAML extension, coc-yaml, …)."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """KIND and --output-dir."""
    from packls.schema.export import KINDS

    parser.add_argument("kind", nargs="?", choices=sorted(KINDS), metavar="KIND",
                        help=f"one of {', '.join(sorted(KINDS))} (default: list them)")
    parser.add_argument("--output-dir", type=Path, default=None, metavar="DIR",
                        help="write <kind>.schema.json for every kind into DIR and print the yaml.schemas setting")


def run(args: argparse.Namespace) -> int:
    """Print one schema, list the kinds, or write them all."""
    from packls.schema.export import KINDS, render_schema

    if args.output_dir is not None:
        if args.kind is not None:
            raise UsageError("give either KIND or --output-dir, not both")
        args.output_dir.mkdir(parents=True, exist_ok=True)
        mapping = {}
        for kind, (_, globs) in KINDS.items():
            path = args.output_dir / f"{kind}.schema.json"
            path.write_text(render_schema(kind), encoding="utf-8")
            mapping[path.as_posix()] = list(globs)
        print(json.dumps({"yaml.schemas": mapping}, indent=2))
        return 0
    if args.kind is not None:
        print(render_schema(args.kind), end="")
        return 0
    width = max(len(kind) for kind in KINDS)
    for kind, (file_kind, globs) in KINDS.items():
        print(f"{kind:<{width}}  {file_kind.value:<16}  {' '.join(globs)}")
    return 0
