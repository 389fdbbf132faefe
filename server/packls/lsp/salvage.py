"""Reading what a stretch of unreadable bytes held: the requests to answer and the edits that were lost."""

from __future__ import annotations

import json
import re


def salvage(sample: bytes) -> list[tuple[int | str | None, str, str | None]]:
    """(id, method, document URI) of every message whose start shows in bytes that were no readable message.

    Brackets are counted from wherever the sample starts; an object holding a "method" string is a
    message (with an "id", a request), whatever stray bytes come before it, and the first "uri" inside
    it names its document. A sample may start inside a string: it is read a second time from after
    its first quote, and what either reading finds counts.
    """
    found = _messages_from(sample, 0)
    second = sample.find(b'"') + 1
    if second > 0:
        found += [message for message in _messages_from(sample, second) if message not in found]
    return found


def _messages_from(sample: bytes, at: int) -> list[tuple[int | str | None, str, str | None]]:
    found: list[tuple[int | str | None, str, str | None]] = []
    open_objects: list[dict[bytes, object]] = []
    size = len(sample)
    while at < size:
        char = sample[at]
        if char == 0x22:  # a string: maybe a key
            end = _string_end(sample, at)
            if end < 0:
                break
            key = sample[at + 1 : end]
            colon = _KEY_COLON.match(sample, end + 1)
            if colon is not None and key in _SALVAGED and open_objects:
                value = _SCALAR.match(sample, colon.end())
                if value is not None:
                    try:
                        decoded = json.loads(value.group())
                    except ValueError:
                        decoded = None
                    targets = open_objects if key == b"uri" else open_objects[-1:]
                    for record in targets:
                        record.setdefault(key, decoded)
            at = end + 1
            continue
        if char == 0x7B:  # {
            open_objects.append({})
        elif char == 0x7D and open_objects:  # }
            _keep_message(open_objects.pop(), found)
        at += 1
    for record in open_objects:  # cut off before their end: what they showed still counts
        _keep_message(record, found)
    return found


def _keep_message(record: dict[bytes, object], found: list[tuple[int | str | None, str, str | None]]) -> None:
    method, msg_id, uri = record.get(b"method"), record.get(b"id"), record.get(b"uri")
    if not isinstance(method, str):
        return
    valid_id = isinstance(msg_id, (int, str)) and not isinstance(msg_id, bool)
    found.append((msg_id if valid_id else None, method, uri if isinstance(uri, str) else None))  # type: ignore[arg-type]


_SALVAGED = frozenset({b"id", b"method", b"uri"})
_KEY_COLON = re.compile(rb"\s*:\s*")
_SCALAR = re.compile(rb'-?\d{1,15}(?![\d.eE])|"(?:[^"\\]|\\.){0,4000}"')


def _string_end(data: bytes, start: int) -> int:
    """Index of the quote ending the JSON string that starts at start, or -1 when the data ends first."""
    at = start + 1
    while at < len(data):
        char = data[at]
        if char == 0x5C:  # backslash
            at += 2
            continue
        if char == 0x22:
            return at
        at += 1
    return -1
