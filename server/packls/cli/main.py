"""`packls`: parse the command line, run one subcommand, turn expected failures into exit codes."""

from __future__ import annotations

import sys
from types import ModuleType
from typing import Sequence

from packls.cli.commands import completion, config, resolve, rule, rules, schema, serve, sync, validate
from packls.cli.loading import UsageError, say
from packls.cli.parser import PacklsParser, build_parser as _build_parser

COMMANDS: tuple[ModuleType, ...] = (validate, resolve, serve, sync, rule, rules, config, schema, completion)


def build_parser() -> PacklsParser:
    """The parser of every subcommand (also what `packls completion` describes)."""
    return _build_parser(COMMANDS)


def main(argv: Sequence[str] | None = None) -> int:
    """Run a subcommand and return its exit code."""
    args = build_parser().parse_args(argv)
    try:
        return int(args.run(args))
    except UsageError as error:
        say(str(error))
        return 2
    except BrokenPipeError:  # `packls ... | head`: the reader left, nothing more to say
        sys.stderr.close()
        return 0
    except KeyboardInterrupt:  # --watch ends with Ctrl-C
        return 130
