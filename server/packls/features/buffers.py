"""Editor buffers over pack files, and what a mutation of the workspace changed (Impact)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from packls.features.offsets import TextDelta
from packls.model import FileKind, classify
from packls.pack_files import relative_kind
from packls.workspace import HARD_FILE_BYTES, SourceFile


def normalize(path: Path | str) -> Path:
    """The one spelling of a path the session uses (absolute, not resolved through symlinks)."""
    return Path(os.path.abspath(path))


@dataclass(eq=False)
class OpenDocument:
    """An editor buffer: its text and version, and the parse the features read."""

    path: Path
    text: str
    version: int | None
    source: SourceFile | None  # None when the file is not a pack file `packls validate` checks
    good: SourceFile | None = None  # the last parse with a usable tree, kept while the YAML is broken

    def view(self) -> tuple[SourceFile, TextDelta] | None:
        """The source features should read, and how current offsets map into its text."""
        if self.source is not None and self.source.component is not None:
            return self.source, TextDelta.between(self.source.text, self.text)
        if self.good is not None:
            return self.good, TextDelta.between(self.good.text, self.text)
        if self.source is not None:
            return self.source, TextDelta.between(self.source.text, self.text)
        return None


@dataclass(frozen=True)
class Prepared:
    """A parsed buffer, ready to be applied (parsing may happen off the event loop)."""

    path: Path
    text: str
    pack_root: Path | None
    source: SourceFile | None


@dataclass(frozen=True)
class Impact:
    """What a mutation did: files whose content changed, files that left, and whose findings may change.

    `affected` lists the files whose findings may have changed; None means every file.
    """

    changed: frozenset[Path] = frozenset()
    removed: frozenset[Path] = frozenset()
    affected: frozenset[Path] | None = frozenset()

    def __or__(self, other: Impact) -> Impact:
        affected = None if self.affected is None or other.affected is None else self.affected | other.affected
        return Impact(self.changed | other.changed, self.removed | other.removed, affected)

    @property
    def others_affected(self) -> bool:
        """True when files other than the changed ones may have new findings."""
        return self.affected is None or bool(self.affected - self.changed)

    @property
    def empty(self) -> bool:
        """True when nothing changed at all."""
        return not (self.changed or self.removed or self.affected is None or self.affected)


NOTHING = Impact()
EVERYTHING = Impact(affected=None)


def file_kind(path: Path, root: Path) -> FileKind | None:
    """The kind `load_pack` gives a file: every YAML of the pack (read or not) and requirements.txt."""
    try:
        relative = path.relative_to(root).as_posix()
    except ValueError:
        return None
    return relative_kind(relative)


def is_manifest(path: Path) -> bool:
    """True for a pack manifest (its folder is a pack root)."""
    return classify(path.name) is FileKind.MANIFEST


def is_tracked(path: Path, root: Path) -> bool:
    """True for the files `packls validate` checks in a pack."""
    return file_kind(path, root) is not None


def source_for(path: Path, root: Path | None, text: str) -> SourceFile | None:
    """A buffer's text as a pack file (None outside packs)."""
    kind = file_kind(path, root) if root is not None else None
    if root is None or kind is None:
        return None
    relative = path.relative_to(root).as_posix()
    if len(text) * 4 > HARD_FILE_BYTES and len(text.encode("utf-8", "surrogatepass")) > HARD_FILE_BYTES:
        return SourceFile.unreadable(path, root, relative, kind, f"the buffer is larger than {HARD_FILE_BYTES} bytes; not read")
    return SourceFile.from_text(path, root, relative, kind, text)
