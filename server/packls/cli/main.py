"""`packls`: parse the command line, run one subcommand, turn expected failures into exit codes."""

from __future__ import annotations

import gc
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
# Allocations between young-generation collections in those commands (Python's default: 700). Cyclic
# garbage waits at most this many allocations; importing and loading stop paying for ~100 collections.
ONE_SHOT_COLLECTION_THRESHOLD = 100_000


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
    one_shot = _command_word(words) in QUICK_EXIT
    if one_shot:  # what a one-shot run builds (modules, trees) lives until it ends: collect far less often
        gc.set_threshold(ONE_SHOT_COLLECTION_THRESHOLD)
    code = main(words)
    if not one_shot:
        raise SystemExit(code)
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a reader that left, or a stream already closed
            pass
    os._exit(code)


def _command_word(words: Sequence[str]) -> str | None:
    return next((word for word in words if not word.startswith("-")), None)
