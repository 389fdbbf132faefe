"""All packs of a workspace plus the platform catalog: discovery, files, lookups, updates."""

from __future__ import annotations

import errno
import functools
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator

from packls.facts import NO_FACTS, RegistryFacts
from packls.model import Component, FileKind, Manifest, Runnable, Runtime, build_component, classify
from packls.model.kinds import COMPONENT_FOLDERS, is_yaml_name
from packls.syntax.nodes import Sequence, string_value
from packls.syntax.fast import collector_paused
from packls.syntax.parse import ParsedYaml, parse_yaml

CATALOG_ROOT = Path(__file__).parent / "catalog"
CORE_PACK_FILE = CATALOG_ROOT / "core_pack.yaml"
REQUIREMENTS_FILE = "requirements.txt"
MAX_METADATA_FILES = 2000  # pack_check limits
MAX_TRAVERSED_ENTRIES = 10_000
# Registration order (loader.rs load_all and pack_check's COMPONENT_DIRS), then workflows.
LOAD_ORDER = (
    "permission_sets", "runtimes", "triggers", "actions", "dashboards", "queues", "policies", "rules",
    "sensors", "caches", "workflows",
)
MAX_FILE_BYTES = 1_048_576  # pack_check's limit; larger files are still read, and reported
HARD_FILE_BYTES = 16 * MAX_FILE_BYTES  # never read more than this into memory
SKIPPED_DIRS = frozenset({".git", ".hg", ".svn", "node_modules", ".venv", "venv", "__pycache__", ".tox"})


@dataclass(eq=False)
class SourceFile:
    """One YAML file of a pack: where it is, what it holds, and what it declares."""

    path: Path
    pack_root: Path
    relative: str
    kind: FileKind
    text: str = ""
    read_error: str | None = None
    read_error_at: int = 0  # where in `text` the read problem is (text then holds what can be shown)
    size: int = 0
    parsed: ParsedYaml = field(default_factory=lambda: ParsedYaml(""))
    component: Component | None = None

    @classmethod
    def from_text(cls, path: Path, pack_root: Path, relative: str, kind: FileKind, text: str) -> SourceFile:
        """Parse text as the file's content (from disk or an editor buffer)."""
        parsed = ParsedYaml(text) if kind is FileKind.PYTHON_REQUIREMENTS else parse_yaml(text)
        return cls(
            path,
            pack_root,
            relative,
            kind,
            text,
            size=len(text.encode("utf-8", "surrogatepass")),
            parsed=parsed,
            component=build_component(kind, path, pack_root, parsed),
        )

    @classmethod
    def unreadable(
        cls, path: Path, pack_root: Path, relative: str, kind: FileKind, error: str, shown: str = "", at: int = 0
    ) -> SourceFile:
        """A file that exists but cannot be read as text; the reason becomes a finding (at `at` in `shown`)."""
        return cls(path, pack_root, relative, kind, shown, read_error=error, read_error_at=at)


@dataclass(eq=False)
class Pack:
    """A folder with `pack.yaml` and the files registration would read from it."""

    root: Path
    files: dict[Path, SourceFile] = field(default_factory=dict)
    is_catalog: bool = False
    is_extra: bool = False  # loaded from an extra catalog path: in scope for lookups, never reported on
    scan: PackScan | None = None  # what a walk of the folder found (None for editor-only packs)

    @property
    def manifest(self) -> Manifest | None:
        """The parsed manifest, when `pack.yaml` is a readable mapping."""
        source = self.files.get(self.root / "pack.yaml")
        component = source.component if source is not None else None
        return component if isinstance(component, Manifest) else None

    @property
    def ref(self) -> str:
        """The pack ref from the manifest, else the folder name (so work goes on mid-edit)."""
        manifest = self.manifest
        ref = manifest.pack_ref if manifest is not None else None
        return ref if ref else self.root.name

    def has_file(self, relative: str) -> bool | None:
        """Whether a pack-relative regular file exists; None when the folder was never scanned."""
        if self.scan is None:
            return None
        return relative in self.scan.files

    @property
    def manifest_source(self) -> SourceFile | None:
        """The pack.yaml source file, if read."""
        return self.files.get(self.root / "pack.yaml")

    def components(self, kind: FileKind | None = None) -> Iterator[Component]:
        """Components in file order, optionally of one kind."""
        for source in self.files.values():
            component = source.component
            if component is not None and (kind is None or component.kind is kind):
                yield component


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


