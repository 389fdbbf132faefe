"""The one place that makes text safe to print: terminals, CI logs and Markdown interpret what they show.

Everything packls prints can carry text from a workspace, an index server or a workers
payload: file names, YAML values, quoted source lines, HTTP reason phrases. A terminal
runs escape sequences in it (OSC 52 writes the clipboard), a CI runner runs workflow
commands in it (`::error …` at the start of a line, `##[…` anywhere), and Markdown turns
it into links and HTML. Every reporter, stderr message and hover goes through here:

* `printable(text)`: one line of plain text, with control characters shown as visible
  escapes (`\\n`, `\\x1b`, `\\u202e`) and CI command markers defused;
* `output_line(text)`: `printable`, and the line cannot start a GitHub workflow command;
* `github_data(text)` / `github_property(text)`: the message and properties of a
  workflow command packls writes itself (`--format github`);
* `json_dumps(value)`: JSON whose bytes carry no raw control character (the decoded
  values are exact);
* `markdown_text(text)` / `markdown_code(text)`: pack values inside Markdown, shown
  literally (no links, no HTML, no emphasis).
"""

from __future__ import annotations

import re
from typing import Any, Final

# Characters that change what a terminal or log viewer shows rather than being shown: every
# C0 control but TAB (whitespace everywhere; carets line up under it), DEL, every C1 control
# (U+009B is CSI, U+009D is OSC), line and paragraph separators, bidirectional controls (they
# reorder what is displayed) and lone surrogates (undecodable bytes in file names).
_BEYOND_ASCII_CONTROLS: Final = "\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff"
UNPRINTABLE: Final = re.compile(f"[\x00-\x08\x0a-\x1f{_BEYOND_ASCII_CONTROLS}]")
_JSON_RAW: Final = re.compile(f"[{_BEYOND_ASCII_CONTROLS}]")  # JSON escapes C0 controls itself
# CI logging commands recognised anywhere in a line: GitHub's and Azure's `##[…]`, Azure's
# `##vso[…]`, TeamCity's `##teamcity[…]`. Defused by showing the second `#` as `\x23`.
_ANYWHERE_COMMAND: Final = re.compile(r"(?<=#)#(?=(?:vso|teamcity)?\[)", re.IGNORECASE)
_NAMED: Final = {"\n": "\\n", "\r": "\\r"}


def printable(text: str) -> str:
    """Text that shows as itself on one line: controls become visible escapes, CI command markers are defused."""
    if UNPRINTABLE.search(text) is not None:
        text = UNPRINTABLE.sub(_visible, text)
    if "##" in text:
        text = _ANYWHERE_COMMAND.sub(r"\\x23", text)
    return text


def output_line(text: str) -> str:
    """One whole line of output: `printable`, and never a workflow command (`::name::…` after leading spaces)."""
    text = printable(text)
    stripped = text.lstrip()
    if stripped.startswith("::"):
        cut = len(text) - len(stripped)
        text = text[:cut] + "\\x3a" + text[cut + 1 :]
    return text


def output_lines(text: str) -> str:
    """Several lines (joined by newlines) made safe one by one; the newlines between them stay."""
    return "\n".join(output_line(line) for line in text.split("\n"))


def github_data(text: str) -> str:
    """The message of a workflow command: printable, then GitHub's own escaping of `%`, CR and LF."""
    return printable(text).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def github_property(text: str) -> str:
    """A property value of a workflow command (file, title): like data, and `:` and `,` escaped too."""
    return github_data(text).replace(":", "%3A").replace(",", "%2C")


def json_dumps(value: Any, **options: Any) -> str:
    """`json.dumps` keeping non-ASCII text readable, with every character `printable` escapes written as `\\uXXXX`.

    JSON escapes C0 controls itself; DEL, C1 controls, separators, bidirectional controls and
    lone surrogates it would write raw, and a log shows `##[…` in a string as a command. They
    can only occur inside strings, where `\\uXXXX` decodes to the same character, so the
    document means exactly the same.
    """
    import json  # (only the machine formats and the language server write JSON)

    options.setdefault("ensure_ascii", False)
    text = _JSON_RAW.sub(lambda m: f"\\u{ord(m.group(0)):04x}", json.dumps(value, **options))
    return _ANYWHERE_COMMAND.sub(r"\\u0023", text) if "##" in text else text


# Backslash-escaped, these are literal in CommonMark: no code span (`), emphasis (*), link or
# image ([ ]), HTML, autolink or entity (< &), table cell break (|), and no backslash of the
# value can undo an escape. `_` and `>` stay: inside a line they change nothing that matters.
_MARKDOWN_SPECIAL: Final = re.compile(r"([\\`*\[\]<&|@])")
# GFM links bare URLs and e-mail addresses; a backslash inside the scheme separator, after
# `www` or before `@` (above) keeps them text.
_BARE_LINK: Final = re.compile(r"(://|www\.)", re.IGNORECASE)


def markdown_text(text: str) -> str:
    """A value shown literally in Markdown prose or a table cell, on one line (no links, HTML or emphasis)."""
    escaped = _MARKDOWN_SPECIAL.sub(r"\\\1", printable(text))
    return _BARE_LINK.sub(lambda m: "\\://" if m.group(0) == "://" else m.group(0)[:3] + "\\.", escaped)


def markdown_code(text: str) -> str:
    """A value as an inline code span, on one line, whatever backticks it holds (the fence is longer than any run)."""
    shown = printable(text)
    longest = max((len(run) for run in re.findall(r"`+", shown)), default=0)
    fence = "`" * (longest + 1)
    padded = f" {shown} " if shown.startswith("`") or shown.endswith("`") or not shown.strip() else shown
    return f"{fence}{padded}{fence}"


def _visible(match: re.Match[str]) -> str:
    char = match.group(0)
    named = _NAMED.get(char)
    if named is not None:
        return named
    code = ord(char)
    if 0xDC80 <= code <= 0xDCFF:  # a byte that was not UTF-8 (surrogateescape): show the byte
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"
