"""A workspace's lookups: components by ref, runtimes by ref and by name, packs by ref.

A file that another process parsed (a `DeferredSource` with a summary) is filed under its ref
without being parsed; `entry_component` builds it when a lookup returns it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable

from packls.model import Component, FileKind, Runtime
from packls.sources import DeferredSource, Pack, SourceFile


def entry_component(entry: Component | SourceFile) -> Component | None:
    """An index entry's component (a deferred file's is built now; None only if its parse disagreed with its summary)."""
    return entry if isinstance(entry, Component) else entry.component


def _entry(source: SourceFile) -> tuple[Component | SourceFile, str | None] | None:
    """What the index files a file under (its component, or the unparsed file its summary speaks for) and its ref."""
    if isinstance(source, DeferredSource) and source.summary is not None and source.kind not in PARSED_FOR_LOOKUPS:
        summary = source.summary
        return (source, summary.ref) if summary.declares else None
    component = source.component
    return None if component is None else (component, component.ref)


PARSED_FOR_LOOKUPS = frozenset({FileKind.RUNTIME, FileKind.MANIFEST})  # the lookups read more of them than a ref: always parsed


@dataclass
class Lookups:
    """What checks look up across files, built from the packs in scope order and kept until the workspace changes."""

    runtimes_by_ref: dict[str, Runtime]
    runtimes_by_name: dict[str, Runtime]
    components_by_ref: dict[str, list[Component | SourceFile]]  # a SourceFile stands for a deferred file's component
    packs_by_ref: dict[str, list[Pack]]
    memo: dict[object, object] = field(default_factory=dict)  # per-version caches for checks (dropped on change)

    @classmethod
    def build(cls, in_scope: Iterable[Pack]) -> Lookups:
        """The lookups of packs given in scope order (workspace packs, extra-catalog packs, the catalog)."""
        by_ref: dict[str, Runtime] = {}
        workspace_runtimes: list[Runtime] = []
        catalog_runtimes: list[Runtime] = []
        components: dict[str, list[Component | SourceFile]] = {}
        packs: dict[str, list[Pack]] = {}
        for pack in in_scope:
            if not pack.is_catalog:
                packs.setdefault(pack.ref, []).append(pack)
            target = catalog_runtimes if pack.is_catalog else workspace_runtimes
            for source in pack.files.values():
                entry = _entry(source)
                if entry is None:
                    continue
                component, ref = entry
                if isinstance(component, Runtime):
                    target.append(component)
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
