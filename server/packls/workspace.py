"""All packs of a workspace plus the platform catalog: lookups kept current, and loading packs.

Reading files (`packls.pack_files`), walking pack folders (`packls.pack_scan`) and the file and
pack records (`packls.sources`) have their own modules; their public names are re-exported here.
"""

from __future__ import annotations

import functools
import gc
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, Iterator

from packls.facts import NO_FACTS, RegistryFacts
from packls.lookups import Lookups, entry_component
from packls.model import Component, FileKind, Runnable, Runtime
from packls.pack_files import HARD_FILE_BYTES, MAX_FILE_BYTES, REQUIREMENTS_FILE, FileRead, PackFolders, read_file, read_source
from packls.pack_scan import (
    LOAD_ORDER,
    MAX_METADATA_FILES,
    MAX_TRAVERSED_ENTRIES,
    SKIPPED_DIRS,
    PackScan,
    discover_pack_roots,
    find_pack_root,
    pack_file_paths,
    scan_pack,
    walk_pack_files,
)
from packls.sources import DeferredSource, Pack, SourceFile, parse_deferred
from packls.syntax.collector import collector_paused
from packls.syntax.nodes import Sequence, string_value
from packls.syntax.parse import parse_yaml

__all__ = [
    "BUILTIN_PERMISSION_SETS", "CATALOG_ROOT", "HARD_FILE_BYTES", "LOAD_ORDER", "MAX_FILE_BYTES", "MAX_METADATA_FILES",
    "MAX_TRAVERSED_ENTRIES", "REQUIREMENTS_FILE", "SKIPPED_DIRS", "FileRead", "Pack", "PackRead", "PackScan", "SourceFile",
    "Workspace", "core_pack_refs", "discover_pack_roots", "find_pack_root", "load_extras", "load_pack", "pack_file_paths", "read_file",
    "parse_packs", "read_pack", "read_source", "scan_pack", "walk_pack_files",
]
CATALOG_ROOT = Path(__file__).parent / "catalog"
CORE_PACK_FILE = CATALOG_ROOT / "core_pack.yaml"


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
        self.extras: dict[Path, Pack] = {pack.root: pack for pack in load_extras(extra_catalog_paths)}
        self._index: Lookups | None = None

    @classmethod
    def load(
        cls,
        paths: Iterable[Path],
        facts: RegistryFacts = NO_FACTS,
        *,
        exclude: Callable[[Path], bool] | None = None,
        extra_catalog_paths: Iterable[Path] = (),
        defer: bool = False,
    ) -> Workspace:
        """A workspace of every pack found under paths (minus excluded packs and files); `defer`: read, parse on use."""
        # The walks allocate while every tree loaded so far is alive: collections between packs walked them all
        # (a third of the load on 10,000 files); see PackRead.load for the trees themselves.
        with collector_paused:
            workspace = cls(facts, extra_catalog_paths=extra_catalog_paths)
            for root in discover_pack_roots(paths):
                if exclude is not None and exclude(root):
                    continue
                read = read_pack(root, exclude=exclude)
                workspace.add_pack(read.deferred() if defer else read.load())
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
            copy = Lookups(dict(index.runtimes_by_ref), dict(index.runtimes_by_name), dict(index.components_by_ref), index.packs_by_ref)
            if copy.replace(old.component, replacement.component):
                view._index = copy
        return view

    def lookups_changed(self) -> None:
        """Rebuild the lookups on next use (what files declare became known some other way)."""
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
        found = (entry_component(entry) for entry in self.index.components_by_ref.get(ref, ()))
        return [component for component in found if component is not None]

    def component(self, kind: FileKind, ref: str) -> Component | None:
        """The first component of a kind with this ref."""
        for found in self.index.components_by_ref.get(ref, ()):
            if found.kind is kind and (component := entry_component(found)) is not None:
                return component
        return None

    def refs_of_kinds(self, kinds: Iterable[FileKind]) -> set[str]:
        """Every ref some component of one of kinds declares (catalog included)."""
        wanted = frozenset(kinds)
        return {ref for ref, entries in self.index.components_by_ref.items() if any(e.kind in wanted for e in entries)}

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
    def index(self) -> Lookups:
        """Lookups, rebuilt lazily after any change."""
        if self._index is None:
            self._index = Lookups.build(self.all_packs())
        return self._index


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

    def deferred(self) -> Pack:
        """The Pack with its files read but not parsed (`DeferredSource`; unreadable files need no parse)."""
        files = {read.path: read.source() if read.text is None else
                 DeferredSource(read.path, read.pack_root, read.relative, read.kind, read.text, read.size)
                 for read in self.files}
        return Pack(self.root, files, is_catalog=self.is_catalog, is_extra=self.is_extra, scan=self.scan)

    def load(self) -> Pack:
        """Parse every file read: the Pack registration and the checks see."""
        pack = Pack(self.root, is_catalog=self.is_catalog, is_extra=self.is_extra, scan=self.scan)
        with collector_paused:  # a pack's trees are many small acyclic objects: collections only slow it down
            for read in self.files:
                pack.files[read.path] = read.source()
            # They live as long as the pack: out of the collector's way before it resumes, else its next collections
            # walk every node once more (and every later full collection walks all packs loaded so far).
            gc.freeze()
        return pack


def parse_packs(packs: Iterable[Pack]) -> int:
    """Parse the deferred files of packs as `PackRead.load` parses (collector paused, trees frozen); how many."""
    count = 0
    with collector_paused:
        for pack in packs:
            count += parse_deferred(pack.files.values())
            gc.freeze()
    return count


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
    with PackFolders(root) as folders:
        files = [read_file(path, root, folders) for path in paths if exclude is None or not exclude(path)]
    return PackRead(root, files, scan, is_catalog, is_extra)


def load_extras(paths: Iterable[Path]) -> list[Pack]:
    """The packs of the configured extra catalog paths (`extra_catalog_paths`; paths that do not exist give none)."""
    return [load_pack(root, is_extra=True) for root in discover_pack_roots([path for path in paths if path.exists()])]


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
