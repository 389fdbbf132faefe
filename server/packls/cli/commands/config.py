"""`packls config [PATH]`: the configuration in effect for a path, and where each value came from."""

from __future__ import annotations

import argparse
import json
import os
import re
import tomllib
from pathlib import Path
from typing import TYPE_CHECKING, Any

from packls.cli.parser import add_config_options
from packls.runtime_names import DEFAULT_RUNTIME_ENVS_DIR

if TYPE_CHECKING:
    from packls.config import Config

NAME = "config"
HELP = "show the configuration in effect for a path and where each value comes from"
DESCRIPTION = """\
Show the settings validate and resolve use for PATH (default: .): each value, and whether it
comes from the configuration file (with its line), the command line, the environment or the
default. Problems in the configuration file are listed too."""
SETTINGS = ("exclude", "extra_catalog_paths", "runtime_envs_dir", "database", "diagnose_closed_files", "indexes", "severity")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """PATH, --format and the configuration options."""
    parser.add_argument("paths", nargs="?", type=Path, default=Path("."), metavar="PATH",
                        help="the file or folder whose configuration to show (default: .)")
    parser.add_argument("--output-format", "--format", dest="format", choices=("text", "json"), default="text",
                        help="text (default) or json")
    add_config_options(parser)


def run(args: argparse.Namespace) -> int:
    """Print every setting with its value and its source."""
    from packls.cli.loading import resolve_config
    from packls.report import display_path
    from packls.report.escape import json_dumps, output_lines

    args.paths = [args.paths]
    config, problems = resolve_config(args)
    located = _lines(config)
    rows = []
    for name in SETTINGS:
        value, source = _value(config, name), located.get(name)
        rows.append({"setting": name.replace("_", "-"), "value": value, "source": source or "default"})
    database = _database_row(args, config, located)
    document = {
        "path": display_path(args.paths[0].resolve()),
        "config_file": display_path(config.source) if config.source else None,
        "root": display_path(config.root) if config.root else None,
        "settings": rows,
        "registry_store": database,
        "problems": [problem.message for problem in problems],
    }
    if args.format == "json":
        print(json_dumps(document, indent=2))
    else:
        print(output_lines(render_text(document)))
    return 0


def render_text(document: dict[str, Any]) -> str:
    """`setting  value  (source)` lines under a header naming the file."""
    source = document["config_file"] or "no configuration file (defaults)"
    lines = [f"configuration for {document['path']}: {source}"]
    width = max(len(row["setting"]) for row in document["settings"])
    for row in document["settings"]:
        lines.append(f"  {row['setting']:<{width}}  {_shown(row['value'])}  ({row['source']})")
    store = document["registry_store"]
    lines.append(f"registry store: {store['value']}  ({store['source']})")
    for problem in document["problems"]:
        lines.append(f"problem: {problem}")
    return "\n".join(lines)


def _value(config: Config, name: str) -> Any:
    value = getattr(config, name)
    if name == "severity":
        return {code: level.label if level is not None else "off" for code, level in value.items()}
    if name == "extra_catalog_paths":
        return [str(path) for path in value]
    if name == "indexes":
        return [{"url": url, "priority": priority} for url, priority in value]
    if name == "exclude":
        return list(value)
    if name == "runtime_envs_dir" and value is None:
        return DEFAULT_RUNTIME_ENVS_DIR
    return value


def _database_row(args: argparse.Namespace, config: Config, located: dict[str, str]) -> dict[str, str]:
    """Which store validate and resolve read, and why that one."""
    if args.no_registry:
        return {"value": "none", "source": "--no-registry"}
    if args.database:
        value, source = args.database, "--database"
    elif config.database:
        value, source = config.database, located.get("database", "configuration")
    elif os.environ.get("PACKLS_DATABASE"):
        value, source = os.environ["PACKLS_DATABASE"], "$PACKLS_DATABASE"
    else:
        from packls.registry.location import default_database_path

        value, source = str(default_database_path()), "default: the per-user file"
    from packls.registry.redact import mask_dsn

    return {"value": mask_dsn(value) if value.startswith(("postgres://", "postgresql://")) else value, "source": source}


def _lines(config: Config) -> dict[str, str]:
    """`packls.toml:3` for each setting the configuration file sets."""
    from packls.config import setting_name
    from packls.config_files import read_config_text

    if config.source is None:
        return {}
    try:
        text = read_config_text(config.source)
        data = tomllib.loads(text)
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError, RecursionError):
        return {}
    if config.source.name == "pyproject.toml":
        data = data.get("tool", {}).get("packls", {}) if isinstance(data.get("tool"), dict) else {}
    found = {}
    for raw in data if isinstance(data, dict) else ():
        name = setting_name(str(raw))
        if name is None:
            continue
        match = re.search(rf'(?m)^[ \t]*(\[(tool\.packls\.)?)?"?{re.escape(str(raw))}"?[ \t]*[=\]]', text)
        line = text.count("\n", 0, match.start()) + 1 if match else None
        found[name] = f"{config.source.name}:{line}" if line else config.source.name
    return found


def _shown(value: Any) -> str:
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False) if value else ("[]" if isinstance(value, list) else "{}")
    if value is None:
        return "(none)"
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
