"""In-process listeners for commerce events, told after the change is committed.

A listener's failure is logged and does not undo or fail the change: the event is durable in
the outbox anyway, for deliveries that must not be missed (webhooks).
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Sequence

from customers.kernel import DomainEvent

logger = logging.getLogger(__name__)

Listener = Callable[[DomainEvent], Awaitable[None]]


class EventBus:
    def __init__(self) -> None:
        self._listeners: list[tuple[str, Listener]] = []

    def subscribe(self, listener: Listener, prefix: str = "") -> None:
        """Call ``listener`` for every event whose type starts with ``prefix``
        ("order." for all order events, "" for everything)."""
        self._listeners.append((prefix, listener))

    async def publish(self, events: Sequence[DomainEvent]) -> None:
        for event in events:
            for prefix, listener in self._listeners:
                if not event.type.startswith(prefix):
                    continue
                try:
                    await listener(event)
                except Exception:
                    logger.exception("listener failed on %s %s", event.type, event.id)
