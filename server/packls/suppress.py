"""Inline suppressions: `# packls: ignore[code, ...]` comments, per line or per file."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from packls.syntax.lines import LineIndex
from packls.syntax.nodes import Span

# A YAML comment starts at the line start or after whitespace.
_COMMENT = re.compile(r"(?:^|(?<=\s))#\s*packls:\s*(?P<form>ignore-file|ignore)\b(?P<codes>\[[^\]\n]*\])?")
_CODE = re.compile(r"[^,\s\[\]]+")


@dataclass(frozen=True)
class CodeMention:
    """One code written in a suppression comment, with where it is (to report unknown ones)."""

    code: str
    span: Span


@dataclass
class Suppressions:
    """What one file's comments silence: per line, and for the whole file."""

    lines: dict[int, frozenset[str] | None] = field(default_factory=dict)  # None = every code
    whole_file: frozenset[str] | None = frozenset()  # None = every code; empty = nothing
    mentions: list[CodeMention] = field(default_factory=list)

    def silences(self, code: str, line: int) -> bool:
        """True when a comment on this line, the line above, or the file silences code."""
        if _covers(self.whole_file, code):
            return True
        return _covers(self.lines.get(line, frozenset()), code)


def _covers(codes: frozenset[str] | None, code: str) -> bool:
    if codes is None:
        return True
    return code in codes or any(c.endswith(".*") and code.startswith(c[:-1]) for c in codes)


def parse_suppressions(text: str, index: LineIndex | None = None) -> Suppressions:
    """Collect every packls suppression comment of a file's text."""
    result = Suppressions()
    if "packls:" not in text:
        return result
    index = index or LineIndex.of(text)
    whole: set[str] = set()
    whole_all = False
    for line_number, start in enumerate(index.starts):
        line = index.line_text(line_number)
        match = _COMMENT.search(line)
        if match is None:
            continue
        codes: frozenset[str] | None = None
        if match.group("codes") is not None:
            bracket_start = start + match.start("codes")
            found = [(m.group(0), bracket_start + m.start()) for m in _CODE.finditer(match.group("codes"))]
            codes = frozenset(code for code, _ in found)
            result.mentions.extend(CodeMention(code, Span(offset, offset + len(code))) for code, offset in found)
        if match.group("form") == "ignore-file":
            if codes is None:
                whole_all = True
            else:
                whole.update(codes)
            continue
        own_line = not line[: match.start()].strip()
        targets = (line_number, line_number + 1) if own_line else (line_number,)
        for target in targets:
            result.lines[target] = _merge(result.lines.get(target, frozenset()), codes)
    result.whole_file = None if whole_all else frozenset(whole)
    return result


def _merge(current: frozenset[str] | None, more: frozenset[str] | None) -> frozenset[str] | None:
    if current is None or more is None:
        return None
    return current | more
