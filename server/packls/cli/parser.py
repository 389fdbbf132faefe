"""The argument parser: one module per subcommand adds its options; mistakes get a did-you-mean."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from types import ModuleType
from typing import Any, NoReturn, Sequence

from packls import __version__

FORMATS = ("text", "concise", "json", "sarif", "github", "gitlab", "junit")  # validate --output-format
MACHINE_FORMATS = frozenset({"json", "sarif", "gitlab", "junit"})  # one document on stdout, nothing else
EXIT_CODES = """\
exit codes:
  0  the command worked; for validate, nothing reached --fail-on
  1  validate, resolve: a finding reached --fail-on (validate --diff: a file would change);
     sync: an index or the workers payload failed
  2  usage error: unknown command or option, no such path, no pack, unreadable configuration"""


def terminal_columns() -> int:
    """The width help is wrapped to, found as `shutil.get_terminal_size` finds it ($COLUMNS, the
    terminal, else 80) without importing shutil (and its compression modules) on every run."""
    try:
        columns = int(os.environ.get("COLUMNS", "0"))
    except ValueError:
        columns = 0
    if columns <= 0:
        try:
            columns = os.get_terminal_size(sys.__stdout__.fileno()).columns  # type: ignore[union-attr]
        except (AttributeError, ValueError, OSError):
            columns = 0
    return columns if columns > 0 else 80


class HelpFormatter(argparse.RawDescriptionHelpFormatter):
    """argparse's formatter (descriptions kept as written), sized by `terminal_columns`: argparse
    builds one per option it adds, and its own sizing imports shutil."""

    def __init__(self, prog: str, indent_increment: int = 2, max_help_position: int = 24, width: int | None = None) -> None:
        super().__init__(prog, indent_increment, max_help_position, terminal_columns() - 2 if width is None else width)


class PacklsParser(argparse.ArgumentParser):
    """argparse with ruff's manners: `did you mean …?` for misspelt commands, options and choices."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", HelpFormatter)
        super().__init__(*args, **kwargs)

    def parse_args(self, args: Sequence[str] | None = None, namespace: Any = None) -> Any:  # type: ignore[override]
        """Parse, then name the closest known option for every unrecognised one."""
        argv = list(sys.argv[1:] if args is None else args)
        parsed, extras = self.parse_known_args(argv, namespace)
        if extras:
            owner = self._command_parser(argv) or self
            owner.error(unrecognized_message(extras, owner, self))
        return parsed

    def _check_value(self, action: argparse.Action, value: Any) -> None:
        """A value outside the choices: list them and suggest the closest."""
        choices = action.choices
        if choices is not None and value not in choices:
            names = [str(choice) for choice in choices]
            message = f"invalid choice: {value!r} (choose from {', '.join(names)})"
            from difflib import get_close_matches  # (only on a mistake)

            close = get_close_matches(str(value), names, n=1, cutoff=0.6)
            if close:
                message += f"; did you mean {close[0]!r}?"
            raise argparse.ArgumentError(action, message)

    def error(self, message: str) -> NoReturn:
        """Usage, the problem and a pointer to --help; exit 2."""
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: error: {message}\n  (run '{self.prog} --help' for every option)\n")

    def _command_parser(self, argv: list[str]) -> argparse.ArgumentParser | None:
        """The subcommand parser argv invokes, if any."""
        for action in self._actions:
            if isinstance(action, argparse._SubParsersAction):
                for word in argv:
                    if word in action.choices:
                        return action.choices[word]  # type: ignore[no-any-return]
        return None


def unrecognized_message(extras: list[str], *parsers: argparse.ArgumentParser) -> str:
    """`unrecognized arguments: --fxi (did you mean --fix?)`."""
    from difflib import get_close_matches  # (only on a mistake)

    known = sorted({option for parser in parsers for action in parser._actions for option in action.option_strings})
    parts = []
    for extra in extras:
        word = extra.split("=", 1)[0]
        close = get_close_matches(word, known, n=1, cutoff=0.6) if word.startswith("-") else []
        parts.append(f"{extra} (did you mean {close[0]}?)" if close else extra)
    return "unrecognized arguments: " + " ".join(parts)


def build_parser(commands: Sequence[ModuleType]) -> PacklsParser:
    """The `packls` parser: every command module adds its own subcommand."""
    parser = PacklsParser(
        prog="packls",
        description="Authoring toolkit for Attune packs: validate, resolve, serve and sync, on one engine.",
        epilog=EXIT_CODES,
    )
    parser.add_argument("-V", "--version", action="version", version=f"packls {__version__}",
                        help="print the version and exit")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND", parser_class=PacklsParser)
    for module in commands:
        command = sub.add_parser(
            module.NAME, help=module.HELP, description=getattr(module, "DESCRIPTION", module.HELP),
            epilog=getattr(module, "EPILOG", EXIT_CODES),
        )
        module.add_arguments(command)
        command.set_defaults(run=module.run)
    return parser


def positive_int(text: str) -> int:
    """argparse type: a whole number >= 1."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, not {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected at least 1, not {value}")
    return value


def add_config_options(command: argparse.ArgumentParser) -> None:
    """--database, --no-registry, --config and --no-config (validate, resolve, config)."""
    registry = command.add_mutually_exclusive_group()
    registry.add_argument(
        "--database", default=None, metavar="URL",
        help="registry store with synced availability (default: the config's, $PACKLS_DATABASE, else the per-user file)",
    )
    registry.add_argument("--no-registry", action="store_true",
                          help="ignore synced registry facts: every declared version counts as available")
    group = command.add_mutually_exclusive_group()
    group.add_argument("--config", type=Path, default=None, metavar="FILE", help="packls.toml or pyproject.toml to use")
    group.add_argument("--no-config", action="store_true", help="ignore configuration files")


def add_color_option(command: argparse.ArgumentParser) -> None:
    """--color auto|always|never (auto honours NO_COLOR, FORCE_COLOR and whether stdout is a terminal)."""
    command.add_argument("--color", choices=("auto", "always", "never"), default="auto",
                         help="colour the output: auto (a terminal, unless NO_COLOR is set; FORCE_COLOR forces it), "
                              "always or never (default: auto)")

