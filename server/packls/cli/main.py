"""`packls`: parse the command line, run one subcommand, turn expected failures into exit codes."""

from __future__ import annotations

import os
import sys
from importlib import import_module
from types import ModuleType
from typing import NoReturn, Sequence

from packls.cli.errors import UsageError, say
from packls.cli.parser import PacklsParser, build_parser as _build_parser

# Every subcommand, in the order help lists them: each a module of packls.cli.commands with NAME, HELP,
# add_arguments and run.
COMMANDS = ("validate", "resolve", "serve", "sync", "rule", "rules", "config", "schema", "completion")
# Commands that hold nothing once they return (no store being written, no server, no child process):
# their process may leave without the interpreter's teardown, which frees every object one by one.
QUICK_EXIT = frozenset({"validate", "resolve", "rule", "rules", "config", "schema", "completion"})


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
    args = build_parser(_command_word(words)).parse_args(words)
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


def run(argv: Sequence[str] | None = None) -> NoReturn:
    """The `packls` program: `main`, then, after a QUICK_EXIT command, an exit that skips the
    interpreter's teardown (~15 ms of a small pack's validate; far more after 10,000 files)."""
    words = list(sys.argv[1:] if argv is None else argv)
    code = main(words)
    if _command_word(words) not in QUICK_EXIT:
        raise SystemExit(code)
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a reader that left, or a stream already closed
            pass
    os._exit(code)


def _command_word(words: Sequence[str]) -> str | None:
    return next((word for word in words if not word.startswith("-")), None)
