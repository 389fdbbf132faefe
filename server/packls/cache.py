"""A persistent cache keyed by content hash, for warm starts: plain data in, plain data out.

What is worth caching was measured (bench/PROFILE.md): re-parsing a file with the libyaml
fast path is *faster* than unpickling its node tree, so trees are never cached. What a warm
start needs is the work that follows parsing: per-file findings and the small per-file
"surface" (kind, ref, what it references) the workspace index is built from. Those are plain
tuples, strings and numbers, which `marshal` writes and reads at C speed.

One cache file per namespace under the user cache directory, versioned by the packls version
and a caller-given fingerprint (e.g. of the rules and configuration): a different version
starts empty, so stale results are never served. Writes are atomic (temp file + rename), a
corrupt or unreadable file is treated as empty, and the entry count is bounded (least
recently used first out). Pure standard library; no pygls, no threads.
"""

from __future__ import annotations

import hashlib
import marshal
import os
import tempfile
from pathlib import Path
from typing import Any

from packls import __version__

FORMAT = 1
DEFAULT_MAX_ENTRIES = 200_000


def digest(text: str) -> str:
    """The content key of a text: 128-bit BLAKE2b of its UTF-8 bytes (surrogates kept)."""
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


def default_directory() -> Path:
    """Where caches live unless told otherwise: $PACKLS_CACHE_DIR, else the user cache folder."""
    configured = os.environ.get("PACKLS_CACHE_DIR")
    if configured:
        return Path(configured)
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("packls"))


class ContentCache:
    """digest -> plain value, loaded lazily from one file and saved atomically when changed."""

    def __init__(self, namespace: str, fingerprint: str = "", directory: Path | None = None,
                 max_entries: int = DEFAULT_MAX_ENTRIES) -> None:
        self.path = (directory or default_directory()) / f"{namespace}.marshal"
        self.stamp = (FORMAT, __version__, fingerprint)
        self.max_entries = max_entries
        self._entries: dict[str, Any] | None = None
        self._dirty = False

    # -- reading --------------------------------------------------------------------------------

    def _load(self) -> dict[str, Any]:
        if self._entries is None:
            self._entries = {}
            try:
                data = marshal.loads(self.path.read_bytes())
            except (OSError, EOFError, ValueError, TypeError):
                data = None
            if isinstance(data, tuple) and len(data) == 2 and data[0] == self.stamp and isinstance(data[1], dict):
                self._entries = data[1]
        return self._entries

    def get(self, key: str) -> Any | None:
        """The value stored for a digest, or None (and it becomes the most recently used)."""
        entries = self._load()
        value = entries.pop(key, None)
        if value is not None:
            entries[key] = value  # dicts keep insertion order: re-inserting marks it recent
        return value

    def __contains__(self, key: str) -> bool:
        return key in self._load()

    def __len__(self) -> int:
        return len(self._load())

    # -- writing --------------------------------------------------------------------------------

    def put(self, key: str, value: Any) -> None:
        """Store a marshal-able value (None, bool, int, float, str, bytes, tuple, list, dict, set)."""
        marshal.dumps(value)  # refuse what cannot be stored now, not at save time
        entries = self._load()
        entries.pop(key, None)
        entries[key] = value
        while len(entries) > self.max_entries:
            del entries[next(iter(entries))]
        self._dirty = True

    def discard(self, key: str) -> None:
        if self._load().pop(key, None) is not None:
            self._dirty = True

    def save(self) -> bool:
        """Write the file if anything changed; False (and nothing raised) when it cannot be written."""
        if not self._dirty or self._entries is None:
            return True
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            handle, temp = tempfile.mkstemp(prefix=self.path.name, suffix=".tmp", dir=self.path.parent)
            try:
                with os.fdopen(handle, "wb") as out:
                    out.write(marshal.dumps((self.stamp, self._entries)))
                os.replace(temp, self.path)
            except BaseException:
                Path(temp).unlink(missing_ok=True)
                raise
        except OSError:
            return False
        self._dirty = False
        return True
