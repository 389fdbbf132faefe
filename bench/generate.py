"""Deterministic synthetic workspaces for every benchmark: packs x runtimes x actions/sensors.

    python bench/generate.py OUT [--files 10000] [--seed 8] [--dependents 1000]

Writes OUT/packs/<pack>/... and OUT/bench-workspace.json (what was generated, and the
positions the LSP benchmark edits, hovers and completes at). The same arguments always give
byte-identical files. File sizes follow the real packs in shared/corpus: most actions are
15-60 lines, a tail runs to ~200 (parameters and output schemas). About 3% of actions and
sensors carry a deliberate mistake, so validation has findings to report.

One pack, `hub`, owns the runtime `hub.python` (3.10, 3.11, 3.12). Exactly `--dependents`
actions in other packs select it with `runtime_version: ">=3.12,<4"`; editing its
`version: "3.12"` line to "3.9" makes every one of them unsatisfiable, and back again.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
from dataclasses import dataclass, field
from pathlib import Path

GENERATOR_VERSION = 1  # bump when the output changes, so cached workspaces are regenerated
FILES_PER_PACK = 250  # well below pack check's 2,000 metadata files per pack
WORDS = (
    "alpha beta gamma delta report export import sync backup restore fetch publish notify scan "
    "index archive rotate purge deploy build verify render convert upload download compress "
    "inventory audit metrics ticket invoice ledger customer order payment shipment webhook queue"
).split()
CORE_RUNNERS = (("python", (">=3.11", "~3.12", "3.12", ">=3.11,<3.14", None)),
                ("shell", (None,)),
                ("nodejs", ("^20", ">=18,<23", "20", None)))
PARAM_TYPES = (("string", '"value-{i}"'), ("integer", "{i}"), ("boolean", "false"), ("number", "{i}.5"),
               ("array", None), ("object", None))
HUB_CONSTRAINT = '">=3.12,<4"'
HUB_EDIT = ('"3.12"', '"3.9"')  # (valid, breaks every dependent)


@dataclass
class Generated:
    """What a run wrote, for the benchmarks to find their targets."""

    root: Path
    files: int = 0
    lines: int = 0
    bytes: int = 0
    packs: list[str] = field(default_factory=list)
    dependents: list[str] = field(default_factory=list)
    hub_runtime: str = ""
    hub_edit_line: int = 0
    open_action: str = ""
    open_positions: dict = field(default_factory=dict)

    def manifest(self) -> dict:
        return {
            "files": self.files, "lines": self.lines, "bytes": self.bytes, "packs": self.packs,
            "hub_runtime": self.hub_runtime, "hub_edit_line": self.hub_edit_line,
            "hub_edit_values": list(HUB_EDIT), "dependents": self.dependents,
            "open_action": self.open_action, "open_positions": self.open_positions,
        }


def _name(rng: random.Random, i: int) -> str:
    return f"{rng.choice(WORDS)}_{rng.choice(WORDS)}_{i:04d}"


def _description(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n)).capitalize()


def _param_block(rng: random.Random, count: int, indent: str = "  ") -> list[str]:
    lines: list[str] = []
    for i in range(1, count + 1):
        typ, default = rng.choice(PARAM_TYPES)
        lines.append(f"{indent}p_{rng.choice(WORDS)}_{i}:")
        lines.append(f"{indent}  type: {typ}")
        lines.append(f'{indent}  description: "{_description(rng, rng.randint(3, 9))}"')
        if rng.random() < 0.3:
            lines.append(f"{indent}  required: true")
        if default is not None and rng.random() < 0.5:
            lines.append(f"{indent}  default: {default.format(i=i)}")
        if typ == "array":
            lines.append(f"{indent}  items:")
            lines.append(f"{indent}    type: string")
        if typ == "string" and rng.random() < 0.15:
            lines.append(f"{indent}  enum: [{', '.join(rng.sample(WORDS, 3))}]")
        if rng.random() < 0.1:
            lines.append(f"{indent}  secret: true")
    return lines


def _param_count(rng: random.Random) -> int:
    """Mostly a handful, with a long tail (the corpus has 1 to ~12; generated code has more)."""
    r = rng.random()
    if r < 0.55:
        return rng.randint(0, 4)
    if r < 0.9:
        return rng.randint(5, 12)
    return rng.randint(13, 30)


def manifest_text(pack: str, rng: random.Random, deps: list[str]) -> str:
    return "\n".join([
        f"# Synthetic pack {pack} (bench/generate.py)",
        f"ref: {pack}",
        f"label: {pack.replace('_', ' ').title()}",
        f'description: "{_description(rng, 8)}"',
        f'version: "1.{rng.randint(0, 9)}.{rng.randint(0, 20)}"',
        "author: Bench Generator",
        "email: bench@example.com",
        f"runtime_deps: [{', '.join(deps)}]" if deps else "runtime_deps: []",
        "tags:",
        *[f"  - {w}" for w in rng.sample(WORDS, 3)],
        "",
    ])


def runtime_text(ref: str, name: str, versions: list[str], default: str | None) -> str:
    binary = name.lower()
    lines = [
        f"ref: {ref}",
        f"name: {name}",
        f"description: {name} interpreters for the synthetic benchmark workspace.",
        "execution_config:",
        f"  interpreter: {{binary: {binary}3, args: [\"-u\"], file_extension: .py}}",
        f"  environment: {{env_type: virtualenv, dir_name: .venv, create_command: [{binary}3, -m, venv, \"{{env_dir}}\"], "
        f"interpreter_path: \"{{env_dir}}/bin/{binary}3\"}}",
        "  dependencies:",
        "    manifest_file: requirements.txt",
        f"    install_command: [\"{{interpreter}}\", -m, pip, install, -r, \"{{manifest_path}}\"]",
        "versions:",
    ]
    for v in versions:
        lines.append(f'  - version: "{v}"')
        if v == default:
            lines.append("    is_default: true")
        lines.append("    execution_config:")
        lines.append(f"      interpreter: {{binary: {binary}{v}, args: [\"-u\"], file_extension: .py}}")
    return "\n".join(lines) + "\n"


def action_text(rng: random.Random, pack: str, name: str, runner: str, constraint: str | None,
                broken: str | None, params: int) -> tuple[str, dict]:
    lines = [
        f"# {_description(rng, 6)}",
        f"ref: {pack}.{name}",
        f'label: "{name.replace("_", " ").title()}"',
        f'description: "{_description(rng, rng.randint(6, 16))}"',
        "enabled: true",
        f"runner_type: {runner}",
    ]
    runner_line = len(lines) - 1
    version_line = None
    if broken == "unquoted":
        lines.append("runtime_version: 3.12")
        version_line = len(lines) - 1
    elif broken == "invalid":
        lines.append('runtime_version: ">=3.11,<<4.0"')
        version_line = len(lines) - 1
    elif broken == "unsatisfiable":
        lines.append('runtime_version: ">=9"')
        version_line = len(lines) - 1
    elif constraint is not None:
        lines.append(f"runtime_version: {constraint if constraint.startswith(chr(34)) else chr(34) + constraint + chr(34)}")
        version_line = len(lines) - 1
    ext = {"shell": "sh", "nodejs": "js"}.get(runner.rsplit(".", 1)[-1], "py")
    lines.append(f"entry_point: {name}.{ext}")
    if rng.random() < 0.6:
        lines.append("")
        lines.append("# Parameter delivery")
        lines.append(f"parameter_delivery: {rng.choice(['stdin', 'file'])}")
        lines.append(f"parameter_format: {rng.choice(['json', 'dotenv', 'yaml'])}")
        lines.append(f"output_format: {rng.choice(['json', 'text', 'yaml', 'jsonl'])}")
    if params:
        lines.append("")
        lines.append("parameters:")
        lines += _param_block(rng, params)
    if rng.random() < 0.4:
        lines.append("output:")
        lines += _param_block(rng, rng.randint(1, 6))
    if rng.random() < 0.5:
        lines.append("tags:")
        lines += [f"  - {w}" for w in rng.sample(WORDS, rng.randint(1, 4))]
    return "\n".join(lines) + "\n", {"runner_line": runner_line, "version_line": version_line, "ext": ext}


def sensor_text(rng: random.Random, pack: str, name: str, runner: str, constraint: str | None, trigger: str) -> str:
    lines = [
        f"ref: {pack}.{name}",
        f'label: "{name.replace("_", " ").title()}"',
        f'description: "{_description(rng, 8)}"',
        f"runner_type: {runner}",
    ]
    if constraint is not None:
        lines.append(f'runtime_version: "{constraint}"')
    lines.append(f"entry_point: {name}.{ 'js' if 'node' in runner else 'py'}")
    lines.append(f"trigger_types: [{trigger}]")
    lines.append("parameters:")
    lines += _param_block(rng, rng.randint(1, 4))
    return "\n".join(lines) + "\n"


def trigger_text(rng: random.Random, pack: str, name: str) -> str:
    lines = [f"ref: {pack}.{name}", f"label: {name.replace('_', ' ').title()}",
             f'description: "{_description(rng, 7)}"', "output:"]
    lines += _param_block(rng, rng.randint(1, 4))
    return "\n".join(lines) + "\n"


def rule_text(pack: str, name: str, trigger: str, action: str) -> str:
    return "\n".join([
        f"ref: {pack}.{name}", f"label: {name.replace('_', ' ').title()}", f"trigger_ref: {trigger}",
        f"action_ref: {action}", "enabled: true", "action_params:", '  message: "{{ event.payload.path }}"', "",
    ])


def generate(root: Path, files: int = 10_000, seed: int = 8, dependents: int = 1000) -> Generated:
    """Write a workspace of `files` YAML files under root/packs (root is emptied first)."""
    rng = random.Random(seed)
    if root.exists():
        shutil.rmtree(root)
    packs_dir = root / "packs"
    out = Generated(root)
    written: list[tuple[Path, str]] = []

    def write(path: Path, text: str) -> None:
        written.append((path, text))
        if path.suffix == ".yaml":
            out.files += 1
            out.lines += text.count("\n")
            out.bytes += len(text.encode())

    # the hub pack: one runtime many actions elsewhere depend on
    hub = packs_dir / "hub"
    write(hub / "pack.yaml", manifest_text("hub", rng, ["python"]))
    hub_rt = runtime_text("hub.python", "HubPython", ["3.10", "3.11", "3.12"], "3.11")
    write(hub / "runtimes" / "python.yaml", hub_rt)
    out.hub_runtime = str((hub / "runtimes" / "python.yaml").relative_to(root))
    out.hub_edit_line = hub_rt.split("\n").index(f"  - version: {HUB_EDIT[0]}")
    out.packs.append("hub")

    remaining = files - 2
    n_packs = max(1, -(-remaining // FILES_PER_PACK))
    per_pack = [remaining // n_packs + (1 if i < remaining % n_packs else 0) for i in range(n_packs)]
    total_runnables = sum(max(0, n - 2 - max(1, (n - 2) // 40) - (n - 2) // 50 - (n - 2) // 25) for n in per_pack)
    dependents = min(dependents, total_runnables // 2)
    hub_every = total_runnables / dependents if dependents else 0.0
    runnable_index = 0
    hub_used = 0
    for p, budget in enumerate(per_pack):
        pack = f"pack_{p:03d}"
        out.packs.append(pack)
        base = packs_dir / pack
        own_runtime = rng.random() < 0.6
        write(base / "pack.yaml", manifest_text(pack, rng, ["python"] if own_runtime else []))
        budget -= 1
        runners: list[tuple[str, tuple]] = list(CORE_RUNNERS)
        if own_runtime and budget > 0:
            versions = ["3.10", "3.11", "3.12", "3.13"][rng.randint(0, 1):]
            write(base / "runtimes" / "python.yaml",
                  runtime_text(f"{pack}.python", f"{pack.title()}Py", versions, versions[-2]))
            runners.append((f"{pack}.python", (">=3.11", "~3.12", ">=3.12,<4", None)))
            budget -= 1
        n_triggers = min(budget, max(1, budget // 40))
        n_rules = min(budget - n_triggers, max(0, budget // 50))
        n_sensors = min(budget - n_triggers - n_rules, max(0, budget // 25))
        n_actions = budget - n_triggers - n_rules - n_sensors
        triggers = []
        for t in range(n_triggers):
            name = f"event_{t:03d}"
            triggers.append(f"{pack}.{name}")
            write(base / "triggers" / f"{name}.yaml", trigger_text(rng, pack, name))
        actions = []
        for a in range(n_actions):
            name = _name(rng, a)
            actions.append(f"{pack}.{name}")
            broken = None
            runner, options = rng.choice(runners)
            constraint = rng.choice(options)
            if hub_every and runnable_index >= hub_used * hub_every and hub_used < dependents:
                runner, constraint = "hub.python", HUB_CONSTRAINT
                hub_used += 1
            elif rng.random() < 0.03:
                broken = rng.choice(["unquoted", "invalid", "unsatisfiable"])
                runner = "python"
            runnable_index += 1
            text, info = action_text(rng, pack, name, runner, constraint, broken, _param_count(rng))
            path = base / "actions" / f"{name}.yaml"
            write(path, text)
            write(base / "actions" / f"{name}.{info['ext']}", "# entry point\n")
            rel = str(path.relative_to(root))
            if runner == "hub.python":
                out.dependents.append(rel)
            if (not out.open_action and runner.endswith(".python") and runner != "hub.python"
                    and info["version_line"] is not None and broken is None and text.count("\n") > 40):
                out.open_action = rel
                vline = text.split("\n")[info["version_line"]]
                rline = text.split("\n")[info["runner_line"]]
                col = vline.index('"') + 1
                out.open_positions = {
                    "edit_line": info["version_line"], "valid": vline.split(": ", 1)[1],
                    "invalid": '">=3.11,<<4.0"',
                    "hover_version": f"{info['version_line']}:{col + 1}",
                    "hover_runner": f"{info['runner_line']}:{len('runner_type: ') + 2}",
                    "definition_runner": f"{info['runner_line']}:{len('runner_type: ') + 2}",
                    "completion_runner": f"{info['runner_line']}:{len(rline)}",
                    "completion_version": f"{info['version_line']}:{col}",
                    "inlay_lines": [0, text.count(chr(10))],
                }
        for s in range(n_sensors):
            name = f"watch_{s:03d}"
            runner, options = rng.choice(runners[:1] + runners[3:])
            write(base / "sensors" / f"{name}.yaml",
                  sensor_text(rng, pack, name, runner, rng.choice(options), rng.choice(triggers)))
            write(base / "sensors" / f"{name}.{'js' if 'node' in runner else 'py'}", "# entry point\n")
        for r in range(n_rules):
            write(base / "rules" / f"route_{r:03d}.yaml",
                  rule_text(pack, f"route_{r:03d}", rng.choice(triggers), rng.choice(actions)))
    for path, _ in written:
        path.parent.mkdir(parents=True, exist_ok=True)
    for path, text in written:
        path.write_text(text, encoding="utf-8")
    (root / "bench-workspace.json").write_text(json.dumps(out.manifest(), indent=1) + "\n")
    return out


def ensure(root: Path, files: int, seed: int = 8, dependents: int = 1000) -> dict:
    """Generate unless root already holds the same workspace (the manifest and its arguments match)."""
    stamp = root / "bench-workspace.json"
    args = {"files": files, "seed": seed, "dependents": dependents, "generator": GENERATOR_VERSION}
    if stamp.exists() and (root / "args.json").exists():
        if json.loads((root / "args.json").read_text()) == args:
            return json.loads(stamp.read_text())
    generate(root, files, seed, dependents)
    (root / "args.json").write_text(json.dumps(args) + "\n")
    return json.loads(stamp.read_text())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--files", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=8)
    parser.add_argument("--dependents", type=int, default=1000)
    args = parser.parse_args()
    result = generate(args.out, args.files, args.seed, args.dependents)
    print(f"{result.files} YAML files, {result.lines} lines, {result.bytes / 1e6:.1f} MB in {len(result.packs)} packs; "
          f"{len(result.dependents)} actions depend on hub.python; open action {result.open_action}")


if __name__ == "__main__":
    main()
