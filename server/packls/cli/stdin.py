"""`packls validate - --stdin-filename PATH`: an editor's unsaved buffer checked as if it were that file."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TextIO

from packls.cli.loading import Loaded, RegistryUse, UsageError, load
from packls.config import Config
from packls.pack_files import HARD_FILE_BYTES, NOT_A_PACK_FILE, FileRead, relative_kind
from packls.workspace import find_pack_root


def load_stdin(named: Path, stream: TextIO, config: Config, registry: RegistryUse) -> Loaded:
    """The workspace of the named file's pack with stdin's text in the file's place; only that file is reported."""
    path = Path(os.path.abspath(named))
    root = find_pack_root(path)
    if root is None:
        raise UsageError(f"--stdin-filename {named} is in no pack (no folder above it has pack.yaml)")
    text = stream.read(HARD_FILE_BYTES + 1)
    if len(text) > HARD_FILE_BYTES:
        raise UsageError(f"stdin holds more than {HARD_FILE_BYTES} characters; not read")
    loaded = load([root], config, registry)
    relative = Path(os.path.relpath(path, root)).as_posix()
    kind = relative_kind(relative)
    if kind is None or (config.exclude and config.is_excluded(path)):
        why = "the configuration excludes it" if kind is not None else NOT_A_PACK_FILE
        loaded.notes.append(f"skipped {named}: {why}")
        loaded.only, loaded.stdin_path = set(), path
        return loaded
    source = FileRead(path, root, relative, kind, text, size=len(text.encode("utf-8", "surrogatepass"))).source()
    loaded.workspace.replace_source(source)
    loaded.only, loaded.stdin_path = {path}, path
    return loaded
