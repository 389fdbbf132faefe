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


def write_large_workspace(root: Path, packs: int = 3, actions: int = 350) -> Path:
    """A workspace of over 1,000 pack files (the size the server checks on other cores at a cold start).

    Packs that share runtimes and targets, with a finding in every few files: unknown keys,
    unsatisfiable constraints, private targets, typos in references; some suppressed inline.
    """
    write_pack(root / "lib", {
        "runtimes/python.yaml": 'ref: lib.python\nname: Python\nversions:\n  - version: "3.11"\n  - version: "3.12"\n',
        "actions/secret.yaml": "ref: lib.secret\nrunner_type: python\nentry_point: s.py\nreference_visibility: private\n",
        "actions/shared.yaml": "ref: lib.shared\nrunner_type: python\nentry_point: s.py\n",
        "triggers/tick.yaml": "ref: lib.tick\n",
        "actions/s.py": "",
    }, ref="lib")
    variants = (
        "ref: {ref}\nrunner_type: python\nentry_point: a.py\nruntime_version: '>=3.12'\n",
        "ref: {ref}\nrunner_type: lib.python\nentry_point: a.py\nruntime_version: '>=3.13'\n",
        "ref: {ref}\nrunner_type: python\nentry_point: a.py\ntimout: 30\n",
        "ref: {ref}\nrunner_type: python\nentry_point: a.py\ntimout: 30  # packls: ignore[key.unknown]\n",
        "ref: {ref}\nrunner_type: pyhton\nentry_point: a.py\n",
        "ref: {ref}\nrunner_type: python\nentry_point: a.py\nparameters:\n  name:\n    type: string\n    required: true\n",
        "ref: {ref}\nrunner_type: python\nentry_point: a.py\nparameters:\n  count:\n    type: integr\n",
        "ref: {ref}\nrunner_type: python\nentry_point: a.py\n",
    )
    for number in range(packs):
        ref = f"bulk{number}"
        files = {f"actions/a{index:04d}.yaml": variants[index % len(variants)].format(ref=f"{ref}.a{index:04d}")
                 for index in range(actions)}
        files["actions/a.py"] = ""
        files["rules/see.yaml"] = f"ref: {ref}.see\ntrigger_ref: lib.tick\naction_ref: lib.secret\n"
        files["rules/typo.yaml"] = f"ref: {ref}.typo\ntrigger_ref: lib.tick\naction_ref: lib.shraed\n"
        write_pack(root / ref, files, ref=ref)
    return root
