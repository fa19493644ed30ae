"""SQL repositories of the customer side (SQLAlchemy Core on the unit of work's connection)."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import func, insert, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection

from customers import tables as t
from customers.carts import OPEN_STATUSES, Cart, CartLine, PageView
from customers.errors import VersionConflict
from customers.kernel import DomainEvent, new_id
from customers.model import (
    Company,
    Contact,
    Customer,
    CustomerAddress,
    CustomerKind,
    CustomerNote,
    PaymentMethod,
    Preferences,
)
from customers.sqlrows import Row, Rows, columns_of, from_row, to_row, write_diff

_CUSTOMER_COLUMNS = [
    "id",
    "kind",
    "first_name",
    "last_name",
    "email",
    "phone",
    "created_at",
    "updated_at",
    "version",
]
_CHILDREN = (t.customer_contacts, t.customer_addresses, t.payment_methods, t.customer_notes)


def _customer_row(c: Customer) -> Row:
    company = c.company
    return {
        **to_row(c, _CUSTOMER_COLUMNS),
        "display_name": c.display_name,
        "company_name": company.name if company else None,
        "company_tax_id": company.tax_id if company else None,
        "company_industry": company.industry if company else None,
        "company_tax_exempt": company.tax_exempt if company else None,
        "company_exemption_certificate": company.exemption_certificate if company else None,
        "company_payment_terms": company.payment_terms if company else None,
        "preferences": to_row(c.preferences, columns_of_dataclass(Preferences)),
    }


def columns_of_dataclass(cls: type) -> list[str]:
    return [f.name for f in dataclasses.fields(cls)]


def _child_rows(c: Customer) -> Rows:
    def rows(table: Any, items: Sequence[Any]) -> dict[str, Row]:
        names = columns_of(table, "customer_id", "position")
        return {
            item.id: to_row(item, names, customer_id=c.id, position=i)
            for i, item in enumerate(items)
        }

    return {
        "customer_contacts": rows(t.customer_contacts, c.contacts),
        "customer_addresses": rows(t.customer_addresses, c.addresses),
        "payment_methods": rows(t.payment_methods, c.payment_methods),
        "customer_notes": rows(t.customer_notes, c.notes),
    }


class SqlCustomerRepository:
    def __init__(self, conn: AsyncConnection) -> None:
        self.conn = conn
        self._seen: dict[str, Rows] = {}

    async def _load(self, row: Any) -> Customer:
        cid = row.id
        children: dict[str, list[Any]] = {}
        for table in _CHILDREN:
            result = await self.conn.execute(
                select(table).where(table.c.customer_id == cid).order_by(table.c.position)
            )
            children[table.name] = list(result.mappings())
        company = None
        if row.company_name is not None:
            company = Company(
                name=row.company_name,
                tax_id=row.company_tax_id or "",
                industry=row.company_industry or "",
                tax_exempt=bool(row.company_tax_exempt),
                exemption_certificate=row.company_exemption_certificate or "",
                payment_terms=row.company_payment_terms or "",
            )
        customer = from_row(
            Customer,
            row._mapping,
            company=company,
            preferences=from_row(Preferences, row.preferences),
            contacts=[from_row(Contact, r) for r in children["customer_contacts"]],
            addresses=[from_row(CustomerAddress, r) for r in children["customer_addresses"]],
            payment_methods=[from_row(PaymentMethod, r) for r in children["payment_methods"]],
            notes=[from_row(CustomerNote, r) for r in children["customer_notes"]],
            loaded_version=row.version,
        )
        self._seen[customer.id] = _child_rows(customer)
        return customer

    async def get(self, customer_id: str) -> Customer | None:
        row = (
            await self.conn.execute(select(t.customers).where(t.customers.c.id == customer_id))
        ).first()
        return None if row is None else await self._load(row)

    async def get_by_email(self, email: str) -> Customer | None:
        row = (
            await self.conn.execute(
                select(t.customers).where(t.customers.c.email == email.strip().lower())
            )
        ).first()
        return None if row is None else await self._load(row)

    async def add(self, customer: Customer) -> None:
        try:
            async with self.conn.begin_nested():
                await self.conn.execute(insert(t.customers).values(**_customer_row(customer)))
        except IntegrityError:
            raise VersionConflict("customer", customer.email, None, None) from None
        await write_diff(self.conn, _CHILDREN, {}, _child_rows(customer))
        customer.loaded_version = customer.version
        self._seen[customer.id] = _child_rows(customer)

    async def save(self, customer: Customer) -> None:
        result = await self.conn.execute(
            update(t.customers)
            .where(t.customers.c.id == customer.id)
            .where(t.customers.c.version == customer.loaded_version)
            .values(**_customer_row(customer))
        )
        if result.rowcount != 1:
            actual = await self.conn.scalar(
                select(t.customers.c.version).where(t.customers.c.id == customer.id)
            )
            raise VersionConflict("customer", customer.id, customer.loaded_version, actual)
        new = _child_rows(customer)
        await write_diff(self.conn, _CHILDREN, self._seen.get(customer.id, {}), new)
        self._seen[customer.id] = new
        customer.loaded_version = customer.version

    async def search(
        self, *, query: str | None, kind: CustomerKind | None, limit: int, offset: int
    ) -> list[Customer]:
        stmt = select(t.customers).order_by(t.customers.c.display_name, t.customers.c.id)
        if kind is not None:
            stmt = stmt.where(t.customers.c.kind == kind.value)
        if query:
            like = f"%{query.strip().lower()}%"
            stmt = stmt.where(
                or_(
                    func.lower(t.customers.c.display_name).like(like),
                    func.lower(t.customers.c.first_name + " " + t.customers.c.last_name).like(like),
                    t.customers.c.email.like(like),
                    t.customers.c.phone.like(like),
                    t.customers.c.id == query.strip(),
                )
            )
        rows = (await self.conn.execute(stmt.limit(limit).offset(offset))).all()
        return [await self._load(row) for row in rows]


_CART_COLUMNS = columns_of(t.carts, "open_owner")
_CART_LINE_COLUMNS = columns_of(t.cart_lines, "cart_id", "position")


def _cart_row(cart: Cart) -> Row:
    open_owner = cart.owner if cart.status in OPEN_STATUSES else None
    return to_row(cart, _CART_COLUMNS, open_owner=open_owner)


def _cart_lines(cart: Cart) -> Rows:
    return {
        "cart_lines": {
            line.id: to_row(line, _CART_LINE_COLUMNS, cart_id=cart.id, position=i)
            for i, line in enumerate(cart.lines)
        }
    }


class SqlCartRepository:
    def __init__(self, conn: AsyncConnection) -> None:
        self.conn = conn
        self._seen: dict[str, Rows] = {}

    async def _load(self, row: Any) -> Cart:
        result = await self.conn.execute(
            select(t.cart_lines)
            .where(t.cart_lines.c.cart_id == row.id)
            .order_by(t.cart_lines.c.position)
        )
        cart = from_row(
            Cart,
            row._mapping,
            lines=[from_row(CartLine, r) for r in result.mappings()],
            loaded_version=row.version,
        )
        self._seen[cart.id] = _cart_lines(cart)
        return cart

    async def get(self, cart_id: str) -> Cart | None:
        row = (await self.conn.execute(select(t.carts).where(t.carts.c.id == cart_id))).first()
        return None if row is None else await self._load(row)

    async def get_open(self, owner: str) -> Cart | None:
        row = (
            await self.conn.execute(select(t.carts).where(t.carts.c.open_owner == owner))
        ).first()
        return None if row is None else await self._load(row)

    async def add(self, cart: Cart) -> None:
        try:
            async with self.conn.begin_nested():
                await self.conn.execute(insert(t.carts).values(**_cart_row(cart)))
        except IntegrityError:
            raise VersionConflict("cart", cart.owner, None, None) from None
        await write_diff(self.conn, [t.cart_lines], {}, _cart_lines(cart))
        cart.loaded_version = cart.version
        self._seen[cart.id] = _cart_lines(cart)

    async def save(self, cart: Cart) -> None:
        try:
            async with self.conn.begin_nested():
                result = await self.conn.execute(
                    update(t.carts)
                    .where(t.carts.c.id == cart.id)
                    .where(t.carts.c.version == cart.loaded_version)
                    .values(**_cart_row(cart))
                )
        except IntegrityError:
            # Adopting a guest cart for a customer who already has an open one.
            raise VersionConflict("cart", cart.owner, cart.loaded_version, None) from None
        if result.rowcount != 1:
            actual = await self.conn.scalar(
                select(t.carts.c.version).where(t.carts.c.id == cart.id)
            )
            raise VersionConflict("cart", cart.id, cart.loaded_version, actual)
        new = _cart_lines(cart)
        await write_diff(self.conn, [t.cart_lines], self._seen.get(cart.id, {}), new)
        self._seen[cart.id] = new
        cart.loaded_version = cart.version


class SqlPageViewLog:
    def __init__(self, conn: AsyncConnection) -> None:
        self.conn = conn

    async def record(self, view: PageView) -> None:
        await self.conn.execute(
            insert(t.page_views).values(
                visitor_id=view.visitor_id, url=view.url, title=view.title, viewed_at=view.viewed_at
            )
        )

    async def recent(self, visitor_id: str, limit: int) -> list[PageView]:
        result = await self.conn.execute(
            select(t.page_views)
            .where(t.page_views.c.visitor_id == visitor_id)
            .order_by(t.page_views.c.id.desc())
            .limit(limit)
        )
        return [from_row(PageView, r) for r in result.mappings()]


class SqlOutbox:
    def __init__(self, conn: AsyncConnection) -> None:
        self.conn = conn

    async def add_events(self, events: Sequence[DomainEvent]) -> None:
        if not events:
            return
        await self.conn.execute(
            insert(t.outbox),
            [
                {
                    "id": e.id,
                    "kind": "event",
                    "topic": e.type,
                    "aggregate": e.aggregate,
                    "aggregate_id": e.aggregate_id,
                    "payload": event_payload(e),
                    "created_at": e.occurred_at,
                    "available_at": e.occurred_at,
                    "attempts": 0,
                }
                for e in events
            ],
        )

    async def add_email(
        self, *, to: str, template: str, subject: str, data: dict[str, Any], at: datetime
    ) -> None:
        await self.conn.execute(
            insert(t.outbox).values(
                id=new_id("mail"),
                kind="email",
                topic=template,
                aggregate="email",
                aggregate_id=to,
                payload={"to": to, "subject": subject, "template": template, "data": data},
                created_at=at,
                available_at=at,
                attempts=0,
            )
        )


def event_payload(event: DomainEvent) -> dict[str, Any]:
    """The event as integrators receive it (the webhook body)."""
    return {
        "id": event.id,
        "type": event.type,
        "aggregate": event.aggregate,
        "aggregate_id": event.aggregate_id,
        "version": event.version,
        "occurred_at": event.occurred_at.isoformat(),
        "data": event.data,
    }
