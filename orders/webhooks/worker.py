"""The webhook worker: takes events from the outbox, claims the deliveries that are due, POSTs
them signed, and records the outcome: delivered on a 2xx answer; otherwise tried again later,
with exponential backoff and jitter, until the policy gives up and marks it failed.

Run one per process (``start``/``stop``, with the app); several processes share the work on
PostgreSQL. It wakes up when told of a new event (``wake``, called by the in-process event bus
after a commit) and otherwise looks for due work every ``poll_seconds``. The clock, the sleep and
the jitter's random numbers are injectable, so tests can watch the backoff without waiting.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncEngine

from orders.persistence.uow import Clock, utc_now
from orders.webhooks.delivery import RetryPolicy, event_body, signed_headers
from orders.webhooks.store import Claimed, DeliveryStore
from orders.webhooks.transport import Reply, Transport

logger = logging.getLogger(__name__)

Sleep = Callable[[float], Awaitable[None]]


@dataclass(frozen=True, slots=True)
class WebhookConfig:
    endpoints: tuple[str, ...]
    secret: str
    policy: RetryPolicy = field(default_factory=RetryPolicy)
    timeout_seconds: float = 10.0
    batch: int = 50
    poll_seconds: float = 2.0

    @property
    def lease(self) -> timedelta:
        """How long a claimed delivery is this worker's: past the request's timeout, so that
        no other worker sends it while this one may still be waiting for the answer."""
        return timedelta(seconds=self.timeout_seconds + 30.0)


class WebhookWorker:
    def __init__(
        self,
        engine: AsyncEngine,
        config: WebhookConfig,
        transport: Transport,
        *,
        clock: Clock = utc_now,
        sleep: Sleep = asyncio.sleep,
        spread: Callable[[], float] = random.random,
    ) -> None:
        if not config.endpoints:
            raise ValueError("a webhook worker needs at least one endpoint")
        self.config = config
        self.store = DeliveryStore(engine)
        self.transport = transport
        self.clock = clock
        self.sleep = sleep
        self.spread = spread
        self._wake = asyncio.Event()
        self._stopping = False
        self._task: asyncio.Task[None] | None = None

    # --- one round ---------------------------------------------------------------------------

    async def run_once(self) -> int:
        """Hand new events over, then send what is due now. Answers how many attempts were
        made (0: nothing was due)."""
        config = self.config
        now = self.clock()
        await self.store.fan_out(config.endpoints, now, config.batch)
        claimed = await self.store.claim(config.endpoints, now, config.lease, config.batch)
        await asyncio.gather(*(self._deliver(item) for item in claimed))
        return len(claimed)

    async def _deliver(self, item: Claimed) -> None:
        body = event_body(item.payload)
        timestamp = int(self.clock().timestamp())
        headers = signed_headers(self.config.secret, item.event_id, timestamp, body)
        reply: Reply | None = None
        try:
            reply = await asyncio.wait_for(
                self.transport.post(item.endpoint, body, headers, self.config.timeout_seconds),
                self.config.timeout_seconds,
            )
            error = "" if reply.ok else f"HTTP {reply.status}: {reply.text}".strip()
        except TimeoutError:
            error = f"no answer within {self.config.timeout_seconds:g}s"
        except Exception as exc:  # refused, reset, DNS...: the endpoint is down for now
            error = f"{type(exc).__name__}: {exc}".strip()
        status = reply.status if reply is not None else None
        now = self.clock()
        if reply is not None and reply.ok:
            await self.store.delivered(item, now, reply.status)
            return
        policy = self.config.policy
        if policy.gives_up(item.attempt):
            logger.warning(
                "webhook %s %s to %s failed after %d attempts: %s",
                item.event_type,
                item.event_id,
                item.endpoint,
                item.attempt,
                error,
            )
            await self.store.give_up(item, error, status)
            return
        await self.store.retry(item, now + policy.delay(item.attempt, self.spread()), error, status)

    # --- running with the app ------------------------------------------------------------------

    def start(self) -> None:
        if self._task is None:
            self._stopping = False
            self._task = asyncio.create_task(self._run(), name="webhook-worker")

    def wake(self) -> None:
        self._wake.set()

    async def stop(self, grace_seconds: float | None = None) -> None:
        """Finish the round under way (its requests time out anyway), then stop."""
        task, self._task = self._task, None
        if task is not None:
            self._stopping = True
            self._wake.set()
            grace = self.config.timeout_seconds + 5 if grace_seconds is None else grace_seconds
            try:
                await asyncio.wait_for(asyncio.shield(task), grace)
            except TimeoutError:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
        await self.transport.aclose()

    async def _run(self) -> None:
        while not self._stopping:
            try:
                attempts = await self.run_once()
            except Exception:  # the database is away: try again after a pause
                logger.exception("webhook round failed")
                attempts = 0
            if attempts < self.config.batch:
                await self._idle()

    async def _idle(self) -> None:
        self._wake.clear()
        woken = asyncio.ensure_future(self._wake.wait())
        slept = asyncio.ensure_future(self.sleep(self.config.poll_seconds))
        try:
            await asyncio.wait({woken, slept}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for waiter in (woken, slept):
                waiter.cancel()
