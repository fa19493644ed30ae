"""In-memory fakes of the customer side's storage, for use-case tests without a database.

A fake unit of work works on a copy of the committed state and replaces it on commit, so a
refused (rolled back) action leaves the state as it was, as a real transaction would.
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from types import TracebackType
from typing import Any, Self

from customers.carts import OPEN_STATUSES, Cart, CatalogItem, PageView
from customers.errors import VersionConflict
from customers.kernel import DomainEvent
from customers.model import Customer, CustomerKind


class FakeClock:
    def __init__(self, start: datetime | None = None) -> None:
        self.current = start or datetime(2026, 3, 2, 15, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.current

    def advance(self, **delta: float) -> None:
        self.current += timedelta(**delta)


@dataclass
class CustomerState:
    customers: dict[str, Customer] = field(default_factory=dict)
    carts: dict[str, Cart] = field(default_factory=dict)
    page_views: list[PageView] = field(default_factory=list)
    items: dict[str, CatalogItem] = field(default_factory=dict)
    outbox: list[dict[str, Any]] = field(default_factory=list)


class FakeCustomerRepository:
    def __init__(self, state: CustomerState) -> None:
        self.state = state

    def _out(self, customer: Customer) -> Customer:
        found = copy.deepcopy(customer)
        found.loaded_version = found.version
        return found

    async def get(self, customer_id: str) -> Customer | None:
        found = self.state.customers.get(customer_id)
        return None if found is None else self._out(found)

    async def get_by_email(self, email: str) -> Customer | None:
        for customer in self.state.customers.values():
            if customer.email == email.strip().lower():
                return self._out(customer)
        return None

    async def add(self, customer: Customer) -> None:
        if any(c.email == customer.email for c in self.state.customers.values()):
            raise VersionConflict("customer", customer.email, None, None)
        customer.loaded_version = customer.version
        self.state.customers[customer.id] = copy.deepcopy(customer)

    async def save(self, customer: Customer) -> None:
        stored = self.state.customers[customer.id]
        if stored.version != customer.loaded_version:
            raise VersionConflict("customer", customer.id, customer.loaded_version, stored.version)
        customer.loaded_version = customer.version
        self.state.customers[customer.id] = copy.deepcopy(customer)

    async def search(
        self, *, query: str | None, kind: CustomerKind | None, limit: int, offset: int
    ) -> list[Customer]:
        found = sorted(self.state.customers.values(), key=lambda c: (c.display_name, c.id))
        if kind is not None:
            found = [c for c in found if c.kind is kind]
        if query:
            q = query.strip().lower()
            found = [
                c
                for c in found
                if q in c.display_name.lower()
                or q in c.email
                or q in c.phone
                or q == c.id
                or q in f"{c.first_name} {c.last_name}".lower()
            ]
        return [self._out(c) for c in found[offset : offset + limit]]


class FakeCartRepository:
    def __init__(self, state: CustomerState) -> None:
        self.state = state

    def _out(self, cart: Cart) -> Cart:
        found = copy.deepcopy(cart)
        found.loaded_version = found.version
        return found

    async def get(self, cart_id: str) -> Cart | None:
        found = self.state.carts.get(cart_id)
        return None if found is None else self._out(found)

    async def get_open(self, owner: str) -> Cart | None:
        for cart in self.state.carts.values():
            if cart.status in OPEN_STATUSES and cart.owner == owner:
                return self._out(cart)
        return None

    def _check_one_open(self, cart: Cart) -> None:
        if cart.status not in OPEN_STATUSES:
            return
        for other in self.state.carts.values():
            if other.id != cart.id and other.status in OPEN_STATUSES and other.owner == cart.owner:
                raise VersionConflict("cart", cart.owner, None, None)

    async def add(self, cart: Cart) -> None:
        self._check_one_open(cart)
        cart.loaded_version = cart.version
        self.state.carts[cart.id] = copy.deepcopy(cart)

    async def save(self, cart: Cart) -> None:
        stored = self.state.carts[cart.id]
        if stored.version != cart.loaded_version:
            raise VersionConflict("cart", cart.id, cart.loaded_version, stored.version)
        self._check_one_open(cart)
        cart.loaded_version = cart.version
        self.state.carts[cart.id] = copy.deepcopy(cart)


class FakePageViewLog:
    def __init__(self, state: CustomerState) -> None:
        self.state = state

    async def record(self, view: PageView) -> None:
        self.state.page_views.append(view)

    async def recent(self, visitor_id: str, limit: int) -> list[PageView]:
        mine = [v for v in self.state.page_views if v.visitor_id == visitor_id]
        return list(reversed(mine))[:limit]


class FakeItems:
    def __init__(self, state: CustomerState) -> None:
        self.state = state

    async def cart_item(self, variant_id: str) -> CatalogItem | None:
        return self.state.items.get(variant_id)


class FakeOutbox:
    def __init__(self, state: CustomerState) -> None:
        self.state = state

    async def add_events(self, events: Sequence[DomainEvent]) -> None:
        self.state.outbox += [{"kind": "event", "topic": e.type, "event": e} for e in events]

    async def add_email(
        self, *, to: str, template: str, subject: str, data: dict[str, Any], at: datetime
    ) -> None:
        self.state.outbox.append(
            {"kind": "email", "topic": template, "to": to, "subject": subject, "data": data}
        )


class FakeUnitOfWorkBase:
    """Copy-on-enter, replace-on-commit; events are published (to ``published``) after exit."""

    def __init__(self, state: Any, clock: FakeClock | None = None) -> None:
        self.state = state
        self.clock = clock or FakeClock()
        self.published: list[DomainEvent] = []
        self.commits = 0
        self._pending: list[DomainEvent] = []
        self._committed: list[DomainEvent] = []
        self._now: datetime | None = None
        self.work = state

    def now(self) -> datetime:
        return self._now if self._now is not None else self.clock()

    def emit(self, event: DomainEvent) -> None:
        self._pending.append(event)

    def bind(self, work: Any) -> None:
        raise NotImplementedError

    async def __aenter__(self) -> Self:
        self.work = copy.deepcopy(self.state)
        self._now = self.clock()
        self._pending = []
        self.bind(self.work)
        return self

    async def commit(self) -> None:
        await FakeOutbox(self.work).add_events(self._pending)
        self.state.__dict__.update(copy.deepcopy(self.work).__dict__)
        self._committed += self._pending
        self._pending = []
        self.commits += 1

    async def rollback(self) -> None:
        self._pending = []

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.rollback()
        self._now = None
        self.published += self._committed
        self._committed = []


class FakeCustomersUnitOfWork(FakeUnitOfWorkBase):
    customers: FakeCustomerRepository
    carts: FakeCartRepository
    page_views: FakePageViewLog
    items: FakeItems
    outbox: FakeOutbox

    def __init__(self, state: CustomerState | None = None, clock: FakeClock | None = None) -> None:
        super().__init__(state or CustomerState(), clock)

    def bind(self, work: Any) -> None:
        self.customers = FakeCustomerRepository(work)
        self.carts = FakeCartRepository(work)
        self.page_views = FakePageViewLog(work)
        self.items = FakeItems(work)
        self.outbox = FakeOutbox(work)
