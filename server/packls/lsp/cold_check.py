"""Cold starts of large workspaces: the first check runs on the other cores, in a helper process.

The server keeps every tree, so it parses and checks in its own process, on one core: about
4 s for 10,000 files. A helper, started at `initialized` (the same Python, isolated: `-I`, so
no environment variable, user site or current folder changes what it imports; the server's
own import path, made absolute), reads the same packs and checks them on every core
(`packls.features.fresh_snapshot`), then writes the findings and the inputs key of what it read
to its stdout pipe. The server publishes them only when that key equals the key of its own reads
(`packls.lsp.warm`), as it would a stored snapshot, then parses in the background. Anything else
(no answer in time, a crash, a different key) and the server checks everything itself, as before.

It is the one process `packls serve` starts: its command line is fixed (nothing a repository
or a setting names), it evaluates nothing it reads, and it is killed with its process group
when it is no longer wanted. Only for workspaces of MIN_FILES files or more, on a machine
with two cores or more; `coldStartHelper: false` turns it off.
"""

from __future__ import annotations

import asyncio
import json
import logging
import marshal
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from packls.facts import facts_as_data
from packls.features.snapshot import Snapshot, decode_snapshot
from packls.pack_scan import count_pack_files, discover_pack_roots
from packls.process_group import kill_group

if TYPE_CHECKING:
    from packls.lsp.app import PacklsServer

log = logging.getLogger(__name__)
MIN_FILES = 1000  # below, the server's own check is done before a helper has started
WAIT_SECONDS = 10.0  # the longest the server waits for the answer, plus …
WAIT_PER_FILE = 0.002  # … this per file read
# Two lines on stdin: the import path (sent at once: the imports run while the server gets its settings), then the request.
BOOT = (
    "import json, sys; sys.path[:] = json.loads(sys.stdin.buffer.readline()); "
    "from packls.lsp.cold_helper import answer; answer(json.loads(sys.stdin.buffer.readline()))"
)


def helper_command() -> list[str]:
    """The helper's command line: always this, whatever the workspace holds."""
    return [sys.executable, "-I", "-c", BOOT]


def import_path() -> list[str]:
    """The server's import path, absolute, behind the folder its own packls came from: the helper runs this packls."""
    import packls

    own = os.path.dirname(os.path.dirname(os.path.abspath(packls.__file__)))
    return [own, *(os.path.abspath(entry) for entry in sys.path)]


