"""The language server: a thin pygls adapter over `packls.features` (no Attune logic here)."""

from __future__ import annotations
