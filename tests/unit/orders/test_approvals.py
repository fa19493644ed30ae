"""Above a CSR's limit a lead approves: the request is stored as made and run on approval."""

from __future__ import annotations

from decimal import Decimal

import pytest

from customers.errors import DomainError
from orders.domain.approvals import ApprovalStatus
from orders.domain.enums import AppeasementReason, ChargeKind
from orders.schemas.commands import (
    Appease,
    CancelOrder,
    DecideApproval,
    OverrideCharge,
    PriceMatch,
    RequestApproval,
)
from orders.schemas.views import ApprovalQuery
from tests.unit.orders.builders import AGENT, AGENT_2, LEAD, World, key
from tests.unit.orders.fakes import CommerceState, Unchanged


def big_appeasement() -> Appease:
    return Appease(
        amount=Decimal("60.00"),
        reason=AppeasementReason.LATE_DELIVERY,
        note="arrived a week late",
        idempotency_key=key(),
    )


async def test_a_lead_approves_what_the_agent_may_not_give(world: World) -> None:
    order = await world.placed([(world.jacket_m, 3)])
    request = await world.shop.request_approval(
        AGENT, order.number, RequestApproval(appeasement=big_appeasement(), note="VIP")
    )
    assert request.status is ApprovalStatus.PENDING
    assert request.action == "appeasement" and request.request["amount"] == "60.00"
    pending = await world.shop.list_approvals(ApprovalQuery())
    assert [a.id for a in pending] == [request.id]
    unchanged = await world.shop.get_order(order.number)
    assert unchanged.version == order.version

    approved = await world.shop.approve(LEAD, request.id, DecideApproval(note="ok"))
    assert approved.status is ApprovalStatus.APPROVED and approved.decided_by == LEAD.id
    order = await world.shop.get_order(order.number)
    assert order.version == approved.result_version
    assert order.totals.order_discounts == Decimal("60.00")
    (last,) = [c for c in await world.shop.order_history(order.number) if c.action == "appeasement"]
    assert (last.actor_id, last.approved_by) == (AGENT.id, LEAD.id)
    assert await world.shop.list_approvals(ApprovalQuery()) == []


async def test_deciding_twice_self_approval_and_agents_deciding_are_refused(
    world: World, state: CommerceState
) -> None:
    order = await world.placed([(world.jacket_m, 3)])
    request = await world.shop.request_approval(
        AGENT, order.number, RequestApproval(appeasement=big_appeasement())
    )
    async with Unchanged(state):
        with pytest.raises(DomainError) as refused:
            await world.shop.approve(AGENT_2, request.id, DecideApproval())
        assert refused.value.code == "lead_required"
    await world.shop.reject(LEAD, request.id, DecideApproval(note="no"))
    async with Unchanged(state):
        with pytest.raises(DomainError) as refused:
            await world.shop.approve(LEAD, request.id, DecideApproval())
        assert refused.value.code == "approval_not_pending"
    own = await world.shop.request_approval(
        LEAD,
        order.number,
        RequestApproval(
            appeasement=Appease(amount=Decimal("210.00"), reason="goodwill", idempotency_key=key())
        ),
    )
    with pytest.raises(DomainError) as refused:
        await world.shop.approve(LEAD, own.id, DecideApproval())
    assert refused.value.code == "self_approval"
    assert (await world.shop.get_order(order.number)).totals.order_discounts == Decimal("0.00")


async def test_no_approval_needed_within_ones_own_limit(world: World, state: CommerceState) -> None:
    order = await world.placed([(world.jacket_m, 3)])
    small = Appease(amount=Decimal("5.00"), reason="goodwill", idempotency_key=key())
    async with Unchanged(state):
        with pytest.raises(DomainError) as refused:
            await world.shop.request_approval(
                AGENT, order.number, RequestApproval(appeasement=small)
            )
    assert refused.value.code == "approval_not_needed"


async def test_a_request_that_would_fail_anyway_is_refused_at_once(world: World) -> None:
    order = await world.placed([(world.boots, 1)])
    too_much = Appease(amount=Decimal("400.00"), reason="goodwill", idempotency_key=key())
    with pytest.raises(DomainError) as refused:
        await world.shop.request_approval(
            AGENT, order.number, RequestApproval(appeasement=too_much)
        )
    assert refused.value.code == "appeasement_exceeds_value"
    assert await world.shop.list_approvals(ApprovalQuery()) == []


async def test_an_approval_runs_against_the_order_as_it_is_then(world: World) -> None:
    order = await world.placed([(world.jacket_m, 1)])
    request = await world.shop.request_approval(
        AGENT,
        order.number,
        RequestApproval(
            price_match=PriceMatch(
                line_id=order.lines[0].id,
                competitor="Budget Outdoors",
                competitor_price=Decimal("60.00"),
                idempotency_key=key(),
            )
        ),
    )
    await world.shop.cancel_order(LEAD, order.number, CancelOrder(reason="customer left"))
    with pytest.raises(DomainError) as refused:
        await world.shop.approve(LEAD, request.id, DecideApproval())
    assert refused.value.code == "order_cancelled"
    still = await world.shop.list_approvals(ApprovalQuery())
    assert [a.status for a in still] == [ApprovalStatus.PENDING]


async def test_a_charge_waiver_approved_by_a_lead(world: World) -> None:
    order = await world.placed([(world.sofa, 1)])
    request = await world.shop.request_approval(
        AGENT,
        order.number,
        RequestApproval(
            override_charge=OverrideCharge(
                kind=ChargeKind.HANDLING,
                amount=Decimal("0"),
                reason="white glove promised",
                idempotency_key=key(),
            )
        ),
    )
    await world.shop.approve(LEAD, request.id, DecideApproval())
    order = await world.shop.get_order(order.number)
    handling = next(c for c in order.charges if c.kind is ChargeKind.HANDLING)
    assert handling.amount == Decimal("0.00") and handling.overridden
