"""Writing an order: from scratch, from a cart, as a copy; placing it, parking it as a quote,
discarding it."""

from __future__ import annotations

from decimal import Decimal

import pytest
from pydantic import ValidationError

from customers.errors import DomainError
from customers.schemas import AddCartItem, AddressModel, CartOwnerIn, PreferencesModel
from orders.domain.enums import OrderStatus, Stage
from orders.schemas.commands import (
    AddLine,
    ChangePayment,
    ChangeQuantity,
    ConfirmOrder,
    CopyOrder,
    CreateDraft,
    DiscardDraft,
    DraftFromCart,
    GuestIn,
    NewLineIn,
    PaymentInstructionIn,
    SaveQuote,
    SetConfirmationEmail,
)
from tests.unit.orders.builders import AGENT, HOME, World
from tests.unit.orders.fakes import CommerceState


async def test_a_draft_for_a_customer_takes_their_address_and_card(world: World) -> None:
    order = await world.draft([(world.jacket_m, 1), (world.boots, 2)])
    assert order.number == "CL100001"
    assert order.status is OrderStatus.DRAFT
    assert order.customer_name == "Dana Whitfield"
    assert order.ship_to == HOME and order.bill_to == HOME
    assert [p.label for p in order.payments] == ["visa ending 4242"]
    assert [(line.sku, line.quantity) for line in order.lines] == [
        ("JKT-M-NVY", 1),
        ("BOOT-42", 2),
    ]
    assert order.totals.merchandise == Decimal("160.00")
    assert order.transactions == []  # a draft moves no money
    assert order.lines[0].allowed_actions[:2] == ["remove", "change_quantity"]


async def test_numbers_count_up(world: World) -> None:
    first = await world.draft([(world.mug, 1)])
    second = await world.draft([(world.mug, 1)])
    assert (first.number, second.number) == ("CL100001", "CL100002")


async def test_a_guest_can_order_with_gift_wrap(world: World) -> None:
    order = await world.shop.create_draft(
        AGENT,
        CreateDraft(
            guest=GuestIn(name="Sam Guest", email="sam@example.com"),
            ship_to=AddressModel(
                name="Grandma", line1="3 Oak Ln", city="Newton", region="MA", postal_code="02458"
            ),
            lines=[
                NewLineIn(
                    variant_id=world.mug, quantity=1, gift_wrap=True, gift_message="Happy birthday"
                )
            ],
        ),
    )
    card = PaymentInstructionIn(
        token="tok_guest", brand="mastercard", last4="4444", exp_month=5, exp_year=2030
    )
    order = await world.shop.change_payment(AGENT, order.number, ChangePayment(payments=[card]))
    placed = await world.shop.confirm_order(AGENT, order.number, ConfirmOrder())
    assert placed.customer_id is None and placed.customer_name == "Sam Guest"
    assert {c.kind.value: str(c.amount) for c in placed.charges}["gift_wrap"] == "5.00"
    assert placed.lines[0].gift_message == "Happy birthday"
    assert placed.totals.authorized == placed.totals.grand_total


async def test_unknown_variants_and_customers_are_refused(world: World) -> None:
    with pytest.raises(DomainError) as refused:
        await world.draft([("var_nope", 1)])
    assert refused.value.code == "not_found"
    with pytest.raises(DomainError) as refused:
        await world.draft([(world.mug, 1)], customer="cus_nobody")
    assert refused.value.code == "not_found"


def test_customer_and_guest_together_is_bad_input() -> None:
    with pytest.raises(ValidationError):
        CreateDraft(customer_id="c1", guest=GuestIn(name="x"))


async def test_pulling_a_cart_locks_it_until_the_order_is_placed(
    world: World, state: CommerceState
) -> None:
    cart = await world.shop.get_or_create_cart(
        CartOwnerIn(visitor_id="vis-1", customer_id=world.dana)
    )
    cart = await world.shop.add_cart_item(
        cart.id, AddCartItem(variant_id=world.jacket_m, quantity=2)
    )
    order = await world.shop.draft_from_cart(
        AGENT, DraftFromCart(visitor_id="vis-1", customer_id=world.dana)
    )
    assert order.source_cart_id == cart.id
    assert [(line.sku, line.quantity) for line in order.lines] == [("JKT-M-NVY", 2)]
    locked = await world.shop.get_cart(cart.id)
    assert locked.status == "locked" and locked.locked_by_order == order.number
    with pytest.raises(DomainError) as refused:
        await world.shop.add_cart_item(cart.id, AddCartItem(variant_id=world.boots))
    assert refused.value.code == "cart_locked"
    assert (await world.shop.get_cart(cart.id)).item_count == 2
    with pytest.raises(DomainError) as refused:
        await world.shop.draft_from_cart(AGENT, DraftFromCart(cart_id=cart.id))
    assert refused.value.code == "cart_locked"

    await world.shop.confirm_order(AGENT, order.number, ConfirmOrder())
    assert (await world.shop.get_cart(cart.id)).status == "converted"
    fresh = await world.shop.get_or_create_cart(CartOwnerIn(customer_id=world.dana))
    assert fresh.id != cart.id and fresh.lines == []


