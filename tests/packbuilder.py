"""Build small packs on disk for tests: a dict of relative path → file text."""

from __future__ import annotations

import textwrap
from pathlib import Path

DEFAULT_MANIFEST = 'ref: {ref}\nversion: "1.0.0"\n'


def write_pack(root: Path, files: dict[str, str], ref: str = "demo") -> Path:
    """Write files (dedented) under root; add a manifest unless one is given."""
    root.mkdir(parents=True, exist_ok=True)
    if "pack.yaml" not in files:
        (root / "pack.yaml").write_text(DEFAULT_MANIFEST.format(ref=ref), encoding="utf-8")
    for relative, text in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return root
