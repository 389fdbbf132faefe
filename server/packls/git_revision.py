"""A git revision's pack files in a temporary folder, read by git itself with nothing of the repository run.

Only plumbing is used: `rev-parse` to name the commit, `ls-tree` to list it and `cat-file --batch`
to read raw blobs. Raw blobs never pass through filters (smudge, LFS), textconv, export-subst or
hooks, which `git archive` and checkouts would apply; every network protocol is refused, so a
partial clone never fetches a missing object from a server the repository names.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
import threading
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Iterator, Sequence

from packls.pack_files import HARD_FILE_BYTES, is_pack_file_name

GIT_TIMEOUT = 120.0  # seconds for each git command
MAX_ENTRIES = 200_000  # files listed below the requested paths
MAX_CONTENT_BYTES = 512 * 1024 * 1024  # YAML and requirements read from the revision, in total
# Hooks, fsmonitor and every transport off for each command (and the git processes it starts).
_SAFE_CONFIG = ("-c", "core.fsmonitor=false", "-c", "core.hooksPath=/dev/null", "-c", "protocol.allow=never")
_SAFE_ENV = {
    "GIT_TERMINAL_PROMPT": "0",
    "GIT_NO_LAZY_FETCH": "1",
    "GIT_LITERAL_PATHSPECS": "1",  # a path is a path, never a glob or pathspec magic
    "GIT_OPTIONAL_LOCKS": "0",
    "GIT_PAGER": "cat",
}
_WRITE_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)


class RevisionError(Exception):
    """A revision that cannot be read, said in one sentence (usage error: exit 2)."""


@dataclass(frozen=True)
class Checkout:
    """A revision's files under `root`, laid out as in the repository at `top`."""

    top: Path
    commit: str
    root: Path
    files: int


def repository_root(start: Path) -> Path:
    """The top folder of the git work tree holding start."""
    folder = start if start.is_dir() else start.parent
    result = _git(folder, "rev-parse", "--show-toplevel")
    if result.returncode != 0 or not result.stdout.strip():
        raise RevisionError(f"{folder} is not inside a git work tree ({_first_line(result.stderr)})")
    return Path(os.fsdecode(result.stdout.rstrip(b"\n")))


