"""A control channel between the processes of one deployment (in memory for a single one).

Socket.IO's own Redis manager carries events to clients; this carries instructions to the
processes themselves, such as "close every socket of this CSR".
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import Awaitable, Callable
from typing import Any, Protocol

from redis.asyncio import Redis
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

Handler = Callable[[dict[str, Any]], Awaitable[None]]


class ControlBus(Protocol):
    def subscribe(self, handler: Handler) -> None: ...

    async def publish(self, message: dict[str, Any]) -> None: ...

    async def start(self) -> None: ...

    async def stop(self) -> None: ...


class MemoryBus:
    def __init__(self) -> None:
        self._handlers: list[Handler] = []

    def subscribe(self, handler: Handler) -> None:
        self._handlers.append(handler)

    async def publish(self, message: dict[str, Any]) -> None:
        for handler in self._handlers:
            await handler(message)

    async def start(self) -> None:
        return None

    async def stop(self) -> None:
        return None


class RedisBus:
    """Redis pub/sub; reconnects by itself after Redis restarts."""

    def __init__(self, redis: Redis, channel: str = "careline:control") -> None:
        self._redis = redis
        self._channel = channel
        self._handlers: list[Handler] = []
        self._task: asyncio.Task[None] | None = None
        self._ready = asyncio.Event()

    def subscribe(self, handler: Handler) -> None:
        self._handlers.append(handler)

    async def publish(self, message: dict[str, Any]) -> None:
        await self._redis.publish(self._channel, json.dumps(message))

    async def _listen(self) -> None:
        while True:
            try:
                async with self._redis.pubsub() as pubsub:
                    await pubsub.subscribe(self._channel)
                    self._ready.set()
                    async for item in pubsub.listen():
                        if item.get("type") != "message":
                            continue
                        message = json.loads(item["data"])
                        for handler in self._handlers:
                            try:
                                await handler(message)
                            except Exception:
                                logger.exception("control message handler failed")
            except (RedisError, OSError):
                logger.warning("control bus: Redis unavailable, retrying")
                await asyncio.sleep(1.0)

    async def start(self) -> None:
        self._task = asyncio.create_task(self._listen())
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._ready.wait(), timeout=5)

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
