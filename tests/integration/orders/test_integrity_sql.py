"""Integrity on a real database: versions, concurrent writers, retried money, stock, numbers,
the outbox and events told after commit."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from customers.errors import DomainError
from customers.tables import outbox
from orders import tables as t
from orders.domain.enums import AppeasementReason, HoldType
from orders.persistence.uow import SqlUnitOfWork
from orders.schemas.commands import (
    AddLine,
    AddNote,
    Appease,
    ApplyHold,
    ChangeQuantity,
    ChangeToPickup,
    CreateDraft,
    NewLineIn,
)
from orders.schemas.views import OrderQuery
from tests.integration.orders.conftest import Recorder
from tests.unit.orders.builders import AGENT, AGENT_2, World, key


async def count(engine: AsyncEngine, table: object, *where: object) -> int:
    async with engine.connect() as conn:
        stmt = select(func.count()).select_from(table)  # type: ignore[arg-type]
        for clause in where:
            stmt = stmt.where(clause)  # type: ignore[arg-type]
        return int(await conn.scalar(stmt) or 0)


async def test_a_stale_loaded_order_cannot_be_written_back(
    world: World, engine: AsyncEngine
) -> None:
    order = await world.placed([(world.jacket_m, 1)])
    async with SqlUnitOfWork(engine) as first:
        stale = await first.orders.get_by_number(order.number)
    await world.shop.add_line(AGENT_2, order.number, AddLine(variant_id=world.boots))
    async with SqlUnitOfWork(engine) as again:
        assert stale is not None
        stale.version += 1
        with pytest.raises(DomainError) as refused:
            await again.orders.save(stale)
    assert refused.value.code == "version_conflict"
    assert refused.value.details["actual"] == order.version + 1
    assert len((await world.shop.get_order(order.number)).lines) == 2


async def test_concurrent_changes_never_lose_an_update(world: World) -> None:
    order = await world.placed([(world.jacket_m, 1)])
    line = order.lines[0].id

    async def change(quantity: int) -> int | str:
        try:
            view = await world.shop.change_quantity(
                AGENT, order.number, ChangeQuantity(line_id=line, quantity=quantity)
            )
        except DomainError as refused:
            return refused.code
        return view.version

    results = await asyncio.gather(*(change(q) for q in (2, 3, 4, 5)))
    won = [r for r in results if isinstance(r, int)]
    assert all(r == "version_conflict" for r in results if not isinstance(r, int))
    assert won, "at least one writer must win"
    history = await world.shop.order_history(order.number)
    # Every winner is one version in the history, none written over another.
    assert sorted(won) == [c.version for c in history if c.action == "change_quantity"]
    final = await world.shop.get_order(order.number)
    assert final.version == order.version + len(won)


async def test_a_retried_appeasement_racing_itself_credits_once(world: World) -> None:
    order = await world.placed([(world.jacket_m, 3)])
    cmd = Appease(
        amount=Decimal("15.00"), reason=AppeasementReason.DAMAGED_ITEM, idempotency_key=key("retry")
    )
    results = await asyncio.gather(
        *(world.shop.appease(AGENT, order.number, cmd) for _ in range(3)),
        return_exceptions=True,
    )
    views = [r for r in results if not isinstance(r, BaseException)]
    assert len(views) == 3 and all(v == views[0] for v in views)
    final = await world.shop.get_order(order.number)
    assert [d.amount for d in final.discounts] == [Decimal("15.00")]
    assert final.version == order.version + 1


async def test_the_last_units_in_a_store_go_to_one_order(world: World) -> None:
    orders = [await world.placed([(world.jacket_m, 2)]) for _ in range(2)]
    today = world.clock().date() + timedelta(days=1)

    async def pickup(number: str, line_id: str) -> str:
        try:
            await world.shop.change_to_pickup(
                AGENT,
                number,
                ChangeToPickup(line_id=line_id, store_id=world.back_bay, pickup_date=today),
            )
        except DomainError as refused:
            return refused.code
        return "ok"

    results = await asyncio.gather(*(pickup(o.number, o.lines[0].id) for o in orders))
    assert sorted(results) == ["insufficient_stock", "ok"]
    levels = {s.location_id: s for s in await world.shop.stock_of(world.jacket_m)}
    assert (levels[world.back_bay].on_hand, levels[world.back_bay].reserved) == (2, 2)


async def test_order_numbers_are_unique_under_load(world: World) -> None:
    drafts = await asyncio.gather(
        *(
            world.shop.create_draft(
                AGENT, CreateDraft(customer_id=world.dana, lines=[NewLineIn(variant_id=world.mug)])
            )
            for _ in range(8)
        )
    )
    numbers = [d.number for d in drafts]
    assert len(set(numbers)) == 8
    assert sorted(numbers) == [f"CL{100001 + i}" for i in range(8)]


async def test_changes_land_in_the_outbox_refusals_do_not(
    world: World, engine: AsyncEngine
) -> None:
    order = await world.placed([(world.jacket_m, 1)])
    await world.shop.add_note(
        AGENT, order.number, AddNote(text="We are on it", email_customer=True)
    )
    events = await count(engine, outbox, outbox.c.kind == "event")
    emails = await count(engine, outbox, outbox.c.kind == "email")
    assert emails == 2  # the confirmation and the note
    with pytest.raises(DomainError):
        await world.shop.add_note(AGENT, order.number, AddNote(text="card 4111111111111111"))
    with pytest.raises(DomainError):
        await world.shop.apply_hold(AGENT, "CL999999", ApplyHold(type=HoldType.MANUAL, reason="x"))
    assert await count(engine, outbox, outbox.c.kind == "event") == events
    async with engine.connect() as conn:
        row = (
            (await conn.execute(select(outbox).where(outbox.c.topic == "order.created")))
            .mappings()
            .one()
        )
    assert row["payload"]["data"]["number"] == order.number
    assert row["payload"]["type"] == "order.created"
    assert row["delivered_at"] is None and row["attempts"] == 0
    assert await count(engine, t.order_history, t.order_history.c.order_id == order.id) == 3


async def test_listeners_hear_each_change_once_after_commit(
    world: World, recorder: Recorder
) -> None:
    order = await world.placed([(world.jacket_m, 1)])
    held = await world.shop.apply_hold(
        AGENT, order.number, ApplyHold(type=HoldType.MANUAL, reason="check")
    )
    with pytest.raises(DomainError):
        await world.shop.apply_hold(
            AGENT, order.number, ApplyHold(type=HoldType.MANUAL, reason="again")
        )
    types = [e.type for e in recorder.events if e.aggregate == "order"]
    assert types == ["order.drafted", "order.created", "order.held"]
    assert recorder.events[-1].version == held.version


async def test_a_listener_may_use_the_database_while_being_told(
    engine: AsyncEngine, world: World
) -> None:
    from customers.bus import EventBus
    from orders.local import LocalCommerce

    bus = EventBus()
    shop = LocalCommerce(lambda: SqlUnitOfWork(engine, bus, world.clock))
    seen: list[tuple[str, int]] = []

    async def reread(event: object) -> None:
        data = getattr(event, "data", {})
        if "number" in data:
            view = await shop.get_order(data["number"])
            seen.append((getattr(event, "type", ""), view.version))

    bus.subscribe(reread, "order.")
    order = await shop.create_draft(
        AGENT, CreateDraft(customer_id=world.dana, lines=[NewLineIn(variant_id=world.mug)])
    )
    # Told after commit (the listener sees the committed version), with the connection back.
    assert seen == [("order.drafted", order.version)]


async def test_search_on_the_database(world: World) -> None:
    dana = await world.placed([(world.jacket_m, 1)])
    acme = await world.placed([(world.boots, 1)], customer=world.acme)
    await world.shop.apply_hold(AGENT, acme.number, ApplyHold(type=HoldType.MANUAL, reason="x"))

    async def numbers(**query: object) -> list[str]:
        return [o.number for o in await world.shop.search_orders(OrderQuery(**query))]

    assert await numbers(customer_name="whitF") == [dana.number]
    assert await numbers(email="ACME.EXAMPLE") == [acme.number]
    assert await numbers(ship_to_name="acme rec") == [acme.number]
    assert await numbers(on_hold=True) == [acme.number]
    assert await numbers(status="created") == [acme.number, dana.number]
    assert await numbers(number=dana.number) == [dana.number]
    held = await world.shop.orders_on_hold()
    assert [h.order.number for h in held] == [acme.number]
