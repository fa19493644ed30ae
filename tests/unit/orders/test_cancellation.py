"""Cancelling lines and orders: allowed where it makes sense, refused with the reason."""

from __future__ import annotations

from decimal import Decimal

import pytest

from customers.errors import DomainError
from orders.domain.enums import LineStatus, OrderStatus, ShipmentStatus
from orders.schemas.commands import (
    CancelLine,
    CancelOrder,
    CreateShipment,
    DispatchShipment,
    ScheduleOrder,
    StopDelivery,
)
from tests.unit.orders.builders import AGENT, WMS, World, key
from tests.unit.orders.fakes import CommerceState, Unchanged


async def test_cancel_part_of_a_line_then_the_rest(world: World) -> None:
    order = await world.placed([(world.jacket_m, 3), (world.boots, 1)])
    line = order.lines[0]
    order = await world.shop.cancel_line(
        AGENT, order.number, CancelLine(line_id=line.id, quantity=2, reason="changed mind")
    )
    assert (order.lines[0].cancelled_quantity, order.lines[0].open_quantity) == (2, 1)
    assert order.lines[0].status is LineStatus.CREATED
    assert order.totals.merchandise == Decimal("120.00")
    assert order.totals.authorized == order.totals.grand_total
    order = await world.shop.cancel_line(
        AGENT, order.number, CancelLine(line_id=line.id, reason="changed mind")
    )
    assert order.lines[0].status is LineStatus.CANCELLED
    assert order.status is OrderStatus.CREATED


@pytest.mark.parametrize("quantity", [4, 99])
async def test_cancelling_more_than_is_open_is_refused(
    world: World, state: CommerceState, quantity: int
) -> None:
    order = await world.placed([(world.jacket_m, 3)])
    async with Unchanged(state):
        with pytest.raises(DomainError) as refused:
            await world.shop.cancel_line(
                AGENT,
                order.number,
                CancelLine(line_id=order.lines[0].id, quantity=quantity, reason="x"),
            )
    assert refused.value.code == "invalid_quantity"
    assert refused.value.details["open_quantity"] == 3


async def test_a_released_line_can_still_be_cancelled_and_its_stock_comes_back(
    world: World, state: CommerceState
) -> None:
    order = await world.released([(world.jacket_m, 2)])
    assert state.stock[(world.dc, world.jacket_m)].reserved == 2
    order = await world.shop.cancel_line(
        AGENT, order.number, CancelLine(line_id=order.lines[0].id, reason="too late")
    )
    assert order.status is OrderStatus.CANCELLED
    assert state.stock[(world.dc, world.jacket_m)].reserved == 0


async def test_a_packed_line_needs_a_stop_of_delivery_first(
    world: World, state: CommerceState
) -> None:
    order = await world.packed([(world.jacket_m, 1), (world.boots, 1)])
    line = order.lines[0]
    async with Unchanged(state):
        with pytest.raises(DomainError) as refused:
            await world.shop.cancel_line(
                AGENT, order.number, CancelLine(line_id=line.id, reason="x")
            )
    assert refused.value.code == "stop_delivery_required"
    assert "stop the delivery" in refused.value.message
    order = await world.shop.stop_delivery(
        AGENT, order.number, StopDelivery(line_id=line.id, reason="customer cancels")
    )
    assert order.lines[0].status is LineStatus.RELEASED
    assert [sl.line_id for sl in order.shipments[0].lines] == [order.lines[1].id]
    order = await world.shop.cancel_line(
        AGENT, order.number, CancelLine(line_id=line.id, reason="customer cancels")
    )
    assert order.lines[0].status is LineStatus.CANCELLED
    assert state.stock[(world.dc, world.jacket_m)].reserved == 0


async def test_stopping_the_last_line_stops_the_shipment(world: World) -> None:
    order = await world.packed([(world.jacket_m, 1)])
    order = await world.shop.stop_delivery(
        AGENT, order.number, StopDelivery(line_id=order.lines[0].id, reason="address wrong")
    )
    assert order.shipments[0].status is ShipmentStatus.STOPPED


