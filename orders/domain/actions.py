"""What a CSR may do to a line right now: each action's own rule, tried without changing
anything. The console and slash-command help show only what would succeed."""

from __future__ import annotations

from collections.abc import Callable

from customers.errors import DomainError
from orders.domain.enums import DiscountKind, Fulfilment, LineStatus, Stage
from orders.domain.model import Order, OrderLine
from orders.domain.rules import (
    RETURNABLE,
    ensure_cancellable,
    ensure_changeable,
    ensure_draft,
    ensure_placed,
)


def _passes(check: Callable[[], None]) -> bool:
    try:
        check()
    except DomainError:
        return False
    return True


def allowed_line_actions(order: Order, line: OrderLine) -> list[str]:
    placed = order.is_placed and _passes(lambda: ensure_placed(order, "act"))
    changeable = _passes(lambda: ensure_changeable(order, line, "it"))
    actions: list[str] = []
    if order.is_draft_like and _passes(lambda: ensure_draft(order)):
        actions.append("remove")
    if changeable:
        actions += ["change_quantity", "change_variant", "change_configuration", "pickup"]
    if placed and _passes(lambda: ensure_cancellable(order, line)):
        actions.append("cancel")
    if placed and line.status is LineStatus.INCLUDED_IN_SHIPMENT:
        actions.append("stop_delivery")
    if placed and line.status in RETURNABLE and line.open_quantity > 0:
        actions += ["return", "reship"]
    if (
        line.fulfilment is Fulfilment.SHIP
        and line.bulky
        and line.status
        not in (
            LineStatus.DELIVERED,
            LineStatus.CANCELLED,
            LineStatus.RETURNED,
        )
    ):
        actions.append("reschedule_delivery")
    adjustable = line.status not in (LineStatus.CANCELLED, LineStatus.RETURNED)
    if placed and adjustable and line.billable_quantity > 0:
        actions.append("appease")
    matched = any(
        d.kind is DiscountKind.PRICE_MATCH and d.line_id == line.id for d in order.discounts
    )
    if (
        adjustable
        and not matched
        and line.billable_quantity > 0
        and order.stage is not Stage.DISCARDED
    ):
        actions.append("price_match")
    if placed and adjustable and line.status not in (LineStatus.SHIPPED, LineStatus.DELIVERED):
        actions.append("hold")
    return actions
