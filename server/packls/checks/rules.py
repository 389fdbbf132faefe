"""Every rule packls knows: a stable code, a default severity and a one-line summary."""

from __future__ import annotations

from dataclasses import dataclass

from packls.findings import Severity


@dataclass(frozen=True)
class Rule:
    """One check's identity, as configuration, suppressions and docs name it."""

    code: str
    severity: Severity
    summary: str


RULES: dict[str, Rule] = {}


def rule(code: str, severity: Severity, summary: str) -> Rule:
    """Register a rule once; its code is its identity."""
    if code in RULES:
        raise ValueError(f"rule {code} registered twice")
    RULES[code] = Rule(code, severity, summary)
    return RULES[code]


E, W, I, H = Severity.ERROR, Severity.WARNING, Severity.INFORMATION, Severity.HINT

YAML_SYNTAX = rule("yaml.syntax", E, "The file is not valid YAML, so Attune cannot read it.")
METADATA_UNREADABLE = rule("metadata.unreadable", E, "The file cannot be read as UTF-8 text.")
RUNTIME_VERSION_NOT_STRING = rule(
    "runtime_version.not_string", E, "runtime_version is not a string; Attune silently ignores it."
)
RUNTIME_VERSION_INVALID = rule("runtime_version.invalid", E, "runtime_version does not parse as a constraint.")
RUNTIME_VERSION_UNSATISFIABLE = rule(
    "runtime_version.unsatisfiable", E, "No declared version of the runtime satisfies runtime_version."
)
RUNTIME_VERSION_UNAVAILABLE = rule(
    "runtime_version.unavailable", W, "Only versions that no synced worker has satisfy runtime_version."
)
RUNTIME_VERSION_NO_VERSIONS = rule(
    "runtime_version.no_versions", W, "runtime_version is set but the runtime declares no versions."
)
RUNNER_TYPE_UNKNOWN = rule("runner_type.unknown", E, "runner_type resolves to no runtime.")
RUNTIME_DUPLICATE_VERSION = rule("runtime.duplicate_version", E, "A runtime declares the same version twice.")
RUNTIME_MULTIPLE_DEFAULTS = rule("runtime.multiple_defaults", E, "More than one version is marked is_default.")
RUNTIME_INVALID_VERSION = rule(
    "runtime.invalid_version", E, "A versions[] entry Attune skips or can never select."
)
