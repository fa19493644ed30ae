"""Money actions: appeasement, price match, coupons, charge override; role limits; retries."""

from __future__ import annotations

from decimal import Decimal

import pytest
from pydantic import ValidationError

from customers.errors import DomainError
from customers.kernel import Actor
from orders.domain.enums import AppeasementReason, ChargeKind
from orders.schemas.commands import (
    Appease,
    ApplyCoupon,
    CancelLine,
    OverrideCharge,
    PriceMatch,
    RemoveCoupon,
)
from orders.schemas.views import PriceMatchQuery
from tests.unit.orders.builders import ADMIN, AGENT, LEAD, World, key
from tests.unit.orders.fakes import CommerceState, Unchanged

GOODWILL = AppeasementReason.GOODWILL


def appease(
    amount: str | None = None,
    *,
    percent: str | None = None,
    line_id: str | None = None,
    idem: str | None = None,
) -> Appease:
    return Appease(
        amount=Decimal(amount) if amount else None,
        percent=Decimal(percent) if percent else None,
        line_id=line_id,
        reason=GOODWILL,
        idempotency_key=idem or key("appease"),
    )


async def test_an_appeasement_lowers_the_total_and_the_authorization(world: World) -> None:
    order = await world.placed([(world.jacket_m, 2)])
    before = order.totals.grand_total
    order = await world.shop.appease(AGENT, order.number, appease("20.00"))
    assert order.totals.order_discounts == Decimal("20.00")
    # 20.00 off before tax is 21.25 off the total in Massachusetts.
    assert order.totals.grand_total == before - Decimal("21.25")
    assert order.totals.authorized == order.totals.grand_total
    assert order.discounts[0].code == "goodwill"


async def test_a_percentage_on_a_line(world: World) -> None:
    order = await world.placed([(world.jacket_m, 1), (world.boots, 1)])
    order = await world.shop.appease(
        AGENT, order.number, appease(percent="10", line_id=order.lines[0].id)
    )
    assert order.lines[0].discount == Decimal("8.00")
    assert order.lines[1].discount == Decimal("0.00")


async def test_above_the_agent_ceiling_is_refused_naming_the_limit(
    world: World, state: CommerceState
) -> None:
    order = await world.placed([(world.jacket_m, 3)])
    async with Unchanged(state):
        with pytest.raises(DomainError) as refused:
            await world.shop.appease(AGENT, order.number, appease("25.01"))
    assert refused.value.code == "limit_exceeded"
    assert refused.value.details == {
        "limit": "appeasement_amount",
        "role": "agent",
        "allowed": "25.00",
        "requested": "25.01",
        "approver_role": "lead",
    }
    assert "a lead can approve it" in refused.value.message
    # Exactly at the ceiling is fine; a lead goes higher.
    await world.shop.appease(AGENT, order.number, appease("25.00"))
    order = await world.shop.appease(LEAD, order.number, appease("100.00"))
    assert order.totals.order_discounts == Decimal("125.00")


async def test_the_percentage_ceiling_counts_too(world: World) -> None:
    order = await world.placed([(world.boots, 1)])
    with pytest.raises(DomainError) as refused:
        await world.shop.appease(AGENT, order.number, appease("10.00", line_id=order.lines[0].id))
    assert refused.value.details["limit"] == "appeasement_percent"


async def test_more_than_the_order_is_worth_is_refused(world: World) -> None:
    order = await world.placed([(world.boots, 1)])
    with pytest.raises(DomainError) as refused:
        await world.shop.appease(ADMIN, order.number, appease("500.00"))
    assert refused.value.code == "appeasement_exceeds_value"


def test_amount_and_percent_together_is_bad_input() -> None:
    with pytest.raises(ValidationError):
        Appease(amount=Decimal(1), percent=Decimal(1), reason=GOODWILL, idempotency_key="k" * 8)
    with pytest.raises(ValidationError):
        Appease(amount=Decimal("1.001"), reason=GOODWILL, idempotency_key="k" * 8)
    with pytest.raises(ValidationError):
        Appease(amount=Decimal(-5), reason=GOODWILL, idempotency_key="k" * 8)


async def test_a_retried_appeasement_credits_once_and_answers_the_same(
    world: World, state: CommerceState
) -> None:
    order = await world.placed([(world.jacket_m, 2)])
    first = await world.shop.appease(AGENT, order.number, appease("10.00", idem="call-42-appease"))
    world.clock.advance(seconds=30)
    again = await world.shop.appease(AGENT, order.number, appease("10.00", idem="call-42-appease"))
    assert again == first
    current = await world.shop.get_order(order.number)
    assert current.version == first.version
    assert len(current.discounts) == 1
    # The same key for another request is a client bug, said plainly.
    async with Unchanged(state):
        with pytest.raises(DomainError) as refused:
            await world.shop.appease(AGENT, order.number, appease("5.00", idem="call-42-appease"))
    assert refused.value.code == "idempotency_key_reused"


async def test_a_retry_is_answered_even_after_the_order_moved_on(world: World) -> None:
    order = await world.placed([(world.jacket_m, 2)])
    cmd = appease("10.00")
    first = await world.shop.appease(AGENT, order.number, cmd)
    await world.shop.appease(AGENT, order.number, appease("5.00"))
    stale_retry = cmd.model_copy(update={"expected_version": order.version})
    assert await world.shop.appease(AGENT, order.number, stale_retry) == first


