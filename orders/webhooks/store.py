"""The webhook deliveries in the database: taking events from the outbox, claiming what is due,
and recording how each attempt went.

Safe with several processes on PostgreSQL: rows are picked with ``FOR UPDATE SKIP LOCKED`` (two
workers never pick the same row), and a claim moves the row's ``available_at`` to the end of a
lease and counts the attempt in one short transaction, committed before any request goes out;
no lock is held over the network. The outcome is written with a compare-and-set on the attempt
count, so a worker whose lease ran out (it hung past the lease) cannot overwrite a later
attempt's result. SQLite has no row locks: there, one process delivers.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from customers.tables import outbox
from orders.webhooks.tables import DELIVERED, FAILED, PENDING, webhook_deliveries

EVENT = "event"
MAX_ERROR_CHARS = 1000


@dataclass(frozen=True, slots=True)
class Claimed:
    """A delivery this worker owns until its lease ends: attempt number ``attempt``."""

    event_id: str
    endpoint: str
    event_type: str
    attempt: int
    payload: dict[str, Any]


class DeliveryStore:
    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine

    async def fan_out(self, endpoints: Sequence[str], now: datetime, limit: int) -> int:
        """Take up to ``limit`` events from the outbox, oldest first, and make a pending
        delivery of each to every endpoint; the outbox row is then marked delivered (handed
        over). Answers how many events were taken."""
        o = outbox
        async with self.engine.begin() as conn:
            rows = (
                await conn.execute(
                    select(o.c.id, o.c.topic, o.c.created_at)
                    .where(o.c.kind == EVENT, o.c.delivered_at.is_(None), o.c.available_at <= now)
                    .order_by(o.c.created_at, o.c.id)
                    .limit(limit)
                    .with_for_update(skip_locked=True)
                )
            ).all()
            if not rows:
                return 0
            await _insert_new(
                conn,
                [
                    {
                        "event_id": row.id,
                        "endpoint": endpoint,
                        "event_type": row.topic,
                        "status": PENDING,
                        "attempts": 0,
                        # The event's own time: deliveries go out in the order things happened.
                        "created_at": row.created_at,
                        "available_at": now,
                    }
                    for row in rows
                    for endpoint in endpoints
                ],
            )
            await conn.execute(
                update(o)
                .where(o.c.id.in_([row.id for row in rows]), o.c.delivered_at.is_(None))
                .values(delivered_at=now)
            )
        return len(rows)

    async def claim(
        self, endpoints: Sequence[str], now: datetime, lease: timedelta, limit: int
    ) -> list[Claimed]:
        """Own up to ``limit`` due deliveries to ``endpoints`` until ``now + lease``."""
        d, o = webhook_deliveries, outbox
        async with self.engine.begin() as conn:
            rows = (
                await conn.execute(
                    select(d.c.event_id, d.c.endpoint, d.c.event_type, d.c.attempts, o.c.payload)
                    .join(o, o.c.id == d.c.event_id)
                    .where(
                        d.c.status == PENDING,
                        d.c.available_at <= now,
                        d.c.endpoint.in_(list(endpoints)),
                    )
                    .order_by(d.c.available_at, d.c.created_at, d.c.event_id)
                    .limit(limit)
                    .with_for_update(of=d, skip_locked=True)
                )
            ).all()
            claimed: list[Claimed] = []
            for row in rows:
                result = await conn.execute(
                    update(d)
                    .where(_key(row.event_id, row.endpoint), _attempt_is(row.attempts))
                    .values(
                        attempts=row.attempts + 1, available_at=now + lease, last_attempt_at=now
                    )
                )
                if result.rowcount == 1:
                    claimed.append(
                        Claimed(
                            row.event_id,
                            row.endpoint,
                            row.event_type,
                            row.attempts + 1,
                            row.payload,
                        )
                    )
        return claimed

    async def delivered(self, item: Claimed, now: datetime, status: int) -> bool:
        return await self._finish(
            item, status=DELIVERED, delivered_at=now, last_status=status, last_error=None
        )

    async def retry(self, item: Claimed, at: datetime, error: str, status: int | None) -> bool:
        return await self._finish(
            item, status=PENDING, available_at=at, last_status=status, last_error=_clip(error)
        )

    async def give_up(self, item: Claimed, error: str, status: int | None) -> bool:
        return await self._finish(item, status=FAILED, last_status=status, last_error=_clip(error))

    async def _finish(self, item: Claimed, **values: Any) -> bool:
        """Record the outcome of the attempt, unless another attempt has begun since."""
        d = webhook_deliveries
        async with self.engine.begin() as conn:
            result = await conn.execute(
                update(d)
                .where(_key(item.event_id, item.endpoint), _attempt_is(item.attempt))
                .values(**values)
            )
        return bool(result.rowcount == 1)


def _key(event_id: str, endpoint: str) -> Any:
    d = webhook_deliveries
    return and_(d.c.event_id == event_id, d.c.endpoint == endpoint)


def _attempt_is(attempts: int) -> Any:
    d = webhook_deliveries
    return and_(d.c.attempts == attempts, d.c.status == PENDING)


def _clip(error: str) -> str:
    return error if len(error) <= MAX_ERROR_CHARS else error[: MAX_ERROR_CHARS - 1] + "…"


async def _insert_new(conn: AsyncConnection, rows: list[dict[str, Any]]) -> None:
    """Insert the rows that are not there yet (a delivery is made once per event and
    endpoint, whoever gets there first)."""
    if not rows:
        return
    if conn.dialect.name == "postgresql":
        await conn.execute(pg_insert(webhook_deliveries).on_conflict_do_nothing(), rows)
    else:
        await conn.execute(sqlite_insert(webhook_deliveries).on_conflict_do_nothing(), rows)
