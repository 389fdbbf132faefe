"""Bounded fetching of index and worker documents from HTTPS, loopback HTTP or local files.

Every way a remote document can hurt a sync is bounded here: a size cap, a connect
timeout, a per-read timeout and a total deadline, no proxies, no redirects off the
origin (refused before any connection is made), plain HTTP only to loopback hosts.
The deadline covers the whole exchange: every read of the status line and headers (a
server dripping one byte a second, or sending `100 Continue` forever) as well as the body.
"""

from __future__ import annotations

import base64
import http.client
import io
import ipaddress
import socket
import ssl
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Final, Mapping
from urllib.parse import unquote, urljoin, urlsplit

from packls.registry.limits import FETCH_CONNECT_TIMEOUT, FETCH_MAX_BYTES, FETCH_READ_TIMEOUT, FETCH_TOTAL_TIMEOUT
from packls.registry.redact import mask_url

USER_AGENT: Final = "packls-sync/0.1"
_REDIRECTS: Final = frozenset({301, 302, 303, 307, 308})
_CHUNK: Final = 64 * 1024
_SHOWN_REASON: Final = 200  # characters of an HTTP reason phrase kept in a message


class FetchError(Exception):
    """A document could not be fetched; the message is one line, credentials masked."""


@dataclass(frozen=True)
class FetchLimits:
    """How much a fetch may cost: bytes, seconds to connect, to wait for a read, in all."""

    max_bytes: int = FETCH_MAX_BYTES
    connect_timeout: float = FETCH_CONNECT_TIMEOUT
    read_timeout: float = FETCH_READ_TIMEOUT
    total_timeout: float = FETCH_TOTAL_TIMEOUT
    max_redirects: int = 3


@dataclass(frozen=True)
class Validators:
    """What the last good fetch returned, for a conditional request."""

    etag: str | None = None
    last_modified: str | None = None


@dataclass(frozen=True)
class Fetched:
    """A fetched document; `body` None means the server answered 304 Not Modified."""

    body: bytes | None
    etag: str | None = None
    last_modified: str | None = None

    @property
    def not_modified(self) -> bool:
        """True when the last good snapshot is still current."""
        return self.body is None


def is_local(location: str) -> bool:
    """True for a filesystem path or a file:// URL rather than an HTTP(S) URL."""
    scheme = urlsplit(location).scheme.lower()
    return scheme in ("", "file") or len(scheme) == 1  # "C:\\..." on Windows


def fetch(
    location: str,
    *,
    limits: FetchLimits = FetchLimits(),
    validators: Validators | None = None,
    headers: Mapping[str, str] | None = None,
) -> Fetched:
    """Fetch one document within `limits`; raise FetchError with a one-line reason."""
    if is_local(location):
        return Fetched(_read_file(location, limits.max_bytes))
    return _fetch_http(location, limits, validators or Validators(), dict(headers or {}))


def local_path(location: str) -> Path:
    """The filesystem path a local location names."""
    parts = urlsplit(location)
    if parts.scheme.lower() == "file":
        return Path(unquote(parts.path))
    return Path(location).expanduser()


def _read_file(location: str, max_bytes: int) -> bytes:
    path = local_path(location)
    try:
        with path.open("rb") as handle:
            data = handle.read(max_bytes + 1)
    except FileNotFoundError:
        raise FetchError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise FetchError(f"{path}: is a directory") from None
    except PermissionError:
        raise FetchError(f"{path}: permission denied") from None
    except OSError as exc:
        raise FetchError(f"{path}: {exc.strerror or exc}") from None
    if len(data) > max_bytes:
        raise FetchError(f"{path}: larger than the {max_bytes}-byte limit")
    return data


