"""`packls`: parse the command line, run one subcommand, turn expected failures into exit codes."""

from __future__ import annotations

import sys
from types import ModuleType
from typing import Sequence

from packls.cli.commands import completion, config, resolve, rule, rules, schema, serve, sync, validate
from packls.cli.errors import UsageError, say
from packls.cli.parser import PacklsParser, build_parser as _build_parser

COMMANDS: tuple[ModuleType, ...] = (validate, resolve, serve, sync, rule, rules, config, schema, completion)


def build_parser(command: str | None = None) -> PacklsParser:
    """The parser of every subcommand (also what `packls completion` describes); given a command's name,
    of that one only (each command's options may need its own imports: `serve` and `validate` load nothing
    the others need)."""
    chosen = tuple(module for module in COMMANDS if module.NAME == command)
    return _build_parser(chosen or COMMANDS)


def main(argv: Sequence[str] | None = None) -> int:
    """Run a subcommand and return its exit code."""
    words = list(sys.argv[1:] if argv is None else argv)
    named = next((word for word in words if not word.startswith("-")), None)
    args = build_parser(named).parse_args(words)
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
