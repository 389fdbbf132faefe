"""Reading one pack file from disk, safely: never through a link, never a pipe, never more than 16 MiB.

Any problem (a link, a FIFO, UTF-16, binary data, a file in another encoding) is recorded on the
file, to become its finding; nothing here raises.
"""

from __future__ import annotations

import errno
import os
import stat
from dataclasses import dataclass
from pathlib import Path

from packls.model import FileKind, classify
from packls.model.kinds import COMPONENT_FOLDERS, is_yaml_name
from packls.sources import SourceFile

Stamp = tuple[int, int]  # (mtime in ns, size): what the disk poller compares


def stamp_of(info: os.stat_result) -> Stamp:
    """A file's status as the disk poller compares it."""
    return (info.st_mtime_ns, info.st_size)


REQUIREMENTS_FILE = "requirements.txt"
MAX_FILE_BYTES = 1_048_576  # pack_check's limit; larger files are still read, and reported
HARD_FILE_BYTES = 16 * MAX_FILE_BYTES  # never read more than this into memory
NOT_A_PACK_FILE = "Attune does not read it (pack files are .yaml/.yml metadata and requirements.txt)"


def is_pack_file_name(name: str) -> bool:
    """True for a file name a pack file can have: YAML metadata, or the Python requirements."""
    return is_yaml_name(name) or name == REQUIREMENTS_FILE


def relative_kind(relative: str) -> FileKind | None:
    """The kind of a pack-relative POSIX path (None: not a file packls reads)."""
    if relative == REQUIREMENTS_FILE:
        return FileKind.PYTHON_REQUIREMENTS
    return classify(relative)


@dataclass(frozen=True)
class FileRead:
    """One pack file as read from disk, before parsing: what a warm start digests and a load parses."""

    path: Path
    pack_root: Path
    relative: str
    kind: FileKind
    text: str | None  # None when the file could not be read as text
    size: int = 0
    error: str | None = None  # why it could not be read (becomes the file's read_error)
    shown: str = ""  # text of a file in another encoding with the bad bytes replaced, to point at them
    error_at: int = 0  # where in `shown` the first bad byte is
    stamp: Stamp | None = None  # (mtime in ns, size) of the file as it was read, for the disk poller's baseline

    def source(self) -> SourceFile:
        """Parse the text (or record the read error) as the file's SourceFile."""
        if self.text is None:
            error = self.error or "cannot read the file"
            return SourceFile.unreadable(self.path, self.pack_root, self.relative, self.kind, error, self.shown, self.error_at)
        source = SourceFile.from_text(self.path, self.pack_root, self.relative, self.kind, self.text)
        source.size = self.size
        return source


def read_source(path: Path, pack_root: Path) -> SourceFile:
    """Read one pack file from disk; any problem becomes the file's read_error."""
    return read_file(path, pack_root).source()


def read_file(path: Path, pack_root: Path, folders: PackFolders | None = None) -> FileRead:
    """Read one pack file's text from disk without parsing it; any problem is recorded, not raised.

    `folders`: the pack's folders already opened (reading many files of one pack opens each folder once).
    """
    relative = _relative_posix(path, pack_root)
    kind = relative_kind(relative) or _FOLDER_KINDS.get(relative, FileKind.IGNORED)

    stamp: Stamp | None = None

    def failed(error: str) -> FileRead:
        return FileRead(path, pack_root, relative, kind, None, error=error, stamp=stamp)

    try:
        if path.is_symlink():
            if relative in _FOLDER_KINDS:
                return failed(f"{_LINKED_FOLDER.format(folder=relative)}, so no file in it is read")
            return failed("symbolic links are not read by Attune's pack loader")
        read = _read_regular_file(pack_root, relative, HARD_FILE_BYTES + 1, folders)
    except _LinkOnTheWay as link:
        return failed(_LINKED_FOLDER.format(folder=link.folder))
    except OSError as error:
        return failed(f"cannot read the file: {error.strerror or error}")
    if read is None:
        return failed("not a regular file (a named pipe, socket or device); Attune's pack loader does not read it")
    data, info = read
    stamp = stamp_of(info)
    if len(data) > HARD_FILE_BYTES:
        return failed(f"the file is larger than {HARD_FILE_BYTES} bytes; not read")
    if data.startswith(_UTF16_32_BOMS):
        return failed("the file is UTF-16 or UTF-32 text (it starts with such a byte-order mark); save it as UTF-8")
    if b"\x00" in data:
        return failed("the file is binary (it contains NUL bytes), not YAML text")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        return _not_utf8(path, pack_root, relative, kind, data, error.start, stamp)
    return FileRead(path, pack_root, relative, kind, text, size=len(data), stamp=stamp)


