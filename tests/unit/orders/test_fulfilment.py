"""Scheduling, shipping, tracking, invoicing and reshipping."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from customers.errors import DomainError
from orders.domain.enums import LineStatus, OrderStatus, ShipmentStatus
from orders.schemas.commands import (
    Appease,
    CreateShipment,
    DispatchShipment,
    ReleaseOrder,
    Reship,
    ScheduleOrder,
    SetShipTogether,
    TrackingEvent,
)
from tests.unit.orders.builders import AGENT, WMS, World, key
from tests.unit.orders.fakes import CommerceState, Unchanged


async def test_schedule_reserves_stock_or_backorders(world: World, state: CommerceState) -> None:
    order = await world.placed([(world.jacket_m, 2), (world.mug, 1)])
    order = await world.shop.schedule_order(WMS, order.number, ScheduleOrder())
    assert [line.status for line in order.lines] == [LineStatus.SCHEDULED, LineStatus.BACKORDERED]
    assert state.stock[(world.dc, world.jacket_m)].reserved == 2
    order = await world.shop.release_order(WMS, order.number, ReleaseOrder())
    assert [line.status for line in order.lines] == [LineStatus.RELEASED, LineStatus.BACKORDERED]
    with pytest.raises(DomainError) as refused:
        await world.shop.release_order(WMS, order.number, ReleaseOrder())
    assert refused.value.code == "nothing_to_release"
    # Stock arrives: the backordered line is scheduled on the next run.
    from orders.catalog.schemas import SetStock

    await world.shop.set_stock(SetStock(location_id=world.dc, variant_id=world.mug, on_hand=5))
    order = await world.shop.schedule_order(WMS, order.number, ScheduleOrder())
    assert order.lines[1].status is LineStatus.SCHEDULED
    with pytest.raises(DomainError) as refused:
        await world.shop.schedule_order(WMS, order.number, ScheduleOrder())
    assert refused.value.code == "nothing_to_schedule"


async def test_ship_invoice_and_charge(world: World, state: CommerceState) -> None:
    order = await world.released([(world.jacket_m, 1), (world.boots, 1)])
    order = await world.shop.create_shipment(
        WMS, order.number, CreateShipment(line_ids=[order.lines[0].id])
    )
    shipment = order.shipments[0]
    assert shipment.status is ShipmentStatus.PACKING
    eta = world.clock().date() + timedelta(days=3)
    order = await world.shop.dispatch_shipment(
        WMS,
        order.number,
        DispatchShipment(
            shipment_id=shipment.id,
            carrier="UPS",
            tracking_number="1Z0001",
            expected_delivery=eta,
            idempotency_key=key(),
        ),
    )
    assert order.status is OrderStatus.PARTIALLY_SHIPPED
    (invoice,) = order.invoices
    # The first invoice carries the jacket and the order's charges (shipping is free here).
    assert (invoice.merchandise, invoice.tax, invoice.total) == (
        Decimal("80.00"),
        Decimal("5.00"),
        Decimal("85.00"),
    )
    assert order.totals.charged == invoice.total
    assert order.totals.authorized == order.totals.grand_total - invoice.total
    assert state.stock[(world.dc, world.jacket_m)].on_hand == 49
    found = await world.shop.find_invoice(invoice.number.lower())
    assert found.number == invoice.number and found.order_number == order.number
    with pytest.raises(DomainError) as refused:
        await world.shop.find_invoice("IN999999")
    assert refused.value.code == "not_found"


async def test_lines_must_be_released_before_packing(world: World) -> None:
    order = await world.placed([(world.jacket_m, 1)])
    with pytest.raises(DomainError) as refused:
        await world.shop.create_shipment(
            WMS, order.number, CreateShipment(line_ids=[order.lines[0].id])
        )
    assert refused.value.code == "line_not_released"


async def test_ship_together_means_one_shipment(world: World) -> None:
    order = await world.placed([(world.jacket_m, 1), (world.boots, 1)])
    await world.shop.set_ship_together(AGENT, order.number, SetShipTogether(ship_together=True))
    order = await world.shop.schedule_order(WMS, order.number, ScheduleOrder())
    order = await world.shop.release_order(WMS, order.number, ReleaseOrder())
    with pytest.raises(DomainError) as refused:
        await world.shop.create_shipment(
            WMS, order.number, CreateShipment(line_ids=[order.lines[0].id])
        )
    assert refused.value.code == "ship_together"


async def test_a_shipment_leaves_once(world: World, state: CommerceState) -> None:
    order = await world.shipped([(world.jacket_m, 1)])
    async with Unchanged(state):
        with pytest.raises(DomainError) as refused:
            await world.shop.dispatch_shipment(
                WMS,
                order.number,
                DispatchShipment(
                    shipment_id=order.shipments[0].id,
                    carrier="UPS",
                    tracking_number="1Z",
                    idempotency_key=key(),
                ),
            )
    assert refused.value.code == "shipment_not_packing"


async def test_a_delay_then_the_delivery(world: World) -> None:
    order = await world.shipped([(world.jacket_m, 1)])
    shipment = order.shipments[0]
    later = world.clock().date() + timedelta(days=6)
    order = await world.shop.record_tracking_event(
        WMS,
        order.number,
        TrackingEvent(
            shipment_id=shipment.number,
            status="delayed",
            description="Weather delay at hub",
            location="Hartford, CT",
            expected_delivery=later,
        ),
    )
    shipment = order.shipments[0]
    assert shipment.status is ShipmentStatus.DELAYED
    assert shipment.exception == "Weather delay at hub"
    assert shipment.expected_delivery == later
    assert [e.status for e in shipment.events][-1] is ShipmentStatus.DELAYED
    order = await world.shop.record_tracking_event(
        WMS,
        order.number,
        TrackingEvent(shipment_id=shipment.id, status="delivered", description="Porch"),
    )
    assert order.status is OrderStatus.DELIVERED
    assert order.shipments[0].exception == ""
    with pytest.raises(DomainError) as refused:
        await world.shop.record_tracking_event(
            WMS,
            order.number,
            TrackingEvent(shipment_id=shipment.id, status="in_transit", description="late scan"),
        )
    assert refused.value.code == "shipment_delivered"


async def test_tracking_a_parcel_that_has_not_left(world: World) -> None:
    order = await world.packed([(world.jacket_m, 1)])
    with pytest.raises(DomainError) as refused:
        await world.shop.record_tracking_event(
            WMS,
            order.number,
            TrackingEvent(shipment_id=order.shipments[0].id, status="in_transit", description="x"),
        )
    assert refused.value.code == "shipment_not_dispatched"


async def test_reship_a_line_that_never_arrived_at_no_charge(
    world: World, state: CommerceState
) -> None:
    order = await world.delivered([(world.jacket_m, 1)])
    paid = order.totals.paid
    order = await world.shop.reship_line(
        AGENT,
        order.number,
        Reship(line_id=order.lines[0].id, reason="porch theft", idempotency_key=key()),
    )
    reship = order.shipments[-1]
    assert reship.is_reship and reship.status is ShipmentStatus.PACKING
    with pytest.raises(DomainError) as refused:
        await world.shop.reship_line(
            AGENT,
            order.number,
            Reship(line_id=order.lines[0].id, reason="again", idempotency_key=key()),
        )
    assert refused.value.code in ("not_shipped", "reship_in_progress")
    order = await world.shop.dispatch_shipment(
        WMS,
        order.number,
        DispatchShipment(
            shipment_id=reship.id, carrier="USPS", tracking_number="9400", idempotency_key=key()
        ),
    )
    assert len(order.invoices) == 1  # nothing billed for the replacement
    assert order.totals.paid == paid
    assert state.stock[(world.dc, world.jacket_m)].on_hand == 48


async def test_only_a_shipped_line_is_reshipped(world: World) -> None:
    order = await world.placed([(world.jacket_m, 1)])
    with pytest.raises(DomainError) as refused:
        await world.shop.reship_line(
            AGENT,
            order.number,
            Reship(line_id=order.lines[0].id, reason="x", idempotency_key=key()),
        )
    assert refused.value.code == "not_shipped"


async def test_an_appeasement_after_invoicing_adjusts_the_invoice_and_refunds(
    world: World,
) -> None:
    order = await world.shipped([(world.jacket_m, 2)])
    invoice = order.invoices[0]
    order = await world.shop.appease(
        AGENT,
        order.number,
        Appease(
            amount=Decimal("16.00"), reason="damaged_item", note="scuffed", idempotency_key=key()
        ),
    )
    (adjustment,) = order.invoices[0].adjustments
    assert adjustment.amount == Decimal("-17.00")  # 16.00 and its 1.00 of tax
    assert adjustment.action == "appeasement"
    assert order.invoices[0].adjusted_total == invoice.total - Decimal("17.00")
    assert order.totals.refunded == Decimal("17.00")
    assert order.transactions[-1].kind.value == "refund"
    assert order.totals.balance_due == Decimal("0.00")


async def test_a_csr_cannot_report_what_the_warehouse_or_carrier_does(
    world: World, state: CommerceState
) -> None:
    order = await world.shipped([(world.jacket_m, 1)])
    async with Unchanged(state):
        with pytest.raises(DomainError) as refused:
            await world.shop.record_tracking_event(
                AGENT,
                order.number,
                TrackingEvent(
                    shipment_id=order.shipments[0].id,
                    status="delivered",
                    description="says the customer",
                ),
            )
        assert refused.value.code == "forbidden"
        with pytest.raises(DomainError) as refused:
            await world.shop.schedule_order(AGENT, order.number, ScheduleOrder())
        assert refused.value.code == "forbidden"
