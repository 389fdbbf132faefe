"""The configuration the features apply: `packls.config`, the same module `packls validate` uses.

A thin seam so the session and the language server name one place for it.
"""

from __future__ import annotations

from pathlib import Path

from packls.checks.rules import CONFIG_INVALID
from packls.config import Config, ConfigProblem, apply_config, file_findings
from packls.config import load_config as _load_config
from packls.config_files import clear_config_root_cache
from packls.config_files import find_config_root_cached as find_config_root  # the server asks per file: memoised

__all__ = ["Config", "ConfigProblem", "apply_config", "clear_config_root_cache", "file_findings", "find_config_root", "load_config"]


def load_config(workspace_root: Path) -> tuple[Config, list[ConfigProblem]]:
    """`packls.config.load_config`, except that a config file nested too deeply is a problem, not a crash.

    Python's TOML reader recurses per nesting level, so `exclude = [[[[…` in a repository's
    packls.toml would otherwise fail every check and every request in the editor.
    """
    try:
        return _load_config(workspace_root)
    except RecursionError:
        message = f"the packls configuration in {workspace_root} is nested too deeply to read; using the defaults"
        return Config(root=workspace_root), [ConfigProblem(CONFIG_INVALID.code, message)]