async def test_discarding_the_draft_gives_the_cart_back(world: World) -> None:
    cart = await world.shop.get_or_create_cart(CartOwnerIn(visitor_id="vis-2"))
    await world.shop.add_cart_item(cart.id, AddCartItem(variant_id=world.mug))
    order = await world.shop.draft_from_cart(AGENT, DraftFromCart(cart_id=cart.id))
    assert order.customer_id is None
    discarded = await world.shop.discard_draft(AGENT, order.number, DiscardDraft(reason="dup"))
    assert discarded.status is OrderStatus.DISCARDED
    cart = await world.shop.get_cart(cart.id)
    assert cart.status == "active"
    await world.shop.add_cart_item(cart.id, AddCartItem(variant_id=world.mug))
    with pytest.raises(DomainError) as refused:
        await world.shop.add_line(AGENT, order.number, AddLine(variant_id=world.mug))
    assert refused.value.code == "order_discarded"


async def test_an_empty_cart_makes_no_draft(world: World, state: CommerceState) -> None:
    cart = await world.shop.get_or_create_cart(CartOwnerIn(visitor_id="vis-3"))
    with pytest.raises(DomainError) as refused:
        await world.shop.draft_from_cart(AGENT, DraftFromCart(cart_id=cart.id))
    assert refused.value.code == "cart_empty"
    assert state.orders == {}
    assert state.carts[cart.id].status.value == "active"


async def test_a_copy_takes_what_is_still_sold_at_todays_prices(world: World) -> None:
    source = await world.placed([(world.jacket_m, 1), (world.retired, 2)])
    await world.shop.set_variant_active(world.retired, False)
    copy = await world.shop.copy_order(AGENT, source.number, CopyOrder())
    assert copy.copied_from == source.number
    assert copy.status is OrderStatus.DRAFT
    assert [line.sku for line in copy.lines] == ["JKT-M-NVY"]
    assert copy.warnings == ["SCARF-OLD is no longer sold and was not copied"]
    assert copy.ship_to == source.ship_to and copy.customer_id == source.customer_id
    assert [p.last4 for p in copy.payments] == ["4242"]


@pytest.mark.parametrize(
    ("setup", "code"),
    [
        ("no_lines", "empty_order"),
        ("no_address", "ship_to_required"),
        ("no_payment", "payment_required"),
        ("no_contact", "customer_required"),
    ],
)
async def test_an_incomplete_order_cannot_be_placed(
    world: World, state: CommerceState, setup: str, code: str
) -> None:
    if setup == "no_lines":
        order = await world.draft([])
    elif setup == "no_contact":
        order = await world.shop.create_draft(
            AGENT,
            CreateDraft(
                guest=GuestIn(name="Anon"), ship_to=HOME, lines=[NewLineIn(variant_id=world.mug)]
            ),
        )
    else:
        order = await world.shop.create_draft(
            AGENT,
            CreateDraft(
                guest=GuestIn(name="Sam", email="sam@example.com"),
                ship_to=None if setup == "no_address" else HOME,
                lines=[NewLineIn(variant_id=world.mug)],
            ),
        )
    with pytest.raises(DomainError) as refused:
        await world.shop.confirm_order(AGENT, order.number, ConfirmOrder())
    assert refused.value.code == code
    assert state.orders[order.id].stage is Stage.DRAFT
    assert state.orders[order.id].transactions == []


async def test_the_confirmation_email_follows_the_preference_unless_overridden(
    world: World, state: CommerceState
) -> None:
    def emails() -> list[str]:
        return [m["to"] for m in state.outbox if m["topic"] == "order_confirmation"]

    await world.placed([(world.mug, 1)])
    assert emails() == ["dana@example.com"]
    await world.shop.update_preferences(
        world.dana, PreferencesModel(order_confirmation_email=False)
    )
    await world.placed([(world.mug, 1)])
    assert emails() == ["dana@example.com"]
    once = await world.draft([(world.mug, 1)])
    await world.shop.set_confirmation_email(AGENT, once.number, SetConfirmationEmail(send=True))
    await world.shop.confirm_order(AGENT, once.number, ConfirmOrder())
    assert emails() == ["dana@example.com", "dana@example.com"]


async def test_the_override_is_for_drafts_only(world: World) -> None:
    order = await world.placed([(world.mug, 1)])
    with pytest.raises(DomainError) as refused:
        await world.shop.set_confirmation_email(
            AGENT, order.number, SetConfirmationEmail(send=False)
        )
    assert refused.value.code == "order_already_placed"


async def test_a_quote_can_be_placed_until_it_expires(world: World) -> None:
    order = await world.draft([(world.jacket_m, 3)], customer=world.acme)
    quote = await world.shop.save_quote(AGENT, order.number, SaveQuote(valid_days=7))
    assert quote.status is OrderStatus.QUOTE and quote.tax_exempt
    assert quote.totals.tax == Decimal("0.00")
    quote = await world.shop.change_quantity(
        AGENT, quote.number, ChangeQuantity(line_id=quote.lines[0].id, quantity=4)
    )
    world.clock.advance(days=8)
    with pytest.raises(DomainError) as refused:
        await world.shop.confirm_order(AGENT, quote.number, ConfirmOrder())
    assert refused.value.code == "quote_expired"
    copy = await world.shop.copy_order(AGENT, quote.number, CopyOrder())
    placed = await world.shop.confirm_order(AGENT, copy.number, ConfirmOrder())
    assert placed.lines[0].quantity == 4
    assert placed.payments[0].kind.value == "on_account"
