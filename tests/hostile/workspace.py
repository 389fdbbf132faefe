"""Hostile files and packs, written to a temporary folder: one builder for the CLI, core and server tests."""

from __future__ import annotations

import os
from pathlib import Path

MANIFEST = 'ref: hostile\nversion: "1.0.0"\n'
ACTION = "ref: hostile.{name}\nrunner_type: python\nentry_point: {name}.py\n"

# 10 levels of 10 aliases each: 10^10 strings if anything ever expanded it.
BILLION_LAUGHS = "ref: hostile.bomb\nrunner_type: python\nentry_point: bomb.py\nlaughs:\n" + "  l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + "".join(
    f"  l{i}: &l{i} [{', '.join([f'*l{i - 1}'] * 10)}]\n" for i in range(1, 10)
) + "parameters: *l9\n"

# Under Attune's jump limit, yet 5,000 copies of a 5,000-item list: packls' own bound catches it.
WIDE_ALIASES = "ref: hostile.wide\nbig: &big [" + ", ".join(["x"] * 5000) + "]\ncopies: [" + ", ".join(["*big"] * 5000) + "]\n"

CYCLE = "ref: hostile.cycle\nrunner_type: python\nentry_point: cycle.py\nparameters: &p\n  type: object\n  properties:\n    self: *p\n"
TABS = "ref: hostile.tabs\nrunner_type: python\nparameters:\n\ttype: object\n"
TWO_DOCUMENTS = "ref: hostile.one\nrunner_type: python\n---\nref: hostile.two\nrunner_type: python\n"
SECRET = "this text lives outside the pack and must never be read: 7c1e-secret\n"


def deep(levels: int = 50_000) -> str:
    """Flow collections nested `levels` deep, as the value of an action's parameters."""
    return "ref: hostile.deep\nparameters: " + "{a: [" * (levels // 2) + "]}" * (levels // 2) + "\n"


def deep_block(levels: int = 50_000) -> str:
    """Block sequences nested `levels` deep in one line (`- - - - x`): no indentation needed."""
    return "ref: hostile.deepblock\nparameters:\n  " + "- " * levels + "x\n"


def big_action(pack_ref: str, lines: int = 50_000, tab: bool = False) -> str:
    """A valid action with enough parameters to make `lines` lines (a tab at the end if asked)."""
    count = max(1, (lines - 6) // 3)
    params = "".join(f"  p{i}:\n    type: string\n    description: parameter number {i}\n" for i in range(count))
    text = (
        f'ref: {pack_ref}.big\nrunner_type: {pack_ref}.python\nruntime_version: ">=3.11"\nentry_point: newest.py\n'
        f"parameters:\n{params}"
    )
    return text + ("  tabbed:\n\ttype: string\n" if tab else "")


def write(path: Path, data: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, bytes):
        path.write_bytes(data)
    else:
        path.write_text(data, encoding="utf-8", newline="")
    return path


def hostile_pack(root: Path) -> Path:
    """One pack holding a file of every hostile kind (and a secret next to it, reached only by links)."""
    write(root / "pack.yaml", MANIFEST)
    actions = root / "actions"
    for name in ("bom", "crlf", "empty"):
        write(actions / f"{name}.py", "")
    write(actions / "binary.yaml", b"ref: hostile.binary\n\x00\x01\x02\xff\xfe")
    write(actions / "latin1.yaml", "ref: hostile.latin1\ndescription: café\n".encode("latin-1"))
    write(actions / "utf16.yaml", "ref: hostile.utf16\n".encode("utf-16"))
    write(actions / "bom.yaml", "\ufeff" + ACTION.format(name="bom"))
    write(actions / "crlf.yaml", ACTION.format(name="crlf").replace("\n", "\r\n"))
    write(actions / "cr.yaml", "ref: hostile.cr\rrunner_type: python\r")
    write(actions / "empty.yaml", "")
    write(actions / "comments.yaml", "# nothing but a comment\n")
    write(actions / "bomb.yaml", BILLION_LAUGHS)
    write(actions / "wide.yaml", WIDE_ALIASES)
    write(actions / "cycle.yaml", CYCLE)
    write(actions / "deep.yaml", deep())
    write(actions / "deepblock.yaml", deep_block())
    write(actions / "tabs.yaml", TABS)
    write(actions / "two_documents.yaml", TWO_DOCUMENTS)
    secret = write(root.parent / "outside" / "secret.yaml", SECRET)
    os.symlink(secret, actions / "escape.yaml")  # a link out of the pack
    os.symlink(actions / "self.yaml", actions / "self.yaml")  # a link to itself
    os.symlink(root, actions / "loop")  # a folder link back to the pack root
    os.symlink("/dev/zero", actions / "zero.yaml")  # endless bytes behind a link
    os.mkfifo(actions / "pipe.yaml")  # a reader that opens it waits forever
    os.mkfifo(root / "notes.yaml")  # and one in a place registration never reads
    return root
