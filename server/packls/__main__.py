"""Allow `python -m packls`."""

from __future__ import annotations

from packls.cli import main

raise SystemExit(main())
