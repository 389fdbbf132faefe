"""Stand-in until the shared escape module lands: repository text shown without control or format characters."""

from __future__ import annotations


def printable(text: str) -> str:
    """Every control or invisible format character (ESC, CR, bidi overrides, …) as a visible escape."""
    if text.isprintable():
        return text
    return "".join(ch if ch.isprintable() or ch == " " else _escape(ch) for ch in text)


def _escape(ch: str) -> str:
    code = ord(ch)
    if code < 0x100:
        return f"\\x{code:02x}"
    if code < 0x10000:
        return f"\\u{code:04x}"
    return f"\\U{code:08x}"

