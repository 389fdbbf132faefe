"""All packs of a workspace plus the platform catalog: discovery, files, lookups, updates."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator

from packls.facts import NO_FACTS, RegistryFacts
from packls.model import Component, FileKind, Manifest, Runnable, Runtime, build_component, classify
from packls.model.kinds import COMPONENT_FOLDERS, is_yaml_name
from packls.syntax.parse import ParsedYaml, parse_yaml

CATALOG_ROOT = Path(__file__).parent / "catalog"
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
    size: int = 0
    parsed: ParsedYaml = field(default_factory=lambda: ParsedYaml(""))
    component: Component | None = None

    @classmethod
    def from_text(cls, path: Path, pack_root: Path, relative: str, kind: FileKind, text: str) -> SourceFile:
        """Parse text as the file's content (from disk or an editor buffer)."""
        parsed = parse_yaml(text)
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
    def unreadable(cls, path: Path, pack_root: Path, relative: str, kind: FileKind, error: str) -> SourceFile:
        """A file that exists but cannot be read as text; the reason becomes a finding."""
        return cls(path, pack_root, relative, kind, read_error=error)


@dataclass(eq=False)
class Pack:
    """A folder with `pack.yaml` and the files registration would read from it."""

    root: Path
    files: dict[Path, SourceFile] = field(default_factory=dict)
    is_catalog: bool = False

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

    def components(self, kind: FileKind | None = None) -> Iterator[Component]:
        """Components in file order, optionally of one kind."""
        for source in self.files.values():
            component = source.component
            if component is not None and (kind is None or component.kind is kind):
                yield component


def read_source(path: Path, pack_root: Path) -> SourceFile:
    """Read one pack file from disk; any problem becomes the file's read_error."""
    relative = path.relative_to(pack_root).as_posix()
    kind = classify(relative) or FileKind.IGNORED
    try:
        if path.is_symlink():
            return SourceFile.unreadable(path, pack_root, relative, kind, "symbolic links are not read by Attune's pack loader")
        with path.open("rb") as handle:
            data = handle.read(HARD_FILE_BYTES + 1)
    except OSError as error:
        return SourceFile.unreadable(path, pack_root, relative, kind, f"cannot read the file: {error.strerror or error}")
    if len(data) > HARD_FILE_BYTES:
        return SourceFile.unreadable(path, pack_root, relative, kind, f"the file is larger than {HARD_FILE_BYTES} bytes; not read")
    if b"\x00" in data:
        return SourceFile.unreadable(path, pack_root, relative, kind, "the file is binary (it contains NUL bytes), not YAML text")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        return SourceFile.unreadable(
            path, pack_root, relative, kind, f"the file is not UTF-8 text (byte 0x{data[error.start]:02x} at offset {error.start})"
        )
    source = SourceFile.from_text(path, pack_root, relative, kind, text)
    source.size = len(data)
    return source


def pack_file_paths(root: Path) -> list[Path]:
    """The YAML files registration reads from a pack, in Attune's order (sorted, one level deep)."""
    paths = []
    manifest = root / "pack.yaml"
    if manifest.exists() or manifest.is_symlink():
        paths.append(manifest)
    for folder in sorted(COMPONENT_FOLDERS):
        paths.extend(_yaml_children(root / folder))
    paths.extend(_yaml_children(root / "actions" / "workflows"))
    return paths


def _yaml_children(folder: Path) -> list[Path]:
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError:
        return []
    return [Path(e.path) for e in entries if is_yaml_name(e.name) and (e.is_symlink() or e.is_file())]


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

    def __init__(self, facts: RegistryFacts = NO_FACTS, *, include_catalog: bool = True) -> None:
        self.facts = facts
        self.packs: dict[Path, Pack] = {}
        self.catalog: Pack | None = load_pack(CATALOG_ROOT, is_catalog=True) if include_catalog else None
        self._index: _Index | None = None

    @classmethod
    def load(cls, paths: Iterable[Path], facts: RegistryFacts = NO_FACTS) -> Workspace:
        """A workspace of every pack found under paths."""
        workspace = cls(facts)
        for root in discover_pack_roots(paths):
            workspace.add_pack(load_pack(root))
        return workspace

    def add_pack(self, pack: Pack) -> None:
        """Add or replace a pack."""
        self.packs[pack.root] = pack
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
        """Workspace packs in path order, then the catalog."""
        packs = [self.packs[root] for root in sorted(self.packs)]
        if self.catalog is not None:
            packs.append(self.catalog)
        return packs

    def sources(self, *, include_catalog: bool = False) -> Iterator[SourceFile]:
        """Every file of every workspace pack (the catalog only when asked)."""
        for pack in self.all_packs():
            if pack.is_catalog and not include_catalog:
                continue
            yield from pack.files.values()

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
        pack = self.packs.get(component.pack_root)
        if pack is None and self.catalog is not None and component.pack_root == self.catalog.root:
            pack = self.catalog
        return pack.ref if pack is not None else component.pack_root.name

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

    @classmethod
    def build(cls, workspace: Workspace) -> _Index:
        by_ref: dict[str, Runtime] = {}
        workspace_runtimes: list[Runtime] = []
        catalog_runtimes: list[Runtime] = []
        components: dict[str, list[Component]] = {}
        for pack in workspace.all_packs():
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
        return cls(by_ref, by_name, components)


def load_pack(root: Path, *, is_catalog: bool = False) -> Pack:
    """Read every file registration would read from a pack folder."""
    pack = Pack(root, is_catalog=is_catalog)
    for path in pack_file_paths(root):
        pack.files[path] = read_source(path, root)
    return pack
