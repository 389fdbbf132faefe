"""Checking a workspace on several cores: each process parses and checks its own share of the packs.

Parse trees do not cross processes cheaply (pickling them costs more than parsing), so packs are
dealt out before they are parsed. Every runtime and manifest is parsed before the fork (every
lookup reads them); then each forked worker parses its packs, tells the others what each of its
files declares (a `FileSummary`: the ref, or why the file declares nothing), learns theirs, and
checks its files. A check that reads another pack's tree (a target's visibility, say) parses that
file there and then. The answer is the one `check_workspace` gives, in the same order. Without
`fork`, or for a small workspace, it is `check_workspace`; a worker that fails leaves its files
to the parent.
"""

from __future__ import annotations

import gc
import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable

from packls.checks import check_source, check_workspace
from packls.findings import Finding
from packls.lookups import PARSED_FOR_LOOKUPS
from packls.sources import DeferredSource, FileSummary, Pack, parse_deferred
from packls.workspace import Workspace, parse_packs

if TYPE_CHECKING:
    from multiprocessing.connection import Connection
    from multiprocessing.process import BaseProcess

MIN_FILES_PER_WORKER = 500  # below this, starting a process costs more than it saves


def usable_cores() -> int:
    """CPUs this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


def check_parallel(workspace: Workspace, only: Iterable[Path] | None = None, workers: int | None = None) -> dict[Path, list[Finding]]:
    """`check_workspace`, with the packs dealt out to `workers` processes (default: the usable cores)."""
    return check_in_shares(workspace, only, workers).found


@dataclass
class SharedRun:
    """Findings per file in the sequential order, and how the work was shared."""

    found: dict[Path, list[Finding]]
    processes: int = 1
    parsed_elsewhere: int = 0  # files of other shares a worker had to parse after all (a check read their tree)
    failed_shares: int = 0  # shares whose worker died; the parent checked their files


def check_in_shares(workspace: Workspace, only: Iterable[Path] | None = None, workers: int | None = None) -> SharedRun:
    """`check_parallel`, saying how the work was shared."""
    wanted = set(only) if only is not None else None
    sources = [s for s in workspace.sources() if wanted is None or s.path in wanted]
    count = min(workers or usable_cores(), len(sources) // MIN_FILES_PER_WORKER, len(workspace.packs))
    context = _fork_context() if count >= 2 else None
    if context is None:
        parse_packs(workspace.packs.values())
        return SharedRun(check_workspace(workspace, only))
    parse_deferred(s for pack in workspace.packs.values() for s in pack.files.values() if s.kind in PARSED_FOR_LOOKUPS)
    shares = [_Share(workspace, packs, wanted) for packs in deal(list(workspace.packs.values()), count)]
    gc.freeze()  # children would otherwise touch (and copy) every object on their first collection
    children: list[tuple[BaseProcess, Connection]] = []
    try:
        for own in range(1, len(shares)):
            mine, theirs = context.Pipe()
            parent_ends = [connection for _, connection in children] + [mine]
            process = context.Process(target=_work, args=(shares, own, theirs, parent_ends), daemon=True)
            process.start()
            theirs.close()
            children.append((process, mine))
        run = _coordinate(shares, [connection for _, connection in children])
    finally:
        for process, connection in children:
            connection.close()
            process.join()
        gc.unfreeze()
    run.found = {s.path: run.found[s.path] if s.path in run.found else check_source(s, workspace) for s in sources}
    return run


def _fork_context() -> Any:
    """multiprocessing's fork context, where there is one (loaded only for a workspace worth forking for)."""
    import multiprocessing

    return multiprocessing.get_context("fork") if "fork" in multiprocessing.get_all_start_methods() else None


def deal(packs: list[Pack], count: int) -> list[list[Pack]]:
    """Packs in `count` shares of about equal text size (biggest first, each to the lightest share)."""
    shares: list[list[Pack]] = [[] for _ in range(count)]
    loads = [0] * count
    sized = [(sum(len(s.text) for s in pack.files.values()), pack) for pack in packs]
    for size, pack in sorted(sized, key=lambda item: -item[0]):
        lightest = loads.index(min(loads))
        shares[lightest].append(pack)
        loads[lightest] += size
    return [share for share in shares if share]


Summaries = list[tuple[bool, str | None, tuple[object, ...] | None]]  # a share's FileSummary fields, in file order


class _Share:
    """Some packs of a workspace, parsed and checked by one process.

    Every process forks from the same workspace, so each knows every share's files in the same order:
    what crosses a pipe is a list in that order, without paths.
    """

    def __init__(self, workspace: Workspace, packs: list[Pack], wanted: set[Path] | None) -> None:
        self.workspace = workspace
        self.packs = packs
        self.files = [s for pack in packs for s in pack.files.values()]
        self.checked = [s for s in self.files if wanted is None or s.path in wanted]

    def parse(self) -> Summaries:
        """Parse these packs; what each of their files declares, for the other processes."""
        from packls.broken import summarize

        parse_packs(self.packs)
        return [summarize(s).fields() for s in self.files]

    def learn(self, summaries: Summaries) -> None:
        """Take another process's word for what these files declare, so lookups need not parse them."""
        for source, fields in zip(self.files, summaries):
            if isinstance(source, DeferredSource):
                source.summary = FileSummary(*fields)

    def check(self) -> tuple[list[list[Finding]], int]:
        """Findings of the files to check, in order, and how many files of other shares had to be parsed."""
        own = {id(pack) for pack in self.packs}
        elsewhere = [s for pack in self.workspace.packs.values() if id(pack) not in own
                     for s in pack.files.values() if isinstance(s, DeferredSource)]
        found = [check_source(s, self.workspace) for s in self.checked]
        return found, sum(1 for s in elsewhere if not isinstance(s, DeferredSource))


def _learn(shares: list[_Share], summaries: list[Summaries | None], own: int) -> None:
    """Every other share's summaries, then lookups rebuilt on next use."""
    for index, (share, fields) in enumerate(zip(shares, summaries)):
        if index != own and fields is not None:
            share.learn(fields)
    shares[own].workspace.lookups_changed()


def _work(shares: list[_Share], own: int, connection: Connection, parent_ends: list[Connection]) -> None:
    """In a forked child: parse its share, trade summaries with the parent, check, send the findings."""
    for end in parent_ends:
        end.close()  # inherited copies: while one is open, the child would never see the parent close its end
    try:
        connection.send(shares[own].parse())
        _learn(shares, connection.recv(), own)
        connection.send(shares[own].check())
    except BaseException:  # noqa: BLE001 - any failure leaves this share to the parent, which checks it again
        pass
    finally:
        connection.close()


def _coordinate(shares: list[_Share], children: list[Connection]) -> SharedRun:
    """In the parent (share 0): its own share, the trade of summaries, and everyone's findings."""
    summaries: list[Summaries | None] = [shares[0].parse()]
    for connection in children:
        try:
            summaries.append(connection.recv())
        except (EOFError, OSError):
            summaries.append(None)
    _learn(shares, summaries, 0)
    for connection in children:
        try:
            connection.send(summaries)
        except OSError:
            continue
    found, elsewhere = shares[0].check()
    results = dict(zip((s.path for s in shares[0].checked), found))
    delivered = 0
    for share, connection in zip(shares[1:], children):
        try:
            theirs, parsed = connection.recv()
        except (EOFError, OSError):
            continue
        results.update(zip((s.path for s in share.checked), theirs))
        elsewhere += parsed
        delivered += 1
    return SharedRun(results, len(shares), elsewhere, len(children) - delivered)
