"""A signal that wakes every waiter once per change (the held workspace/diagnostic pulls)."""

from __future__ import annotations

import asyncio


class ChangeSignal:
    """`ticket()` before looking, `wait(ticket)` after: a change in between is never missed."""

    def __init__(self) -> None:
        self._event = asyncio.Event()

    def ticket(self) -> asyncio.Event:
        """What to wait on for the next change after now."""
        return self._event

    def notify(self) -> None:
        """Wake everyone holding a ticket; later tickets wait for the next change."""
        self._event.set()
        self._event = asyncio.Event()

    @staticmethod
    async def wait(ticket: asyncio.Event) -> None:
        """Until a change after the ticket was taken (at once if one happened already)."""
        await ticket.wait()