def _not_utf8(path: Path, pack_root: Path, relative: str, kind: FileKind, data: bytes, bad: int, stamp: Stamp) -> FileRead:
    """A file in another encoding: say on which line and column the first byte that is not UTF-8 is."""
    before = data[:bad].decode("utf-8-sig")  # valid up to the bad byte
    line, column = before.count("\n") + 1, len(before) - (before.rfind("\n") + 1) + 1
    error = (
        f"the file is not UTF-8 text: byte 0x{data[bad]:02x} on line {line}, column {column} cannot be read "
        "(saved as Latin-1 or another encoding?); save it as UTF-8"
    )
    shown = data.decode("utf-8-sig", errors="replace")
    return FileRead(path, pack_root, relative, kind, None, error=error, shown=shown, error_at=len(before), stamp=stamp)


def _relative_posix(path: Path, root: Path) -> str:
    """`path.relative_to(root).as_posix()`, by string when path is plainly below root (the common case)."""
    text, base = str(path), str(root)
    if text.startswith(base) and text[len(base):len(base) + 1] == os.sep and os.sep == "/":
        return text[len(base) + 1:]
    return path.relative_to(root).as_posix()


_UTF16_32_BOMS = (b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff")  # UTF-32 LE starts like UTF-16 LE
_NO_LINK = getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | _NO_LINK
_FOLDER_FLAGS = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | _NO_LINK
_ROOT_FLAGS = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | getattr(os, "O_CLOEXEC", 0)  # the root itself may be a link
# A component folder that is a link is reported as one unreadable file of that folder's kind.
_FOLDER_KINDS = {**COMPONENT_FOLDERS, "actions/workflows": FileKind.WORKFLOW}
_LINKED_FOLDER = "the folder {folder} is a symbolic link; packls reads nothing through links (Attune rejects them in packs)"


class _LinkOnTheWay(OSError):
    """A folder between the pack root and a file is a symbolic link (it may lead out of the pack)."""

    def __init__(self, folder: str) -> None:
        super().__init__(folder)
        self.folder = folder


class PackFolders:
    """Handles on one pack's folders, each opened once, following no link (`with`: all closed at the end).

    A handle keeps naming the folder it opened even if a link replaces that folder later, so a file
    opened below it with `O_NOFOLLOW` is still inside the pack. At most MAX_HANDLES are kept: a pack
    with more folders has its other files opened folder by folder, as without this.
    """

    MAX_HANDLES = 64

    def __init__(self, root: Path) -> None:
        self.root = root
        self._handles: dict[str, int] = {}

    def __enter__(self) -> PackFolders:
        return self

    def __exit__(self, *exc: object) -> None:
        for handle in self._handles.values():
            os.close(handle)
        self._handles.clear()

    def handle(self, parts: list[str]) -> int | None:
        """The open folder root/parts (None when no more handles are kept); raises as `_open_below` does."""
        key = "/".join(parts)
        handle = self._handles.get(key)
        if handle is not None or len(self._handles) >= self.MAX_HANDLES:
            return handle
        if not parts:
            handle = os.open(self.root, _ROOT_FLAGS)
        else:
            parent = self.handle(parts[:-1])
            if parent is None:
                return None
            handle = _open_folder(self.root, parts, parent)
        self._handles[key] = handle
        return handle


def _open_folder(root: Path, parts: list[str], parent: int) -> int:
    """Open the folder root/parts inside its open parent, refusing a link (`_LinkOnTheWay`)."""
    try:
        return os.open(parts[-1], _FOLDER_FLAGS, dir_fd=parent)
    except OSError as error:
        if error.errno in (errno.ELOOP, errno.ENOTDIR) and os.path.islink(os.path.join(root, *parts)):
            raise _LinkOnTheWay("/".join(parts)) from None
        raise


def _open_below(root: Path, relative: str, folders: PackFolders | None = None) -> int:
    """Open root/relative following no link below root: `O_NOFOLLOW` on every folder on the way, not only the file."""
    parts = relative.split("/")
    folder = folders.handle(parts[:-1]) if folders is not None else None
    if folder is not None:
        return os.open(parts[-1], _OPEN_FLAGS, dir_fd=folder)
    handle = os.open(root, _ROOT_FLAGS)
    try:
        for depth in range(len(parts) - 1):
            inner = _open_folder(root, parts[: depth + 1], handle)
            os.close(handle)
            handle = inner
        return os.open(parts[-1], _OPEN_FLAGS, dir_fd=handle)
    finally:
        os.close(handle)


def _read_regular_file(root: Path, relative: str, limit: int, folders: PackFolders | None = None) -> tuple[bytes, os.stat_result] | None:
    """Up to limit bytes of a regular file below root, with its status as opened; None for anything else (a FIFO
    would block the reader forever).

    Opened without blocking and without following a link (the file's or any folder's below the
    root), then checked on the open handle, so a file swapped for a pipe or a link after the
    caller looked at it is never waited on, and nothing outside the pack is ever read.
    """
    handle = _open_below(root, relative, folders)
    try:
        info = os.fstat(handle)
        if not stat.S_ISREG(info.st_mode):
            return None
        chunks: list[bytes] = []
        remaining = limit
        while remaining > 0:
            chunk = os.read(handle, min(remaining, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            remaining -= len(chunk)
        return b"".join(chunks), info
    finally:
        os.close(handle)
