"""The shapes Attune's loader deserializes worker placement into (worker_selector, worker_tolerations, worker_affinity).

Apart from `settings.py` so that serde's shapes load only for a file that sets a placement.
"""

from __future__ import annotations

from packls.checks.serde import Enum, FieldSpec, Int, Map, Opt, Seq, Shape, Str, Struct

_TERM = Struct("WorkerAffinityTerm", {
    "match_labels": FieldSpec(Map(Str)),
    "match_expressions": FieldSpec(Seq(Struct("WorkerLabelExpression", {
        "key": FieldSpec(Str, required=True),
        "operator": FieldSpec(Enum("WorkerLabelOperator", ("in", "not_in", "exists", "does_not_exist")), required=True),
        "values": FieldSpec(Seq(Str)),
    }))),
})
PLACEMENT_SHAPES: dict[str, Shape] = {
    "worker_selector": Map(Str),
    "worker_tolerations": Seq(Struct("WorkerToleration", {
        "key": FieldSpec(Str, required=True),
        "operator": FieldSpec(Enum("WorkerTolerationOperator", ("equal", "exists"))),
        "value": FieldSpec(Opt(Str)),
        "effect": FieldSpec(Opt(Enum("WorkerTaintEffect", ("no_schedule", "prefer_no_schedule")))),
    })),
    "worker_affinity": Struct("WorkerAffinity", {
        "required": FieldSpec(Seq(_TERM)),
        "preferred": FieldSpec(Seq(Struct("WorkerPreference", {
            "weight": FieldSpec(Int("i32")),
            "preference": FieldSpec(_TERM, required=True),
        }))),
        "anti_affinity": FieldSpec(Seq(_TERM)),
    }),
}
