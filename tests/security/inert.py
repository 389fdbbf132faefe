"""What "inert output" means, checked on the raw bytes packls wrote: nothing a terminal or a CI runner would act on.

A terminal acts on control characters (ESC starts a sequence, OSC 52 writes the clipboard,
CR rewrites the line); GitHub's runner acts on a line that starts with `::name` after leading
whitespace and on `##[name]` anywhere in a line (Azure's `##vso[`, TeamCity's `##teamcity[`
likewise). Text output may keep newlines between lines and tabs; nothing else.
"""

from __future__ import annotations

import re

FORBIDDEN = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
)
ANYWHERE_COMMAND = re.compile(r"##(?:vso|teamcity)?\[", re.IGNORECASE)
# The only workflow commands packls writes: `--format github` annotations, each property escaped.
OUR_ANNOTATION = re.compile(
    r"::(?:error|warning|notice) file=[^,:]*,line=\d+,col=\d+,endLine=\d+,endColumn=\d+,title=[^,:]*::.*"
)


def decoded(raw: bytes) -> str:
    """The bytes as text; bytes that are not UTF-8 stay visible as lone surrogates (and fail `assert_inert`)."""
    return raw.decode("utf-8", "surrogateescape")


def problems(output: str, *, annotations: bool = False) -> list[str]:
    """Every way `output` could make a terminal or CI runner act; empty when it is inert."""
    found = []
    for number, line in enumerate(output.split("\n"), start=1):
        bad = FORBIDDEN.search(line)
        if bad is not None:
            found.append(f"line {number}: raw U+{ord(bad.group(0)):04X}: {line[:120]!r}")
        if ANYWHERE_COMMAND.search(line):
            found.append(f"line {number}: a logging command marker: {line[:120]!r}")
        stripped = line.lstrip()
        if stripped.startswith("::") and not (annotations and OUR_ANNOTATION.fullmatch(line)):
            found.append(f"line {number}: a workflow command: {line[:120]!r}")
    return found


def assert_inert(output: str | bytes, *, annotations: bool = False) -> None:
    """Fail with every problem found; `annotations` allows packls' own `--format github` lines."""
    text = decoded(output) if isinstance(output, bytes) else output
    found = problems(text, annotations=annotations)
    assert not found, "\n".join(found[:10])
