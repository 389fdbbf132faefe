"""Attune's ref grammar (`RefValidator`), with its error messages word for word."""

from __future__ import annotations

_VALIDATION = "Validation error: "


def identifier_error(identifier: str) -> str | None:
    """Why an identifier is invalid (`^[a-z][a-z0-9_-]*$`), in RefValidator's words, or None."""
    if not identifier:
        return "Identifier cannot be empty"
    if not ("a" <= identifier[0] <= "z"):
        return f"Identifier '{identifier}' must start with a lowercase letter"
    for ch in identifier:
        if not ("a" <= ch <= "z" or "0" <= ch <= "9" or ch in "-_"):
            return (
                f"Identifier '{identifier}' contains invalid character '{ch}'. "
                "Only lowercase letters, digits, hyphens, and underscores are allowed"
            )
    return None


def pack_ref_error(ref: str) -> str | None:
    """`validate_pack_ref`, as `error.to_string()` prints it."""
    problem = identifier_error(ref)
    return _VALIDATION + problem if problem else None


def component_ref_error(ref: str) -> str | None:
    """`validate_component_ref`: exactly `pack.name`, two identifiers."""
    parts = ref.split(".")
    if len(parts) != 2:
        return _VALIDATION + f"Invalid component reference format: '{ref}'. Expected 'pack.component'"
    for part in parts:
        problem = identifier_error(part)
        if problem:
            return _VALIDATION + problem
    return None


def work_queue_ref_error(ref: str) -> str | None:
    """`validate_work_queue_ref`: dot-separated segments, the first starting with a letter."""
    segments = ref.split(".")

    def valid(segment: str, letter_first: bool) -> bool:
        return (
            bool(segment)
            and (not letter_first or "a" <= segment[0] <= "z")
            and all("a" <= c <= "z" or "0" <= c <= "9" or c in "-_" for c in segment)
        )

    if not valid(segments[0], True) or not all(valid(s, False) for s in segments[1:]):
        return _VALIDATION + f"Invalid work queue reference format: '{ref}'"
    return None


def qualify(ref: str, pack_ref: str | None) -> str:
    """pack_check's `qualify`: a ref without a dot gets the pack prefix."""
    if "." in ref or not pack_ref:
        return ref
    return f"{pack_ref}.{ref}"
