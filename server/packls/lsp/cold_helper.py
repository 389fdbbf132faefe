"""The cold-start helper's side (`packls.lsp.cold_check`): check the packs the server names, answer on stdout.

Run as `python -I -c BOOT` with the request on stdin; imports only what checking needs (no
asyncio, no protocol), and ends without the interpreter's teardown once the answer is written.
"""

from __future__ import annotations

import gc
import marshal
import os
import signal
import sys
from pathlib import Path
from typing import Any

from packls.cli.main import ONE_SHOT_COLLECTION_THRESHOLD
from packls.config import Config
from packls.facts import facts_from_data
from packls.features.fresh_snapshot import compute_snapshot, read_packs
from packls.features.snapshot import encode_snapshot
from packls.lsp.settings import Settings
from packls.workspace import load_extras

LIFETIME = 600  # seconds: an orphaned helper ends itself (SIGALRM), whatever happened to the server


def answer(request: dict[str, Any]) -> None:
    """Read the packs the request names with the server's settings and facts, check them, write the snapshot."""
    signal.alarm(LIFETIME)
    gc.set_threshold(ONE_SHOT_COLLECTION_THRESHOLD)  # as `packls validate`: what it builds lives until it ends
    settings = Settings.from_data(request["settings"])
    folders = [Path(folder) for folder in request["folders"]]
    fallback = folders[0] if folders else None

    def config_for(path: Path) -> Config:
        return settings.config_for(path, fallback)[0]

    extras = load_extras(Path(path) for path in request["extras"])
    reads = read_packs([Path(root) for root in request["roots"]], config_for)
    snapshot = compute_snapshot(reads, extras, config_for, facts_from_data(request["facts"]))
    sys.stdout.buffer.write(marshal.dumps(encode_snapshot(snapshot)))
    sys.stdout.buffer.flush()
    os._exit(0)  # no teardown of what it built: the answer is written