async def test_a_shipped_line_must_be_returned(world: World, state: CommerceState) -> None:
    order = await world.shipped([(world.jacket_m, 1)])
    line = order.lines[0]
    async with Unchanged(state):
        with pytest.raises(DomainError) as refused:
            await world.shop.cancel_line(
                AGENT, order.number, CancelLine(line_id=line.id, reason="x")
            )
        assert refused.value.code == "return_required"
        with pytest.raises(DomainError) as refused:
            await world.shop.stop_delivery(
                AGENT, order.number, StopDelivery(line_id=line.id, reason="x")
            )
        assert refused.value.code == "already_shipped"
    assert "return" in refused.value.message


async def test_stop_delivery_of_a_line_not_in_a_shipment(world: World) -> None:
    order = await world.placed([(world.jacket_m, 1)])
    with pytest.raises(DomainError) as refused:
        await world.shop.stop_delivery(
            AGENT, order.number, StopDelivery(line_id=order.lines[0].id, reason="x")
        )
    assert refused.value.code == "not_in_shipment"


async def test_a_cancelled_line_is_already_cancelled(world: World) -> None:
    order = await world.placed([(world.jacket_m, 1), (world.boots, 1)])
    line = order.lines[0]
    await world.shop.cancel_line(AGENT, order.number, CancelLine(line_id=line.id, reason="x"))
    with pytest.raises(DomainError) as refused:
        await world.shop.cancel_line(AGENT, order.number, CancelLine(line_id=line.id, reason="x"))
    assert refused.value.code == "already_cancelled"


async def test_cancel_an_order_voids_its_authorization(world: World) -> None:
    order = await world.placed([(world.jacket_m, 1), (world.mug, 2)])
    order = await world.shop.schedule_order(WMS, order.number, ScheduleOrder())
    assert [line.status for line in order.lines] == [LineStatus.SCHEDULED, LineStatus.BACKORDERED]
    order = await world.shop.cancel_order(AGENT, order.number, CancelOrder(reason="fraud"))
    assert order.status is OrderStatus.CANCELLED
    assert all(line.status is LineStatus.CANCELLED for line in order.lines)
    assert order.totals.grand_total == Decimal("0.00")
    assert order.totals.authorized == Decimal("0.00")
    assert [t.kind.value for t in order.transactions] == ["authorization", "void"]
    with pytest.raises(DomainError) as refused:
        await world.shop.cancel_order(AGENT, order.number, CancelOrder(reason="again"))
    assert refused.value.code == "order_cancelled"


async def test_an_order_with_a_shipped_line_is_not_cancelled_at_all(
    world: World, state: CommerceState
) -> None:
    order = await world.released([(world.jacket_m, 1), (world.boots, 1)])
    order = await world.shop.create_shipment(
        WMS, order.number, CreateShipment(line_ids=[order.lines[0].id])
    )
    order = await world.shop.dispatch_shipment(
        WMS,
        order.number,
        DispatchShipment(
            shipment_id=order.shipments[0].id,
            carrier="UPS",
            tracking_number="1Z999",
            idempotency_key=key(),
        ),
    )
    assert order.status is OrderStatus.PARTIALLY_SHIPPED
    async with Unchanged(state):
        with pytest.raises(DomainError) as refused:
            await world.shop.cancel_order(AGENT, order.number, CancelOrder(reason="x"))
    assert refused.value.code == "order_not_cancellable"
    assert refused.value.details["lines"] == [
        {
            "line_id": order.lines[0].id,
            "line_no": 1,
            "sku": "JKT-M-NVY",
            "status": "shipped",
            "code": "return_required",
        }
    ]
    assert "line 1 (shipped)" in refused.value.message
    # The line still in the warehouse can be cancelled on its own.
    order = await world.shop.cancel_line(
        AGENT, order.number, CancelLine(line_id=order.lines[1].id, reason="x")
    )
    assert order.status is OrderStatus.SHIPPED


async def test_a_draft_is_discarded_not_cancelled(world: World) -> None:
    draft = await world.draft([(world.mug, 1)])
    with pytest.raises(DomainError) as refused:
        await world.shop.cancel_order(AGENT, draft.number, CancelOrder(reason="x"))
    assert refused.value.code == "order_not_placed"
