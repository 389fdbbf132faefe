"""A workspace's findings computed from scratch on every core, as a snapshot the server can restore.

A cold start's slow part is checking every file once. The language server's own process keeps
every tree and runs on one core; a helper process (`packls.lsp.cold_check`) can instead read
the same packs, check them on every core as `packls validate` does (`packls.parallel`), and
hand back the findings under the inputs key of what it read. The server publishes them only
when that key equals the key of its own reads: the guarantee a stored snapshot gives.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable, Iterable

from packls.facts import RegistryFacts
from packls.features.configuration import Config, file_findings
from packls.features.snapshot import Snapshot, key_of_reads
from packls.parallel import check_in_shares
from packls.workspace import Pack, PackRead, Workspace, read_pack

ConfigFor = Callable[[Path], Config]


def read_packs(roots: Iterable[Path], config_for: ConfigFor) -> list[PackRead]:
    """Every pack folder read (not parsed), excluded packs and files left out, as `packls validate` reads them."""
    configs = _per_folder(config_for)
    return [read_pack(root, exclude=lambda path: configs(path).is_excluded(path)) for root in roots
            if not config_for(root).is_excluded(root)]


def compute_snapshot(reads: list[PackRead], extras: Iterable[Pack], config_for: ConfigFor, facts: RegistryFacts) -> Snapshot:
    """The findings a session holding exactly these reads reports, under the key `key_of_reads` gives them."""
    extras = list(extras)
    key = key_of_reads(reads, extras, config_for, facts)
    workspace = Workspace(facts)
    workspace.set_extras(extras)
    for read in reads:
        workspace.add_pack(read.deferred())
    texts = {item.path: item.text for read in reads for item in read.files if item.text is not None}
    configs = _per_folder(config_for)
    findings = {}
    for path, raw in check_in_shares(workspace).found.items():
        findings[path] = file_findings(path, raw, configs(path), texts.get(path, ""))
    return Snapshot(key, findings)


def _per_folder(config_for: ConfigFor) -> ConfigFor:
    """config_for, asked once per folder (a file's config is its folder's, as the inputs key assumes)."""
    by_folder: dict[Path, Config] = {}

    def config(path: Path) -> Config:
        found = by_folder.get(path.parent)
        if found is None:
            found = by_folder[path.parent] = config_for(path)
        return found

    return config
