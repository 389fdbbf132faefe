"""The language server: a thin LSP adapter over `packls.features` (no Attune logic here), speaking JSON-RPC itself."""

from __future__ import annotations
