"""The one registration place names every check by module and function; each kind's checks load when first needed."""

from __future__ import annotations

import subprocess
import sys

from packls.checks import CHECKS, COMPONENT_KINDS, checks_for, load_check
from packls.checks.components import KIND_WORDS
from packls.model.kinds import FileKind


def test_every_registration_names_a_check_function():
    for _, name in CHECKS:
        check = load_check(name)
        assert callable(check) and check.__name__ == name.split(":")[1], name


def test_a_kinds_checks_are_its_registrations_in_order():
    for kind in FileKind:
        assert checks_for(kind) == tuple(load_check(name) for kinds, name in CHECKS if kind in kinds)
    assert checks_for(FileKind.ACTION)[0].__name__ == "check_readable"


def test_component_kinds_are_the_kinds_with_a_component_ref():
    assert COMPONENT_KINDS == frozenset(KIND_WORDS)


def test_checks_of_a_kind_are_imported_with_the_first_file_of_that_kind():
    script = (
        "import sys\nfrom packls.checks import checks_for\nfrom packls.model.kinds import FileKind\n"
        "before = 'packls.checks.workflows' in sys.modules\n"
        "checks_for(FileKind.ACTION)\nafter_action = 'packls.checks.workflows' in sys.modules\n"
        "checks_for(FileKind.WORKFLOW)\nprint(before, after_action, 'packls.checks.workflows' in sys.modules)"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert result.stdout.split() == ["False", "False", "True"], result.stderr


def test_the_placement_keys_settings_reads_are_those_it_has_shapes_for():
    from packls.checks.placement_shapes import PLACEMENT_SHAPES
    from packls.checks.settings import PLACEMENT_KEYS

    assert PLACEMENT_KEYS == tuple(PLACEMENT_SHAPES)
