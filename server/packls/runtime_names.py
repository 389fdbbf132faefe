"""Attune's two ways of turning a runtime word into a runtime (loader refs and worker names), and where workers keep environments."""

from __future__ import annotations

DEFAULT_RUNTIME_ENVS_DIR = "/opt/attune/runtime_envs"  # the worker's default runtime_envs_dir

# runner_type words the loader maps to a platform runtime ref before any lookup.
LOADER_ALIASES: dict[str, str] = {
    "shell": "core.shell",
    "bash": "core.shell",
    "sh": "core.shell",
    "python": "core.python",
    "python3": "core.python",
    "node": "core.nodejs",
    "nodejs": "core.nodejs",
    "node.js": "core.nodejs",
    "native": "core.native",
    "builtin": "core.native",
    "standalone": "core.native",
}

# Worker capability names: the normalisation used by workers, the scheduler and
# required_worker_runtimes keys (never by runner_type resolution).
_WORKER_NAMES: dict[str, str] = {
    "node": "node",
    "nodejs": "node",
    "node.js": "node",
    "python": "python",
    "python3": "python",
    "shell": "shell",
    "bash": "shell",
    "sh": "shell",
    "native": "native",
    "builtin": "native",
    "standalone": "native",
    "ruby": "ruby",
    "rb": "ruby",
    "go": "go",
    "golang": "go",
    "java": "java",
    "jdk": "java",
    "openjdk": "java",
    "perl": "perl",
    "perl5": "perl",
    "r": "r",
    "rscript": "r",
}


def normalize_runtime_name(name: str) -> str:
    """The worker-side runtime name for a word (`golang` → `go`, `Node.js` → `node`)."""
    word = name.strip().lower()
    return _WORKER_NAMES.get(word, word)
