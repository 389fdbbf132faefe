"""A session over small packs written to tmp_path."""

from __future__ import annotations

from pathlib import Path

import pytest

from packls.features.session import Session, normalize
from packls.workspace import load_pack
from tests.packbuilder import write_pack

RUNTIME = """\
ref: demo.python
name: DemoPython
execution_config:
  interpreter: {binary: python3, args: ["-u"], file_extension: .py}
versions:
  - version: "3.11"
  - version: "3.12"
    is_default: true
  - version: "3.13"
"""

NEWEST = """\
ref: demo.newest
runner_type: demo.python
runtime_version: ">=3.11,<4.0"
entry_point: newest.py
"""

DEFAULTED = """\
ref: demo.defaulted
runner_type: DemoPython
entry_point: defaulted.py
"""

SENSOR = """\
ref: demo.watch
runner_type: python
runtime_version: "~3.12"
entry_point: watch.py
trigger_types: [new_file]
"""

TRIGGER = """\
ref: demo.new_file
label: New file
description: A file appeared.
"""

RULE = """\
ref: on_new_file
trigger_ref: new_file
action_ref: demo.newest
"""


@pytest.fixture
def pack(tmp_path: Path) -> Path:
    """A pack with a runtime of three versions and its users."""
    root = write_pack(
        tmp_path / "demo",
        {
            "runtimes/python.yaml": RUNTIME,
            "actions/newest.yaml": NEWEST,
            "actions/newest.py": "",
            "actions/defaulted.yaml": DEFAULTED,
            "actions/defaulted.py": "",
            "sensors/watch.yaml": SENSOR,
            "sensors/watch.py": "",
            "triggers/new_file.yaml": TRIGGER,
            "rules/on_new_file.yaml": RULE,
        },
    )
    return normalize(root)


@pytest.fixture
def session(pack: Path) -> Session:
    """A session with the pack loaded."""
    result = Session()
    result.add_pack(load_pack(pack))
    return result


def edit(session: Session, path: Path, text: str, version: int = 2) -> None:
    """Open (or change) a buffer."""
    session.change(path, text, version)


def at(text: str, needle: str, delta: int = 0) -> int:
    """Offset of needle plus delta."""
    return text.index(needle) + delta