def resolve_commit(top: Path, revision: str) -> str:
    """The commit a revision names; a shallow clone missing it is told how to fetch it."""
    if not revision or revision.startswith("-") or any(ch in revision for ch in "\0\r\n"):
        raise RevisionError(f"not a git revision: {revision!r}")
    result = _git(top, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{revision}^{{commit}}")
    commit = result.stdout.decode("ascii", "replace").strip()
    if result.returncode == 0 and commit:
        return commit
    shallow = _git(top, "rev-parse", "--is-shallow-repository").stdout.strip() == b"true"
    if shallow:
        raise RevisionError(
            f"revision {revision!r} is not in this shallow clone of {top}: it holds only part of the history; "
            "fetch it first (git fetch --deepen=N, git fetch --unshallow, or a CI checkout with full history)"
        )
    raise RevisionError(f"unknown revision {revision!r}: no commit of the repository at {top} has this name")


@contextmanager
def revision_checkout(start: Path, revision: str, paths: Sequence[Path]) -> Iterator[Checkout]:
    """The pack files below paths as they were at revision, in a temporary folder removed afterwards."""
    top = repository_root(start)
    commit = resolve_commit(top, revision)
    specs = [pathspec(path, top) for path in paths]
    with tempfile.TemporaryDirectory(prefix="packls-revision-") as folder:
        root = Path(folder)
        files = materialize(top, commit, [s for s in specs if s], root)
        yield Checkout(top, commit, root, files)


def pathspec(path: Path, top: Path) -> str:
    """path relative to the repository top ('' for the top itself); a path outside it is an error."""
    absolute = Path(os.path.realpath(path))
    try:
        relative = absolute.relative_to(top)
    except ValueError:
        raise RevisionError(f"{path} is outside the git repository at {top}") from None
    text = relative.as_posix()
    return "" if text == "." else text


def materialize(top: Path, commit: str, specs: Sequence[str], root: Path) -> int:
    """Write the revision's files below specs under root: pack YAML with its content, other files empty.

    Other files are still created (empty), because checks ask whether an entry point exists;
    symbolic links and submodules are left out (Attune's loader reads neither).
    """
    wanted: list[tuple[bytes, str]] = []  # (object id, relative path) of files whose content matters
    listed = 0
    content_bytes = 0
    for mode, kind, oid, size, relative in _list_tree(top, commit, specs):
        listed += 1
        if listed > MAX_ENTRIES:
            raise RevisionError(f"revision {commit[:12]} has more than {MAX_ENTRIES} files below the given paths")
        if kind != b"blob" or mode == b"120000":
            continue
        name = relative.rsplit("/", 1)[-1]
        if is_pack_file_name(name) and size <= HARD_FILE_BYTES:
            content_bytes += size
            if content_bytes > MAX_CONTENT_BYTES:
                raise RevisionError(f"revision {commit[:12]} holds more than {MAX_CONTENT_BYTES} bytes of pack files")
            wanted.append((oid, relative))
        else:
            _write(root, relative, b"", size if size > HARD_FILE_BYTES else 0)
    for (oid, relative), data in zip(wanted, _read_blobs(top, [oid for oid, _ in wanted])):
        _write(root, relative, data, 0)
    return listed


def _list_tree(top: Path, commit: str, specs: Sequence[str]) -> Iterator[tuple[bytes, bytes, bytes, int, str]]:
    """(mode, type, object id, size, checked relative path) of every file of the commit below specs."""
    result = _git(top, "ls-tree", "-r", "-z", "-l", "--full-tree", commit, "--", *specs)
    if result.returncode != 0:
        raise RevisionError(f"git ls-tree failed for {commit[:12]}: {_first_line(result.stderr)}")
    for record in result.stdout.split(b"\0"):
        if not record:
            continue
        meta, _, raw_path = record.partition(b"\t")
        fields = meta.split()
        if len(fields) != 4:
            raise RevisionError(f"unexpected git ls-tree output: {record[:80]!r}")
        mode, kind, oid, size = fields
        yield mode, kind, oid, int(size) if size.isdigit() else 0, _checked(raw_path)


def _checked(raw: bytes) -> str:
    """A tree path safe to create below the temporary root (no '..', '.git', empty or absolute parts)."""
    parts = raw.split(b"/")
    if any(part in (b"", b".", b"..") or part.lower() == b".git" for part in parts):
        raise RevisionError(f"the revision holds a path git refuses to check out: {raw[:200]!r}")
    return os.fsdecode(raw)


def _read_blobs(top: Path, oids: Sequence[bytes]) -> Iterator[bytes]:
    """Raw blob contents, in order, from one `git cat-file --batch` (no filters, no textconv)."""
    if not oids:
        return
    process = subprocess.Popen(
        _command(top, "cat-file", "--batch"), stdin=subprocess.PIPE, stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL, env=_environment(),
    )
    assert process.stdin is not None and process.stdout is not None
    timer = threading.Timer(GIT_TIMEOUT, process.kill)
    writer = threading.Thread(target=_feed, args=(process.stdin, oids), daemon=True)
    timer.start()
    writer.start()
    try:
        for oid in oids:
            header = process.stdout.readline()
            fields = header.split()
            if len(fields) != 3 or fields[1] != b"blob" or not fields[2].isdigit():
                raise RevisionError(f"git cat-file could not read object {oid.decode('ascii', 'replace')}: {header[:120]!r}")
            size = int(fields[2])
            data = process.stdout.read(size)
            process.stdout.read(1)  # the newline after each object
            if len(data) != size:
                raise RevisionError("git cat-file stopped early (timed out or killed)")
            yield data
    finally:
        timer.cancel()
        process.kill()
        process.wait()
        writer.join(timeout=5)


def _feed(stdin: IO[bytes], oids: Sequence[bytes]) -> None:
    try:
        for oid in oids:
            stdin.write(oid + b"\n")
        stdin.close()
    except OSError:
        pass  # the reader stopped early and killed git


def _write(root: Path, relative: str, data: bytes, size: int) -> None:
    """Create one file below root (never through a link: root is fresh and only this code creates in it)."""
    path = root / relative
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle = os.open(path, _WRITE_FLAGS, 0o600)
    except OSError as error:
        raise RevisionError(f"cannot write {relative!r} of the revision: {error.strerror or error}") from None
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(handle, view):]
        if size:
            os.ftruncate(handle, size)  # a sparse stand-in: only its size matters (read as too large)
    finally:
        os.close(handle)


def _git(cwd: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    try:
        return subprocess.run(
            _command(cwd, *args), capture_output=True, timeout=GIT_TIMEOUT, env=_environment(), stdin=subprocess.DEVNULL,
        )
    except FileNotFoundError:
        raise RevisionError("git is not installed (or not on PATH); --since needs it") from None
    except subprocess.TimeoutExpired:
        raise RevisionError(f"git {args[0]} took longer than {GIT_TIMEOUT:.0f} s") from None


def _command(cwd: Path, *args: str) -> list[str]:
    return ["git", *_SAFE_CONFIG, "-C", str(cwd), *args]


def _environment() -> dict[str, str]:
    return {**os.environ, **_SAFE_ENV}


def _first_line(stderr: bytes) -> str:
    text = stderr.decode("utf-8", "replace").strip()
    return text.splitlines()[0] if text else "no message"
