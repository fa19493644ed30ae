"""In-memory fakes of the order side's storage (on top of the customer fakes)."""

from __future__ import annotations

import copy
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from customers.carts import CatalogItem
from customers.errors import Refused, VersionConflict
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
from orders.domain.enums import Stage
from orders.domain.model import ChangeRecord, Order
from orders.ports import OrderSearch, OrderSummary, StoredResult
from tests.unit.customers.fakes import (
    CustomerState,
    FakeCartRepository,
    FakeClock,
    FakeCustomerRepository,
    FakeOutbox,
    FakePageViewLog,
    FakeUnitOfWorkBase,
)


@dataclass
class CommerceState(CustomerState):
    products: dict[str, Product] = field(default_factory=dict)
    locations: dict[str, Location] = field(default_factory=dict)
    stock: dict[tuple[str, str], StockLevel] = field(default_factory=dict)
    promotions: dict[str, Promotion] = field(default_factory=dict)
    orders: dict[str, Order] = field(default_factory=dict)
    history: dict[str, list[ChangeRecord]] = field(default_factory=dict)
    snapshots: dict[tuple[str, int], dict[str, Any]] = field(default_factory=dict)
    price_matches: list[PriceMatchRecord] = field(default_factory=list)
    approvals: dict[str, Approval] = field(default_factory=dict)
    idempotency: dict[str, StoredResult] = field(default_factory=dict)
    counters: dict[str, int] = field(default_factory=dict)


class FakeCatalog:
    def __init__(self, state: CommerceState) -> None:
        self.state = state

    async def list_products(
        self, *, query: str | None, category: str | None, limit: int, offset: int
    ) -> list[Product]:
        found = [p for p in self.state.products.values() if p.active]
        if category:
            found = [p for p in found if p.category.lower() == category.lower()]
        if query:
            q = query.lower()
            found = [
                p
                for p in found
                if q in p.name.lower()
                or q in p.brand.lower()
                or any(q in v.sku.lower() for v in p.variants)
            ]
        found.sort(key=lambda p: (p.category, p.name, p.id))
        return copy.deepcopy(found[offset : offset + limit])

    async def get_product(self, product_id: str) -> Product | None:
        return copy.deepcopy(self.state.products.get(product_id))

    async def sellable(self, variant_id: str) -> SellableVariant | None:
        for product in self.state.products.values():
            for variant in product.variants:
                if variant.id == variant_id:
                    found = copy.deepcopy(product)
                    return SellableVariant(found, found.variant(variant_id))
        return None

    async def cart_item(self, variant_id: str) -> CatalogItem | None:
        item = await self.sellable(variant_id)
        if item is None:
            return None
        return CatalogItem(
            variant_id=item.variant.id,
            product_id=item.product.id,
            sku=item.variant.sku,
            name=item.product.name,
            variant_label=item.variant.label,
            unit_price=item.variant.price,
            currency=item.variant.currency,
            active=item.product.active and item.variant.active,
        )

    async def add_product(self, product: Product) -> None:
        self.state.products[product.id] = copy.deepcopy(product)

    async def set_variant_active(self, variant_id: str, active: bool) -> None:
        for product in self.state.products.values():
            for variant in product.variants:
                if variant.id == variant_id:
                    variant.active = active

    async def list_locations(self, kind: LocationKind | None = None) -> list[Location]:
        found = [loc for loc in self.state.locations.values() if kind is None or loc.kind is kind]
        return copy.deepcopy(sorted(found, key=lambda loc: loc.name))

    async def get_location(self, location_id: str) -> Location | None:
        return copy.deepcopy(self.state.locations.get(location_id))

    async def add_location(self, location: Location) -> None:
        self.state.locations[location.id] = copy.deepcopy(location)

    async def stock_levels(self, variant_id: str) -> list[StockLevel]:
        return [copy.copy(s) for (_, v), s in self.state.stock.items() if v == variant_id]

    async def set_stock(self, location_id: str, variant_id: str, on_hand: int) -> None:
        level = self.state.stock.setdefault(
            (location_id, variant_id), StockLevel(location_id, variant_id, 0)
        )
        level.on_hand = on_hand

    async def find_source(self, variant_id: str, quantity: int) -> str | None:
        candidates = [
            s
            for (loc, v), s in self.state.stock.items()
            if v == variant_id
            and self.state.locations[loc].kind is LocationKind.WAREHOUSE
            and s.available >= quantity
        ]
        candidates.sort(key=lambda s: (-s.available, s.location_id))
        return candidates[0].location_id if candidates else None

    async def apply(self, moves: Sequence[StockMove]) -> None:
        for move in moves:
            level = self.state.stock.get((move.location_id, move.variant_id))
            if move.reserve:
                if level is None or level.available < move.reserve:
                    raise Refused("not enough stock", code="insufficient_stock")
                level.reserved += move.reserve
            if level is None:
                continue
            if move.release:
                level.reserved = max(0, level.reserved - move.release)
            if move.consume:
                level.reserved = max(0, level.reserved - move.consume)
                level.on_hand = max(0, level.on_hand - move.consume)

    async def get_promotion(self, code: str) -> Promotion | None:
        return copy.deepcopy(self.state.promotions.get(code.upper()))

    async def add_promotion(self, promotion: Promotion) -> None:
        self.state.promotions[promotion.code] = copy.deepcopy(promotion)


