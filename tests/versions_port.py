"""packls.versions behind the semver-oracle line protocol (the oracle README's "Protocol" table).

Run as a program it answers stdin requests on stdout, so the oracle's own checker works:

    python3 gen_cases.py --check-impl '.venv/bin/python tests/versions_port.py'

The tests import :func:`answer` to run the same adapter in-process.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass

from packls.versions import (
    ConstraintError,
    VersionError,
    extract_version_components,
    matches_constraint,
    parse_constraint,
    parse_version,
    preprocess_constraint,
    select_best_version,
)


@dataclass(frozen=True, eq=False)
class Entry:
    """One LIST entry: trailing ``*`` = default, ``!`` = unavailable (identity matters, not value)."""

    version: str
    is_default: bool
    available: bool


def parse_list(field: str) -> list[Entry]:
    """The oracle's LIST field: comma-separated, markers stripped from the end in any order."""
    if not field:
        return []
    entries = []
    for raw in field.split(","):
        text, is_default, available = raw, False, True
        while True:
            if text.endswith("*"):
                text, is_default = text[:-1], True
            elif text.endswith("!"):
                text, available = text[:-1], False
            else:
                break
        entries.append(Entry(text, is_default, available))
    return entries


def _opt(x: int | None) -> str:
    return "-" if x is None else str(x)


def answer(line: str) -> str:
    """Answer one request line (without its line ending) exactly as the oracle would."""
    fields = line.split("\t")
    cmd, args = fields[0], fields[1:]
    if cmd == "match" and len(args) == 2:
        try:
            return "true" if matches_constraint(args[0], args[1]) else "false"
        except VersionError:
            return "error:version"
        except ConstraintError:
            return "error:constraint"
    if cmd == "parse_version" and len(args) == 1:
        try:
            return str(parse_version(args[0]))
        except VersionError:
            return "error"
    if cmd == "parse_constraint" and len(args) == 1:
        try:
            return str(parse_constraint(args[0]))
        except ConstraintError:
            return "error"
    if cmd == "preprocess" and len(args) == 1:
        text = preprocess_constraint(args[0])
        return "<star>" if text is None else text
    if cmd in ("select", "select_index") and len(args) == 2:
        entries = parse_list(args[1])
        chosen = select_best_version(entries, args[0] if args[0] else None)
        if chosen is None:
            return "none"
        if cmd == "select":
            return chosen.version
        return str(next(i for i, e in enumerate(entries) if e is chosen))
    if cmd == "components" and len(args) == 1:
        return ",".join(_opt(x) for x in extract_version_components(args[0]))
    if cmd == "cmp" and len(args) == 2:
        try:
            a = parse_version(args[0])
        except VersionError:
            return "error:a"
        try:
            b = parse_version(args[1])
        except VersionError:
            return "error:b"
        return "<" if a < b else ">" if a > b else "="
    return "error:protocol"


def main() -> int:
    """Read all requests, then write one answer per line (bytes in, bytes out)."""
    data = sys.stdin.buffer.read()
    lines = data.split(b"\n")
    if lines and lines[-1] == b"":
        lines.pop()
    out = []
    for raw in lines:
        if raw.endswith(b"\r"):
            raw = raw[:-1]
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            out.append("error:utf8")
            continue
        out.append(answer(text))
    sys.stdout.buffer.write("".join(a + "\n" for a in out).encode("utf-8"))
    sys.stdout.buffer.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
