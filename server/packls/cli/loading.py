"""What validate, resolve and --fix share: the configuration, the registry facts and the loaded workspace."""

from __future__ import annotations

import argparse
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Sequence

from packls.cli.errors import UsageError, say
from packls.config import Config, ConfigProblem, apply_config, load_config, load_config_file
from packls.config_files import find_config_root, read_config_text
from packls.facts import NO_FACTS, RegistryFacts, age_text
from packls.findings import Finding
from packls.pack_files import NOT_A_PACK_FILE
from packls.pack_scan import search_packs
from packls.workspace import Workspace, find_pack_root

__all__ = ["Loaded", "RegistryUse", "UsageError", "load", "load_registry", "resolve_config", "say", "validate"]


@dataclass(frozen=True)
class RegistryUse:
    """The synced facts a run used and where they came from (None: nothing synced, or --no-registry)."""

    facts: RegistryFacts = NO_FACTS
    store: str | None = None
    synced_at: datetime | None = None
    ignored: bool = False  # --no-registry

    def notice(self) -> str | None:
        """One line for stderr: which store's availability shaped the results, and how old it is."""
        if self.store is None:
            return None
        age = f", synced {age_text(self.synced_at)}" if self.synced_at is not None else ""
        return f"availability from {self.store}{age} (--no-registry ignores it)"

    def record(self) -> dict[str, object] | None:
        """The same fact as a JSON field."""
        if self.store is None:
            return None
        when = self.synced_at.isoformat().replace("+00:00", "Z") if self.synced_at is not None else None
        return {
            "store": self.store,
            "synced_at": when,
            "runtime_versions": len(self.facts.availability),
            "indexed_packs": len(self.facts.packs),
        }


@dataclass
class Loaded:
    """A workspace ready to check, and what the user should hear about how it was loaded."""

    workspace: Workspace
    only: set[Path] | None  # the files to report on, when files were named
    config: Config
    registry: RegistryUse
    notes: list[str] = field(default_factory=list)  # skipped paths and misnamed manifests
    stdin_path: Path | None = None  # the file stdin's text stands for (`validate -`)


def resolve_config(args: argparse.Namespace) -> tuple[Config, list[ConfigProblem]]:
    """--config, else the nearest packls.toml / [tool.packls] above the first path or the current folder."""
    if getattr(args, "no_config", False):
        return Config(root=Path.cwd()), []
    if getattr(args, "config", None) is not None:
        if not args.config.is_file():
            raise UsageError(f"no such config file: {args.config}")
        return load_config_file(args.config.resolve())
    for start in (*(Path(p).resolve() for p in getattr(args, "paths", [])[:1]), Path.cwd()):
        root = find_config_root(start)
        if root is not None:
            return load_config(root)
    return Config(root=Path.cwd()), []


def load_registry(database: str | None, config: Config, *, ignore: bool = False) -> RegistryUse:
    """Synced availability and indexes from the registry store; a store that cannot be read is said once."""
    if ignore:
        return RegistryUse(ignored=True)
    try:
        from packls.registry import load_facts_checked
    except ImportError:
        return RegistryUse()
    loaded = load_facts_checked(database or config.database, named_by=None if database else config.source)
    if loaded.warning:
        say(loaded.warning)
    return RegistryUse(loaded.facts, loaded.store, loaded.synced_at)


def load_registry_facts(database: str | None, named_by: Path | None = None) -> RegistryFacts:
    """Synced facts only (the language server's tests and older callers)."""
    return load_registry(database, Config(source=named_by)).facts


def load(paths: Sequence[Path], config: Config, registry: RegistryUse, *, defer: bool = False) -> Loaded:
    """The workspace for the given paths, the files to report on, and notes on what was left out.

    `defer`: files are read, and parsed by whichever process checks them (`packls.parallel`).
    """
    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        raise UsageError(f"no such file or directory: {', '.join(missing)}")
    search = search_packs(paths)
    misnamed = [f"{_shown(path)} is not read: Attune reads only a file named exactly pack.yaml" for path in search.misnamed]
    if not search.roots:
        hint = "".join(f"; {note}" for note in misnamed)
        raise UsageError(f"no pack found in {', '.join(str(p) for p in paths)} (a pack is a folder with pack.yaml){hint}")
    exclude = config.is_excluded if config.exclude else None
    # The roots the search found, not the paths: a root is its own enclosing pack, so nothing is walked again.
    workspace = Workspace.load(search.roots, registry.facts, exclude=exclude, extra_catalog_paths=config.extra_catalog_paths,
                               defer=defer)
    named_files = [p.resolve() for p in paths if p.is_file()]
    only = set(named_files) if named_files and len(named_files) == len(paths) else None
    notes = [*misnamed, *skipped_files(named_files, workspace, config)]
    return Loaded(workspace, only, config, registry, notes)


def load_workspace(
    paths: list[Path], config: Config | None = None, database: str | None = None
) -> tuple[Workspace, set[Path] | None]:
    """The workspace for the given paths, and the files to report on when files were named."""
    config = config or Config()
    loaded = load(paths, config, load_registry(database, config))
    return loaded.workspace, loaded.only


def skipped_files(named: Sequence[Path], workspace: Workspace, config: Config) -> list[str]:
    """Why each named file is not checked (not a pack file, or excluded)."""
    notes = []
    for path in named:
        if workspace.source(path) is not None:
            continue
        if find_pack_root(path) is None:
            why = "it is in no pack (no pack.yaml above it)"
        elif config.exclude and config.is_excluded(path):
            why = "the configuration excludes it"
        else:
            why = NOT_A_PACK_FILE
        notes.append(f"skipped {_shown(path)}: {why}")
    return notes


def validate(
    paths: list[Path],
    config: Config | None = None,
    problems: Sequence[ConfigProblem] = (),
    database: str | None = None,
    jobs: int | None = None,
) -> tuple[list[Finding], dict[Path, str], int]:
    """Check the packs under paths with a configuration: what every output format renders."""
    config = config or Config(root=Path.cwd())
    loaded = load(paths, config, load_registry(database, config))
    return check_loaded(loaded, problems, jobs)


def check_loaded(
    loaded: Loaded, problems: Sequence[ConfigProblem] = (), jobs: int | None = None
) -> tuple[list[Finding], dict[Path, str], int]:
    """Findings of a loaded workspace (configured), the texts they point into, and the files checked."""
    from packls.checks import iter_findings
    from packls.parallel import check_parallel

    config = loaded.config
    results = check_parallel(loaded.workspace, loaded.only, jobs)
    texts = {source.path: source.text for source in loaded.workspace.sources()}
    findings = list(iter_findings(results))
    if problems and config.source is not None:
        try:
            texts[config.source] = read_config_text(config.source)
        except (OSError, UnicodeDecodeError):
            texts[config.source] = ""
        findings += [problem.to_finding(config.source) for problem in problems]
    return apply_config(findings, config, texts), texts, len(results)


def _shown(path: Path) -> str:
    from packls.report import display_path

    return display_path(path)
