"""`packls`: parse the command line, run one subcommand, turn expected failures into exit codes."""

from __future__ import annotations

import sys
from importlib import import_module
from types import ModuleType
from typing import Sequence

from packls.cli.errors import UsageError, say
from packls.cli.parser import PacklsParser, build_parser as _build_parser

# Every subcommand, in the order help lists them: each a module of packls.cli.commands with NAME, HELP,
# add_arguments and run.
COMMANDS = ("validate", "resolve", "serve", "sync", "rule", "rules", "config", "schema", "completion")


def command_modules(command: str | None = None) -> tuple[ModuleType, ...]:
    """The named subcommand's module, or every subcommand's when the name is none of them (imported here)."""
    names = (command,) if command in COMMANDS else COMMANDS
    return tuple(import_module(f"packls.cli.commands.{name}") for name in names)


def build_parser(command: str | None = None) -> PacklsParser:
    """The parser of every subcommand (also what `packls completion` describes); given a command's name,
    of that one only (each command's options may need its own imports: `serve` and `validate` load nothing
    the others need, and a run imports only its own command's module)."""
    return _build_parser(command_modules(command))


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
