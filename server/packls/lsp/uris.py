"""`file:` URIs ↔ paths, the way VS Code spells them (percent-encoded, lower-case drive letters)."""

from __future__ import annotations

import os
import re
from pathlib import Path
from urllib import parse

from packls.features.buffers import normalize

_DRIVE = re.compile(r"^/[a-zA-Z]:")
_WINDOWS = os.name == "nt"


def uri_to_path(uri: str) -> Path | None:
    """The file a `file:` URI names, normalised the way the session spells paths; None for other schemes."""
    parts = parse.urlparse(uri)
    if parse.unquote(parts.scheme) != "file":
        return None
    netloc, path = parse.unquote(parts.netloc), parse.unquote(parts.path)
    if netloc and path:
        value = f"//{netloc}{path}"  # a UNC share: file://server/share/file
    elif _DRIVE.match(path):
        value = path[1].lower() + path[2:]  # file:///C:/x -> c:/x
    else:
        value = path
    if _WINDOWS:
        value = value.replace("/", "\\")
    return normalize(value) if value else None


def file_uri(path: Path | str) -> str:
    """The URI for a file (open files keep the client's own spelling instead)."""
    text = str(path)
    if _WINDOWS:
        text = text.replace("\\", "/")
    netloc = ""
    if text[:2] == "//":
        end = text.find("/", 2)
        netloc, text = (text[2:], "/") if end == -1 else (text[2:end], text[end:])
    if not text.startswith("/"):
        text = "/" + text
    if _DRIVE.match(text):
        text = text[0] + text[1].lower() + text[2:]
        quoted = text[:3] + parse.quote(text[3:])
    else:
        quoted = parse.quote(text)
    return parse.urlunparse(("file", parse.quote(netloc), quoted, "", "", ""))
