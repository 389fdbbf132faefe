"""Checking a loaded workspace on several cores: forked workers share the parsed trees for free.

Parse trees do not cross processes cheaply (pickling them costs more than parsing), so work is
split after loading: a forked child sees the parent's workspace copy-on-write, checks its share
of the files, and sends back only findings. The answer is the one `check_workspace` gives, in
the same order. Where `fork` is unavailable, or the workspace is small, it is `check_workspace`.
"""

from __future__ import annotations

import gc
import os
from pathlib import Path
from typing import Iterable

from packls.checks import check_source, check_workspace, checks_for
from packls.findings import Finding
from packls.workspace import SourceFile, Workspace

MIN_FILES_PER_WORKER = 500  # below this, starting a process costs more than it saves

_shared: Workspace | None = None  # the workspace forked children check (set just before forking)


def usable_cores() -> int:
    """CPUs this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


def check_parallel(workspace: Workspace, only: Iterable[Path] | None = None, workers: int | None = None) -> dict[Path, list[Finding]]:
    """`check_workspace`, with the files split over `workers` processes (default: the usable cores)."""
    wanted = set(only) if only is not None else None
    sources = [s for s in workspace.sources() if wanted is None or s.path in wanted]
    count = min(workers or usable_cores(), len(sources) // MIN_FILES_PER_WORKER)
    if count < 2:
        return check_workspace(workspace, only)
    import multiprocessing  # (loaded only for a workspace worth forking for)
    from concurrent.futures import ProcessPoolExecutor

    if "fork" not in multiprocessing.get_all_start_methods():
        return check_workspace(workspace, only)
    global _shared
    workspace.index  # noqa: B018 - built once here, inherited by every child instead of built in each
    for kind in {source.kind for source in sources}:
        checks_for(kind)  # each kind's check modules imported once here, not in every child
    shares = [sources[i::count] for i in range(count)]
    _shared = workspace
    gc.freeze()  # children would otherwise touch (and copy) every tree on their first collection
    try:
        with ProcessPoolExecutor(count - 1, mp_context=multiprocessing.get_context("fork")) as pool:
            futures = [pool.submit(_check_share, [s.path for s in share]) for share in shares[1:]]
            found = {s.path: check_source(s, workspace) for s in shares[0]}
            for future in futures:
                found.update(future.result())
    finally:
        _shared = None
        gc.unfreeze()
    return {s.path: found[s.path] for s in sources}  # the sequential order


def _check_share(paths: list[Path]) -> dict[Path, list[Finding]]:
    """In a forked child: check some files of the inherited workspace."""
    assert _shared is not None
    wanted = set(paths)
    sources: list[SourceFile] = [s for s in _shared.sources() if s.path in wanted]
    return {s.path: check_source(s, _shared) for s in sources}
