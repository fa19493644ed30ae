"""Cancelling lines and orders, and stopping a delivery so a packed line can be cancelled."""

from __future__ import annotations

from datetime import datetime

from customers.errors import DomainError, InvalidInput
from customers.kernel import new_id
from orders.catalog.model import StockMove
from orders.domain.documents import ShipmentEvent
from orders.domain.enums import LineStatus, ShipmentStatus
from orders.domain.model import Order, OrderLine
from orders.domain.rules import ensure_cancellable, ensure_placed, line_facts, refuse


def _release(line: OrderLine, quantity: int) -> list[StockMove]:
    if not line.reserved_location_id or line.reserved_quantity <= 0:
        return []
    give_back = min(quantity, line.reserved_quantity)
    line.reserved_quantity -= give_back
    move = StockMove(line.reserved_location_id, line.variant_id, release=give_back)
    if line.reserved_quantity == 0:
        line.reserved_location_id = None
    return [move]


def cancel_line(order: Order, line_id: str, quantity: int | None, reason: str) -> list[StockMove]:
    """Cancel ``quantity`` units of a line (all that is open when None)."""
    line = order.line(line_id)
    ensure_cancellable(order, line)
    count = line.open_quantity if quantity is None else quantity
    if not 1 <= count <= line.open_quantity:
        raise InvalidInput(
            f"Line {line.line_no} has {line.open_quantity} open; cannot cancel {count}.",
            code="invalid_quantity",
            details={**line_facts(line), "open_quantity": line.open_quantity, "quantity": count},
        )
    line.cancelled_quantity += count
    line.cancel_reason = reason
    if line.open_quantity == 0:
        line.status = LineStatus.CANCELLED
    return _release(line, count)


def cancel_order(order: Order, reason: str) -> list[StockMove]:
    """Cancel every open line, or nothing: one line that cannot go stops the whole request."""
    ensure_placed(order, "cancel")
    blocked: list[dict[str, object]] = []
    for line in order.active_lines:
        if line.open_quantity == 0:
            continue
        try:
            ensure_cancellable(order, line)
        except DomainError as refusal:
            blocked.append({**line_facts(line), "code": refusal.code})
    if blocked:
        names = ", ".join(f"line {b['line_no']} ({b['status']})" for b in blocked)
        raise refuse(
            "order_not_cancellable",
            f"Order {order.number} cannot be cancelled as a whole: {names}. Cancel the other "
            "lines one by one, stop the delivery of packed ones, return shipped ones.",
            number=order.number,
            lines=blocked,
        )
    moves: list[StockMove] = []
    for line in order.active_lines:
        if line.open_quantity > 0:
            moves += cancel_line(order, line.id, None, reason)
    return moves


def stop_delivery(order: Order, line_id: str, reason: str, at: datetime) -> list[StockMove]:
    """Pull a packed line out of its shipment before the parcel leaves."""
    ensure_placed(order, "stop a delivery")
    line = order.line(line_id)
    if line.status in (LineStatus.SHIPPED, LineStatus.DELIVERED):
        raise refuse(
            "already_shipped",
            f"Line {line.line_no} ({line.sku}) has left the warehouse: its delivery cannot be "
            "stopped; start a return instead.",
            **line_facts(line),
        )
    shipment = order.shipment_of_line(line.id)
    if line.status is not LineStatus.INCLUDED_IN_SHIPMENT or shipment is None:
        raise refuse(
            "not_in_shipment",
            f"Line {line.line_no} ({line.sku}) is {line.status.value}, not in a shipment: "
            "there is no delivery to stop.",
            **line_facts(line),
        )
    shipment.lines = [sl for sl in shipment.lines if sl.line_id != line.id]
    if not shipment.lines:
        shipment.status = ShipmentStatus.STOPPED
    shipment.events.append(
        ShipmentEvent(
            id=new_id("sev"),
            at=at,
            status=shipment.status,
            description=f"Delivery of line {line.line_no} stopped: {reason}",
        )
    )
    if shipment.is_reship:
        # The line was shipped (and billed) before; only the replacement parcel is stopped.
        line.status = LineStatus.SHIPPED
        return _release(line, line.reserved_quantity)
    line.status = LineStatus.RELEASED
    return []
