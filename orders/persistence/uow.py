"""The SQL unit of work of the commerce side: one connection, one transaction.

Events emitted during the unit of work are written to the outbox in its transaction, and told
to in-process listeners only after the commit, once the connection is back in the pool (on
SQLite there is a single connection, and a listener may well want it).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from types import TracebackType
from typing import Self

from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncTransaction

from customers.bus import EventBus
from customers.kernel import DomainEvent
from customers.repository import (
    SqlCartRepository,
    SqlCustomerRepository,
    SqlOutbox,
    SqlPageViewLog,
)
from orders.persistence.catalog import SqlCatalog
from orders.persistence.orders import SqlOrderRepository
from orders.persistence.records import (
    SqlApprovals,
    SqlCounters,
    SqlIdempotency,
    SqlPriceMatches,
)

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(UTC)


class SqlUnitOfWork:
    customers: SqlCustomerRepository
    carts: SqlCartRepository
    page_views: SqlPageViewLog
    items: SqlCatalog
    outbox: SqlOutbox
    catalog: SqlCatalog
    orders: SqlOrderRepository
    price_matches: SqlPriceMatches
    approvals: SqlApprovals
    idempotency: SqlIdempotency
    numbers: SqlCounters

    def __init__(
        self, engine: AsyncEngine, bus: EventBus | None = None, clock: Clock = utc_now
    ) -> None:
        self.engine = engine
        self.bus = bus or EventBus()
        self.clock = clock
        self._conn: AsyncConnection | None = None
        self._tx: AsyncTransaction | None = None
        self._now: datetime | None = None
        self._pending: list[DomainEvent] = []
        self._committed: list[DomainEvent] = []

    def now(self) -> datetime:
        return self._now if self._now is not None else self.clock()

    def emit(self, event: DomainEvent) -> None:
        self._pending.append(event)

    async def __aenter__(self) -> Self:
        if self._conn is not None:
            raise RuntimeError("unit of work already in use")
        conn = await self.engine.connect()
        self._conn = conn
        self._tx = await conn.begin()
        self._now = self.clock()
        self._pending, self._committed = [], []
        self.customers = SqlCustomerRepository(conn)
        self.carts = SqlCartRepository(conn)
        self.page_views = SqlPageViewLog(conn)
        self.outbox = SqlOutbox(conn)
        self.catalog = self.items = SqlCatalog(conn)
        self.orders = SqlOrderRepository(conn)
        self.price_matches = SqlPriceMatches(conn)
        self.approvals = SqlApprovals(conn)
        self.idempotency = SqlIdempotency(conn)
        self.numbers = SqlCounters(conn)
        return self

    async def commit(self) -> None:
        assert self._tx is not None
        await self.outbox.add_events(self._pending)
        await self._tx.commit()
        self._committed += self._pending
        self._pending = []

    async def rollback(self) -> None:
        if self._tx is not None and self._tx.is_active:
            await self._tx.rollback()
        self._pending = []

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        try:
            await self.rollback()
        finally:
            if self._conn is not None:
                await self._conn.close()
            self._conn, self._tx, self._now = None, None, None
        committed, self._committed = self._committed, []
        if committed:
            await self.bus.publish(committed)
