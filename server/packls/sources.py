"""A pack's files as packls holds them: each file's text, parse and component, and the pack they form."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Iterator

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
