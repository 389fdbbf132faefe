"""packls: the authoring toolkit for Attune packs."""

from __future__ import annotations

__version__ = "0.1.0"
