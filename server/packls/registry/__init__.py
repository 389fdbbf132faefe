"""Registry sync: pack-index snapshots and runtime-version availability, in SQLite or PostgreSQL.

Consumers read synced facts with `load_facts`; only `packls sync` writes. Importing this
package loads no database driver and touches no network.
"""

from __future__ import annotations

from packls.registry.load import LoadedFacts, load_facts, load_facts_checked

__all__ = ["LoadedFacts", "load_facts", "load_facts_checked"]
