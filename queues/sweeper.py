"""Returns the conversations of a CSR who has been gone longer than the grace period.

Every process runs one. Each notes when it first saw a CSR with open conversations offline (by
shared presence); once the grace period has passed, the conversations go back to their queues.
The move is a compare-and-set, so two processes doing it at once move each conversation once.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable

from queues.clock import Clock
from queues.presence import Presence
from queues.routing import return_to_queues
from queues.runner import CareRunner
from queues.uow import CareUnitOfWork

logger = logging.getLogger(__name__)


class AbandonSweeper:
    def __init__(
        self,
        runner: CareRunner,
        presence: Presence,
        clock: Clock,
        grace_seconds: float,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._runner = runner
        self._presence = presence
        self._clock = clock
        self._grace = grace_seconds
        self._monotonic = monotonic
        self._offline_since: dict[str, float] = {}
        self._task: asyncio.Task[None] | None = None

    async def tick(self) -> list[str]:
        """One pass; returns the CSRs whose conversations were returned."""
        async with CareUnitOfWork(self._runner.engine) as uow:
            busy = await uow.conversations.assignees_with_open_chats()
        online = await self._presence.snapshot()
        now = self._monotonic()
        returned = []
        for agent_id in busy:
            if agent_id in online:
                self._offline_since.pop(agent_id, None)
                continue
            since = self._offline_since.setdefault(agent_id, now)
            if now - since >= self._grace:
                moved = await self._runner.run(return_to_queues, self._clock, agent_id)
                if moved:
                    logger.info("returned %d conversations of %s", len(moved), agent_id)
                returned.append(agent_id)
                self._offline_since.pop(agent_id, None)
        for agent_id in list(self._offline_since):
            if agent_id not in busy:
                del self._offline_since[agent_id]
        return returned

    async def _loop(self) -> None:
        interval = max(0.2, min(5.0, self._grace / 4))
        while True:
            try:
                await self.tick()
            except Exception:
                logger.exception("abandoned-conversation sweep failed")
            await asyncio.sleep(interval)

    def start(self) -> None:
        self._task = asyncio.create_task(self._loop())

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
