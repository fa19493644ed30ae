"""What the customer use cases need from storage, as protocols (SQL and in-memory fakes)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from types import TracebackType
from typing import Any, Protocol, Self

from customers.carts import Cart, CatalogItem, PageView
from customers.kernel import DomainEvent
from customers.model import Customer, CustomerKind


class CustomerRepository(Protocol):
    async def get(self, customer_id: str) -> Customer | None: ...

    async def get_by_email(self, email: str) -> Customer | None: ...

    async def add(self, customer: Customer) -> None: ...

    async def save(self, customer: Customer) -> None:
        """Write back a loaded customer; raise VersionConflict if it changed meanwhile."""

    async def search(
        self, *, query: str | None, kind: CustomerKind | None, limit: int, offset: int
    ) -> list[Customer]: ...


class CartRepository(Protocol):
    async def get(self, cart_id: str) -> Cart | None: ...

    async def get_open(self, owner: str) -> Cart | None:
        """The owner's active or locked cart, if any."""

    async def add(self, cart: Cart) -> None:
        """Store a new cart; raise VersionConflict if the owner already has an open one."""

    async def save(self, cart: Cart) -> None: ...


class PageViewLog(Protocol):
    async def record(self, view: PageView) -> None: ...

    async def recent(self, visitor_id: str, limit: int) -> list[PageView]: ...


class ItemCatalog(Protocol):
    """The catalog as a cart sees it (implemented by the order side's catalog)."""

    async def cart_item(self, variant_id: str) -> CatalogItem | None: ...


class Outbox(Protocol):
    async def add_events(self, events: Sequence[DomainEvent]) -> None: ...

    async def add_email(
        self, *, to: str, template: str, subject: str, data: dict[str, Any], at: datetime
    ) -> None:
        """Queue an e-mail to a customer; the mail sender delivers it after commit."""


class CustomersUnitOfWork(Protocol):
    @property
    def customers(self) -> CustomerRepository: ...

    @property
    def carts(self) -> CartRepository: ...

    @property
    def page_views(self) -> PageViewLog: ...

    @property
    def items(self) -> ItemCatalog: ...

    @property
    def outbox(self) -> Outbox: ...

    def now(self) -> datetime:
        """The time of this unit of work (one timestamp for everything it changes)."""

    def emit(self, event: DomainEvent) -> None:
        """Publish ``event`` to listeners after commit (and write it to the outbox)."""

    async def commit(self) -> None: ...

    async def rollback(self) -> None: ...

    async def __aenter__(self) -> Self: ...

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...