def is_loopback_host(host: str) -> bool:
    """True for localhost and loopback addresses, the only hosts plain HTTP may reach."""
    if host.lower().rstrip(".") == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _check_url(url: str) -> tuple[str, str, int]:
    """Scheme, host and port of an URL the fetcher is allowed to contact."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    host = parts.hostname
    if scheme not in ("http", "https") or not host:
        raise FetchError(f"{mask_url(url)}: only https:// URLs, http:// to loopback, and local files are supported")
    if scheme == "http" and not is_loopback_host(host):
        raise FetchError(f"{mask_url(url)}: plain http is only allowed to loopback hosts; use https")
    try:
        port = parts.port or (443 if scheme == "https" else 80)
    except ValueError:
        raise FetchError(f"{mask_url(url)}: invalid port") from None
    return scheme, host, port


def _origin(url: str) -> tuple[str, str, int | None]:
    """Scheme, host and port as written, to compare a redirect target before contacting it."""
    parts = urlsplit(url)
    try:
        port = parts.port
    except ValueError:
        port = -1
    scheme = parts.scheme.lower()
    return scheme, (parts.hostname or "").lower(), port or {"https": 443, "http": 80}.get(scheme)


def _fetch_http(url: str, limits: FetchLimits, validators: Validators, headers: dict[str, str]) -> Fetched:
    deadline = time.monotonic() + limits.total_timeout
    current = url
    for _ in range(limits.max_redirects + 1):
        origin = _check_url(current)
        response_or_location = _request_once(current, origin, limits, validators, headers, deadline)
        if isinstance(response_or_location, Fetched):
            return response_or_location
        target = urljoin(current, response_or_location)
        if _origin(target) != _origin(current):
            raise FetchError(
                f"{mask_url(url)}: redirect to {mask_url(target)} refused (redirects to another host are not followed)"
            )
        current = target
    raise FetchError(f"{mask_url(url)}: more than {limits.max_redirects} redirects")


def _request_once(
    url: str,
    origin: tuple[str, str, int],
    limits: FetchLimits,
    validators: Validators,
    headers: dict[str, str],
    deadline: float,
) -> Fetched | str:
    """One request: the document, or the Location header of a redirect for the caller to vet."""
    scheme, host, port = origin
    parts = urlsplit(url)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    request_headers = {
        "User-Agent": USER_AGENT,
        "Accept": "application/json",
        "Accept-Encoding": "identity",
        **headers,
    }
    if parts.username is not None:
        token = f"{unquote(parts.username)}:{unquote(parts.password or '')}".encode()
        request_headers["Authorization"] = "Basic " + base64.b64encode(token).decode()
    if validators.etag:
        request_headers["If-None-Match"] = validators.etag
    if validators.last_modified:
        request_headers["If-Modified-Since"] = validators.last_modified
    shown = mask_url(url)
    connection = _connection(scheme, host, port, limits, _remaining(limits.connect_timeout, deadline, shown))
    try:
        try:
            connection.connect()
        except TimeoutError:
            raise FetchError(f"{shown}: connect timed out after {limits.connect_timeout:g} s") from None
        except ssl.SSLError as exc:
            raise FetchError(f"{shown}: TLS error: {exc.reason or exc}") from None
        except OSError as exc:
            raise FetchError(f"{shown}: cannot connect: {exc.strerror or exc}") from None
        assert connection.sock is not None
        sock = connection.sock = _DeadlineSocket(connection.sock, limits.read_timeout, deadline)  # type: ignore[assignment]
        try:
            connection.request("GET", path, headers=request_headers)
            response = connection.getresponse()
            status = response.status
            if status in _REDIRECTS:
                location = response.getheader("Location")
                if not location:
                    raise FetchError(f"{shown}: HTTP {status} redirect without a Location")
                return location
            if status == 304:
                if not (validators.etag or validators.last_modified):
                    raise FetchError(f"{shown}: HTTP 304 to an unconditional request")
                return Fetched(None, response.getheader("ETag") or validators.etag,
                               response.getheader("Last-Modified") or validators.last_modified)
            if not 200 <= status < 300:
                raise FetchError(f"{shown}: HTTP {status} {(response.reason or '')[:_SHOWN_REASON]}".rstrip())
            encoding = (response.getheader("Content-Encoding") or "identity").strip().lower()
            if encoding != "identity":
                raise FetchError(f"{shown}: unsupported Content-Encoding {encoding!r}")
            body = _read_body(response, sock, limits, deadline, shown)
            return Fetched(body, response.getheader("ETag"), response.getheader("Last-Modified"))
        except TimeoutError:
            if time.monotonic() >= deadline:
                raise FetchError(f"{shown}: took longer than the total time limit") from None
            raise FetchError(f"{shown}: read timed out after {limits.read_timeout:g} s") from None
        except http.client.IncompleteRead as exc:
            raise FetchError(f"{shown}: response truncated after {len(exc.partial)} bytes") from None
        except (http.client.HTTPException, ssl.SSLError, OSError) as exc:
            raise FetchError(f"{shown}: {type(exc).__name__}: {exc}".rstrip(": ")) from None
    finally:
        connection.close()


def _connection(scheme: str, host: str, port: int, limits: FetchLimits, timeout: float) -> http.client.HTTPConnection:
    """A connection that will use no proxy, with the connect timeout (or what is left of the deadline) as its socket timeout."""
    if scheme == "https":
        return http.client.HTTPSConnection(host, port, timeout=timeout, context=ssl.create_default_context())
    return http.client.HTTPConnection(host, port, timeout=timeout)


class _DeadlineSocket:
    """The connected socket as http.client uses it: each send and read waits the read timeout at most, never past the deadline."""

    def __init__(self, sock: socket.socket, read_timeout: float, deadline: float) -> None:
        self._sock = sock
        self._read_timeout = read_timeout
        self._deadline = deadline

    def wait_at_most(self) -> None:
        """Set the socket timeout for the next operation; past the deadline, raise TimeoutError."""
        left = self._deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError("total time limit")
        self._sock.settimeout(min(self._read_timeout, left))

    def sendall(self, data: bytes) -> None:
        self.wait_at_most()
        self._sock.sendall(data)

    def recv_into(self, buffer: memoryview) -> int:
        self.wait_at_most()
        return self._sock.recv_into(buffer)

    def makefile(self, mode: str, *args: object, **kwargs: object) -> io.BufferedReader:
        """What HTTPResponse reads the status line, headers and body from (it keeps the socket open, as its own file would)."""
        return io.BufferedReader(_DeadlineReader(self, self._sock.makefile("rb", buffering=0)))

    def settimeout(self, value: float | None) -> None:
        """Ignored: each operation sets its own (see `wait_at_most`)."""

    def close(self) -> None:
        self._sock.close()

    def __getattr__(self, name: str) -> object:
        return getattr(self._sock, name)


class _DeadlineReader(io.RawIOBase):
    """The socket's raw file, each read bounded by a `_DeadlineSocket`."""

    def __init__(self, sock: _DeadlineSocket, raw: io.RawIOBase) -> None:
        self._sock = sock
        self._raw = raw

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int | None:  # type: ignore[override]
        self._sock.wait_at_most()
        return self._raw.readinto(buffer)

    def close(self) -> None:
        self._raw.close()
        super().close()


