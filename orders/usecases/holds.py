"""Holds: put an order or line on hold, resolve it, and the list leads work through."""

from __future__ import annotations

from customers.kernel import Actor
from orders.domain import holds
from orders.ports import OrderSearch, OrdersUnitOfWork
from orders.schemas.commands import ApplyHold, ResolveHold
from orders.schemas.views import HeldOrderView, OrderView
from orders.summaries import summary_view
from orders.usecases.base import Step, run_action
from orders.views import hold_view


async def apply_hold(uow: OrdersUnitOfWork, actor: Actor, number: str, cmd: ApplyHold) -> OrderView:
    async def step(s: Step) -> str:
        hold = holds.apply_hold(s.order, cmd.type, cmd.reason, actor, s.now, cmd.line_id)
        s.event_data.update(hold_id=hold.id, hold_type=hold.type.value, line_id=hold.line_id)
        where = f"line {s.order.line(cmd.line_id).line_no}" if cmd.line_id else "order"
        return f"{cmd.type.value.replace('_', ' ').capitalize()} hold on the {where}"

    return await run_action(
        uow,
        actor,
        number,
        "apply_hold",
        step,
        request=cmd,
        expected_version=cmd.expected_version,
        reason=cmd.reason,
    )


async def resolve_hold(
    uow: OrdersUnitOfWork, actor: Actor, number: str, cmd: ResolveHold
) -> OrderView:
    async def step(s: Step) -> str:
        hold = holds.resolve_hold(s.order, cmd.hold_id, cmd.note, actor, s.now)
        s.event_data.update(
            hold_id=hold.id, hold_type=hold.type.value, still_on_hold=s.order.on_hold
        )
        return f"{hold.type.value.replace('_', ' ').capitalize()} hold resolved"

    return await run_action(
        uow,
        actor,
        number,
        "resolve_hold",
        step,
        request=cmd,
        expected_version=cmd.expected_version,
        reason=cmd.note,
    )


async def orders_on_hold(
    uow: OrdersUnitOfWork, limit: int = 50, offset: int = 0
) -> list[HeldOrderView]:
    """Orders with an active hold (on the order or a line), oldest first."""
    async with uow:
        found = await uow.orders.search(
            OrderSearch(on_hold=True, include_drafts=False, limit=limit, offset=offset)
        )
        result = []
        for summary in sorted(found, key=lambda s: s.created_at):
            order = await uow.orders.get(summary.id)
            if order is None:
                continue
            result.append(
                HeldOrderView(
                    order=summary_view(summary),
                    holds=[hold_view(h) for h in order.active_holds],
                )
            )
    return result