def _summary(order: Order) -> OrderSummary:
    return OrderSummary(
        id=order.id,
        number=order.number,
        status=order.status,
        channel=order.channel.value,
        customer_id=order.customer_id,
        customer_name=order.customer_name,
        email=order.email,
        ship_to_name=order.ship_to_name,
        on_hold=bool(order.active_holds),
        grand_total=order.totals.grand_total,
        balance_due=order.totals.balance_due,
        currency=order.currency,
        created_at=order.created_at,
        updated_at=order.updated_at,
        version=order.version,
    )


class FakeOrderRepository:
    def __init__(self, state: CommerceState) -> None:
        self.state = state

    def _out(self, order: Order) -> Order:
        found = copy.deepcopy(order)
        found.loaded_version = found.version
        return found

    async def get(self, order_id: str) -> Order | None:
        found = self.state.orders.get(order_id)
        return None if found is None else self._out(found)

    async def get_by_number(self, number: str) -> Order | None:
        for order in self.state.orders.values():
            if order.number == number:
                return self._out(order)
        return None

    def _store(self, order: Order) -> None:
        self.state.history.setdefault(order.id, []).extend(order.changes)
        order.changes.clear()
        order.loaded_version = order.version
        self.state.orders[order.id] = copy.deepcopy(order)

    async def add(self, order: Order) -> None:
        self._store(order)

    async def save(self, order: Order) -> None:
        stored = self.state.orders[order.id]
        if stored.version != order.loaded_version:
            raise VersionConflict("order", order.number, order.loaded_version, stored.version)
        self._store(order)

    async def add_snapshot(self, order_id: str, version: int, body: dict[str, Any]) -> None:
        self.state.snapshots[(order_id, version)] = copy.deepcopy(body)

    async def snapshot(self, order_id: str, version: int) -> dict[str, Any] | None:
        return copy.deepcopy(self.state.snapshots.get((order_id, version)))

    async def history(self, order_id: str) -> list[ChangeRecord]:
        return list(self.state.history.get(order_id, []))

    async def search(self, criteria: OrderSearch) -> list[OrderSummary]:
        found = list(self.state.orders.values())

        def like(value: str, text: str | None) -> bool:
            return not text or text.lower() in value.lower()

        found = [
            o
            for o in found
            if (not criteria.number or o.number == criteria.number)
            and (criteria.status is None or o.status is criteria.status)
            and (not criteria.customer_id or o.customer_id == criteria.customer_id)
            and like(o.customer_name, criteria.customer_name)
            and like(o.email, criteria.email)
            and like(o.ship_to_name, criteria.ship_to_name)
            and (criteria.on_hold is None or bool(o.active_holds) == criteria.on_hold)
            and (criteria.include_drafts or o.stage is Stage.PLACED)
        ]
        found.sort(key=lambda o: (o.created_at, o.number), reverse=True)
        return [_summary(o) for o in found[criteria.offset : criteria.offset + criteria.limit]]

    async def number_for_invoice(self, invoice_number: str) -> str | None:
        for order in self.state.orders.values():
            if any(inv.number == invoice_number for inv in order.invoices):
                return order.number
        return None


