"""Which action is allowed where: the guards every order action calls first.

A guard raises ``Refused`` with a stable code and a message saying why, naming the line and its
status, so that the CSR (and the shopper on the other end of the chat) hears a reason, not "no".
"""

from __future__ import annotations

from customers.errors import InvalidInput, Refused
from orders.domain.enums import LineStatus, OrderStatus, Stage
from orders.domain.model import Order, OrderLine

# How far along a line is, for the order's overall status.
_RANK = {
    LineStatus.CREATED: 0,
    LineStatus.BACKORDERED: 0,
    LineStatus.SCHEDULED: 1,
    LineStatus.RELEASED: 2,
    LineStatus.INCLUDED_IN_SHIPMENT: 3,
    LineStatus.SHIPPED: 4,
    LineStatus.DELIVERED: 5,
    LineStatus.RETURNED: 6,
}
_STATUS_AT_RANK = {
    1: OrderStatus.SCHEDULED,
    2: OrderStatus.RELEASED,
    3: OrderStatus.INCLUDED_IN_SHIPMENT,
}

# Before the warehouse has it: the line can still be changed freely.
CHANGEABLE = frozenset({LineStatus.CREATED, LineStatus.BACKORDERED, LineStatus.SCHEDULED})
CANCELLABLE = CHANGEABLE | {LineStatus.RELEASED}
# Not yet in a parcel: the address can still change.
REDIRECTABLE = CANCELLABLE
RETURNABLE = frozenset({LineStatus.SHIPPED, LineStatus.DELIVERED})
CLOSED_ORDER = frozenset({OrderStatus.CANCELLED, OrderStatus.DISCARDED})


def derive_status(order: Order) -> OrderStatus:
    if order.stage is Stage.DRAFT:
        return OrderStatus.DRAFT
    if order.stage is Stage.QUOTE:
        return OrderStatus.QUOTE
    if order.stage is Stage.DISCARDED:
        return OrderStatus.DISCARDED
    active = order.active_lines
    if not active:
        return OrderStatus.CANCELLED
    if all(line.status is LineStatus.RETURNED for line in active):
        return OrderStatus.RETURNED
    ranks = [_RANK[line.status] for line in active if line.status is not LineStatus.RETURNED]
    low, high = min(ranks), max(ranks)
    if low >= 5:
        return OrderStatus.DELIVERED
    if low == 4:
        return OrderStatus.SHIPPED
    if high >= 4:
        return OrderStatus.PARTIALLY_SHIPPED
    if low == 0:
        waiting = [line for line in active if _RANK[line.status] == 0]
        if all(line.status is LineStatus.BACKORDERED for line in waiting):
            return OrderStatus.BACKORDERED
        return OrderStatus.CREATED
    return _STATUS_AT_RANK[low]


def refuse(code: str, message: str, **details: object) -> Refused:
    return Refused(message, code=code, details=dict(details))


def line_facts(line: OrderLine) -> dict[str, object]:
    return {"line_id": line.id, "line_no": line.line_no, "sku": line.sku, "status": line.status}


def ensure_open(order: Order) -> None:
    """Anything at all may happen to the order (it is not discarded or fully cancelled)."""
    if order.stage is Stage.DISCARDED:
        raise refuse("order_discarded", f"Order {order.number} was discarded.", number=order.number)
    if order.is_placed and order.status is OrderStatus.CANCELLED:
        raise refuse("order_cancelled", f"Order {order.number} is cancelled.", number=order.number)


def ensure_draft(order: Order) -> None:
    ensure_open(order)
    if not order.is_draft_like:
        raise refuse(
            "order_already_placed",
            f"Order {order.number} is already placed; change it with the order actions.",
            number=order.number,
            status=order.status,
        )


def ensure_placed(order: Order, action: str) -> None:
    ensure_open(order)
    if not order.is_placed:
        raise refuse(
            "order_not_placed",
            f"Order {order.number} is still a {order.stage.value}; you can {action} only once "
            "it is placed.",
            number=order.number,
            stage=order.stage,
        )


def ensure_can_add_lines(order: Order) -> None:
    ensure_open(order)
    if order.is_placed and order.status in (
        OrderStatus.SHIPPED,
        OrderStatus.DELIVERED,
        OrderStatus.RETURNED,
    ):
        raise refuse(
            "order_closed",
            f"Order {order.number} is {order.status.value}: place a new order instead.",
            number=order.number,
            status=order.status,
        )


def ensure_changeable(order: Order, line: OrderLine, what: str) -> None:
    """Quantity, variant, configuration, fulfilment: only before the warehouse has the line."""
    ensure_open(order)
    if line.status in CHANGEABLE:
        return
    if line.status is LineStatus.CANCELLED:
        raise refuse("line_cancelled", f"Line {line.line_no} is cancelled.", **line_facts(line))
    raise refuse(
        "line_not_changeable",
        f"Line {line.line_no} ({line.sku}) is {line.status.value}: its {what} can no longer "
        "change. Cancel what is not shipped, or return what is.",
        **line_facts(line),
    )


def ensure_cancellable(order: Order, line: OrderLine) -> None:
    ensure_placed(order, "cancel")
    status = line.status
    if status in CANCELLABLE:
        return
    if status is LineStatus.INCLUDED_IN_SHIPMENT:
        raise refuse(
            "stop_delivery_required",
            f"Line {line.line_no} ({line.sku}) is packed in a shipment: stop the delivery "
            "first, then cancel it.",
            **line_facts(line),
        )
    if status in RETURNABLE:
        raise refuse(
            "return_required",
            f"Line {line.line_no} ({line.sku}) has {status.value}: it cannot be cancelled, "
            "start a return instead.",
            **line_facts(line),
        )
    if status is LineStatus.CANCELLED:
        raise refuse(
            "already_cancelled",
            f"Line {line.line_no} ({line.sku}) is already cancelled.",
            **line_facts(line),
        )
    raise refuse(
        "line_not_cancellable",
        f"Line {line.line_no} ({line.sku}) is {status.value} and cannot be cancelled.",
        **line_facts(line),
    )


def ensure_not_held(order: Order, action: str, line: OrderLine | None = None) -> None:
    """A held order (or line) does not progress through fulfilment."""
    if order.on_hold or (line is not None and order.line_on_hold(line.id)):
        holds = [
            {"hold_id": h.id, "type": h.type, "line_id": h.line_id} for h in order.active_holds
        ]
        where = f"line {line.line_no}" if line is not None and not order.on_hold else "the order"
        raise refuse(
            "order_on_hold",
            f"Cannot {action}: {where} is on hold ({', '.join(h.type for h in order.active_holds)}"
            "). Resolve the hold first.",
            number=order.number,
            holds=holds,
        )


def check_quantity(quantity: int, *, maximum: int = 999) -> None:
    if not 1 <= quantity <= maximum:
        raise InvalidInput(
            f"Quantity must be between 1 and {maximum}.",
            code="invalid_quantity",
            details={"quantity": quantity, "max": maximum},
        )
