"""Run the packls bundled with the VS Code extension: `python -I launch.py serve` (or validate, sync, ...).

The extension ships packls and its pure-Python dependencies in ../libs. They go first on the
module path, so an older packls or pygls elsewhere on the interpreter is never picked up; -I keeps
the user's site-packages and PYTHON* variables out. Dependencies with native code are not bundled:
YAML is parsed by ruamel's pure-Python path (the same findings, parsed more slowly), and a
PostgreSQL registry store needs packls installed with pip or pipx.
"""

from __future__ import annotations

import os
import sys

if sys.version_info < (3, 11):
    sys.stderr.write(f"packls needs Python 3.11 or newer; {sys.executable} is {sys.version.split()[0]}\n")
    raise SystemExit(2)

LIBS = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "libs")
sys.path.insert(0, LIBS)

from packls.cli import main  # noqa: E402  (the bundled libraries must be on the path first)

raise SystemExit(main())
