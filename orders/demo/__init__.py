"""The demo data of the order desk, written through the seam (``LocalCommerce``) as a shop's
systems and CSRs would have: a catalog with stock in Greater Boston stores and warehouses,
promotion codes, consumers and business accounts, open carts, and orders in every status.

Deterministic (fixed data, fixed ids for what a CSR types, stock from a fixed rule) and safe to
run again: what exists already is left alone, so ``careline demo`` on an existing file adds
nothing. ``careline demo --reset`` starts over.
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncEngine

from customers.bus import EventBus
from orders.demo.base import DemoStaff, SeedClock, Seeding
from orders.demo.catalog import load_catalog
from orders.demo.orders import load_orders
from orders.demo.people import load_carts, load_customers
from orders.desk import OrderDesk
from orders.domain.enums import OrderStatus
from orders.local import LocalCommerce
from orders.persistence.uow import Clock, SqlUnitOfWork, utc_now
from orders.schemas.views import OrderQuery

__all__ = ["DemoStaff", "demo_hint", "seed_demo"]

TRY_COUPON = "WELCOME10"


async def seed_demo(
    engine: AsyncEngine,
    *,
    bus: EventBus | None = None,
    staff: DemoStaff | None = None,
    now: Clock = utc_now,
) -> bool:
    """Seed what is missing; says whether the orders were seeded now (False: they were there
    already). ``bus`` hears the events as the app's listeners would."""
    clock = SeedClock(real_now=now)
    shop = LocalCommerce(lambda: SqlUnitOfWork(engine, bus, clock))
    seeding = Seeding(shop=shop, clock=clock, staff=staff or DemoStaff())
    await load_catalog(seeding)
    await load_customers(seeding)
    seeded = await load_orders(seeding)
    await load_carts(seeding)
    return seeded


async def _first(desk: OrderDesk, query: OrderQuery) -> str | None:
    found = await desk.search_orders(query)
    return found[-1].number if found else None


async def demo_hint(desk: OrderDesk) -> str:
    """One line of things to try: a packed order, a late one, a held one, an adjusted invoice,
    a coupon (found in the data, so it is right on an existing database too)."""
    parts: list[str] = []
    packed = await _first(desk, OrderQuery(status=OrderStatus.INCLUDED_IN_SHIPMENT))
    if packed:
        parts.append(f"order {packed} (packed)")
    for summary in await desk.search_orders(OrderQuery(status=OrderStatus.SHIPPED)):
        order = await desk.get_order(summary.number)
        if any(s.exception for s in order.shipments):
            parts.append(f"{order.number} (delayed)")
            break
    held = await desk.orders_on_hold(limit=1)
    if held:
        parts.append(f"{held[0].order.number} (on hold)")
    for summary in await desk.search_orders(OrderQuery(status=OrderStatus.DELIVERED)):
        order = await desk.get_order(summary.number)
        adjusted = [i for i in order.invoices if i.adjustments]
        if adjusted:
            parts.append(f"invoice {adjusted[0].number} (adjusted)")
            break
    parts.append(f"coupon {TRY_COUPON}")
    return "Try: " + ", ".join(parts)