def _read_body(
    response: http.client.HTTPResponse,
    sock: _DeadlineSocket,
    limits: FetchLimits,
    deadline: float,
    shown: str,
) -> bytes:
    declared = response.getheader("Content-Length")
    expected: int | None = None
    if declared is not None:
        try:
            expected = int(declared)
        except ValueError:
            raise FetchError(f"{shown}: invalid Content-Length {declared!r}") from None
        if expected > limits.max_bytes:
            raise FetchError(f"{shown}: {expected} bytes is larger than the {limits.max_bytes}-byte limit")
    chunks: list[bytes] = []
    total = 0
    while True:
        _remaining(limits.read_timeout, deadline, shown)
        chunk = response.read1(_CHUNK)
        if not chunk:
            break
        total += len(chunk)
        if total > limits.max_bytes:
            raise FetchError(f"{shown}: larger than the {limits.max_bytes}-byte limit")
        chunks.append(chunk)
    if expected is not None and total != expected:
        raise FetchError(f"{shown}: response truncated after {total} of {expected} bytes")
    return b"".join(chunks)


def _remaining(read_timeout: float, deadline: float, shown: str) -> float:
    left = deadline - time.monotonic()
    if left <= 0:
        raise FetchError(f"{shown}: took longer than the total time limit")
    return min(read_timeout, left)