class ColdCheck:
    """One helper for the first indexing: sized up (and started, when surely cold) at once, asked once, then stopped."""

    def __init__(self, folders: list[Path], eager: bool) -> None:
        """Size up the folders at once, in a task of the running loop (and start the helper then when eager)."""
        self._folders = folders
        self._eager = eager  # nothing stored, so surely cold: started as soon as it is sized up, asked at once
        self._process: subprocess.Popen[bytes] | None = None
        self._request: dict[str, Any] | None = None
        self._answer: asyncio.Future[bytes | None] | None = None
        self._asked = 0.0
        self._stopped = False
        self._sizing = asyncio.create_task(self._size_up(), name="packls-cold-check")  # (pack roots, large enough)

    @classmethod
    def early(cls, ls: PacklsServer) -> ColdCheck | None:
        """At `initialized`: a helper for a large workspace, its interpreter started now unless a snapshot is stored.

        The interpreter's start and imports then overlap the server's settings requests; with a stored
        snapshot the start is probably warm, and the helper starts only if that snapshot does not match.
        """
        from packls.parallel import usable_cores

        if os.name != "posix" or not ls.session.folders or not ls.settings.tuning.cold_start_helper or usable_cores() < 2:
            return None  # (process groups and SIGALRM, which confine the helper, are POSIX)
        return cls(list(ls.session.folders), eager=not ls.warm_start.may_restore())

    async def _size_up(self) -> tuple[list[Path], bool] | None:
        try:
            roots = await asyncio.to_thread(discover_pack_roots, self._folders)
            large = await asyncio.to_thread(count_pack_files, roots, MIN_FILES) >= MIN_FILES
        except Exception:  # a folder that cannot be walked: indexing will say so; no helper
            log.debug("sizing up the workspace for the cold-start helper failed", exc_info=True)
            return None
        if large and self._eager:
            self._spawn()
        return roots, large

    async def pack_roots(self, folders: list[Path]) -> list[Path] | None:
        """The pack roots found under these folders while sizing up (indexing need not walk them again), if any."""
        sized = await self._sizing if folders == self._folders else None
        return sized[0] if sized is not None else None

    def _spawn(self) -> None:
        if self._stopped:
            return
        try:
            self._process = subprocess.Popen(
                helper_command(), stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True,
            )
            self._send(import_path())
        except (OSError, ValueError) as error:
            log.info("could not start the cold-start helper (%s); checking in this process", error)
            self.stop()
            self._process = None

    def _send(self, data: object) -> None:
        assert self._process is not None and self._process.stdin is not None
        self._process.stdin.write(json.dumps(data).encode() + b"\n")
        self._process.stdin.flush()

    async def request(self, ls: PacklsServer, roots: list[Path]) -> None:
        """What to check: these packs, with the server's settings and facts as they are now; sent at once when eager.

        Otherwise it is sent by `snapshot`, if the stored snapshot turns out not to match.
        """
        self._request = None if not ls.settings.tuning.cold_start_helper else {  # (a folder's settings may turn it off)
            "folders": [str(folder) for folder in ls.session.folders],
            "roots": [str(root) for root in roots],
            "settings": ls.settings.as_data(),
            "facts": facts_as_data(ls.session.facts),
            "extras": [str(path) for path in getattr(ls, "_extras", ())],
        }
        if self._eager:
            await self.ask()

    async def ask(self) -> None:
        """Send the request (once, starting the helper if it has not started); `snapshot` awaits the answer."""
        if self._answer is not None:
            return
        sized = await self._sizing
        large = sized is not None and sized[1]
        self._answer = asyncio.get_running_loop().create_future()
        if large and self._request is not None and self._process is None:
            self._spawn()
        process = self._process
        if not large or self._request is None or process is None:
            self.stop()
            self._answer.set_result(None)
            return
        self._asked = time.monotonic()
        request = json.dumps(self._request).encode() + b"\n"  # written off the loop: it may not fit in the pipe
        self._answer = asyncio.get_running_loop().run_in_executor(None, _communicate, process, request)

    async def snapshot(self, key: str, files: int) -> Snapshot | None:
        """The helper's findings when they were computed from inputs with this key, else None."""
        await self.ask()
        assert self._answer is not None
        limit = WAIT_SECONDS + WAIT_PER_FILE * files - (time.monotonic() - self._asked)
        try:
            out = await asyncio.wait_for(asyncio.shield(self._answer), max(limit, 0.1))
        except asyncio.TimeoutError:
            log.info("the cold-start helper took longer than %.0f s; checking in this process", limit)
            self.stop()
            return None
        snapshot = _decoded(out)
        if snapshot is None or snapshot.key != key:
            if self._process is not None:
                log.info("the cold-start helper's findings are not usable (%s); checking in this process",
                         "no answer" if out is None else "other inputs" if snapshot is not None else "garbled answer")
            return None
        log.info("cold start: findings of %d file(s) checked by the helper in %.0f ms", len(snapshot.findings),
                 (time.monotonic() - self._asked) * 1000)
        return snapshot

    def stop(self) -> None:
        """Kill the helper and the workers it forked, if they still run (and start none after)."""
        self._stopped = True
        process = self._process
        if process is not None and process.poll() is None:
            kill_group(process)
            if self._answer is None:  # never asked, so no thread waits for it: reaped off the loop
                threading.Thread(target=process.wait, name="packls-cold-check-reap", daemon=True).start()


def _communicate(process: subprocess.Popen[bytes], request: bytes) -> bytes | None:
    """Send the request, then the helper's answer once it exits; None when it failed."""
    try:
        out, err = process.communicate(request)
    except (OSError, ValueError):
        return None
    if process.returncode != 0:
        if process.returncode != -signal.SIGKILL:
            log.info("the cold-start helper failed (exit %s): %s", process.returncode, err[-2000:].decode(errors="replace"))
        return None
    return out


def _decoded(out: bytes | None) -> Snapshot | None:
    if not out:
        return None
    try:
        return decode_snapshot(marshal.loads(out))
    except (EOFError, ValueError, TypeError):
        return None
