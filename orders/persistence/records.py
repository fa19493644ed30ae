"""Price-match records, approvals, idempotency keys and number counters."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection

from customers.errors import VersionConflict
from customers.sqlrows import columns_of, from_row, to_row
from orders import tables as t
from orders.domain.adjustments import PriceMatchRecord
from orders.domain.approvals import Approval, ApprovalStatus
from orders.ports import StoredResult


class SqlPriceMatches:
    def __init__(self, conn: AsyncConnection) -> None:
        self.conn = conn

    async def add(self, record: PriceMatchRecord) -> None:
        await self.conn.execute(
            insert(t.price_matches).values(**to_row(record, columns_of(t.price_matches)))
        )

    async def search(
        self,
        *,
        competitor: str | None,
        product_id: str | None,
        sku: str | None,
        order_number: str | None,
        customer_id: str | None,
        limit: int,
    ) -> list[PriceMatchRecord]:
        p = t.price_matches
        stmt = select(p).order_by(p.c.created_at.desc(), p.c.id)
        if competitor:
            stmt = stmt.where(func.lower(p.c.competitor).like(f"%{competitor.strip().lower()}%"))
        if product_id:
            stmt = stmt.where(p.c.product_id == product_id)
        if sku:
            stmt = stmt.where(func.lower(p.c.sku) == sku.strip().lower())
        if order_number:
            stmt = stmt.where(p.c.order_number == order_number)
        if customer_id:
            stmt = stmt.where(p.c.customer_id == customer_id)
        result = await self.conn.execute(stmt.limit(limit))
        return [from_row(PriceMatchRecord, r) for r in result.mappings()]


class SqlApprovals:
    def __init__(self, conn: AsyncConnection) -> None:
        self.conn = conn

    async def add(self, approval: Approval) -> None:
        await self.conn.execute(
            insert(t.approvals).values(**to_row(approval, columns_of(t.approvals)))
        )
        approval.loaded_version = approval.version

    async def get(self, approval_id: str) -> Approval | None:
        row = (
            (await self.conn.execute(select(t.approvals).where(t.approvals.c.id == approval_id)))
            .mappings()
            .first()
        )
        if row is None:
            return None
        return from_row(Approval, row, request=dict(row["request"]), loaded_version=row["version"])

    async def save(self, approval: Approval) -> None:
        result = await self.conn.execute(
            update(t.approvals)
            .where(
                t.approvals.c.id == approval.id, t.approvals.c.version == approval.loaded_version
            )
            .values(**to_row(approval, columns_of(t.approvals, "id")))
        )
        if result.rowcount != 1:
            raise VersionConflict("approval", approval.id, approval.loaded_version, None)
        approval.loaded_version = approval.version

    async def list(
        self, *, status: ApprovalStatus | None, order_number: str | None, limit: int
    ) -> list[Approval]:
        a = t.approvals
        stmt = select(a).order_by(a.c.requested_at, a.c.id)
        if status is not None:
            stmt = stmt.where(a.c.status == status.value)
        if order_number:
            stmt = stmt.where(a.c.order_number == order_number.strip().upper())
        result = await self.conn.execute(stmt.limit(limit))
        return [
            from_row(Approval, r, request=dict(r["request"]), loaded_version=r["version"])
            for r in result.mappings()
        ]


class SqlIdempotency:
    def __init__(self, conn: AsyncConnection) -> None:
        self.conn = conn

    async def get(self, key: str) -> StoredResult | None:
        row = (
            (
                await self.conn.execute(
                    select(t.idempotency_keys).where(t.idempotency_keys.c.key == key)
                )
            )
            .mappings()
            .first()
        )
        if row is None:
            return None
        return StoredResult(row["key"], row["action"], row["fingerprint"], dict(row["response"]))

    async def put(self, result: StoredResult, at: datetime) -> None:
        try:
            async with self.conn.begin_nested():
                await self.conn.execute(
                    insert(t.idempotency_keys).values(
                        key=result.key,
                        action=result.action,
                        fingerprint=result.fingerprint,
                        response=result.response,
                        created_at=at,
                    )
                )
        except IntegrityError:
            raise VersionConflict("request", result.key, None, None) from None


class SqlCounters:
    def __init__(self, conn: AsyncConnection) -> None:
        self.conn = conn

    async def next(self, name: str) -> int:
        """One atomic upsert: concurrent callers each get their own value."""
        c = t.counters
        dialect = self.conn.dialect.name
        stmt: Any
        if dialect == "postgresql":
            stmt = postgresql.insert(c).values(name=name, value=1)
        else:
            stmt = sqlite.insert(c).values(name=name, value=1)
        stmt = stmt.on_conflict_do_update(
            index_elements=[c.c.name], set_={"value": c.c.value + 1}
        ).returning(c.c.value)
        value = await self.conn.scalar(stmt)
        assert value is not None
        return int(value)
