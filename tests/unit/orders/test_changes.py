"""Changing a placed order: each change allowed only where it makes sense, refused with a
reason (and nothing changed) elsewhere."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from customers.errors import DomainError
from customers.schemas import AddressModel
from orders.domain.enums import Fulfilment, LineStatus
from orders.schemas.commands import (
    AddLine,
    AddNote,
    ChangeAddress,
    ChangeConfiguration,
    ChangeGiftOptions,
    ChangePayment,
    ChangeQuantity,
    ChangeToPickup,
    ChangeVariant,
    LineGiftIn,
    PaymentInstructionIn,
    RemoveLine,
    RescheduleDelivery,
    ScheduleOrder,
    SetShipTogether,
    SetTaxExemption,
)
from tests.unit.orders.builders import AGENT, WMS, World
from tests.unit.orders.fakes import CommerceState, Unchanged

NEW_HOME = AddressModel(
    name="Dana Whitfield", line1="9 Pine St", city="Nashua", region="NH", postal_code="03060"
)


def stock(state: CommerceState, location: str, variant: str) -> tuple[int, int]:
    level = state.stock[(location, variant)]
    return level.on_hand, level.reserved


async def test_change_quantity_before_release_reprices_and_reauthorizes(world: World) -> None:
    order = await world.placed([(world.jacket_m, 1)])
    changed = await world.shop.change_quantity(
        AGENT,
        order.number,
        ChangeQuantity(line_id=order.lines[0].id, quantity=3, expected_version=order.version),
    )
    assert changed.lines[0].quantity == 3
    assert changed.totals.merchandise == Decimal("240.00")
    assert changed.totals.authorized == changed.totals.grand_total
    assert changed.version == order.version + 1


async def test_a_scheduled_line_gives_its_stock_back_when_changed(
    world: World, state: CommerceState
) -> None:
    order = await world.placed([(world.jacket_m, 2)])
    order = await world.shop.schedule_order(WMS, order.number, ScheduleOrder())
    assert stock(state, world.dc, world.jacket_m) == (50, 2)
    changed = await world.shop.change_variant(
        AGENT, order.number, ChangeVariant(line_id=order.lines[0].id, variant_id=world.jacket_l)
    )
    assert stock(state, world.dc, world.jacket_m) == (50, 0)
    assert changed.lines[0].sku == "JKT-L-NVY"
    assert changed.lines[0].status is LineStatus.CREATED  # to be scheduled again


@pytest.mark.parametrize(
    "change",
    ["quantity", "variant", "configuration", "pickup"],
)
async def test_lines_released_to_the_warehouse_cannot_change(
    world: World, state: CommerceState, change: str
) -> None:
    order = await world.released([(world.jacket_m, 1)])
    line = order.lines[0]
    commands = {
        "quantity": lambda: world.shop.change_quantity(
            AGENT, order.number, ChangeQuantity(line_id=line.id, quantity=2)
        ),
        "variant": lambda: world.shop.change_variant(
            AGENT, order.number, ChangeVariant(line_id=line.id, variant_id=world.jacket_l)
        ),
        "configuration": lambda: world.shop.change_configuration(
            AGENT,
            order.number,
            ChangeConfiguration(line_id=line.id, configuration={"monogram": "DW"}),
        ),
        "pickup": lambda: world.shop.change_to_pickup(
            AGENT,
            order.number,
            ChangeToPickup(
                line_id=line.id, store_id=world.cambridge, pickup_date=world.clock().date()
            ),
        ),
    }
    async with Unchanged(state):
        with pytest.raises(DomainError) as refused:
            await commands[change]()
    assert refused.value.code == "line_not_changeable"
    assert refused.value.details["status"] == "released"
    assert "released" in refused.value.message


async def test_a_variant_of_another_product_is_a_new_line(world: World) -> None:
    order = await world.placed([(world.jacket_m, 1)])
    with pytest.raises(DomainError) as refused:
        await world.shop.change_variant(
            AGENT, order.number, ChangeVariant(line_id=order.lines[0].id, variant_id=world.boots)
        )
    assert refused.value.code == "variant_of_other_product"


async def test_configuration_keys_must_be_offered(world: World) -> None:
    order = await world.placed([(world.jacket_m, 1)])
    line = order.lines[0]
    order = await world.shop.change_configuration(
        AGENT, order.number, ChangeConfiguration(line_id=line.id, configuration={"monogram": "DW"})
    )
    assert order.lines[0].configuration == {"monogram": "DW"}
    with pytest.raises(DomainError) as refused:
        await world.shop.change_configuration(
            AGENT, order.number, ChangeConfiguration(line_id=line.id, configuration={"hem": "2in"})
        )
    assert refused.value.code == "invalid_configuration"


async def test_add_lines_until_the_order_has_shipped(world: World) -> None:
    order = await world.placed([(world.jacket_m, 1)])
    order = await world.shop.add_line(AGENT, order.number, AddLine(variant_id=world.mug))
    assert [line.line_no for line in order.lines] == [1, 2]
    shipped = await world.shipped([(world.boots, 1)])
    with pytest.raises(DomainError) as refused:
        await world.shop.add_line(AGENT, shipped.number, AddLine(variant_id=world.mug))
    assert refused.value.code == "order_closed"


async def test_remove_line_is_for_drafts_cancel_is_for_placed_orders(world: World) -> None:
    draft = await world.draft([(world.jacket_m, 1), (world.mug, 1)])
    draft = await world.shop.remove_line(AGENT, draft.number, RemoveLine(line_id=draft.lines[1].id))
    assert [line.sku for line in draft.lines] == ["JKT-M-NVY"]
    placed = await world.placed([(world.jacket_m, 1)])
    with pytest.raises(DomainError) as refused:
        await world.shop.remove_line(AGENT, placed.number, RemoveLine(line_id=placed.lines[0].id))
    assert refused.value.code == "order_already_placed"


async def test_ship_to_changes_until_a_line_is_packed(world: World, state: CommerceState) -> None:
    order = await world.placed([(world.jacket_m, 1)])
    moved = await world.shop.change_ship_to(
        AGENT, order.number, ChangeAddress(address=NEW_HOME, reason="moved")
    )
    assert moved.ship_to == NEW_HOME
    assert moved.totals.tax == Decimal("0.00")  # New Hampshire
    packed = await world.packed([(world.jacket_m, 1)])
    async with Unchanged(state):
        with pytest.raises(DomainError) as refused:
            await world.shop.change_ship_to(AGENT, packed.number, ChangeAddress(address=NEW_HOME))
    assert refused.value.code == "stop_delivery_required"


async def test_pickup_in_a_store_that_has_it(world: World, state: CommerceState) -> None:
    order = await world.placed([(world.jacket_m, 3)])
    line = order.lines[0]
    today = world.clock().date()
    async with Unchanged(state):
        with pytest.raises(DomainError) as refused:
            await world.shop.change_to_pickup(
                AGENT,
                order.number,
                ChangeToPickup(line_id=line.id, store_id=world.back_bay, pickup_date=today),
            )
    assert refused.value.code == "insufficient_stock"
    assert refused.value.details["available"] == 2
    picked = await world.shop.change_to_pickup(
        AGENT,
        order.number,
        ChangeToPickup(
            line_id=line.id, store_id=world.cambridge, pickup_date=today + timedelta(days=2)
        ),
    )
    assert picked.lines[0].fulfilment is Fulfilment.PICKUP
    assert picked.lines[0].pickup_date == today + timedelta(days=2)
    assert picked.lines[0].status is LineStatus.SCHEDULED
    assert stock(state, world.cambridge, world.jacket_m) == (6, 3)
    assert {c.kind.value: str(c.amount) for c in picked.charges}["shipping"] == "0.00"


@pytest.mark.parametrize("days", [-1, 15])
async def test_pickup_dates_outside_the_window_are_refused(world: World, days: int) -> None:
    order = await world.placed([(world.jacket_m, 1)])
    with pytest.raises(DomainError) as refused:
        await world.shop.change_to_pickup(
            AGENT,
            order.number,
            ChangeToPickup(
                line_id=order.lines[0].id,
                store_id=world.cambridge,
                pickup_date=world.clock().date() + timedelta(days=days),
            ),
        )
    assert refused.value.code == "invalid_pickup_date"


async def test_a_warehouse_is_not_a_pickup_store(world: World) -> None:
    order = await world.placed([(world.jacket_m, 1)])
    with pytest.raises(DomainError) as refused:
        await world.shop.change_to_pickup(
            AGENT,
            order.number,
            ChangeToPickup(
                line_id=order.lines[0].id, store_id=world.dc, pickup_date=world.clock().date()
            ),
        )
    assert refused.value.code == "store_not_pickup"


async def test_reschedule_a_freight_delivery(world: World) -> None:
    order = await world.placed([(world.sofa, 1), (world.mug, 1)])
    sofa, mug = order.lines
    when = world.clock().date() + timedelta(days=5)
    order = await world.shop.reschedule_delivery(
        AGENT,
        order.number,
        RescheduleDelivery(line_id=sofa.id, delivery_date=when, window="08:00-12:00"),
    )
    assert (order.lines[0].appointment_date, order.lines[0].appointment_window) == (
        when,
        "08:00-12:00",
    )
    for line_id, day, window, code in (
        (mug.id, when, "08:00-12:00", "no_delivery_appointment"),
        (sofa.id, world.clock().date(), "08:00-12:00", "invalid_appointment"),
        (sofa.id, when, "03:00-04:00", "invalid_appointment"),
        (sofa.id, when, "08:00-12:00", "no_change"),
    ):
        with pytest.raises(DomainError) as refused:
            await world.shop.reschedule_delivery(
                AGENT,
                order.number,
                RescheduleDelivery(line_id=line_id, delivery_date=day, window=window),
            )
        assert refused.value.code == code


async def test_gift_options_until_packed(world: World) -> None:
    order = await world.placed([(world.jacket_m, 1), (world.mug, 1)])
    order = await world.shop.change_gift_options(
        AGENT,
        order.number,
        ChangeGiftOptions(
            is_gift=True,
            message="Enjoy!",
            recipient="Ann",
            lines=[LineGiftIn(line_id=order.lines[1].id, gift_wrap=True)],
        ),
    )
    assert order.gift.is_gift and order.lines[1].gift_wrap
    assert {c.kind.value: str(c.amount) for c in order.charges}["gift_wrap"] == "5.00"
    packed = await world.packed([(world.boots, 1)])
    with pytest.raises(DomainError) as refused:
        await world.shop.change_gift_options(
            AGENT,
            packed.number,
            ChangeGiftOptions(
                is_gift=True, lines=[LineGiftIn(line_id=packed.lines[0].id, gift_wrap=True)]
            ),
        )
    assert refused.value.code == "line_not_changeable"


async def test_change_payment_to_a_split(world: World) -> None:
    order = await world.placed([(world.jacket_m, 2)])
    total = order.totals.grand_total
    order = await world.shop.change_payment(
        AGENT,
        order.number,
        ChangePayment(
            payments=[
                PaymentInstructionIn(
                    kind="gift_card",
                    token="gc_1",
                    brand="gift_card",
                    last4="9911",
                    amount=Decimal("50.00"),
                ),
                PaymentInstructionIn(
                    token="tok_amex", brand="amex", last4="0005", exp_month=1, exp_year=2031
                ),
            ],
            reason="customer asked",
        ),
    )
    active = [p for p in order.payments if p.active]
    assert [(p.last4, p.max_amount) for p in active] == [("9911", Decimal("50.00")), ("0005", None)]
    by_method = {p.id: p.last4 for p in order.payments}
    auths = [(by_method[t.instruction_id], t.kind.value, t.amount) for t in order.transactions]
    assert auths == [
        ("4242", "authorization", total),
        ("4242", "void", total),
        ("9911", "authorization", Decimal("50.00")),
        ("0005", "authorization", total - Decimal("50.00")),
    ]


async def test_a_saved_method_of_another_customer_is_not_found(world: World) -> None:
    order = await world.placed([(world.mug, 1)])
    with pytest.raises(DomainError) as refused:
        await world.shop.change_payment(
            AGENT,
            order.number,
            ChangePayment(payments=[PaymentInstructionIn(payment_method_id="pm_someone_else")]),
        )
    assert refused.value.code == "not_found"


async def test_two_remainder_methods_are_refused(world: World) -> None:
    order = await world.placed([(world.mug, 1)])
    card = PaymentInstructionIn(token="t1", brand="visa", last4="1111")
    with pytest.raises(DomainError) as refused:
        await world.shop.change_payment(AGENT, order.number, ChangePayment(payments=[card, card]))
    assert refused.value.code == "invalid_payment_split"


async def test_ship_together_and_tax_exemption(world: World) -> None:
    order = await world.placed([(world.jacket_m, 1)])
    order = await world.shop.set_ship_together(
        AGENT, order.number, SetShipTogether(ship_together=True)
    )
    assert order.ship_together
    with pytest.raises(DomainError) as refused:
        await world.shop.set_tax_exemption(AGENT, order.number, SetTaxExemption(exempt=True))
    assert refused.value.code == "exemption_certificate_required"
    order = await world.shop.set_tax_exemption(
        AGENT, order.number, SetTaxExemption(exempt=True, certificate="MA-EX-1")
    )
    assert order.totals.tax == Decimal("0.00")
    shipped = await world.shipped([(world.boots, 1)])
    with pytest.raises(DomainError) as refused:
        await world.shop.set_tax_exemption(
            AGENT, shipped.number, SetTaxExemption(exempt=True, certificate="MA-EX-1")
        )
    assert refused.value.code == "already_invoiced"


async def test_notes_can_be_emailed_and_never_hold_card_numbers(
    world: World, state: CommerceState
) -> None:
    order = await world.placed([(world.mug, 1)])
    order = await world.shop.add_note(
        AGENT, order.number, AddNote(text="Your parcel leaves tomorrow.", email_customer=True)
    )
    assert order.notes[0].emailed
    mail = [m for m in state.outbox if m["topic"] == "order_note"]
    assert mail[0]["to"] == "dana@example.com"
    assert mail[0]["data"]["text"] == "Your parcel leaves tomorrow."
    async with Unchanged(state):
        with pytest.raises(DomainError) as refused:
            await world.shop.add_note(AGENT, order.number, AddNote(text="card 4242424242424242"))
    assert refused.value.code == "card_number_not_allowed"
    assert date.today()  # notes carry no dates of their own


async def test_today_is_the_shops_today_even_late_in_the_evening(world: World) -> None:
    order = await world.placed([(world.jacket_m, 1)])
    # 20:30 in Boston is already tomorrow in UTC.
    world.clock.current = world.clock.current.replace(day=3, hour=1, minute=30)
    boston_today = date(2026, 3, 2)
    picked = await world.shop.change_to_pickup(
        AGENT,
        order.number,
        ChangeToPickup(
            line_id=order.lines[0].id, store_id=world.cambridge, pickup_date=boston_today
        ),
    )
    assert picked.lines[0].pickup_date == boston_today
