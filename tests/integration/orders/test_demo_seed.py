"""The demo seed of the order desk: every call-center case has its data, read back through the
seam, and a second run changes nothing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from customers.kernel import Actor, Role, business_date
from customers.model import ContactRole, CustomerKind, PaymentKind
from customers.schemas import CartOwnerIn, CustomerQuery
from orders.catalog.schemas import AvailabilityQuery
from orders.demo import seed_demo
from orders.domain.enums import (
    ChargeKind,
    DiscountKind,
    Fulfilment,
    HoldType,
    LineStatus,
    OrderStatus,
    ShipmentStatus,
)
from orders.local import LocalCommerce
from orders.persistence.uow import SqlUnitOfWork
from orders.schemas.commands import (
    ApplyCoupon,
    CancelLine,
    ChangeToPickup,
    ResolveHold,
    StopDelivery,
)
from orders.schemas.views import ApprovalQuery, OrderQuery, OrderView, PriceMatchQuery
from web.bootstrap import bootstrap
from web.schema import all_metadata
from web.seed import seed_care
from web.settings import Settings

EVERY_STATUS = (
    OrderStatus.DRAFT,
    OrderStatus.QUOTE,
    OrderStatus.CREATED,
    OrderStatus.SCHEDULED,
    OrderStatus.RELEASED,
    OrderStatus.INCLUDED_IN_SHIPMENT,
    OrderStatus.SHIPPED,
    OrderStatus.DELIVERED,
    OrderStatus.BACKORDERED,
    OrderStatus.CANCELLED,
    OrderStatus.RETURNED,
)
LEE = Actor("lead-test", "Lee Park", Role.LEAD)
ALEX = Actor("agent-test", "Alex Rivera", Role.AGENT)


async def _orders(desk: LocalCommerce, status: OrderStatus) -> list[OrderView]:
    found = await desk.search_orders(OrderQuery(status=status, limit=200))
    return [await desk.get_order(s.number) for s in found]


async def test_every_call_center_case_has_its_data(engine: AsyncEngine) -> None:
    assert await seed_demo(engine) is True
    desk = LocalCommerce(lambda: SqlUnitOfWork(engine))

    for status in EVERY_STATUS:
        assert await desk.search_orders(OrderQuery(status=status)), status

    # Holds of each kind, to resolve (a fraud review needs a lead).
    held = await desk.orders_on_hold()
    kinds = {h.type for entry in held for h in entry.holds}
    assert kinds == {HoldType.FRAUD_REVIEW, HoldType.ADDRESS_VERIFICATION, HoldType.PAYMENT}
    fraud = next(e for e in held if e.holds[0].type is HoldType.FRAUD_REVIEW)
    resolved = await desk.resolve_hold(
        LEE, fraud.order.number, ResolveHold(hold_id=fraud.holds[0].id, note="ID checked")
    )
    assert not resolved.on_hold

    # A shipment running late, with the carrier's exception and a later expected date.
    shipped = await _orders(desk, OrderStatus.SHIPPED)
    late = [s for o in shipped for s in o.shipments if s.status is ShipmentStatus.DELAYED]
    assert late and late[0].exception and late[0].expected_delivery
    assert [e.status for e in late[0].events][-1] is ShipmentStatus.DELAYED
    approvals = await desk.list_approvals(ApprovalQuery())
    assert [a.action for a in approvals] == ["appeasement"]

    # An invoice adjusted after shipping by an appeasement and a price match.
    delivered = await _orders(desk, OrderStatus.DELIVERED)
    invoices = [i for o in delivered for i in o.invoices if i.adjustments]
    assert invoices
    invoice = await desk.find_invoice(invoices[0].number)
    assert {a.action for a in invoice.adjustments} == {"appeasement", "price_match"}
    assert invoice.adjusted_total < invoice.total
    order = await desk.get_order(invoice.order_number)
    assert {d.kind for d in order.discounts} >= {DiscountKind.APPEASEMENT, DiscountKind.PRICE_MATCH}
    assert await desk.search_price_matches(PriceMatchQuery(order_number=order.number))
    assert any(h.status == "resolved" for h in order.holds)

    # Stores near a ZIP code with the jacket, nearest first; not every one has it.
    near = await desk.availability_near(
        AvailabilityQuery(variant_id="var_jkt-m-navy", postal_code="02139", radius_km=15)
    )
    distances = [s.distance_km for s in near.stores]
    assert len(distances) >= 4 and distances == sorted(distances)
    assert {s.in_stock for s in near.stores} == {True, False}
    assert len({s.store.code for s in near.stores}) == len(near.stores)

    # Business customers with company, contacts by role, payment on account and by card.
    businesses = await desk.list_customers(CustomerQuery(kind=CustomerKind.BUSINESS))
    assert len(businesses) == 3
    hotel = await desk.get_customer(
        next(b.id for b in businesses if b.name == "Harborview Hotel Group")
    )
    assert hotel.company is not None and hotel.company.payment_terms == "NET30"
    assert {c.role for c in hotel.contacts} >= {
        ContactRole.PURCHASE_MANAGER,
        ContactRole.ACCOUNTS_PAYABLE,
    }
    assert {m.kind for m in hotel.payment_methods} == {PaymentKind.ON_ACCOUNT, PaymentKind.CARD}
    assert len(hotel.addresses) == 2 and hotel.notes
    history = await desk.purchase_history(hotel.id)
    assert history.order_count >= 1 and {o.status for o in history.orders} >= {OrderStatus.QUOTE}

    consumers = await desk.list_customers(CustomerQuery(kind=CustomerKind.CONSUMER))
    assert len(consumers) == 7
    alicia = await desk.get_customer(next(c.id for c in consumers if c.name == "Alicia Moreno"))
    card = alicia.payment_methods[0]
    assert (card.brand, card.last4, card.exp_month) == ("visa", "4242", 8) and card.is_default
    assert alicia.preferences.sms_updates and alicia.notes
    assert (await desk.purchase_history(alicia.id)).order_count >= 3
    cart = await desk.find_open_cart(CartOwnerIn(customer_id=alicia.id))
    assert cart is not None and cart.item_count == 3
    shop_list = await desk.demo_customers(6)
    assert {"business", "consumer"} <= {c["kind"] for c in shop_list}

    # A guest's gift, wrapped.
    (gift_summary,) = await desk.search_orders(OrderQuery(customer_name="Olivia Bennett"))
    gift = await desk.get_order(gift_summary.number)
    assert gift.customer_id is None and gift.gift.is_gift and gift.gift.recipient
    assert [line.gift_wrap for line in gift.lines].count(True) == 2
    assert any(c.kind is ChargeKind.GIFT_WRAP and c.amount > 0 for c in gift.charges)

    # A packed line can be pulled out of its shipment and cancelled.
    (packed,) = await _orders(desk, OrderStatus.INCLUDED_IN_SHIPMENT)
    line = packed.lines[-1]
    assert line.status is LineStatus.INCLUDED_IN_SHIPMENT
    packed = await desk.stop_delivery(
        ALEX, packed.number, StopDelivery(line_id=line.id, reason="Customer changed mind")
    )
    packed = await desk.cancel_line(
        ALEX, packed.number, CancelLine(line_id=line.id, reason="Customer changed mind")
    )
    assert packed.lines[-1].status is LineStatus.CANCELLED

    # A placed order's line can go to pickup at a store that has it; a draft takes a coupon.
    created = await _orders(desk, OrderStatus.CREATED)
    target = next(o for o in created if not o.on_hold and o.channel == "phone")
    tote = next(line for line in target.lines if line.sku == "TOT-NATURAL")
    tomorrow = business_date(datetime.now(UTC)) + timedelta(days=1)
    target = await desk.change_to_pickup(
        ALEX,
        target.number,
        ChangeToPickup(line_id=tote.id, store_id="loc_bos-bb", pickup_date=tomorrow),
    )
    assert next(x for x in target.lines if x.id == tote.id).fulfilment is Fulfilment.PICKUP
    (draft,) = await desk.search_orders(OrderQuery(status=OrderStatus.DRAFT))
    coupon = await desk.apply_coupon(
        ALEX, draft.number, ApplyCoupon(code="WELCOME10", idempotency_key="test-coupon-1")
    )
    assert coupon.totals.order_discounts > Decimal(0)


async def _row_counts(engine: AsyncEngine) -> dict[str, int]:
    async with engine.connect() as conn:
        return {
            table.name: int(await conn.scalar(select(func.count()).select_from(table)) or 0)
            for metadata in all_metadata()
            for table in metadata.sorted_tables
        }


async def test_the_demo_command_seeds_once(database_url: str) -> None:
    services = bootstrap(Settings(DATABASE_URL=database_url), sockets=False)
    try:
        await seed_care(services)
        hint = await services.extras["seed_demo"]()
        assert hint.startswith("Try: order CL") and "WELCOME10" in hint and "invoice IN" in hint
        counts = await _row_counts(services.engine)
        orders = await services.commerce.search_orders(OrderQuery(limit=200))
        assert counts["orders"] == len(orders) >= 20

        assert await services.extras["seed_demo"]() == hint
        assert await _row_counts(services.engine) == counts
        assert await services.commerce.search_orders(OrderQuery(limit=200)) == orders

        # The history names the demo CSRs by their accounts.
        (packed,) = await services.commerce.search_orders(
            OrderQuery(status=OrderStatus.INCLUDED_IN_SHIPMENT)
        )
        changes = await services.commerce.order_history(packed.number)
        alex = next(c for c in changes if c.actor_name == "Alex Rivera")
        assert alex.actor_id.startswith("a_") and alex.actor_role == "agent"
    finally:
        await services.aclose()
