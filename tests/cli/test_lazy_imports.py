"""`packls validate` imports only what the pack in front of it needs: a run on a small pack is mostly imports.

The budget of issue 15 (≤ 150 ms for a small pack, whole process) rests on these promises; each is
checked in a fresh interpreter, as pre-commit starts one.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ACTIONS_PACK = ROOT / "packs" / "web_hooks"  # actions, sensors and triggers: the bench's small pack
EVERY_KIND_PACK = ROOT / "packs" / "broken_pack"  # runtimes, workflows, queues, caches, policies, permission sets, rules
# What a pack of actions, sensors and triggers never needs, with no configuration file and nothing synced.
NOT_FOR_ACTIONS = (
    "ruamel",  # the fast path types scalars itself; ruamel parses only what libyaml cannot vouch for
    "packls.checks.workflows", "packls.checks.workflow_tasks", "packls.checks.queues", "packls.checks.caches",
    "packls.checks.dashboards", "packls.checks.policies", "packls.checks.permission_sets", "packls.checks.runtimes",
    "packls.checks.serde",  # the serde shapes: workflows, runtimes' execution_config, worker placement, ...
    "packls.rustregex",  # verification patterns are a runtime's
    "packls.registry.load", "packls.registry.store", "packls.registry.sqlite_store",  # no store was ever synced
    "packls.lsp", "pygls", "lsprotocol",
    "tomllib",  # no packls.toml / [tool.packls] above the pack
    "logging",
    "multiprocessing",  # a small workspace is checked in process
    "packls.selection",  # no --select / --ignore
    "packls.cli.commands.sync", "packls.cli.commands.serve", "packls.cli.commands.resolve",  # other commands' modules
)


def imported_by(args: list[str], home: Path) -> tuple[str, set[str]]:
    """What `packls ARGS` printed, and every module it imported, in a fresh interpreter with an empty home."""
    script = (
        "import io, sys, contextlib\nfrom packls.cli import main\nout = io.StringIO()\n"
        "with contextlib.redirect_stdout(out):\n    main(sys.argv[1:])\n"
        "print(out.getvalue().strip())\nprint(' '.join(sorted(sys.modules)))"
    )
    env = {"HOME": str(home), "XDG_DATA_HOME": str(home / "data"), "XDG_CONFIG_HOME": str(home / "config"), "PATH": "/usr/bin:/bin"}
    result = subprocess.run([sys.executable, "-c", script, *args], capture_output=True, text=True, timeout=120, env=env, cwd=home)
    assert result.returncode == 0, result.stderr
    printed, _, modules = result.stdout.strip().rpartition("\n")
    return printed, set(modules.split())


def unneeded(modules: set[str]) -> list[str]:
    return sorted(m for m in modules if any(m == name or m.startswith(name + ".") for name in NOT_FOR_ACTIONS))


def test_validate_of_a_pack_of_actions_imports_nothing_such_a_pack_does_not_need(tmp_path):
    printed, modules = imported_by(["validate", str(ACTIONS_PACK)], tmp_path)
    assert printed == "5 files checked: no problems"
    assert {"packls.checks.runnables", "packls.checks.constraints", "packls.checks.keys"} <= modules  # it did check
    assert unneeded(modules) == []


def test_a_pack_with_every_kind_loads_the_checks_of_every_kind_and_reports_their_findings(tmp_path):
    printed, modules = imported_by(["validate", str(EVERY_KIND_PACK), "--format", "json", "--fail-on", "never"], tmp_path)
    codes = {d["code"] for d in json.loads(printed)["diagnostics"]}
    assert {"workflow.invalid_definition", "queue.invalid_definition", "cache.invalid_definition", "policy.invalid_controls",
            "permission_set.invalid_grants", "runtime.duplicate_version", "verification.invalid_pattern"} <= codes
    assert "yaml.syntax" in codes and "ruamel.yaml" in modules  # a text libyaml refuses is parsed by ruamel, as before
    assert {"packls.checks.workflows", "packls.checks.queues", "packls.checks.caches", "packls.checks.policies",
            "packls.checks.permission_sets", "packls.checks.runtimes", "packls.checks.serde", "packls.rustregex"} <= modules


def test_each_command_module_is_found_by_its_name():
    from packls.cli.main import COMMANDS, command_modules

    assert [module.NAME for module in command_modules()] == list(COMMANDS)
    assert [module.NAME for module in command_modules("rules")] == ["rules"]
