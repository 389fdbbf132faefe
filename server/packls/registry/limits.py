"""How much a sync may cost, by default: index freshness, fetch sizes and times, verification time."""

from __future__ import annotations

from typing import Final

DEFAULT_TTL_SECONDS: Final = 3600  # an index snapshot stays fresh this long
FETCH_MAX_BYTES: Final = 16 * 1024 * 1024  # the largest index or workers document accepted
FETCH_CONNECT_TIMEOUT: Final = 10.0
FETCH_READ_TIMEOUT: Final = 30.0
FETCH_TOTAL_TIMEOUT: Final = 120.0
DETECT_TIMEOUT: Final = 10.0  # each verification command, as Attune's worker