def read_file(path: Path, pack_root: Path) -> FileRead:
    """Read one pack file's text from disk without parsing it; any problem is recorded, not raised."""
    relative = _relative_posix(path, pack_root)
    kind = (
        FileKind.PYTHON_REQUIREMENTS if relative == REQUIREMENTS_FILE
        else classify(relative) or _FOLDER_KINDS.get(relative, FileKind.IGNORED)
    )

    def failed(error: str) -> FileRead:
        return FileRead(path, pack_root, relative, kind, None, error=error)

    try:
        if path.is_symlink():
            if relative in _FOLDER_KINDS:
                return failed(f"{_LINKED_FOLDER.format(folder=relative)}, so no file in it is read")
            return failed("symbolic links are not read by Attune's pack loader")
        data = _read_regular_file(pack_root, relative, HARD_FILE_BYTES + 1)
    except _LinkOnTheWay as link:
        return failed(_LINKED_FOLDER.format(folder=link.folder))
    except OSError as error:
        return failed(f"cannot read the file: {error.strerror or error}")
    if data is None:
        return failed("not a regular file (a named pipe, socket or device); Attune's pack loader does not read it")
    if len(data) > HARD_FILE_BYTES:
        return failed(f"the file is larger than {HARD_FILE_BYTES} bytes; not read")
    if data.startswith(_UTF16_32_BOMS):
        return failed("the file is UTF-16 or UTF-32 text (it starts with such a byte-order mark); save it as UTF-8")
    if b"\x00" in data:
        return failed("the file is binary (it contains NUL bytes), not YAML text")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        return _not_utf8(path, pack_root, relative, kind, data, error.start)
    return FileRead(path, pack_root, relative, kind, text, size=len(data))


def _not_utf8(path: Path, pack_root: Path, relative: str, kind: FileKind, data: bytes, bad: int) -> FileRead:
    """A file in another encoding: say on which line and column the first byte that is not UTF-8 is."""
    before = data[:bad].decode("utf-8-sig")  # valid up to the bad byte
    line, column = before.count("\n") + 1, len(before) - (before.rfind("\n") + 1) + 1
    error = (
        f"the file is not UTF-8 text: byte 0x{data[bad]:02x} on line {line}, column {column} cannot be read "
        "(saved as Latin-1 or another encoding?); save it as UTF-8"
    )
    shown = data.decode("utf-8-sig", errors="replace")
    return FileRead(path, pack_root, relative, kind, None, error=error, shown=shown, error_at=len(before))


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
# A component folder that is a link is reported as one unreadable file of that folder's kind.
_FOLDER_KINDS = {**COMPONENT_FOLDERS, "actions/workflows": FileKind.WORKFLOW}
_LINKED_FOLDER = "the folder {folder} is a symbolic link; packls reads nothing through links (Attune rejects them in packs)"


class _LinkOnTheWay(OSError):
    """A folder between the pack root and a file is a symbolic link (it may lead out of the pack)."""

    def __init__(self, folder: str) -> None:
        super().__init__(folder)
        self.folder = folder


