"""JSON-RPC over stdio, by hand: for tests that check exactly what a server writes to its pipes."""

from __future__ import annotations

import json
from typing import Any


def frame(message: dict[str, Any]) -> bytes:
    """One message with its Content-Length header."""
    body = json.dumps(message).encode()
    return b"Content-Length: %d\r\n\r\n%s" % (len(body), body)


def messages(stream: bytes) -> list[dict[str, Any]]:
    """Every message in a captured stdout."""
    found = []
    while stream:
        head, _, rest = stream.partition(b"\r\n\r\n")
        length = int(next(line for line in head.split(b"\r\n") if line.lower().startswith(b"content-length")).split(b":")[1])
        found.append(json.loads(rest[:length]))
        stream = rest[length:]
    return found
