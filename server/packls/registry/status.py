"""`packls sync --status`: what the store holds, as plain text or JSON (credentials masked)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from packls.registry.redact import mask_url
from packls.registry.resolution import facts_from_state
from packls.registry.store import StoreState
from packls.report.escape import json_dumps


def status_document(state: StoreState, database: str) -> dict[str, Any]:
    """The status as JSON-able data: indexes in consultation order, then runtime versions."""
    facts = facts_from_state(state)
    return {
        "database": database,
        "mode": state.mode,
        "indexes": [
            {
                "url": mask_url(s.url),
                "priority": s.priority,
                "active": s.active,
                "usable": s.usable,
                "fetched_at": _time(s.fetched_at),
                "packs": s.pack_count,
                "last_error": s.last_error,
                "last_error_at": _time(s.last_error_at),
            }
            for s in state.snapshots
        ],
        "unusable_indexes": [mask_url(url) for url in facts.unusable_indexes],
        "runtime_versions": [
            {
                "ref": v.runtime_ref,
                "version": v.version,
                "available": v.available,
                "verified_at": _time(v.verified_at),
                "detected": v.detected,
                "source": v.source,
                "detail": v.detail,
            }
            for v in state.versions
        ],
    }


def render_json(document: dict[str, Any]) -> str:
    """Stable, indented JSON."""
    return json_dumps(document, indent=2, sort_keys=False)


def render_text(document: dict[str, Any]) -> str:
    """A short human summary: one line per index and per runtime version."""
    lines = [f"database: {document['database']} ({document['mode']})"]
    indexes = document["indexes"]
    lines.append("indexes:" if indexes else "indexes: none synced")
    for index in indexes:
        state = f"{index['packs']} packs, fetched {index['fetched_at']}" if index["usable"] else "no good snapshot"
        flag = "" if index["active"] else " (not configured any more)"
        lines.append(f"  [{index['priority']}] {index['url']}: {state}{flag}")
        if index["last_error"]:
            lines.append(f"      last error at {index['last_error_at']}: {index['last_error']}")
    if document["unusable_indexes"]:
        lines.append("  lower-priority indexes are not consulted past an unusable one (fail closed)")
    versions = document["runtime_versions"]
    lines.append("runtime versions:" if versions else "runtime versions: none verified")
    for row in versions:
        verdict = "available" if row["available"] else "unavailable"
        seen = f", detected {row['detected']}" if row["detected"] else ""
        lines.append(
            f"  {row['ref']} {row['version']}: {verdict} (verified {row['verified_at'] or 'never'},"
            f" source {row['source']}{seen})"
        )
        if not row["available"] and row["detail"]:
            lines.append(f"      {row['detail']}")
    return "\n".join(lines)


def _time(value: datetime | None) -> str | None:
    return value.isoformat().replace("+00:00", "Z") if value is not None else None
