"""Money actions: appeasement, price match, coupons, charge override. Each takes an
idempotency key and is checked against the acting role's limits (or an approving lead's)."""

from __future__ import annotations

from customers.errors import NotFound
from customers.kernel import Actor
from orders.domain import adjustments
from orders.ports import OrdersUnitOfWork
from orders.schemas.commands import Appease, ApplyCoupon, OverrideCharge, PriceMatch, RemoveCoupon
from orders.schemas.views import OrderView
from orders.usecases.base import BeforeCommit, Step, run_action


async def appease(
    uow: OrdersUnitOfWork,
    actor: Actor,
    number: str,
    cmd: Appease,
    *,
    approver: Actor | None = None,
    before_commit: BeforeCommit | None = None,
) -> OrderView:
    async def step(s: Step) -> str:
        discount = adjustments.appease(
            s.order,
            amount=cmd.amount,
            percent=cmd.percent,
            line_id=cmd.line_id,
            reason=cmd.reason,
            note=cmd.note,
            actor=actor,
            authority=s.authority,
            at=s.now,
        )
        target = f"line {s.order.line(cmd.line_id).line_no}" if cmd.line_id else "the order"
        s.event_data.update(
            discount_id=discount.id, amount=str(discount.amount), reason_code=cmd.reason.value
        )
        return f"Appeasement of {discount.amount} on {target} ({cmd.reason.value})"

    return await run_action(
        uow,
        actor,
        number,
        "appeasement",
        step,
        request=cmd,
        expected_version=cmd.expected_version,
        reason=cmd.note or cmd.reason.value,
        idempotency_key=cmd.idempotency_key,
        approver=approver,
        before_commit=before_commit,
    )


async def price_match(
    uow: OrdersUnitOfWork,
    actor: Actor,
    number: str,
    cmd: PriceMatch,
    *,
    approver: Actor | None = None,
    before_commit: BeforeCommit | None = None,
) -> OrderView:
    """Match a competitor's lower price on a line: a per-unit discount and a price-match
    record that can be searched later."""

    async def step(s: Step) -> str:
        record = adjustments.price_match(
            s.order,
            cmd.line_id,
            competitor=cmd.competitor,
            competitor_price=cmd.competitor_price,
            competitor_url=cmd.competitor_url,
            actor=actor,
            authority=s.authority,
            at=s.now,
        )
        await s.uow.price_matches.add(record)
        s.event_data.update(price_match_id=record.id, line_id=record.line_id)
        return (
            f"Price matched {record.sku} to {record.competitor_price} ({record.competitor}), "
            f"was {record.our_price}"
        )

    return await run_action(
        uow,
        actor,
        number,
        "price_match",
        step,
        request=cmd,
        expected_version=cmd.expected_version,
        reason=f"Price match with {cmd.competitor}",
        idempotency_key=cmd.idempotency_key,
        approver=approver,
        before_commit=before_commit,
    )


async def apply_coupon(
    uow: OrdersUnitOfWork, actor: Actor, number: str, cmd: ApplyCoupon
) -> OrderView:
    async def step(s: Step) -> str:
        promotion = await s.uow.catalog.get_promotion(cmd.code.strip().upper())
        if promotion is None:
            raise NotFound("promotion code", cmd.code)
        adjustments.apply_coupon(s.order, promotion, actor, s.now)
        s.event_data["code"] = promotion.code
        return f"Code {promotion.code} applied: {promotion.description}"

    return await run_action(
        uow,
        actor,
        number,
        "apply_coupon",
        step,
        request=cmd,
        expected_version=cmd.expected_version,
        idempotency_key=cmd.idempotency_key,
    )


async def remove_coupon(
    uow: OrdersUnitOfWork, actor: Actor, number: str, cmd: RemoveCoupon
) -> OrderView:
    async def step(s: Step) -> str:
        adjustments.remove_coupon(s.order, cmd.code)
        return f"Code {cmd.code.upper()} removed"

    return await run_action(
        uow,
        actor,
        number,
        "remove_coupon",
        step,
        request=cmd,
        expected_version=cmd.expected_version,
    )


async def override_charge(
    uow: OrdersUnitOfWork,
    actor: Actor,
    number: str,
    cmd: OverrideCharge,
    *,
    approver: Actor | None = None,
    before_commit: BeforeCommit | None = None,
) -> OrderView:
    async def step(s: Step) -> str:
        previous = adjustments.override_charge(
            s.order, cmd.kind, cmd.amount, cmd.reason, authority=s.authority
        )
        s.event_data.update(kind=cmd.kind.value, previous=str(previous), amount=str(cmd.amount))
        return f"{cmd.kind.value.replace('_', ' ').capitalize()} charge {previous} -> {cmd.amount}"

    return await run_action(
        uow,
        actor,
        number,
        "override_charge",
        step,
        request=cmd,
        expected_version=cmd.expected_version,
        reason=cmd.reason,
        idempotency_key=cmd.idempotency_key,
        approver=approver,
        before_commit=before_commit,
    )
