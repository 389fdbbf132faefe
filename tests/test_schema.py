"""The key schema the checks and the language server share."""

from __future__ import annotations

import pytest

from packls.model import FileKind
from packls.schema import REGISTERED_NAMES, ROOTS, ignored_keys, is_closed, key_spec, keys_at
from packls.schema.spec import YAML_TYPES, MapShape, SeqShape


def _walk(shape, seen):
    if id(shape) in seen:
        return
    seen.add(id(shape))
    if isinstance(shape, MapShape):
        yield shape
        for nested in (*shape.nested.values(), shape.any_value):
            if nested is not None:
                yield from _walk(nested, seen)
    elif isinstance(shape, SeqShape) and shape.item is not None:
        yield from _walk(shape.item, seen)


def test_every_yaml_kind_has_a_root():
    assert set(ROOTS) == set(FileKind) - {FileKind.IGNORED, FileKind.PYTHON_REQUIREMENTS}


@pytest.mark.parametrize("kind", sorted(ROOTS, key=lambda k: k.value))
def test_every_key_is_typed_and_documented(kind):
    for shape in _walk(ROOTS[kind], set()):
        for name, spec in shape.keys.items():
            assert spec.name == name
            assert spec.types and set(spec.types) <= set(YAML_TYPES)
            assert spec.doc, f"{kind.value}: {name} has no doc"
            assert not spec.default or isinstance(spec.default, str)
        for name, ignored in shape.ignored.items():
            assert name not in shape.keys and ignored.why


def test_nested_paths_and_sequence_items():
    env = keys_at(FileKind.RUNTIME, ("versions", 0, "execution_config", "environment"))
    assert env["env_type"].required and "env_type" in env
    assert keys_at(FileKind.RUNTIME, ("versions", "*", "execution_config", "environment")) == env
    assert "pattern" in keys_at(FileKind.RUNTIME, ("distributions", "verification", "commands", 0))
    assert keys_at(FileKind.WORKFLOW, ("tasks", 0, "tasks", 2, "retry"))["count"].required
    assert "type" in keys_at(FileKind.ACTION, ("parameters", "any_field_name"))
    assert keys_at(FileKind.ACTION, ("no_such_key",)) == {}


def test_key_spec_describes_values_items_and_free_maps():
    delivery = key_spec(FileKind.ACTION, ("parameter_delivery",))
    assert delivery.enum == ("stdin", "file") and delivery.default == "stdin" and delivery.allows("STDIN")
    trigger = key_spec(FileKind.SENSOR, ("trigger_types", 0))
    assert trigger.ref_kind is FileKind.TRIGGER and trigger.name == "trigger_types"
    assert key_spec(FileKind.RULE, ("action_ref",)).ref_kind is FileKind.ACTION
    assert key_spec(FileKind.ACTION, ("runner_type",)).ref_kind is FileKind.RUNTIME
    node = key_spec(FileKind.ACTION, ("required_worker_runtimes", "node"))
    assert node.name == "node" and node.types == ("string",)
    strategy = key_spec(FileKind.RUNTIME, ("execution_config", "inline_execution", "strategy"))
    assert strategy.case_sensitive and not strategy.allows("DIRECT")
    assert key_spec(FileKind.RUNTIME, ("versions",)).snippet
    assert key_spec(FileKind.ACTION, ()) is None


def test_ignored_keys_say_what_attune_reads_instead():
    action = ignored_keys(FileKind.ACTION, ())
    assert action["output_schema"].reads_instead == "output"
    assert action["param_schema"].reads_instead == "parameters"
    assert action["runtime"].reads_instead == "runner_type"
    assert action["timeout"].reads_instead == "timeout_seconds"
    assert ignored_keys(FileKind.RUNTIME, ())["pack_ref"].reads_instead is None
    assert ignored_keys(FileKind.TRIGGER, ())["payload_schema"].reads_instead == "output"


def test_strict_structs_are_closed():
    assert is_closed(FileKind.QUEUE, ()) and is_closed(FileKind.CACHE, ())
    assert is_closed(FileKind.WORKFLOW, ("tasks", 0, "iterate_cache"))
    assert not is_closed(FileKind.ACTION, ())


def test_manifest_says_which_names_registration_stores():
    keys = keys_at(FileKind.MANIFEST, ())
    for checked, stored in REGISTERED_NAMES.items():
        assert "registration stores" in keys[stored].doc
        assert "never stores" in keys[checked].doc and f"`{stored}`" in keys[checked].doc
