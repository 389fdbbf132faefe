"""What `packls sync` takes from the configuration: the store (`database`) and the indexes to sync."""

from __future__ import annotations

import argparse
from pathlib import Path

from packls.cli.loading import UsageError, say
from packls.config import Config, load_config, load_config_file
from packls.config_files import find_config_root


def sync_config(args: argparse.Namespace) -> Config:
    """--config, else the nearest packls.toml / [tool.packls] above the current folder."""
    explicit = getattr(args, "config", None)
    if explicit is not None:
        if not explicit.is_file():
            raise UsageError(f"no such config file: {explicit}")
        config, problems = load_config_file(explicit.resolve())
    else:
        root = find_config_root(Path.cwd())
        if root is None:
            return Config()
        config, problems = load_config(root)
    for problem in problems:
        say(f"{config.source}: {problem.message}")
    return config


def configured_sync(args: argparse.Namespace) -> tuple[str | None, list[dict[str, object]]]:
    """The configuration's store and `[{url, priority}]` indexes; a remote store a repository names is refused."""
    config = sync_config(args)
    database = config.database
    if database is not None and getattr(args, "database", None) is None and config.source is not None:
        from packls.registry.load import remote_host
        from packls.registry.store import resolve_location

        location = resolve_location(database)
        host = remote_host(location.target) if location.kind == "postgres" else None
        if host is not None:
            raise UsageError(
                f"{config.source.name} names a database on {host}; packls connects to another machine only when "
                "you name it yourself (--database or $PACKLS_DATABASE)"
            )
    return database, [{"url": url, "priority": priority} for url, priority in config.indexes]