def _open_below(root: Path, relative: str) -> int:
    """Open root/relative following no link below root: `O_NOFOLLOW` on every folder on the way, not only the file."""
    parts = relative.split("/")
    handle = os.open(root, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | getattr(os, "O_CLOEXEC", 0))
    try:
        for depth, folder in enumerate(parts[:-1]):
            try:
                inner = os.open(folder, _FOLDER_FLAGS, dir_fd=handle)
            except OSError as error:
                if error.errno in (errno.ELOOP, errno.ENOTDIR) and os.path.islink(os.path.join(root, *parts[: depth + 1])):
                    raise _LinkOnTheWay("/".join(parts[: depth + 1])) from None
                raise
            os.close(handle)
            handle = inner
        return os.open(parts[-1], _OPEN_FLAGS, dir_fd=handle)
    finally:
        os.close(handle)


def _read_regular_file(root: Path, relative: str, limit: int) -> bytes | None:
    """Up to limit bytes of a regular file below root; None for anything else (a FIFO would block the reader forever).

    Opened without blocking and without following a link (the file's or any folder's below the
    root), then checked on the open handle, so a file swapped for a pipe or a link after the
    caller looked at it is never waited on, and nothing outside the pack is ever read.
    """
    handle = _open_below(root, relative)
    try:
        if not stat.S_ISREG(os.fstat(handle).st_mode):
            return None
        chunks: list[bytes] = []
        remaining = limit
        while remaining > 0:
            chunk = os.read(handle, min(remaining, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            remaining -= len(chunk)
        return b"".join(chunks)
    finally:
        os.close(handle)


def pack_file_paths(root: Path) -> list[Path]:
    """The YAML files registration reads from a pack, in Attune's order (sorted, one level deep)."""
    paths = []
    manifest = root / "pack.yaml"
    if manifest.exists() or manifest.is_symlink():
        paths.append(manifest)
    for folder in LOAD_ORDER:
        paths.extend(_yaml_children(root / folder))
    if not (root / "actions").is_symlink():  # never list a folder through a link
        paths.extend(_yaml_children(root / "actions" / "workflows"))
    return paths


@dataclass(frozen=True)
class PackScan:
    """One walk of a pack folder, as pack check walks it (no symlinks followed, limited)."""

    files: frozenset[str]  # every regular file, pack-relative POSIX paths
    ignored_yaml: tuple[str, ...]  # YAML files registration never reads, sorted
    not_directories: tuple[str, ...]  # component folder names that are files
    entries_exceeded: bool  # the walk stopped at MAX_TRAVERSED_ENTRIES
    unreadable_dirs: tuple[tuple[str, str], ...] = ()  # (metadata folder, why it cannot be listed)


def scan_pack(root: Path) -> PackScan:
    """Walk a pack folder once: its files, its unread YAML, and whether pack check's limits are hit."""
    found, exceeded = walk_pack_files(root)
    files = {relative for relative, _ in found}
    read = {"pack.yaml"}
    read.update(f for f in files if classify(f) not in (None, FileKind.IGNORED))
    ignored = tuple(sorted(f for f in files if is_yaml_name(f.rsplit("/", 1)[-1]) and f not in read))
    not_dirs = tuple(folder for folder in LOAD_ORDER if folder in files)
    unreadable = tuple((folder, why) for folder in (*LOAD_ORDER, "actions/workflows") if (why := _unlistable(root / folder)))
    return PackScan(frozenset(files), ignored, not_dirs, exceeded, unreadable)


def _unlistable(folder: Path) -> str | None:
    """Why a metadata folder that exists cannot be listed (pack check's metadata.directory_unreadable)."""
    if folder.is_symlink() or folder.parent.is_symlink() or not folder.is_dir():
        return None  # never list a folder through a link (it gets its own finding)
    try:
        with os.scandir(folder):
            return None
    except OSError as error:
        return error.strerror or str(error)


def walk_pack_files(root: Path) -> tuple[list[tuple[str, os.DirEntry[str]]], bool]:
    """Every file below a pack root (pack-relative POSIX name, directory entry), as pack check walks it.

    The order and limits of `os.walk(root)` top-down with sorted folders: links are never
    followed (a link to a folder counts as an entry, a link to a file is not a file), unreadable
    folders are skipped, and the walk stops (True) once MAX_TRAVERSED_ENTRIES entries were
    seen. `os.scandir` entries carry their type, so nothing is stat'ed twice.
    """
    files: list[tuple[str, os.DirEntry[str]]] = []
    entries = 0
    pending: list[tuple[str, str]] = [(str(root), "")]
    while pending:
        folder, prefix = pending.pop()
        try:
            with os.scandir(folder) as listing:
                children = list(listing)
        except OSError:
            continue
        folders: list[os.DirEntry[str]] = []
        names: list[os.DirEntry[str]] = []
        for entry in children:
            try:
                is_folder = entry.is_dir()
            except OSError:
                is_folder = False
            (folders if is_folder else names).append(entry)
        entries += len(folders) + len(names) + (0 if prefix else 1)
        if entries > MAX_TRAVERSED_ENTRIES:
            return files, True
        files.extend((prefix + entry.name, entry) for entry in names if not entry.is_symlink())
        folders.sort(key=lambda e: e.name)
        for entry in reversed(folders):  # depth first, in name order
            if not entry.is_symlink():
                pending.append((entry.path, prefix + entry.name + "/"))
    return files, False


def _yaml_children(folder: Path) -> list[Path]:
    if folder.is_symlink():  # listed as itself: one finding, and nothing behind the link is read or named
        return [folder]
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError:
        return []
    # Links and non-regular files (pipes, sockets, devices) are listed too, so they get a finding, not silence.
    return [Path(e.path) for e in entries if is_yaml_name(e.name) and (e.is_symlink() or not e.is_dir(follow_symlinks=False))]


def find_pack_root(path: Path) -> Path | None:
    """The nearest folder at or above path that holds `pack.yaml`."""
    current = path if path.is_dir() else path.parent
    for candidate in (current, *current.parents):
        if (candidate / "pack.yaml").is_file():
            return candidate
    return None


def discover_pack_roots(paths: Iterable[Path]) -> list[Path]:
    """Pack roots for the given paths: enclosing packs, and every pack below a folder."""
    roots: dict[Path, None] = {}
    for given in paths:
        path = Path(os.path.abspath(given))
        enclosing = find_pack_root(path)
        if enclosing is not None:
            roots[enclosing] = None
            continue
        if path.is_dir():
            for root in _walk_for_packs(path):
                roots[root] = None
    return sorted(roots)


def _walk_for_packs(top: Path) -> Iterator[Path]:
    for dirpath, dirnames, filenames in os.walk(top, followlinks=False):
        if "pack.yaml" in filenames:
            dirnames[:] = []
            yield Path(dirpath)
            continue
        dirnames[:] = sorted(d for d in dirnames if d not in SKIPPED_DIRS and not d.startswith("."))


class Workspace:
    """Every pack the user works on, plus the built-in catalog, with lookups kept up to date."""

    def __init__(
        self,
        facts: RegistryFacts = NO_FACTS,
        *,
        include_catalog: bool = True,
        extra_catalog_paths: Iterable[Path] = (),
    ) -> None:
        self.facts = facts
        self.packs: dict[Path, Pack] = {}
        self.catalog: Pack | None = _catalog_pack() if include_catalog else None
        self.extras: dict[Path, Pack] = {}
        for root in discover_pack_roots([p for p in extra_catalog_paths if p.exists()]):
            self.extras[root] = load_pack(root, is_extra=True)
        self._index: _Index | None = None

    @classmethod
    def load(
        cls,
        paths: Iterable[Path],
        facts: RegistryFacts = NO_FACTS,
        *,
        exclude: Callable[[Path], bool] | None = None,
        extra_catalog_paths: Iterable[Path] = (),
    ) -> Workspace:
        """A workspace of every pack found under paths (minus excluded packs and files)."""
        workspace = cls(facts, extra_catalog_paths=extra_catalog_paths)
        for root in discover_pack_roots(paths):
            if exclude is not None and exclude(root):
                continue
            workspace.add_pack(load_pack(root, exclude=exclude))
        return workspace

    def add_pack(self, pack: Pack) -> None:
        """Add or replace a pack (a workspace pack shadows an extra-catalog copy of itself)."""
        self.packs[pack.root] = pack
        self.extras.pop(pack.root, None)
        self._index = None

    def set_extras(self, packs: Iterable[Pack]) -> None:
        """Replace the extra-catalog packs (a workspace pack shadows its extra-catalog copy)."""
        self.extras = {pack.root: pack for pack in packs if pack.root not in self.packs}
        self._index = None

    def remove_pack(self, root: Path) -> None:
        """Forget a pack (its folder or manifest is gone)."""
        if self.packs.pop(root, None) is not None:
            self._index = None

    def set_source(self, source: SourceFile) -> None:
        """Replace one file's content (an editor change or a change on disk)."""
        pack = self.packs.get(source.pack_root)
        if pack is None:
            pack = Pack(source.pack_root)
            self.packs[source.pack_root] = pack
        pack.files[source.path] = source
        self._index = None

    def replace_source(self, source: SourceFile) -> None:
        """`set_source`, keeping the lookups (updated in place) when the file keeps its kind, ref, name and aliases."""
        pack = self.packs.get(source.pack_root)
        old = pack.files.get(source.path) if pack is not None else None
        index = self._index
        self.set_source(source)
        if index is not None and old is not None and index.replace(old.component, source.component):
            self._index = index

    def with_file(self, source: SourceFile, replacement: SourceFile | None) -> Workspace:
        """A view in which one file is `replacement` (or absent); this workspace is not changed.

        Packs and components are shared; when the file keeps its kind, ref, name and aliases the
        lookups are copied and patched rather than rebuilt (a view of a big workspace stays cheap).
        """
        view = Workspace(self.facts, include_catalog=False)
        view.catalog, view.extras, view.packs = self.catalog, dict(self.extras), dict(self.packs)
        pack = self.packs.get(source.pack_root)
        if pack is None:
            return view
        files = dict(pack.files)
        old = files.pop(source.path, None)
        if replacement is not None:
            files[source.path] = replacement
        view.packs[pack.root] = Pack(pack.root, files, pack.is_catalog, pack.is_extra, pack.scan)
        index = self._index
        if index is not None and old is not None and replacement is not None:
            # `replace` assigns new values, never changes the shared lists: copying the tables is enough.
            copy = _Index(dict(index.runtimes_by_ref), dict(index.runtimes_by_name), dict(index.components_by_ref), index.packs_by_ref)
            if copy.replace(old.component, replacement.component):
                view._index = copy
        return view

    def remove_source(self, path: Path) -> None:
        """Forget one file."""
        for pack in self.packs.values():
            if pack.files.pop(path, None) is not None:
                self._index = None

    def pack_of(self, path: Path) -> Pack | None:
        """The pack a file belongs to (catalog included)."""
        for pack in self.all_packs():
            if path == pack.root or pack.root in path.parents:
                return pack
        return None

    def source(self, path: Path) -> SourceFile | None:
        """The file at path, if the workspace has it."""
        for pack in self.all_packs():
            found = pack.files.get(path)
            if found is not None:
                return found
        return None

    def all_packs(self) -> list[Pack]:
        """Workspace packs in path order, then extra-catalog packs, then the platform catalog."""
        packs = [self.packs[root] for root in sorted(self.packs)]
        packs += [self.extras[root] for root in sorted(self.extras)]
        if self.catalog is not None:
            packs.append(self.catalog)
        return packs

    def sources(self, *, include_catalog: bool = False) -> Iterator[SourceFile]:
        """Every file of every workspace pack (catalog and extra-catalog packs only when asked)."""
        for pack in self.all_packs():
            if (pack.is_catalog or pack.is_extra) and not include_catalog:
                continue
            yield from pack.files.values()

    def packs_by_ref(self, ref: str) -> list[Pack]:
        """Workspace and extra-catalog packs whose manifest ref is ref."""
        return list(self.index.packs_by_ref.get(ref, ()))

    def runnables(self) -> Iterator[Runnable]:
        """Every action and sensor of the workspace packs."""
        for source in self.sources():
            if isinstance(source.component, Runnable):
                yield source.component

    def runtimes(self) -> list[Runtime]:
        """Every runtime in scope: workspace runtimes first, then catalog ones not overridden."""
        return list(self.index.runtimes_by_ref.values())

    def runtime_by_ref(self, ref: str) -> Runtime | None:
        """The runtime with exactly this ref."""
        return self.index.runtimes_by_ref.get(ref)

    def runtime_by_name(self, name: str) -> Runtime | None:
        """The first runtime whose stored name matches case-insensitively (Attune's fallback)."""
        return self.index.runtimes_by_name.get(name.lower())

    def components_by_ref(self, ref: str) -> list[Component]:
        """Every component declaring this ref (workspace first, then catalog), any kind."""
        return list(self.index.components_by_ref.get(ref, ()))

    def component(self, kind: FileKind, ref: str) -> Component | None:
        """The first component of a kind with this ref."""
        for found in self.index.components_by_ref.get(ref, ()):
            if found.kind is kind:
                return found
        return None

    def pack_ref_for(self, component: Component) -> str:
        """The ref of the pack a component belongs to."""
        pack = self.packs.get(component.pack_root) or self.extras.get(component.pack_root)
        if pack is None and self.catalog is not None and component.pack_root == self.catalog.root:
            pack = self.catalog
        return pack.ref if pack is not None else component.pack_root.name

    def pack_at(self, root: Path) -> Pack | None:
        """The pack (workspace, extra or catalog) rooted at root."""
        pack = self.packs.get(root) or self.extras.get(root)
        if pack is None and self.catalog is not None and root == self.catalog.root:
            return self.catalog
        return pack

    @property
    def index(self) -> _Index:
        """Lookups, rebuilt lazily after any change."""
        if self._index is None:
            self._index = _Index.build(self)
        return self._index


@dataclass
class _Index:
    runtimes_by_ref: dict[str, Runtime]
    runtimes_by_name: dict[str, Runtime]
    components_by_ref: dict[str, list[Component]]
    packs_by_ref: dict[str, list[Pack]]
    memo: dict[object, object] = field(default_factory=dict)  # per-version caches for checks (dropped on change)

    @classmethod
    def build(cls, workspace: Workspace) -> _Index:
        by_ref: dict[str, Runtime] = {}
        workspace_runtimes: list[Runtime] = []
        catalog_runtimes: list[Runtime] = []
        components: dict[str, list[Component]] = {}
        packs: dict[str, list[Pack]] = {}
        for pack in workspace.all_packs():
            if not pack.is_catalog:
                packs.setdefault(pack.ref, []).append(pack)
            target = catalog_runtimes if pack.is_catalog else workspace_runtimes
            for component in pack.components():
                if isinstance(component, Runtime):
                    target.append(component)
                ref = component.ref
                if ref and component.kind is not FileKind.MANIFEST:
                    components.setdefault(ref, []).append(component)
        for runtime in (*workspace_runtimes, *catalog_runtimes):
            ref = runtime.ref
            if ref and ref not in by_ref:
                by_ref[ref] = runtime
        by_name: dict[str, Runtime] = {}
        # Name fallback: the platform's rows were registered first, then packs in path order.
        for runtime in (*catalog_runtimes, *workspace_runtimes):
            if runtime.ref and by_ref.get(runtime.ref) is runtime:
                by_name.setdefault(runtime.display_name.lower(), runtime)
        return cls(by_ref, by_name, components, packs)

    def replace(self, old: Component | None, new: Component | None) -> bool:
        """Swap one component for an edited version of itself; False when the lookups must be rebuilt."""
        if old is None or new is None:
            if old is not new:
                return False
        elif (
            old.kind is not new.kind or old.kind is FileKind.MANIFEST or old.ref != new.ref
            or (isinstance(old, Runtime) and (
                not isinstance(new, Runtime) or old.display_name != new.display_name or old.aliases != new.aliases
            ))
        ):
            return False
        else:
            ref = old.ref
            if ref:
                self.components_by_ref[ref] = [new if c is old else c for c in self.components_by_ref.get(ref, ())]
            if isinstance(old, Runtime):
                for table in (self.runtimes_by_ref, self.runtimes_by_name):
                    for key, value in table.items():
                        if value is old:
                            table[key] = new  # type: ignore[assignment]
        self.memo = {}
        return True


@functools.lru_cache(maxsize=1)
def _catalog_template() -> Pack:
    return load_pack(CATALOG_ROOT, is_catalog=True)


def _catalog_pack() -> Pack:
    """The platform catalog (parsed once per process; components are never mutated)."""
    template = _catalog_template()
    return Pack(template.root, dict(template.files), is_catalog=True)


@dataclass
class PackRead:
    """A pack folder's walk and file texts, read but not parsed (parsing is `load`)."""

    root: Path
    files: list[FileRead]
    scan: PackScan | None
    is_catalog: bool = False
    is_extra: bool = False

    def load(self) -> Pack:
        """Parse every file read: the Pack registration and the checks see."""
        pack = Pack(self.root, is_catalog=self.is_catalog, is_extra=self.is_extra, scan=self.scan)
        with collector_paused:  # a pack's trees are many small acyclic objects: collections only slow it down
            for read in self.files:
                pack.files[read.path] = read.source()
        return pack


def read_pack(root: Path, *, is_catalog: bool = False, is_extra: bool = False, exclude: Callable[[Path], bool] | None = None) -> PackRead:
    """Read every file registration would read from a pack folder, plus the YAML it would ignore.

    The platform catalog is read without a scan: it is package data, never reported on.
    """
    paths = pack_file_paths(root)
    scan = None
    if not is_catalog:
        scan = scan_pack(root)
        paths += [root / relative for relative in scan.ignored_yaml]
        if REQUIREMENTS_FILE in scan.files:
            paths.append(root / REQUIREMENTS_FILE)
    files = [read_file(path, root) for path in paths if exclude is None or not exclude(path)]
    return PackRead(root, files, scan, is_catalog, is_extra)


def load_pack(root: Path, *, is_catalog: bool = False, is_extra: bool = False, exclude: Callable[[Path], bool] | None = None) -> Pack:
    """Read and parse a pack folder (`read_pack`, then `PackRead.load`)."""
    return read_pack(root, is_catalog=is_catalog, is_extra=is_extra, exclude=exclude).load()


@functools.lru_cache(maxsize=1)
def core_pack_refs() -> dict[FileKind, frozenset[str]]:
    """Refs the core pack ships (not the platform): present only when the core pack is installed."""
    kinds = {
        "actions": FileKind.ACTION,
        "sensors": FileKind.SENSOR,
        "triggers": FileKind.TRIGGER,
        "permission_sets": FileKind.PERMISSION_SET,
        "workflows": FileKind.WORKFLOW,
    }
    parsed = parse_yaml(CORE_PACK_FILE.read_text(encoding="utf-8"))
    root = parsed.root_mapping
    result: dict[FileKind, frozenset[str]] = {}
    for name, kind in kinds.items():
        node = root.value(name) if root is not None else None
        items = node.items if isinstance(node, Sequence) else []
        result[kind] = frozenset(v for item in items if (v := string_value(item)) is not None)
    return result


BUILTIN_PERMISSION_SETS = frozenset({"standard"})  # reserved; exists on every installation
