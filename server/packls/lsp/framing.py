"""LSP base-protocol framing that a hostile client cannot break: bounded, and resynchronising.

pygls' reader trusts every header: `Content-Length: 10^14` makes it allocate that much, and a
header it cannot parse (a word, a sign, a bare `\\n`, a length shorter than the body) leaves it
reading bodies as headers for the rest of the session. This reader never buffers more than one
announced body (at most MAX_BODY), accepts `\\n` as well as `\\r\\n` line ends, and after any
malformed frame drops bytes until the next `Content-Length:` header, saying what it dropped.
It does no I/O itself (`feed` bytes in, get frames out), so it can be fuzzed directly.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MAX_BODY = 64 * 1024 * 1024  # bytes; a 16 MiB file, JSON-escaped, fits with room to spare
MAX_HEADER = 8 * 1024  # bytes of one header block (a real one is about 40)
_HEADER_END = re.compile(rb"\n\r?\n")
_BLANK = re.compile(rb"[\r\n]*")
_NEXT_HEADER = re.compile(rb"content-length[ \t]{0,16}:", re.IGNORECASE)
SAMPLE = 4096  # bytes reported again with the next report of a stretch: a message cut by a read is seen whole
_KEEP_WHILE_SEARCHING = 32  # bytes kept at the end of the buffer: a header split across reads
_TOKEN = re.compile(rb"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")
_DIGITS = re.compile(rb"[0-9]{1,20}")


@dataclass(frozen=True)
class Frame:
    """One message body, exactly as long as its header said."""

    body: bytes


@dataclass(frozen=True)
class Malformed:
    """Bytes that were not a frame: why, and how many were dropped to find the next header."""

    reason: str
    dropped: int = 0  # bytes dropped since the previous report of the same stretch
    sample: bytes = b""  # those bytes, after the last SAMPLE bytes reported before them: what they held, if it shows
    final: bool = True  # False for a report at the end of a read while the stretch may go on


class FrameReader:
    """Splits a byte stream into frames; never holds more than one body plus one header block."""

    def __init__(self, max_body: int = MAX_BODY) -> None:
        self.max_body = max_body
        self._buffer = bytearray()
        self._length: int | None = None  # the body being read, once its header is parsed
        self._searching: str | None = None  # why the stream is being searched for the next header
        self._fresh = bytearray()  # bytes dropped since the last report (at most one read and a header block)
        self._context = b""  # the last SAMPLE bytes reported before them, in the same stretch

    def feed(self, data: bytes) -> list[Frame | Malformed]:
        """Add bytes from the stream; return every frame (and problem) they complete, in order."""
        self._buffer += data
        out: list[Frame | Malformed] = []
        while True:
            if self._searching is not None:
                if not self._search(out):
                    if self._fresh:  # report what this read dropped now: the request in it is answered now
                        self._report(out, final=False)
                    return out
            elif self._length is not None:
                if len(self._buffer) < self._length:
                    return out
                with memoryview(self._buffer) as view:
                    body = bytes(view[: self._length])
                out.append(Frame(body))
                del self._buffer[: self._length]
                self._length = None
            elif not self._header(out):
                return out

    def end(self) -> list[Malformed]:
        """The stream ended: anything left over is reported."""
        problems: list[Malformed] = []
        left = len(self._buffer)
        if self._searching is not None:
            reason = self._searching
        elif self._length is not None:
            reason = f"the stream ended {self._length - left} bytes before the end of a message"
        elif bytes(self._buffer).strip():
            reason = "the stream ended inside a header"
        else:
            reason = ""
        if reason:
            self._searching = reason
            self._drop(left)
            self._report(problems)
        self._buffer.clear()
        self._searching, self._length = None, None
        return problems

    def _header(self, out: list[Frame | Malformed]) -> bool:
        """Parse the header block at the start of the buffer; False when more bytes are needed."""
        buffer = self._buffer
        blank = _BLANK.match(buffer).end()  # type: ignore[union-attr]
        if blank:
            del buffer[:blank]  # blank lines between messages are harmless
        end = _HEADER_END.search(buffer, 0, MAX_HEADER + 2)
        if end is None:
            if len(buffer) > MAX_HEADER:
                self._resync("no end of the header within 8 KiB")
                return True
            if buffer and not _could_start_header(buffer):
                self._resync(f"expected a header, found {_shown(buffer)}")
                return True
            return False
        length, problem, lines_ok = self._content_length(bytes(buffer[: end.start()]))
        if problem is not None:
            # Header lines with a bad value: skip the whole block (its body follows and is dropped with it).
            # A line that is no header at all may be the tail of a body with the real header after it.
            self._resync(problem, end.end() if lines_ok else 1)
            return True
        del buffer[: end.end()]
        self._length = length
        return True

    def _content_length(self, block: bytes) -> tuple[int, str | None, bool]:
        """The Content-Length a header block announces, or why it cannot be used (and whether every line is a header)."""
        length: int | None = None
        problem: str | None = None
        for raw in block.split(b"\n"):
            line = raw[:-1] if raw.endswith(b"\r") else raw
            name, colon, value = line.partition(b":")
            if not colon or _TOKEN.fullmatch(name) is None:
                return 0, f"not a header line: {_shown(line)}", False
            if _NEXT_HEADER.search(value) is not None:  # a header glued to the end of a line: the real one may follow
                return 0, f"a header inside another header's value: {_shown(line)}", False
            if name.lower() != b"content-length" or problem is not None:
                continue  # Content-Type and anything else: not needed to frame the message
            value = value.strip(b" \t")
            if _DIGITS.fullmatch(value) is None:
                problem = f"Content-Length is not a byte count: {_shown(value)}"
            elif length is not None and int(value) != length:
                problem = "two different Content-Length headers"
            else:
                length = int(value)
        if problem is None and length is None:
            problem = "a header without Content-Length"
        if problem is None and length is not None and length > self.max_body:
            problem = f"a message of {length} bytes announced, more than the limit of {self.max_body}"
        return (length or 0), problem, True

    def _resync(self, reason: str, skip: int = 1) -> None:
        """Drop the bad header (or its first byte) and look for the next one."""
        self._searching = reason
        self._drop(skip)

    def _drop(self, count: int) -> None:
        """Drop bytes from the front; they are reported (and looked into) at the next report."""
        if count <= 0:
            return
        self._fresh += self._buffer[:count]
        del self._buffer[:count]

    def _report(self, out: list[Frame | Malformed], final: bool = True) -> None:
        """A Malformed for the bytes dropped since the last report; a final one ends the stretch."""
        fresh = bytes(self._fresh)
        out.append(Malformed(self._searching or "", len(fresh), self._context + fresh, final))
        self._fresh = bytearray()
        self._context = b"" if final else (self._context + fresh)[-SAMPLE:]

    def _search(self, out: list[Frame | Malformed]) -> bool:
        """Drop bytes up to the next `Content-Length:`; False when the buffer holds none yet."""
        found = _NEXT_HEADER.search(self._buffer)
        if found is None:
            self._drop(len(self._buffer) - _KEEP_WHILE_SEARCHING)
            return False
        self._drop(found.start())
        self._report(out)
        self._searching = None
        return True


def _could_start_header(buffer: bytearray) -> bool:
    """True while the bytes so far can still become a header line (a name made of token characters)."""
    head = bytes(buffer[:64]).split(b":", 1)[0].split(b"\n", 1)[0]
    return head == b"" or _TOKEN.fullmatch(head) is not None


def _shown(data: bytes | bytearray, limit: int = 40) -> str:
    """A short, printable rendering of bytes for a log line."""
    text = repr(bytes(data[:limit]))
    return text + ("…" if len(data) > limit else "")