class FakePriceMatches:
    def __init__(self, state: CommerceState) -> None:
        self.state = state

    async def add(self, record: PriceMatchRecord) -> None:
        self.state.price_matches.append(record)

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
        return [
            r
            for r in reversed(self.state.price_matches)
            if (not competitor or competitor.lower() in r.competitor.lower())
            and (not product_id or r.product_id == product_id)
            and (not sku or r.sku.lower() == sku.lower())
            and (not order_number or r.order_number == order_number)
            and (not customer_id or r.customer_id == customer_id)
        ][:limit]


class FakeApprovals:
    def __init__(self, state: CommerceState) -> None:
        self.state = state

    async def add(self, approval: Approval) -> None:
        approval.loaded_version = approval.version
        self.state.approvals[approval.id] = copy.deepcopy(approval)

    async def get(self, approval_id: str) -> Approval | None:
        found = copy.deepcopy(self.state.approvals.get(approval_id))
        if found is not None:
            found.loaded_version = found.version
        return found

    async def save(self, approval: Approval) -> None:
        stored = self.state.approvals[approval.id]
        if stored.version != approval.loaded_version:
            raise VersionConflict("approval", approval.id, approval.loaded_version, stored.version)
        approval.loaded_version = approval.version
        self.state.approvals[approval.id] = copy.deepcopy(approval)

    async def list(
        self, *, status: ApprovalStatus | None, order_number: str | None, limit: int
    ) -> list[Approval]:
        return [
            copy.deepcopy(a)
            for a in self.state.approvals.values()
            if (status is None or a.status is status)
            and (not order_number or a.order_number == order_number)
        ][:limit]


class FakeIdempotency:
    def __init__(self, state: CommerceState) -> None:
        self.state = state

    async def get(self, key: str) -> StoredResult | None:
        return self.state.idempotency.get(key)

    async def put(self, result: StoredResult, at: datetime) -> None:
        if result.key in self.state.idempotency:
            raise VersionConflict("request", result.key, None, None)
        self.state.idempotency[result.key] = result


class FakeCounters:
    def __init__(self, state: CommerceState) -> None:
        self.state = state

    async def next(self, name: str) -> int:
        self.state.counters[name] = self.state.counters.get(name, 0) + 1
        return self.state.counters[name]


class FakeUnitOfWork(FakeUnitOfWorkBase):
    """The whole commerce side in memory (satisfies ``OrdersUnitOfWork``)."""

    customers: FakeCustomerRepository
    carts: FakeCartRepository
    page_views: FakePageViewLog
    items: FakeCatalog
    outbox: FakeOutbox
    catalog: FakeCatalog
    orders: FakeOrderRepository
    price_matches: FakePriceMatches
    approvals: FakeApprovals
    idempotency: FakeIdempotency
    numbers: FakeCounters

    def __init__(self, state: CommerceState | None = None, clock: FakeClock | None = None) -> None:
        super().__init__(state or CommerceState(), clock)

    def bind(self, work: Any) -> None:
        self.customers = FakeCustomerRepository(work)
        self.carts = FakeCartRepository(work)
        self.page_views = FakePageViewLog(work)
        self.outbox = FakeOutbox(work)
        self.catalog = self.items = FakeCatalog(work)
        self.orders = FakeOrderRepository(work)
        self.price_matches = FakePriceMatches(work)
        self.approvals = FakeApprovals(work)
        self.idempotency = FakeIdempotency(work)
        self.numbers = FakeCounters(work)


class Unchanged:
    """``async with Unchanged(state):`` around a refused action asserts it changed nothing:
    not the orders, not the stock, not the carts, not the outbox."""

    def __init__(self, state: CommerceState) -> None:
        self.state = state
        self.before: dict[str, Any] = {}

    def _look(self) -> dict[str, Any]:
        return copy.deepcopy(
            {
                name: getattr(self.state, name)
                for name in (
                    "orders",
                    "stock",
                    "carts",
                    "outbox",
                    "price_matches",
                    "approvals",
                    "idempotency",
                    "customers",
                    "history",
                    "snapshots",
                )
            }
        )

    async def __aenter__(self) -> Unchanged:
        self.before = self._look()
        return self

    async def __aexit__(self, *exc: object) -> None:
        assert self._look() == self.before, "a refused action changed something"
