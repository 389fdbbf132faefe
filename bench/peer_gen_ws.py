#!/usr/bin/env python3
# Copied from shared/bench/lsp-latency/gen_ws.py; bench/peer.py imports action() and bomb() from it.
"""Writes the benchmark workspace ws/: a JSON Schema for Attune action metadata
(benchmark subset), action files of exactly 40, 2,000 and 50,000 lines, two
alias bombs, and ws/positions.json (the line/char positions the runs use).
Deterministic: running it twice gives identical files.  Stdlib only."""

import json
import pathlib

HERE = pathlib.Path(__file__).resolve().parent
WS = HERE / "ws"

FIELD = {
    "type": "object",
    "description": "One field of a flat parameter/output schema (StackStorm style).",
    "required": ["type"],
    "properties": {
        "type": {"description": "JSON type of the field.",
                 "enum": ["string", "integer", "number", "boolean", "array", "object", "null"]},
        "description": {"type": "string", "description": "Human-readable description."},
        "required": {"type": "boolean", "description": "Attune-only: the field must be given."},
        "secret": {"type": "boolean", "description": "Attune-only: the value is masked."},
        "position": {"type": "integer", "description": "Attune-only: UI ordering."},
        "default": {"description": "Default value."},
        "enum": {"type": "array", "description": "Allowed values."},
    },
}

SCHEMA = {
    "$schema": "http://json-schema.org/draft-07/schema#",
    "title": "Attune action metadata (benchmark subset)",
    "type": "object",
    "required": ["ref"],
    "properties": {
        "ref": {"type": "string", "pattern": r"^[a-z][a-z0-9_-]*\.[a-z][a-z0-9_-]*$",
                "description": "Action reference `<pack_ref>.<name>`."},
        "label": {"type": "string", "description": "Display name."},
        "description": {"type": "string", "description": "What the action does."},
        "entry_point": {"type": "string", "description": "Script or binary under actions/ that runs the action."},
        "runner_type": {"type": "string", "description": "Runtime ref (e.g. python, shell, node)."},
        "runtime_version": {"type": "string",
                            "description": "Version constraint for the runtime (e.g. `>=3.9,<3.13`)."},
        "parameter_delivery": {"enum": ["stdin", "file"], "description": "How parameters reach the action."},
        "parameter_format": {"enum": ["dotenv", "json", "yaml"], "description": "Serialisation of parameters."},
        "output_format": {"enum": ["text", "json", "yaml", "jsonl"], "description": "How stdout is parsed."},
        "timeout_seconds": {"type": "integer", "exclusiveMinimum": 0, "description": "Execution timeout."},
        "parameters": {"type": "object", "description": "Flat parameter schema: field name -> field.",
                       "additionalProperties": {"$ref": "#/definitions/field"}},
        "output": {"type": "object", "description": "Flat output schema: field name -> field.",
                   "additionalProperties": {"$ref": "#/definitions/field"}},
    },
    "definitions": {"field": FIELD},
}

HEADER = [
    "ref: bench.http_request",
    "label: HTTP Request",
    "description: Send an HTTP request and return the response",
    "entry_point: http_request.py",
    "runner_type: python",
    'runtime_version: ">=3.9,<3.13"',
    "parameter_delivery: stdin",
    "parameter_format: json",
    "output_format: json",          # line 8: the edited line, hover and completion target
    "timeout_seconds: 30",
    "parameters:",
]
OUTPUT = [
    "output:",
    "  status_code:",
    "    type: integer",
    "    description: HTTP status code",
    "  body:",
    "    type: string",
    "    description: Response body",
    "  headers:",
    "    type: object",
    "    description: Response headers",
]
TYPES = [("string", '"value-{i}"'), ("integer", "{i}"), ("boolean", "false"), ("number", "{i}.5")]


def action(total_lines: int) -> tuple[str, dict]:
    remaining = total_lines - len(HEADER) - len(OUTPUT)
    k = remaining // 5
    extra = remaining - 5 * k            # 0..4 lines, spread as secret:/position: over the first params
    assert extra <= 2 * k
    lines = list(HEADER)
    last_type_line = None
    for i in range(1, k + 1):
        typ, default = TYPES[i % len(TYPES)]
        lines.append(f"  p_{i:05d}:")
        last_type_line = len(lines)
        lines.append(f"    type: {typ}")
        lines.append(f"    description: Parameter {i} of the generated action")
        lines.append(f"    required: {'true' if i % 7 == 0 else 'false'}")
        lines.append(f"    default: {default.format(i=i)}")
        for key in ("secret: false", f"position: {i}"):
            if extra:
                lines.append(f"    {key}")
                extra -= 1
    lines += OUTPUT
    assert len(lines) == total_lines, (len(lines), total_lines)
    positions = {
        "edit_line": 8, "valid": "json", "invalid": "jsonx",
        "hover": ["8:2"],                       # key output_format (schema description)
        "completion": ["8:15"],                 # value of output_format (enum values)
        "hover_last_param_type": f"{last_type_line}:5",
        "completion_last_param_type": f"{last_type_line}:10",
    }
    return "\n".join(lines) + "\n", positions


def bomb(levels: int = 9, width: int = 9, force_expand: bool = False) -> str:
    """Billion laughs: lol0 holds `width` strings; lol1..lol<levels> each hold `width`
    aliases of the level below, so lol<levels> stands for width**(levels+1) strings."""
    lines = ["ref: bench.alias_bomb", "runner_type: python"]
    lines.append("lol0: &l0 [" + ", ".join(['"lol"'] * width) + "]")
    for n in range(1, levels + 1):
        lines.append(f"lol{n}: &l{n} [" + ", ".join([f"*l{n - 1}"] * width) + "]")
    if force_expand:
        # an enum-typed key holding the whole bomb: a validator that compares the
        # value with the enum has to look at the expanded value
        lines.append(f"output_format: *l{levels}")
    return "\n".join(lines) + "\n"


def main() -> None:
    (WS / "actions").mkdir(parents=True, exist_ok=True)
    (WS / "action.schema.json").write_text(json.dumps(SCHEMA, indent=2) + "\n")
    positions = {}
    for name, n in (("small", 40), ("medium", 2000), ("large", 50000)):
        text, pos = action(n)
        (WS / "actions" / f"{name}.yaml").write_text(text)
        positions[f"actions/{name}.yaml"] = pos
    (WS / "actions" / "bomb.yaml").write_text(bomb())
    (WS / "actions" / "bomb_enum.yaml").write_text(bomb(force_expand=True))
    (WS / "unmapped").mkdir(exist_ok=True)  # outside the schema's fileMatch: YAML checks only
    (WS / "unmapped" / "bomb_enum.yaml").write_text(bomb(force_expand=True))
    positions["actions/bomb.yaml"] = {"hover": ["1:1", "11:1"], "completion": ["1:13"]}
    positions["actions/bomb_enum.yaml"] = {"hover": ["1:1", "12:1"], "completion": ["1:13"]}
    positions["unmapped/bomb_enum.yaml"] = positions["actions/bomb_enum.yaml"]
    (WS / "positions.json").write_text(json.dumps(positions, indent=2) + "\n")
    for p in sorted(list((WS / "actions").iterdir()) + list((WS / "unmapped").iterdir())):
        t = p.read_text()
        print(f"{p.relative_to(HERE)}: {t.count(chr(10))} lines, {len(t)} bytes")


if __name__ == "__main__":
    main()
