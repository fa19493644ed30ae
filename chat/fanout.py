"""Socket.IO fan-out across processes through Redis, quick to heal after a Redis restart.

python-socketio's Redis manager backs off up to a minute between reconnection attempts, and
events published while Redis was away are gone. Here the listener retries every half second,
and once it is back it tells this process's own clients to resynchronise (``resync``): every
message was stored before it was announced, so a client that asks ``chat:sync`` misses nothing.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from typing import Any

import socketio

logger = logging.getLogger(__name__)

RETRY_SECONDS = 0.5
RESYNC_EVENT = "resync"


class HealingRedisManager(socketio.AsyncRedisManager):  # type: ignore[misc]
    def __init__(self, url: str, channel: str, namespaces: tuple[str, ...]) -> None:
        super().__init__(url, channel=channel)
        self._namespaces = namespaces

    async def _redis_listen_with_retries(self) -> AsyncIterator[Any]:  # pragma: no cover - I/O
        subscribed = False
        lost = False
        while True:
            try:
                if not subscribed:
                    self._redis_connect()
                    await self.pubsub.subscribe(self.channel)
                    subscribed = True
                    if lost:
                        lost = False
                        await self._tell_clients_to_resync()
                async for message in self.pubsub.listen():
                    yield message
            except Exception as exc:
                if not lost:
                    logger.warning("fan-out: lost Redis (%s); retrying", exc)
                subscribed = False
                lost = True
                await asyncio.sleep(RETRY_SECONDS)

    async def _tell_clients_to_resync(self) -> None:
        logger.info("fan-out: Redis is back; asking local clients to resynchronise")
        for namespace in self._namespaces:
            await self.server.emit(RESYNC_EVENT, {}, namespace=namespace, ignore_queue=True)
