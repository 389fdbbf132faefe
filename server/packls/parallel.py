"""Checking a workspace on several cores: each process parses and checks its own share of the packs.

Parse trees do not cross processes cheaply (pickling them costs more than parsing), so packs are
dealt out before they are parsed. A forked worker parses its packs (and every runtime and
manifest, which every lookup reads), tells the others what each of its files declares (a
`FileSummary`: the ref, or why the file declares nothing), learns theirs, then checks its files.
A check that reads another pack's tree (a target's visibility, say) parses that file there and
then. The answer is the one `check_workspace` gives, in the same order. Without `fork`, or for
a small workspace, it is `check_workspace`; a worker that fails leaves its files to the parent.
"""

from __future__ import annotations

import gc
import os
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Iterable

from packls.checks import check_source, check_workspace, checks_for
from packls.findings import Finding
from packls.model import FileKind
from packls.sources import DeferredSource, FileSummary, Pack, parse_deferred
from packls.workspace import Workspace, parse_packs

MIN_FILES_PER_WORKER = 500  # below this, starting a process costs more than it saves
_READ_BY_LOOKUPS = (FileKind.RUNTIME, FileKind.MANIFEST)  # parsed in every process: lookups read more than a ref


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
    import multiprocessing  # (loaded only for a workspace worth forking for)

    if count < 2 or "fork" not in multiprocessing.get_all_start_methods():
        parse_packs(workspace.packs.values())
        return SharedRun(check_workspace(workspace, only))
    parse_deferred(s for pack in workspace.packs.values() for s in pack.files.values() if s.kind in _READ_BY_LOOKUPS)
    for kind in {source.kind for source in sources}:
        checks_for(kind)  # each kind's check modules imported once here, not in every child
    shares = [_Share(workspace, packs, wanted) for packs in deal(list(workspace.packs.values()), count)]
    gc.freeze()  # children would otherwise touch (and copy) every object on their first collection
    context = multiprocessing.get_context("fork")
    children: list[tuple[object, Connection]] = []
    try:
        for share in shares[1:]:
            mine, theirs = context.Pipe()
            process = context.Process(target=_work, args=(share, theirs), daemon=True)
            process.start()
            theirs.close()
            children.append((process, mine))
        run = _coordinate(workspace, shares, [connection for _, connection in children])
    finally:
        for process, connection in children:
            connection.close()
            process.join()  # type: ignore[attr-defined]
        gc.unfreeze()
    run.found = {s.path: run.found[s.path] if s.path in run.found else check_source(s, workspace) for s in sources}
    return run


def deal(packs: list[Pack], count: int) -> list[list[Pack]]:
    """Packs in `count` shares of about equal text size (biggest first, each to the lightest share)."""
    shares: list[list[Pack]] = [[] for _ in range(count)]
    sizes = [0] * count
    for pack in sorted(packs, key=lambda p: -sum(len(s.text) for s in p.files.values())):
        lightest = sizes.index(min(sizes))
        shares[lightest].append(pack)
        sizes[lightest] += sum(len(s.text) for s in pack.files.values())
    return [share for share in shares if share]


@dataclass
class _Share:
    """Some packs of a workspace, parsed and checked by one process."""

    workspace: Workspace
    packs: list[Pack]
    wanted: set[Path] | None

    def parse(self) -> dict[Path, FileSummary]:
        """Parse these packs; what each of their files declares, for the other processes."""
        from packls.broken import summarize

        parse_packs(self.packs)
        return {s.path: summarize(s) for pack in self.packs for s in pack.files.values()}

    def check(self) -> tuple[dict[Path, list[Finding]], int]:
        """Findings of these packs' files (the wanted ones), and how many files of other shares had to be parsed."""
        own = {id(pack) for pack in self.packs}
        elsewhere = [s for pack in self.workspace.packs.values() if id(pack) not in own
                     for s in pack.files.values() if isinstance(s, DeferredSource)]
        found = {s.path: check_source(s, self.workspace) for pack in self.packs for s in pack.files.values()
                 if self.wanted is None or s.path in self.wanted}
        return found, sum(1 for s in elsewhere if not isinstance(s, DeferredSource))


def learn(workspace: Workspace, summaries: dict[Path, FileSummary]) -> None:
    """Give the unparsed files their summaries, so lookups need not parse them."""
    for pack in workspace.packs.values():
        for source in pack.files.values():
            if isinstance(source, DeferredSource) and source.path in summaries:
                source.summary = summaries[source.path]
    workspace.lookups_changed()


def _work(share: _Share, connection: Connection) -> None:
    """In a forked child: parse the share, trade summaries with the parent, check, send the findings."""
    try:
        connection.send(share.parse())
        learn(share.workspace, connection.recv())
        connection.send(share.check())
    except BaseException:  # noqa: BLE001 - any failure leaves this share to the parent, which checks it again
        pass
    finally:
        connection.close()


def _coordinate(workspace: Workspace, shares: list[_Share], children: list[Connection]) -> SharedRun:
    """In the parent: its own share, the trade of summaries, and everyone's findings."""
    summaries = shares[0].parse()
    alive: list[Connection] = []
    for connection in children:
        try:
            summaries.update(connection.recv())
            alive.append(connection)
        except (EOFError, OSError):
            continue
    learn(workspace, summaries)
    for connection in list(alive):
        try:
            connection.send(summaries)
        except OSError:
            alive.remove(connection)
    found, elsewhere = shares[0].check()
    delivered = 0
    for connection in alive:
        try:
            theirs, parsed = connection.recv()
        except (EOFError, OSError):
            continue
        found.update(theirs)
        elsewhere += parsed
        delivered += 1
    return SharedRun(found, len(shares), elsewhere, len(children) - delivered)
