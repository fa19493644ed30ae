"""Holds: an order (or one line) stops progressing until someone resolves the hold."""

from __future__ import annotations

from datetime import datetime

from customers.kernel import Actor, new_id
from orders.domain.enums import HoldStatus, HoldType, LineStatus, OrderStatus
from orders.domain.limits import check_can_resolve
from orders.domain.model import Hold, Order
from orders.domain.rules import ensure_placed, line_facts, refuse

_DONE_LINE = frozenset(
    {LineStatus.SHIPPED, LineStatus.DELIVERED, LineStatus.CANCELLED, LineStatus.RETURNED}
)
_DONE_ORDER = frozenset({OrderStatus.SHIPPED, OrderStatus.DELIVERED, OrderStatus.RETURNED})


def apply_hold(
    order: Order,
    hold_type: HoldType,
    reason: str,
    actor: Actor,
    at: datetime,
    line_id: str | None = None,
) -> Hold:
    ensure_placed(order, "put it on hold")
    if line_id is not None:
        line = order.line(line_id)
        if line.status in _DONE_LINE:
            raise refuse(
                "nothing_to_hold",
                f"Line {line.line_no} ({line.sku}) is {line.status.value}: holding it would "
                "stop nothing.",
                **line_facts(line),
            )
    elif order.status in _DONE_ORDER:
        raise refuse(
            "nothing_to_hold",
            f"Order {order.number} is {order.status.value}: holding it would stop nothing.",
            number=order.number,
        )
    for hold in order.active_holds:
        if hold.type is hold_type and hold.line_id == line_id:
            raise refuse(
                "already_on_hold",
                f"There is already an active {hold_type.value} hold there.",
                hold_id=hold.id,
                type=hold_type,
                line_id=line_id,
            )
    hold = Hold(
        id=new_id("hold"),
        type=hold_type,
        reason=reason,
        created_by=actor.id,
        created_at=at,
        line_id=line_id,
    )
    order.holds.append(hold)
    return hold


def resolve_hold(order: Order, hold_id: str, note: str, actor: Actor, at: datetime) -> Hold:
    hold = order.hold(hold_id)
    if not hold.active:
        raise refuse(
            "hold_not_active",
            f"That {hold.type.value} hold was already resolved by {hold.resolved_by}.",
            hold_id=hold.id,
        )
    check_can_resolve(actor, hold.type)
    hold.status = HoldStatus.RESOLVED
    hold.resolved_by = actor.id
    hold.resolved_at = at
    hold.resolution = note
    return hold
