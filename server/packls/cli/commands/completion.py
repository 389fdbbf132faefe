"""`packls completion bash|zsh|fish`: a completion script for the shell, generated from the parser."""

from __future__ import annotations

import argparse

NAME = "completion"
HELP = "print a shell completion script (bash, zsh or fish)"
DESCRIPTION = """\
Print a completion script for commands, options, their values and rule codes:
  bash:  eval "$(packls completion bash)"           (e.g. in ~/.bashrc)
  zsh:   packls completion zsh > "${fpath[1]}/_packls"  (or eval it after compinit)
  fish:  packls completion fish > ~/.config/fish/completions/packls.fish"""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """SHELL."""
    parser.add_argument("shell", choices=("bash", "zsh", "fish"), metavar="SHELL", help="bash, zsh or fish")


def run(args: argparse.Namespace) -> int:
    """Print the script."""
    from packls.cli.completion_scripts import SCRIPTS
    from packls.cli.main import build_parser

    print(SCRIPTS[args.shell](build_parser()), end="")
    return 0
