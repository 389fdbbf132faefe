"""Masking of credentials in URLs and DSNs, so no password reaches a log, status or error."""

from __future__ import annotations

import re
from typing import Final
from urllib.parse import SplitResult, urlsplit, urlunsplit

MASK: Final = "***"

_KEYWORD_PASSWORD: Final = re.compile(r"(\bpassword\s*=\s*)('(?:[^'\\]|\\.)*'|\S+)", re.IGNORECASE)
_QUERY_PASSWORD: Final = re.compile(r"([?&]password=)[^&#]*", re.IGNORECASE)


def mask_url(url: str) -> str:
    """The URL with any userinfo password (and `password=` query value) replaced by ***."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return _mask_keywords(url)
    if parts.password is not None:
        user = parts.username or ""
        host = parts.netloc.rpartition("@")[2]
        parts = SplitResult(parts.scheme, f"{user}:{MASK}@{host}", parts.path, parts.query, parts.fragment)
    return _QUERY_PASSWORD.sub(rf"\g<1>{MASK}", urlunsplit(parts)) if "://" in url else _mask_keywords(url)


def mask_dsn(dsn: str) -> str:
    """A PostgreSQL DSN (URL or `key=value` form) with its password masked."""
    if "://" in dsn:
        return mask_url(dsn)
    return _mask_keywords(dsn)


def redact(text: str, *secrets: str | None) -> str:
    """Text with each known secret (e.g. a password from a DSN) replaced by ***."""
    for secret in secrets:
        if secret:
            text = text.replace(secret, MASK)
    return text


def password_of(url_or_dsn: str) -> str | None:
    """The password a URL or DSN carries, so error texts that echo it can be redacted."""
    if "://" in url_or_dsn:
        try:
            parts = urlsplit(url_or_dsn)
        except ValueError:
            return None
        if parts.password:
            return parts.password
        match = _QUERY_PASSWORD.search(url_or_dsn)
        return match.group(0).split("=", 1)[1] if match else None
    match = _KEYWORD_PASSWORD.search(url_or_dsn)
    return match.group(2).strip("'") if match else None


def _mask_keywords(text: str) -> str:
    return _KEYWORD_PASSWORD.sub(rf"\g<1>{MASK}", text)
