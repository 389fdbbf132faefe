"""The pack model: file kinds and typed components with source nodes."""

from __future__ import annotations

from packls.model.build import build_component
from packls.model.components import (
    Action,
    Cache,
    Component,
    Dashboard,
    Manifest,
    PermissionSet,
    Policy,
    Queue,
    RuleComponent,
    Runnable,
    Runtime,
    RuntimeVersion,
    Sensor,
    Trigger,
    VerificationCommand,
    Workflow,
)
from packls.model.refs import Reference
from packls.model.kinds import FileKind, classify

__all__ = [
    "Action",
    "Cache",
    "Dashboard",
    "PermissionSet",
    "Policy",
    "Queue",
    "Reference",
    "RuleComponent",
    "Sensor",
    "Trigger",
    "Workflow",
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
