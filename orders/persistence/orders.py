"""The order repository: an order with everything it owns, saved as a diff under a
compare-and-set on its version."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from customers.errors import VersionConflict
from customers.sqlrows import Rows, from_row, write_diff
from orders import tables as t
from orders.domain.enums import OrderStatus, Stage
from orders.domain.model import ChangeRecord, Order
from orders.persistence.order_rows import build_order, header_row, part_rows
from orders.ports import OrderSearch, OrderSummary


class SqlOrderRepository:
    def __init__(self, conn: AsyncConnection) -> None:
        self.conn = conn
        self._seen: dict[str, Rows] = {}

    async def _load(self, header: Any) -> Order:
        parts: dict[str, list[Any]] = {}
        for table in t.ORDER_PARTS:
            result = await self.conn.execute(
                select(table).where(table.c.order_id == header.id).order_by(table.c.position)
            )
            parts[table.name] = list(result.mappings())
        order = build_order(header._mapping, parts)
        self._seen[order.id] = part_rows(order)
        return order

    async def get(self, order_id: str) -> Order | None:
        row = (await self.conn.execute(select(t.orders).where(t.orders.c.id == order_id))).first()
        return None if row is None else await self._load(row)

    async def get_by_number(self, number: str) -> Order | None:
        row = (await self.conn.execute(select(t.orders).where(t.orders.c.number == number))).first()
        return None if row is None else await self._load(row)

    async def _write_changes(self, order: Order) -> None:
        if order.changes:
            await self.conn.execute(
                insert(t.order_history),
                [
                    {
                        "order_id": order.id,
                        "version": c.version,
                        "at": c.at,
                        "actor_id": c.actor_id,
                        "actor_name": c.actor_name,
                        "actor_role": c.actor_role,
                        "action": c.action,
                        "summary": c.summary,
                        "reason": c.reason,
                        "approved_by": c.approved_by,
                    }
                    for c in order.changes
                ],
            )
            order.changes.clear()

    async def add(self, order: Order) -> None:
        await self.conn.execute(insert(t.orders).values(**header_row(order)))
        new = part_rows(order)
        await write_diff(self.conn, t.ORDER_PARTS, {}, new)
        await self._write_changes(order)
        self._seen[order.id] = new
        order.loaded_version = order.version

    async def save(self, order: Order) -> None:
        # The header first: its row lock makes a concurrent writer wait, then miss the version.
        result = await self.conn.execute(
            update(t.orders)
            .where(t.orders.c.id == order.id)
            .where(t.orders.c.version == order.loaded_version)
            .values(**header_row(order))
        )
        if result.rowcount != 1:
            actual = await self.conn.scalar(
                select(t.orders.c.version).where(t.orders.c.id == order.id)
            )
            raise VersionConflict("order", order.number, order.loaded_version, actual)
        new = part_rows(order)
        await write_diff(self.conn, t.ORDER_PARTS, self._seen.get(order.id, {}), new)
        await self._write_changes(order)
        self._seen[order.id] = new
        order.loaded_version = order.version

    async def add_snapshot(self, order_id: str, version: int, body: dict[str, Any]) -> None:
        await self.conn.execute(
            insert(t.order_snapshots).values(order_id=order_id, version=version, body=body)
        )

    async def snapshot(self, order_id: str, version: int) -> dict[str, Any] | None:
        body = await self.conn.scalar(
            select(t.order_snapshots.c.body).where(
                t.order_snapshots.c.order_id == order_id, t.order_snapshots.c.version == version
            )
        )
        return dict(body) if body is not None else None

    async def history(self, order_id: str) -> list[ChangeRecord]:
        result = await self.conn.execute(
            select(t.order_history)
            .where(t.order_history.c.order_id == order_id)
            .order_by(t.order_history.c.version)
        )
        return [from_row(ChangeRecord, r) for r in result.mappings()]

    async def search(self, criteria: OrderSearch) -> list[OrderSummary]:
        o = t.orders
        stmt = select(o).order_by(o.c.created_at.desc(), o.c.number.desc())
        if criteria.number:
            stmt = stmt.where(o.c.number == criteria.number)
        if criteria.status is not None:
            stmt = stmt.where(o.c.status == criteria.status.value)
        if criteria.customer_id:
            stmt = stmt.where(o.c.customer_id == criteria.customer_id)
        for column, text in (
            (o.c.customer_name, criteria.customer_name),
            (o.c.email, criteria.email),
            (o.c.ship_to_name, criteria.ship_to_name),
        ):
            if text:
                stmt = stmt.where(func.lower(column).like(f"%{text.strip().lower()}%"))
        if criteria.on_hold is not None:
            stmt = stmt.where(o.c.on_hold == criteria.on_hold)
        if not criteria.include_drafts:
            stmt = stmt.where(o.c.stage == Stage.PLACED.value)
        result = await self.conn.execute(stmt.limit(criteria.limit).offset(criteria.offset))
        return [
            from_row(OrderSummary, r, status=OrderStatus(r["status"])) for r in result.mappings()
        ]

    async def number_for_invoice(self, invoice_number: str) -> str | None:
        return await self.conn.scalar(
            select(t.orders.c.number)
            .join(t.invoices, t.invoices.c.order_id == t.orders.c.id)
            .where(t.invoices.c.number == invoice_number)
        )