async def test_price_match_discounts_the_line_and_is_searchable(world: World) -> None:
    order = await world.placed([(world.jacket_m, 2)], customer=world.dana)
    order = await world.shop.price_match(
        AGENT,
        order.number,
        PriceMatch(
            line_id=order.lines[0].id,
            competitor="Outdoor Depot",
            competitor_price=Decimal("72.00"),
            competitor_url="https://od.example/j",
            idempotency_key=key(),
        ),
    )
    assert order.lines[0].discount == Decimal("16.00")  # 8.00 a unit, 2 units
    found = await world.shop.search_price_matches(PriceMatchQuery(competitor="depot"))
    assert [(r.sku, r.competitor_price, r.our_price, r.order_number) for r in found] == [
        ("JKT-M-NVY", Decimal("72.00"), Decimal("80.00"), order.number)
    ]
    assert await world.shop.search_price_matches(PriceMatchQuery(customer_id=world.dana))
    assert not await world.shop.search_price_matches(PriceMatchQuery(sku="BOOT-42"))
    order = await world.shop.cancel_line(
        AGENT, order.number, CancelLine(line_id=order.lines[0].id, quantity=1, reason="x")
    )
    assert order.lines[0].discount == Decimal("8.00")  # the match follows the quantity


@pytest.mark.parametrize(
    ("actor", "price", "code"),
    [
        (AGENT, "80.00", "price_match_not_lower"),
        (AGENT, "95.00", "price_match_not_lower"),
        (AGENT, "67.99", "limit_exceeded"),  # below 85% of 80.00
        (LEAD, "39.99", "limit_exceeded"),  # below 50%
    ],
)
async def test_price_match_edges(
    world: World, state: CommerceState, actor: Actor, price: str, code: str
) -> None:
    order = await world.placed([(world.jacket_m, 1)])
    async with Unchanged(state):
        with pytest.raises(DomainError) as refused:
            await world.shop.price_match(
                actor,
                order.number,
                PriceMatch(
                    line_id=order.lines[0].id,
                    competitor="X",
                    competitor_price=Decimal(price),
                    idempotency_key=key(),
                ),
            )
    assert refused.value.code == code
    if code == "limit_exceeded":
        assert refused.value.details["limit"] == "price_override_floor"


async def test_a_line_is_price_matched_once(world: World) -> None:
    order = await world.placed([(world.jacket_m, 1)])
    cmd = PriceMatch(
        line_id=order.lines[0].id,
        competitor="X",
        competitor_price=Decimal("75.00"),
        idempotency_key=key(),
    )
    order = await world.shop.price_match(AGENT, order.number, cmd)
    assert "price_match" not in order.lines[0].allowed_actions
    with pytest.raises(DomainError) as refused:
        await world.shop.price_match(
            AGENT, order.number, cmd.model_copy(update={"idempotency_key": key()})
        )
    assert refused.value.code == "already_price_matched"


async def test_coupons(world: World) -> None:
    order = await world.draft([(world.jacket_m, 1)])
    order = await world.shop.apply_coupon(
        AGENT, order.number, ApplyCoupon(code="spring10", idempotency_key=key())
    )
    assert order.totals.order_discounts == Decimal("8.00")
    for code, expected in (
        ("SPRING10", "coupon_already_applied"),
        ("NOPE", "not_found"),
        ("BIG20", "coupon_not_applicable"),
    ):
        with pytest.raises(DomainError) as refused:
            await world.shop.apply_coupon(
                AGENT, order.number, ApplyCoupon(code=code, idempotency_key=key())
            )
        assert refused.value.code == expected
    order = await world.shop.apply_coupon(
        AGENT, order.number, ApplyCoupon(code="SHIPFREE", idempotency_key=key())
    )
    assert order.totals.charge_discounts == Decimal("7.95")
    order = await world.shop.remove_coupon(AGENT, order.number, RemoveCoupon(code="spring10"))
    assert [d.code for d in order.discounts] == ["SHIPFREE"]
    with pytest.raises(DomainError) as refused:
        await world.shop.remove_coupon(AGENT, order.number, RemoveCoupon(code="spring10"))
    assert refused.value.code == "coupon_not_applied"


async def test_an_expired_coupon(world: World) -> None:
    from orders.catalog.model import PromotionKind
    from orders.catalog.schemas import NewPromotion

    await world.shop.add_promotion(
        NewPromotion(
            code="WINTER", kind=PromotionKind.AMOUNT, value=Decimal(5), ends_at=world.clock()
        )
    )
    order = await world.draft([(world.jacket_m, 1)])
    with pytest.raises(DomainError) as refused:
        await world.shop.apply_coupon(
            AGENT, order.number, ApplyCoupon(code="WINTER", idempotency_key=key())
        )
    assert refused.value.code == "coupon_expired"


async def test_waiving_shipping_within_the_limit(world: World, state: CommerceState) -> None:
    order = await world.placed([(world.boots, 1)])
    order = await world.shop.override_charge(
        AGENT,
        order.number,
        OverrideCharge(
            kind=ChargeKind.SHIPPING,
            amount=Decimal("0"),
            reason="late last time",
            idempotency_key=key(),
        ),
    )
    shipping = next(c for c in order.charges if c.kind is ChargeKind.SHIPPING)
    assert (shipping.amount, shipping.rule_amount, shipping.overridden) == (
        Decimal("0.00"),
        Decimal("7.95"),
        True,
    )
    sofa = await world.placed([(world.sofa, 1)])
    async with Unchanged(state):
        with pytest.raises(DomainError) as refused:
            await world.shop.override_charge(
                AGENT,
                sofa.number,
                OverrideCharge(
                    kind=ChargeKind.HANDLING, amount=Decimal("0"), reason="x", idempotency_key=key()
                ),
            )
    assert refused.value.code == "limit_exceeded"
    assert refused.value.details["limit"] == "charge_override"
