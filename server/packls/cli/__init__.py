"""The `packls` command: validate, resolve, serve, sync and the helpers around them, on one core.

One module per subcommand in `commands/`; `main` parses and dispatches; `loading` holds what
validate, resolve and --fix share. `validate` never imports the language server.
"""

from __future__ import annotations

from packls.cli.commands.validate import exit_code
from packls.cli.loading import UsageError, load_workspace, resolve_config, validate
from packls.cli.main import build_parser, main

__all__ = ["UsageError", "build_parser", "exit_code", "load_workspace", "main", "resolve_config", "validate"]
