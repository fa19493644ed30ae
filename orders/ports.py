"""What the order use cases need from storage, as protocols (SQL and in-memory fakes)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any, Protocol

from customers.ports import CustomersUnitOfWork
from orders.catalog.model import (
    Location,
    LocationKind,
    Product,
    Promotion,
    SellableVariant,
    StockLevel,
    StockMove,
)
from orders.domain.adjustments import PriceMatchRecord
from orders.domain.approvals import Approval, ApprovalStatus
from orders.domain.enums import OrderStatus
from orders.domain.model import ChangeRecord, Order


class CatalogRepository(Protocol):
    async def list_products(
        self, *, query: str | None, category: str | None, limit: int, offset: int
    ) -> list[Product]: ...

    async def get_product(self, product_id: str) -> Product | None: ...

    async def sellable(self, variant_id: str) -> SellableVariant | None: ...

    async def add_product(self, product: Product) -> None: ...

    async def set_variant_active(self, variant_id: str, active: bool) -> None: ...

    async def list_locations(self, kind: LocationKind | None = None) -> list[Location]: ...

    async def get_location(self, location_id: str) -> Location | None: ...

    async def add_location(self, location: Location) -> None: ...

    async def stock_levels(self, variant_id: str) -> list[StockLevel]: ...

    async def set_stock(self, location_id: str, variant_id: str, on_hand: int) -> None: ...

    async def find_source(self, variant_id: str, quantity: int) -> str | None:
        """A warehouse with ``quantity`` available (the one with the most), or None."""

    async def apply(self, moves: Sequence[StockMove]) -> None:
        """Apply stock moves atomically; a reservation beyond what is available raises
        ``Refused("insufficient_stock")``."""

    async def get_promotion(self, code: str) -> Promotion | None: ...

    async def add_promotion(self, promotion: Promotion) -> None: ...


@dataclass(frozen=True, slots=True)
class OrderSearch:
    number: str | None = None
    status: OrderStatus | None = None
    customer_id: str | None = None
    customer_name: str | None = None
    email: str | None = None
    ship_to_name: str | None = None
    on_hold: bool | None = None
    include_drafts: bool = True
    limit: int = 50
    offset: int = 0


@dataclass(frozen=True, slots=True)
class OrderSummary:
    id: str
    number: str
    status: OrderStatus
    channel: str
    customer_id: str | None
    customer_name: str
    email: str
    ship_to_name: str
    on_hold: bool
    grand_total: Decimal
    balance_due: Decimal
    currency: str
    created_at: datetime
    updated_at: datetime
    version: int


class OrderRepository(Protocol):
    async def get(self, order_id: str) -> Order | None: ...

    async def get_by_number(self, number: str) -> Order | None: ...

    async def add(self, order: Order) -> None: ...

    async def save(self, order: Order) -> None:
        """Write back a loaded order with its new history; raise VersionConflict if another
        writer got there first."""

    async def add_snapshot(self, order_id: str, version: int, body: dict[str, Any]) -> None: ...

    async def snapshot(self, order_id: str, version: int) -> dict[str, Any] | None: ...

    async def history(self, order_id: str) -> list[ChangeRecord]: ...

    async def search(self, criteria: OrderSearch) -> list[OrderSummary]: ...

    async def number_for_invoice(self, invoice_number: str) -> str | None: ...


class PriceMatchRepository(Protocol):
    async def add(self, record: PriceMatchRecord) -> None: ...

    async def search(
        self,
        *,
        competitor: str | None,
        product_id: str | None,
        sku: str | None,
        order_number: str | None,
        customer_id: str | None,
        limit: int,
    ) -> list[PriceMatchRecord]: ...


class ApprovalRepository(Protocol):
    async def add(self, approval: Approval) -> None: ...

    async def get(self, approval_id: str) -> Approval | None: ...

    async def save(self, approval: Approval) -> None: ...

    async def list(
        self, *, status: ApprovalStatus | None, order_number: str | None, limit: int
    ) -> list[Approval]: ...


@dataclass(frozen=True, slots=True)
class StoredResult:
    key: str
    action: str
    fingerprint: str
    response: dict[str, Any]


class IdempotencyStore(Protocol):
    async def get(self, key: str) -> StoredResult | None: ...

    async def put(self, result: StoredResult, at: datetime) -> None:
        """Remember a result; raise VersionConflict if the key was taken meanwhile."""


class NumberSequence(Protocol):
    async def next(self, name: str) -> int:
        """The next value of a named counter (order, shipment, invoice, return numbers)."""


class OrdersUnitOfWork(CustomersUnitOfWork, Protocol):
    @property
    def catalog(self) -> CatalogRepository: ...

    @property
    def orders(self) -> OrderRepository: ...

    @property
    def price_matches(self) -> PriceMatchRepository: ...

    @property
    def approvals(self) -> ApprovalRepository: ...

    @property
    def idempotency(self) -> IdempotencyStore: ...

    @property
    def numbers(self) -> NumberSequence: ...
