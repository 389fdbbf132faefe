"""The pack model: file kinds and typed components with source nodes."""

from __future__ import annotations

from packls.model.build import build_component
from packls.model.components import (
    Component,
    Manifest,
    Runnable,
    Runtime,
    RuntimeVersion,
    VerificationCommand,
)
from packls.model.kinds import FileKind, classify

__all__ = [
    "Component",
    "FileKind",
    "Manifest",
    "Runnable",
    "Runtime",
    "RuntimeVersion",
    "VerificationCommand",
    "build_component",
    "classify",
]
