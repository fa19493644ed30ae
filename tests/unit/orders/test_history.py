"""Every change is a version with who, when and why; stale writers get a conflict; events
are told after commit and kept in the outbox."""

from __future__ import annotations

from decimal import Decimal

import pytest

from customers.errors import DomainError
from orders.domain.enums import HoldType, OrderStatus
from orders.schemas.commands import (
    AddLine,
    ApplyHold,
    ChangeQuantity,
    ConfirmOrder,
    ResolveHold,
)
from orders.schemas.views import OrderQuery
from tests.unit.orders.builders import AGENT, AGENT_2, LEAD, World
from tests.unit.orders.fakes import CommerceState, FakeUnitOfWork, Unchanged


async def test_each_change_is_a_version_with_who_when_and_why(world: World) -> None:
    order = await world.draft([(world.jacket_m, 1)])
    order = await world.shop.confirm_order(AGENT, order.number, ConfirmOrder())
    world.clock.advance(minutes=3)
    order = await world.shop.change_quantity(
        AGENT_2,
        order.number,
        ChangeQuantity(line_id=order.lines[0].id, quantity=2, reason="gift for a friend"),
    )
    history = await world.shop.order_history(order.number)
    assert [(c.version, c.action, c.actor_name) for c in history] == [
        (1, "create_draft", "Alex Rivera"),
        (2, "confirm", "Alex Rivera"),
        (3, "change_quantity", "Sam Okafor"),
    ]
    assert history[2].reason == "gift for a friend"
    assert history[2].summary == "Line 1 (JKT-M-NVY) quantity 1 -> 2"
    assert history[2].at > history[1].at
    assert order.version == 3


async def test_a_previous_version_can_be_viewed(world: World) -> None:
    order = await world.placed([(world.jacket_m, 1)])
    changed = await world.shop.add_line(AGENT, order.number, AddLine(variant_id=world.boots))
    before = await world.shop.order_version(order.number, order.version)
    assert before == order
    assert len(before.lines) == 1 and len(changed.lines) == 2
    assert await world.shop.order_version(order.number, changed.version) == changed
    with pytest.raises(DomainError) as refused:
        await world.shop.order_version(order.number, 99)
    assert refused.value.code == "not_found"


async def test_a_stale_version_is_a_conflict_and_changes_nothing(
    world: World, state: CommerceState
) -> None:
    order = await world.placed([(world.jacket_m, 1)])
    seen = order.version
    await world.shop.add_line(
        AGENT, order.number, AddLine(variant_id=world.boots, expected_version=seen)
    )
    async with Unchanged(state):
        with pytest.raises(DomainError) as refused:
            await world.shop.change_quantity(
                AGENT_2,
                order.number,
                ChangeQuantity(line_id=order.lines[0].id, quantity=5, expected_version=seen),
            )
    assert refused.value.code == "version_conflict"
    assert refused.value.details == {
        "entity": "order",
        "id": order.number,
        "expected": seen,
        "actual": seen + 1,
    }


async def test_a_concurrent_writer_loses_at_save_time(world: World, state: CommerceState) -> None:
    """Two units of work load the same version; the second to save gets the conflict."""
    order = await world.placed([(world.jacket_m, 1)])
    first, second = FakeUnitOfWork(state, world.clock), FakeUnitOfWork(state, world.clock)
    async with first:
        mine = await first.orders.get_by_number(order.number)
    async with second:
        theirs = await second.orders.get_by_number(order.number)
        assert theirs is not None
        theirs.version += 1
        await second.orders.save(theirs)
        await second.commit()
    async with first:
        assert mine is not None
        mine.version += 1
        with pytest.raises(DomainError) as refused:
            await first.orders.save(mine)
    assert refused.value.code == "version_conflict"


async def test_events_are_told_after_commit_and_kept_in_the_outbox(
    world: World, state: CommerceState
) -> None:
    uow = FakeUnitOfWork(state, world.clock)
    from orders.usecases import holds

    order = await world.placed([(world.jacket_m, 1)])
    held = await holds.apply_hold(
        uow, AGENT, order.number, ApplyHold(type=HoldType.PAYMENT, reason="declined")
    )
    assert [e.type for e in uow.published] == ["order.held"]
    event = uow.published[0]
    assert event.data["number"] == order.number and event.version == held.version
    assert event.data["on_hold"] is True and event.data["actor"]["id"] == AGENT.id
    with pytest.raises(DomainError):
        await holds.resolve_hold(uow, AGENT, order.number, ResolveHold(hold_id=held.holds[0].id))
    assert [e.type for e in uow.published] == ["order.held"]  # a refusal tells nobody
    await holds.resolve_hold(uow, LEAD, order.number, ResolveHold(hold_id=held.holds[0].id))
    assert [e.type for e in uow.published] == ["order.held", "order.hold_released"]
    topics = [m["topic"] for m in state.outbox if m["kind"] == "event"]
    assert topics[-2:] == ["order.held", "order.hold_released"]
    assert "order.created" in topics and "order.drafted" in topics


async def test_find_orders_by_what_the_caller_knows(world: World) -> None:
    dana = await world.placed([(world.jacket_m, 1)])
    acme = await world.placed([(world.boots, 1)], customer=world.acme)
    draft = await world.draft([(world.mug, 1)])

    async def numbers(**query: object) -> list[str]:
        return [o.number for o in await world.shop.search_orders(OrderQuery(**query))]

    assert await numbers(number=dana.number.lower()) == [dana.number]
    assert await numbers(customer_name="WHITFIELD") == [draft.number, dana.number]
    assert await numbers(email="acme") == [acme.number]
    assert await numbers(ship_to_name="receiving") == [acme.number]
    assert await numbers(customer_id=world.acme) == [acme.number]
    assert await numbers(status=OrderStatus.DRAFT) == [draft.number]
    assert await numbers(on_hold=True) == []
    history = await world.shop.purchase_history(world.dana)
    assert history.order_count == 1
    assert history.lifetime_spend == dana.totals.grand_total
    assert [o.number for o in history.orders] == [draft.number, dana.number]
    assert Decimal(0) < history.lifetime_spend
