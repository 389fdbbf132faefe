"""Per-feature error isolation: a failing feature logs and answers empty, never crashes or pops up."""

from __future__ import annotations

import asyncio
import functools
import logging
from typing import Any, Awaitable, Callable, TypeVar

log = logging.getLogger("packls.lsp")
T = TypeVar("T")


def isolated(feature: str, default: T) -> Callable[[Callable[..., Awaitable[T]]], Callable[..., Awaitable[T]]]:
    """Per-feature error isolation: log and answer `default` instead of failing the request."""

    def wrap(handler: Callable[..., Awaitable[T]]) -> Callable[..., Awaitable[T]]:
        @functools.wraps(handler)
        async def run(ls: Any, params: Any) -> T:
            try:
                return await handler(ls, params)
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("%s failed", feature)
                return default

        return run

    return wrap


def guarded(feature: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Isolation for notifications (sync or async): log, never raise."""

    def wrap(handler: Callable[..., Any]) -> Callable[..., Any]:
        if asyncio.iscoroutinefunction(handler):

            @functools.wraps(handler)
            async def run_async(ls: Any, params: Any) -> None:
                try:
                    await handler(ls, params)
                except asyncio.CancelledError:
                    raise
                except Exception:
                    log.exception("%s failed", feature)

            return run_async

        @functools.wraps(handler)
        def run(ls: Any, params: Any) -> None:
            try:
                handler(ls, params)
            except Exception:
                log.exception("%s failed", feature)

        return run

    return wrap
