"""A whole order life on a real database: what each action answers is exactly what is read
back, and what each earlier version was."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from customers.schemas import AddCartItem, CartOwnerIn
from orders.domain.enums import AppeasementReason, HoldType, OrderStatus, ReturnReason
from orders.schemas.commands import (
    AddNote,
    Appease,
    ApplyCoupon,
    ApplyHold,
    ChangeGiftOptions,
    ChangeToPickup,
    ConfirmOrder,
    CreateReturn,
    CreateShipment,
    DispatchShipment,
    DraftFromCart,
    LineGiftIn,
    PriceMatch,
    ReceiveReturn,
    ReleaseOrder,
    ResolveHold,
    ReturnLineIn,
    ScheduleOrder,
    TrackingEvent,
)
from orders.schemas.views import OrderView
from tests.unit.orders.builders import AGENT, LEAD, WMS, World, key


async def test_every_version_reads_back_as_it_was_answered(world: World) -> None:
    shop = world.shop
    answered: list[OrderView] = []

    async def check(view: OrderView) -> OrderView:
        stored = await shop.get_order(view.number)
        assert stored == view.model_copy(update={"warnings": []})
        answered.append(view)
        return view

    cart = await shop.get_or_create_cart(CartOwnerIn(visitor_id="vis-9", customer_id=world.dana))
    await shop.add_cart_item(cart.id, AddCartItem(variant_id=world.jacket_m, quantity=2))
    await shop.add_cart_item(cart.id, AddCartItem(variant_id=world.boots, quantity=1))
    await shop.add_cart_item(cart.id, AddCartItem(variant_id=world.sofa, quantity=1))
    order = await check(await shop.draft_from_cart(AGENT, DraftFromCart(cart_id=cart.id)))
    n = order.number
    order = await check(
        await shop.change_gift_options(
            AGENT,
            n,
            ChangeGiftOptions(
                is_gift=True,
                message="Happy housewarming",
                recipient="Ann",
                lines=[
                    LineGiftIn(
                        line_id=order.lines[1].id, gift_wrap=True, gift_message="For the trails"
                    )
                ],
            ),
        )
    )
    order = await check(
        await shop.apply_coupon(AGENT, n, ApplyCoupon(code="SPRING10", idempotency_key=key()))
    )
    order = await check(
        await shop.confirm_order(AGENT, n, ConfirmOrder(expected_version=order.version))
    )
    assert order.status is OrderStatus.CREATED
    order = await check(
        await shop.change_to_pickup(
            AGENT,
            n,
            ChangeToPickup(
                line_id=order.lines[1].id,
                store_id=world.cambridge,
                pickup_date=world.clock().date() + timedelta(days=1),
            ),
        )
    )
    order = await check(
        await shop.apply_hold(
            AGENT, n, ApplyHold(type=HoldType.FRAUD_REVIEW, reason="new card, big basket")
        )
    )
    order = await check(
        await shop.resolve_hold(LEAD, n, ResolveHold(hold_id=order.holds[0].id, note="verified"))
    )
    order = await check(await shop.schedule_order(WMS, n, ScheduleOrder()))
    order = await check(await shop.release_order(WMS, n, ReleaseOrder()))
    jacket, boots, sofa = order.lines
    order = await check(
        await shop.create_shipment(WMS, n, CreateShipment(line_ids=[jacket.id, sofa.id]))
    )
    order = await check(
        await shop.dispatch_shipment(
            WMS,
            n,
            DispatchShipment(
                shipment_id=order.shipments[0].id,
                carrier="XPO Freight",
                tracking_number="XPO-77",
                expected_delivery=world.clock().date() + timedelta(days=4),
                idempotency_key=key(),
            ),
        )
    )
    order = await check(
        await shop.record_tracking_event(
            WMS,
            n,
            TrackingEvent(
                shipment_id=order.shipments[0].id,
                status="delayed",
                description="Truck breakdown",
                expected_delivery=world.clock().date() + timedelta(days=7),
            ),
        )
    )
    order = await check(
        await shop.appease(
            AGENT,
            n,
            Appease(
                amount=Decimal("20.00"),
                reason=AppeasementReason.LATE_DELIVERY,
                note="freight delay",
                idempotency_key=key(),
            ),
        )
    )
    order = await check(
        await shop.price_match(
            AGENT,
            n,
            PriceMatch(
                line_id=jacket.id,
                competitor="Outdoor Depot",
                competitor_price=Decimal("74.50"),
                idempotency_key=key(),
            ),
        )
    )
    order = await check(
        await shop.record_tracking_event(
            WMS,
            n,
            TrackingEvent(
                shipment_id=order.shipments[0].id,
                status="delivered",
                description="Signed by A. Whitfield",
            ),
        )
    )
    order = await check(
        await shop.create_return(
            AGENT,
            n,
            CreateReturn(
                lines=[
                    ReturnLineIn(
                        line_id=jacket.id,
                        quantity=1,
                        reason=ReturnReason.DOES_NOT_FIT,
                        exchange_variant_id=world.jacket_l,
                    )
                ],
                idempotency_key=key(),
            ),
        )
    )
    order = await check(
        await shop.receive_return(
            WMS, n, ReceiveReturn(return_id=order.returns[0].id, idempotency_key=key())
        )
    )
    order = await check(
        await shop.add_note(AGENT, n, AddNote(text="Exchange on its way", email_customer=True))
    )

    # Still to pay for: the boots, waiting at the store.
    assert order.totals.balance_due == order.lines[1].total
    assert order.totals.authorized == order.lines[1].total
    order = await check(await shop.create_shipment(WMS, n, CreateShipment(line_ids=[boots.id])))
    assert order.shipments[-1].pickup_store_id == world.cambridge
    order = await check(
        await shop.dispatch_shipment(
            WMS,
            n,
            DispatchShipment(
                shipment_id=order.shipments[-1].id,
                carrier="store",
                tracking_number="PICKUP-1",
                idempotency_key=key(),
            ),
        )
    )
    order = await check(
        await shop.record_tracking_event(
            WMS,
            n,
            TrackingEvent(
                shipment_id=order.shipments[-1].id,
                status="delivered",
                description="Collected in store",
            ),
        )
    )
    # The books balance: what was charged less refunds is what the order is worth.
    assert order.totals.balance_due == Decimal("0.00")
    invoiced = sum((inv.adjusted_total for inv in order.invoices), Decimal(0))
    assert invoiced == order.totals.paid
    assert order.invoices[0].adjustments  # the appeasement and the price match
    # Every version is kept as it was answered.
    for view in answered:
        assert await shop.order_version(n, view.version) == view.model_copy(update={"warnings": []})
    history = await shop.order_history(n)
    assert [c.version for c in history] == list(range(1, order.version + 1))
    invoice = await shop.find_invoice(order.invoices[0].number)
    assert invoice.lines[0].sku == "JKT-M-NVY" and invoice.order_number == n
