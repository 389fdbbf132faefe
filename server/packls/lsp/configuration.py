"""Settings from `initializationOptions` and `workspace/configuration`, applied to the session."""

from __future__ import annotations

import asyncio
import logging
import uuid
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lsprotocol import types
from pygls.capabilities import get_capability
from pygls.uris import from_fs_path

from packls.config import Config, load_config_file
from packls.lsp.documents import uri_to_path
from packls.workspace import discover_pack_roots, load_pack

if TYPE_CHECKING:
    from packls.lsp.server import PacklsServer

log = logging.getLogger(__name__)


def on_initialize(ls: PacklsServer, params: types.InitializeParams) -> None:
    """Decide push or pull, read initializationOptions and the workspace folders."""
    caps = params.capabilities
    can_pull = get_capability(caps, "text_document.diagnostic", None) is not None
    can_refresh = bool(get_capability(caps, "workspace.diagnostics.refresh_support", False))
    ls.pull_mode = can_pull and can_refresh  # without refresh, cross-file results would go stale
    ls.pending_problems = ls.settings.set_initialization(params.initialization_options)
    folders = [uri_to_path(f.uri) for f in params.workspace_folders or []]
    if not folders:
        root = params.root_uri or (from_fs_path(params.root_path) if params.root_path else None)
        folders = [uri_to_path(root)] if root else []
    ls.session.folders = [f for f in folders if f is not None]
    log.info(
        "client %s: %s positions, %s diagnostics, %d workspace folder(s)",
        params.client_info.name if params.client_info else "unknown", ls.encoding, "pull" if ls.pull_mode else "push",
        len(ls.session.folders),
    )


async def register(ls: PacklsServer) -> None:
    """Ask to be told about settings changes (VS Code needs a dynamic registration)."""
    if not get_capability(ls.client_capabilities, "workspace.did_change_configuration.dynamic_registration", False):
        return
    try:
        await ls.client_register_capability_async(
            types.RegistrationParams(registrations=[
                types.Registration(
                    id=str(uuid.uuid4()), method=types.WORKSPACE_DID_CHANGE_CONFIGURATION,
                    register_options=types.DidChangeConfigurationRegistrationOptions(section="packls"),
                )
            ])
        )
    except Exception:
        log.warning("the client refused didChangeConfiguration registration", exc_info=True)


async def refresh(ls: PacklsServer) -> None:
    """Re-read settings for every folder and apply them (config, extra catalogs, registry facts)."""
    problems = list(getattr(ls, "pending_problems", []))
    ls.pending_problems = []
    if get_capability(ls.client_capabilities, "workspace.configuration", False):
        folders = list(ls.session.folders)
        items = [types.ConfigurationItem(scope_uri=from_fs_path(str(f)), section="packls") for f in folders]
        try:
            answers = await ls.workspace_configuration_async(
                types.ConfigurationParams(items=items or [types.ConfigurationItem(section="packls")])
            )
        except Exception:
            log.warning("workspace/configuration failed; using initializationOptions", exc_info=True)
            answers = []
        by_folder: dict[Path, Any] = {f: a for f, a in zip(folders, answers or [])}
        if not folders and answers:
            ls.settings.set_initialization(answers[0])
        problems.extend(ls.settings.set_folders(by_folder))
    else:
        ls.settings.invalidate()
    if problems:
        ls.tell(problems)
    ls.diagnostics.after(ls.session.set_config(ls.config_for))
    await _apply_extras(ls)


async def changed(ls: PacklsServer, params: types.DidChangeConfigurationParams) -> None:
    """didChangeConfiguration: re-pull settings (or take them from the notification) and re-check."""
    if not get_capability(ls.client_capabilities, "workspace.configuration", False):
        settings = params.settings
        if isinstance(settings, dict):
            ls.pending_problems = ls.settings.set_initialization(settings.get("packls", settings))
    await refresh(ls)
    ls.diagnostics.request_pass()


async def _apply_extras(ls: PacklsServer) -> None:
    """Extra catalog packs, exclusions and registry facts follow the settings of the first folder."""
    anchor = ls.session.folders[0] if ls.session.folders else Path.cwd()
    config = ls.config_for(anchor)
    extras = tuple(sorted({Path(p) for p in config.extra_catalog_paths}))
    if extras != getattr(ls, "_extras", ()):
        ls._extras = extras
        roots = await asyncio.to_thread(discover_pack_roots, [p for p in extras if p.exists()])
        packs = [await asyncio.to_thread(load_pack, root, is_extra=True) for root in roots]
        ls.diagnostics.after(ls.session.set_extra_catalogs(packs))
    exclude = (config.exclude, config.root)
    if exclude != getattr(ls, "_exclude", ((), None)):
        ls._exclude = exclude
        await ls.reload_packs()
    if config.database != getattr(ls, "_database", object()):
        ls._database = config.database
        from packls.registry.load import load_facts_checked

        loaded = await asyncio.to_thread(load_facts_checked, config.database, named_by=_named_by_project_file(ls, config))
        if loaded.warning:
            log.warning("%s", loaded.warning)
            if config.database:
                ls.tell([loaded.warning])
        ls.diagnostics.after(ls.session.set_facts(loaded.facts))


def _named_by_project_file(ls: PacklsServer, config: Config) -> Path | None:
    """The workspace file that chose the database, unless the user's own editor settings name it too.

    A repository's packls.toml is untrusted input: it may not make the server connect elsewhere.
    """
    if config.database is None or config.source is None:
        return None
    editor = [ls.settings.initialization, *ls.settings.by_folder.values()]
    if any(raw.get("database") == config.database for raw in editor):
        return None
    project, _ = load_config_file(config.source)
    return config.source if project.database == config.database else None
