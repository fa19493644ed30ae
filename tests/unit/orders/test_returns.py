"""Returns and exchanges."""

from __future__ import annotations

from decimal import Decimal

import pytest

from customers.errors import DomainError
from orders.domain.enums import LineStatus, OrderStatus, ReturnReason, ReturnStatus
from orders.schemas.commands import (
    CopyOrder,
    CreateReturn,
    CreateShipment,
    DispatchShipment,
    ReceiveReturn,
    ReleaseOrder,
    ReturnLineIn,
    ScheduleOrder,
)
from tests.unit.orders.builders import AGENT, WMS, World, key
from tests.unit.orders.fakes import CommerceState, Unchanged


def rma(line_id: str, quantity: int = 1, exchange: str | None = None) -> CreateReturn:
    return CreateReturn(
        lines=[
            ReturnLineIn(
                line_id=line_id,
                quantity=quantity,
                reason=ReturnReason.DOES_NOT_FIT,
                exchange_variant_id=exchange,
            )
        ],
        idempotency_key=key("rma"),
    )


async def test_a_return_refunds_what_the_units_cost_once_received(world: World) -> None:
    order = await world.delivered([(world.jacket_m, 2), (world.boots, 1)])
    paid = order.totals.paid
    order = await world.shop.create_return(AGENT, order.number, rma(order.lines[0].id))
    authorization = order.returns[0]
    assert authorization.status is ReturnStatus.AUTHORIZED and authorization.number == "RMA300001"
    assert order.totals.paid == paid  # nothing refunded until the parcel is back
    order = await world.shop.receive_return(
        WMS, order.number, ReceiveReturn(return_id=authorization.id, idempotency_key=key())
    )
    assert order.returns[0].refund_amount == Decimal("85.00")  # 80.00 and 5.00 of tax
    assert order.totals.refunded == Decimal("85.00")
    assert order.lines[0].returned_quantity == 1
    assert order.lines[0].status is LineStatus.DELIVERED  # one unit is still with the customer
    assert order.invoices[0].adjustments[-1].amount == Decimal("-85.00")
    order = await world.shop.create_return(AGENT, order.number, rma(order.lines[0].id))
    order = await world.shop.receive_return(
        WMS, order.number, ReceiveReturn(return_id=order.returns[1].id, idempotency_key=key())
    )
    assert order.lines[0].status is LineStatus.RETURNED
    assert order.status is OrderStatus.DELIVERED  # the boots are kept


async def test_an_exchange_sends_the_other_size_and_refunds_nothing(world: World) -> None:
    order = await world.delivered([(world.jacket_m, 1)])
    paid = order.totals.paid
    order = await world.shop.create_return(
        AGENT, order.number, rma(order.lines[0].id, exchange=world.jacket_l)
    )
    order = await world.shop.receive_return(
        WMS, order.number, ReceiveReturn(return_id=order.returns[0].id, idempotency_key=key())
    )
    original, replacement = order.lines
    assert original.status is LineStatus.RETURNED and original.exchanged_quantity == 1
    assert (replacement.sku, replacement.unit_price, replacement.status) == (
        "JKT-L-NVY",
        Decimal("0.00"),
        LineStatus.CREATED,
    )
    assert replacement.exchange_of_line_id == original.id
    assert order.returns[0].lines[0].exchange_line_id == replacement.id
    assert order.totals.paid == paid and order.totals.refunded == Decimal("0.00")
    assert order.returns[0].refund_amount == Decimal("0.00")


async def test_an_exchange_is_for_the_same_product(world: World) -> None:
    order = await world.delivered([(world.jacket_m, 1)])
    with pytest.raises(DomainError) as refused:
        await world.shop.create_return(
            AGENT, order.number, rma(order.lines[0].id, exchange=world.boots)
        )
    assert refused.value.code == "variant_of_other_product"


async def test_unshipped_lines_are_cancelled_not_returned(
    world: World, state: CommerceState
) -> None:
    order = await world.placed([(world.jacket_m, 1)])
    async with Unchanged(state):
        with pytest.raises(DomainError) as refused:
            await world.shop.create_return(AGENT, order.number, rma(order.lines[0].id))
    assert refused.value.code == "not_shipped"
    assert "cancel it instead" in refused.value.message


async def test_no_more_than_is_with_the_customer(world: World) -> None:
    order = await world.delivered([(world.jacket_m, 2)])
    line = order.lines[0].id
    order = await world.shop.create_return(AGENT, order.number, rma(line, 2))
    with pytest.raises(DomainError) as refused:
        await world.shop.create_return(AGENT, order.number, rma(line, 1))
    assert refused.value.code == "invalid_quantity"
    assert refused.value.details["returnable"] == 0


async def test_a_return_is_received_once_and_a_retry_refunds_once(world: World) -> None:
    order = await world.delivered([(world.jacket_m, 1)])
    order = await world.shop.create_return(AGENT, order.number, rma(order.lines[0].id))
    receive = ReceiveReturn(return_id=order.returns[0].id, idempotency_key=key())
    first = await world.shop.receive_return(WMS, order.number, receive)
    assert await world.shop.receive_return(WMS, order.number, receive) == first
    with pytest.raises(DomainError) as refused:
        await world.shop.receive_return(
            WMS, order.number, ReceiveReturn(return_id=order.returns[0].id, idempotency_key=key())
        )
    assert refused.value.code == "return_already_received"
    order = await world.shop.get_order(order.number)
    assert order.totals.refunded == first.totals.refunded
    assert [t.kind.value for t in order.transactions].count("refund") == 1


async def test_the_wrong_size_twice_is_exchanged_again_and_a_copy_keeps_it(world: World) -> None:
    order = await world.delivered([(world.jacket_m, 1)])
    order = await world.shop.create_return(
        AGENT, order.number, rma(order.lines[0].id, exchange=world.jacket_l)
    )
    order = await world.shop.receive_return(
        WMS, order.number, ReceiveReturn(return_id=order.returns[0].id, idempotency_key=key())
    )
    replacement = order.lines[1]
    # The replacement ships, does not fit either, and goes back for the first size.
    order = await world.shop.schedule_order(WMS, order.number, ScheduleOrder())
    order = await world.shop.release_order(WMS, order.number, ReleaseOrder())
    order = await world.shop.create_shipment(
        WMS, order.number, CreateShipment(line_ids=[replacement.id])
    )
    order = await world.shop.dispatch_shipment(
        WMS,
        order.number,
        DispatchShipment(
            shipment_id=order.shipments[-1].id,
            carrier="UPS",
            tracking_number="1Z-X",
            idempotency_key=key(),
        ),
    )
    order = await world.shop.create_return(
        AGENT, order.number, rma(replacement.id, exchange=world.jacket_m)
    )
    order = await world.shop.receive_return(
        WMS, order.number, ReceiveReturn(return_id=order.returns[1].id, idempotency_key=key())
    )
    assert [(line.sku, line.status.value) for line in order.lines] == [
        ("JKT-M-NVY", "returned"),
        ("JKT-L-NVY", "returned"),
        ("JKT-M-NVY", "created"),
    ]
    assert order.totals.refunded == Decimal("0.00")
    copy = await world.shop.copy_order(AGENT, order.number, CopyOrder())
    assert [(line.sku, line.unit_price) for line in copy.lines] == [("JKT-M-NVY", Decimal("80.00"))]
