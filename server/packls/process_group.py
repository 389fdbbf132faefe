"""Ending a child that leads its own process group (`start_new_session=True`), with everything it started."""

from __future__ import annotations

import os
import signal
import subprocess


def kill_group(process: subprocess.Popen[bytes]) -> None:
    """SIGKILL the child's process group, then the child itself (in case it left the group); does not wait."""
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    try:
        process.kill()
    except ProcessLookupError:
        pass
