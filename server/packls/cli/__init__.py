"""The `packls` command: validate, resolve, serve, sync and the helpers around them, on one core.

One module per subcommand in `commands/`; `main` parses and dispatches; `loading` holds what
validate, resolve and --fix share. Each subcommand loads what it needs when it runs: `serve`
answers its editor before the checks are imported, and `validate` never loads the language server.
"""

from __future__ import annotations

from typing import Any

from packls.cli.errors import UsageError
from packls.cli.main import build_parser, main, run

__all__ = ["UsageError", "build_parser", "exit_code", "load_workspace", "main", "resolve_config", "run", "validate"]
_LOADING = ("load_workspace", "resolve_config", "validate")


def __getattr__(name: str) -> Any:
    """The workspace-loading helpers, imported on first use (they load the whole core)."""
    if name in _LOADING:
        from packls.cli import loading

        return getattr(loading, name)
    if name == "exit_code":
        from packls.cli.commands.validate import exit_code

        return exit_code
    raise AttributeError(f"module 'packls.cli' has no attribute {name!r}")
