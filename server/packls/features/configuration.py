"""The configuration the features apply: `packls.config`, the same module `packls validate` uses.

A thin seam so the session and the language server name one place for it.
"""

from __future__ import annotations

from packls.config import Config, ConfigProblem, apply_config, find_config_root, load_config

__all__ = ["Config", "ConfigProblem", "apply_config", "find_config_root", "load_config"]
