"""A pack's files as packls holds them: each file's text, parse and component, and the pack they form."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Iterable, Iterator

from packls.model import Component, FileKind, Manifest, build_component
from packls.syntax.parse import ParsedYaml, parse_yaml

if TYPE_CHECKING:
    from packls.pack_scan import PackScan


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
        parsed, component = _parse(path, pack_root, kind, text)
        return cls(path, pack_root, relative, kind, text, size=len(text.encode("utf-8", "surrogatepass")),
                   parsed=parsed, component=component)

    @classmethod
    def unreadable(
        cls, path: Path, pack_root: Path, relative: str, kind: FileKind, error: str, shown: str = "", at: int = 0
    ) -> SourceFile:
        """A file that exists but cannot be read as text; the reason becomes a finding (at `at` in `shown`)."""
        return cls(path, pack_root, relative, kind, shown, read_error=error, read_error_at=at)


def _parse(path: Path, pack_root: Path, kind: FileKind, text: str) -> tuple[ParsedYaml, Component | None]:
    """A file's tree and the component it declares."""
    parsed = ParsedYaml(text) if kind is FileKind.PYTHON_REQUIREMENTS else parse_yaml(text)
    return parsed, build_component(kind, path, pack_root, parsed)


class FileSummary:
    """What other packs' checks read of a file without its tree: the ref it declares, or why it declares nothing.

    A plain class, not a dataclass: every `packls validate` imports it, and a dataclass is compiled at import.
    """

    __slots__ = ("declares", "ref", "broken")

    def __init__(self, declares: bool, ref: str | None, broken: tuple[object, ...] | None) -> None:
        self.declares = declares  # a component was built from it
        self.ref = ref  # that component's ref, when it is a string
        self.broken = broken  # `broken.BrokenFile`'s fields after its source, when the file is broken

    def fields(self) -> tuple[bool, str | None, tuple[object, ...] | None]:
        """The summary as a plain tuple (what crosses a pipe; `FileSummary(*fields)` is the summary again)."""
        return self.declares, self.ref, self.broken


class DeferredSource(SourceFile):
    """A file read but not parsed yet: its tree is built on first use.

    `packls validate` parses each pack in the process that checks it (`packls.parallel`); a
    worker knows the files of other packs by their `summary` unless a check reads their tree.
    Once parsed, the object becomes a plain `SourceFile` (its class is swapped), so reads of
    `parsed` and `component` cost what they always did.
    """

    summary: FileSummary | None

    def __init__(self, path: Path, pack_root: Path, relative: str, kind: FileKind, text: str, size: int) -> None:
        # Every field but `parsed` and `component`, which stay properties until `parse` sets them.
        vars(self).update(path=path, pack_root=pack_root, relative=relative, kind=kind, text=text, size=size,
                          read_error=None, read_error_at=0, summary=None)

    def parse(self) -> SourceFile:
        """Build the tree now; the object is then a plain SourceFile."""
        parsed, component = _parse(self.path, self.pack_root, self.kind, self.text)
        vars(self).update(parsed=parsed, component=component)
        self.__class__ = SourceFile  # type: ignore[assignment]
        return self

    @property  # type: ignore[override]
    def parsed(self) -> ParsedYaml:
        """The tree, built on first use."""
        return self.parse().parsed

    @property  # type: ignore[override]
    def component(self) -> Component | None:
        """The component, built on first use."""
        return self.parse().component


def parse_deferred(sources: Iterable[SourceFile]) -> int:
    """Parse every deferred file among sources; how many were parsed."""
    count = 0
    for source in sources:
        if isinstance(source, DeferredSource):
            source.parse()
            count += 1
    return count


@dataclass(eq=False)
class Pack:
    """A folder with `pack.yaml` and the files registration would read from it."""

    root: Path
    files: dict[Path, SourceFile] = field(default_factory=dict)
    is_catalog: bool = False
    is_extra: bool = False  # loaded from an extra catalog path: in scope for lookups, never reported on
    scan: PackScan | None = None  # what a walk of the folder found (None for editor-only packs)
    manifest_path: Path = field(init=False, repr=False)  # root / "pack.yaml", looked up by every check: joined once

    def __post_init__(self) -> None:
        self.manifest_path = self.root / "pack.yaml"

    @property
    def manifest(self) -> Manifest | None:
        """The parsed manifest, when `pack.yaml` is a readable mapping."""
        source = self.files.get(self.manifest_path)
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
        return self.files.get(self.manifest_path)

    def components(self, kind: FileKind | None = None) -> Iterator[Component]:
        """Components in file order, optionally of one kind."""
        for source in self.files.values():
            component = source.component
            if component is not None and (kind is None or component.kind is kind):
                yield component
