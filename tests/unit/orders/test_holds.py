"""Holds stop an order (or a line) from progressing; some need a lead to resolve."""

from __future__ import annotations

import pytest

from customers.errors import DomainError
from orders.domain.enums import HoldType, LineStatus
from orders.schemas.commands import (
    ApplyHold,
    CancelOrder,
    CreateShipment,
    DispatchShipment,
    ReleaseOrder,
    ResolveHold,
    ScheduleOrder,
)
from tests.unit.orders.builders import AGENT, LEAD, WMS, World, key
from tests.unit.orders.fakes import CommerceState, Unchanged


async def test_a_held_order_does_not_progress_until_released(
    world: World, state: CommerceState
) -> None:
    order = await world.placed([(world.jacket_m, 1)])
    order = await world.shop.apply_hold(
        AGENT, order.number, ApplyHold(type=HoldType.FRAUD_REVIEW, reason="mismatched billing")
    )
    assert order.on_hold
    assert order.holds[0].needs_lead
    async with Unchanged(state):
        with pytest.raises(DomainError) as refused:
            await world.shop.schedule_order(WMS, order.number, ScheduleOrder())
    assert refused.value.code == "order_on_hold"
    assert "fraud_review" in refused.value.message
    # A CSR cannot clear a fraud review; a lead can.
    async with Unchanged(state):
        with pytest.raises(DomainError) as refused:
            await world.shop.resolve_hold(
                AGENT, order.number, ResolveHold(hold_id=order.holds[0].id)
            )
    assert refused.value.code == "lead_required"
    order = await world.shop.resolve_hold(
        LEAD, order.number, ResolveHold(hold_id=order.holds[0].id, note="verified by phone")
    )
    assert not order.on_hold
    assert order.holds[0].resolved_by == LEAD.id
    order = await world.shop.schedule_order(WMS, order.number, ScheduleOrder())
    assert order.lines[0].status is LineStatus.SCHEDULED


async def test_holds_stop_release_packing_and_dispatch_too(world: World) -> None:
    order = await world.packed([(world.jacket_m, 1)])
    order = await world.shop.apply_hold(
        AGENT, order.number, ApplyHold(type=HoldType.ADDRESS_VERIFICATION, reason="unit missing")
    )
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
    assert refused.value.code == "order_on_hold"
    # An address check is the CSR's to clear.
    order = await world.shop.resolve_hold(
        AGENT, order.number, ResolveHold(hold_id=order.holds[0].id, note="customer confirmed")
    )
    assert not order.on_hold


async def test_a_line_hold_stops_that_line_only(world: World) -> None:
    order = await world.placed([(world.jacket_m, 1), (world.boots, 1)])
    jacket, boots = order.lines
    order = await world.shop.apply_hold(
        AGENT,
        order.number,
        ApplyHold(type=HoldType.MANUAL, reason="check colour", line_id=jacket.id),
    )
    assert not order.on_hold and order.lines[0].on_hold and not order.lines[1].on_hold
    order = await world.shop.schedule_order(WMS, order.number, ScheduleOrder())
    order = await world.shop.release_order(WMS, order.number, ReleaseOrder())
    assert [line.status for line in order.lines] == [LineStatus.CREATED, LineStatus.RELEASED]
    with pytest.raises(DomainError) as refused:
        await world.shop.create_shipment(WMS, order.number, CreateShipment(line_ids=[jacket.id]))
    assert refused.value.code == "order_on_hold"
    order = await world.shop.create_shipment(WMS, order.number, CreateShipment(line_ids=[boots.id]))
    assert order.lines[1].status is LineStatus.INCLUDED_IN_SHIPMENT


async def test_the_same_hold_twice_and_resolving_twice(world: World) -> None:
    order = await world.placed([(world.jacket_m, 1)])
    hold = ApplyHold(type=HoldType.PAYMENT, reason="card declined")
    order = await world.shop.apply_hold(AGENT, order.number, hold)
    with pytest.raises(DomainError) as refused:
        await world.shop.apply_hold(AGENT, order.number, hold)
    assert refused.value.code == "already_on_hold"
    order = await world.shop.resolve_hold(
        LEAD, order.number, ResolveHold(hold_id=order.holds[0].id)
    )
    with pytest.raises(DomainError) as refused:
        await world.shop.resolve_hold(LEAD, order.number, ResolveHold(hold_id=order.holds[0].id))
    assert refused.value.code == "hold_not_active"


async def test_nothing_to_hold_once_shipped_and_holds_only_on_placed_orders(world: World) -> None:
    shipped = await world.shipped([(world.jacket_m, 1)])
    with pytest.raises(DomainError) as refused:
        await world.shop.apply_hold(
            AGENT, shipped.number, ApplyHold(type=HoldType.MANUAL, reason="x")
        )
    assert refused.value.code == "nothing_to_hold"
    draft = await world.draft([(world.mug, 1)])
    with pytest.raises(DomainError) as refused:
        await world.shop.apply_hold(
            AGENT, draft.number, ApplyHold(type=HoldType.MANUAL, reason="x")
        )
    assert refused.value.code == "order_not_placed"


async def test_a_held_order_can_still_be_cancelled(world: World) -> None:
    order = await world.placed([(world.jacket_m, 1)])
    order = await world.shop.apply_hold(
        AGENT, order.number, ApplyHold(type=HoldType.FRAUD_REVIEW, reason="stolen card")
    )
    order = await world.shop.cancel_order(LEAD, order.number, CancelOrder(reason="fraud"))
    assert order.status.value == "cancelled"


async def test_orders_on_hold_for_the_lead_oldest_first(world: World) -> None:
    first = await world.placed([(world.jacket_m, 1)])
    world.clock.advance(minutes=5)
    second = await world.placed([(world.boots, 1)])
    await world.placed([(world.mug, 1)])
    for order in (second, first):
        await world.shop.apply_hold(
            AGENT, order.number, ApplyHold(type=HoldType.MANUAL, reason="check")
        )
    await world.shop.apply_hold(
        AGENT,
        first.number,
        ApplyHold(type=HoldType.PAYMENT, reason="declined", line_id=first.lines[0].id),
    )
    held = await world.shop.orders_on_hold()
    assert [h.order.number for h in held] == [first.number, second.number]
    assert [h.type for h in held[0].holds] == [HoldType.MANUAL, HoldType.PAYMENT]
