"""Adding and changing order lines: quantity, variant, configuration, pickup, appointments."""

from __future__ import annotations

from datetime import date, timedelta

from customers.errors import InvalidInput
from customers.kernel import new_id
from orders.catalog.model import Location, SellableVariant, StockMove
from orders.domain.enums import Fulfilment, LineStatus
from orders.domain.model import Order, OrderLine
from orders.domain.rules import (
    check_quantity,
    ensure_can_add_lines,
    ensure_changeable,
    ensure_draft,
    line_facts,
    refuse,
)

PICKUP_WINDOW_DAYS = 14
APPOINTMENT_HORIZON_DAYS = 60
APPOINTMENT_WINDOWS = ("08:00-12:00", "12:00-16:00", "16:00-20:00")


def new_line(
    order: Order,
    item: SellableVariant,
    quantity: int,
    *,
    configuration: dict[str, str] | None = None,
    gift_wrap: bool = False,
    gift_message: str = "",
) -> OrderLine:
    item.check_sellable()
    check_quantity(quantity)
    config = dict(configuration or {})
    item.product.check_configuration(config)
    variant = item.variant
    if variant.currency != order.currency:
        raise InvalidInput(
            f"Order {order.number} is in {order.currency}; {variant.sku} is priced in "
            f"{variant.currency}.",
            code="currency_mismatch",
        )
    return OrderLine(
        id=new_id("ln"),
        line_no=order.next_line_no(),
        product_id=item.product.id,
        variant_id=variant.id,
        sku=variant.sku,
        name=item.product.name,
        size=variant.size,
        colour=variant.colour,
        quantity=quantity,
        unit_price=variant.price,
        list_price=variant.price,
        configuration=config,
        bulky=item.product.bulky,
        gift_wrap=gift_wrap,
        gift_message=gift_message,
    )


def add_line(order: Order, line: OrderLine) -> None:
    ensure_can_add_lines(order)
    order.lines.append(line)


def remove_line(order: Order, line_id: str) -> None:
    ensure_draft(order)
    order.lines.remove(order.line(line_id))
    order.discounts = [d for d in order.discounts if d.line_id != line_id]


def _unreserve(line: OrderLine) -> list[StockMove]:
    moves: list[StockMove] = []
    if line.reserved_location_id and line.reserved_quantity > 0:
        moves.append(
            StockMove(line.reserved_location_id, line.variant_id, release=line.reserved_quantity)
        )
    line.reserved_location_id = None
    line.reserved_quantity = 0
    return moves


def _rereserve(order: Order, line: OrderLine) -> list[StockMove]:
    """After a change to what a reserved line holds: give the units back; a pickup line takes
    them again at its store, a shipped line goes back to be scheduled."""
    moves = _unreserve(line)
    if not order.is_placed:
        return moves
    if line.fulfilment is Fulfilment.PICKUP and line.pickup_store_id:
        moves.append(StockMove(line.pickup_store_id, line.variant_id, reserve=line.open_quantity))
        line.reserved_location_id = line.pickup_store_id
        line.reserved_quantity = line.open_quantity
        line.status = LineStatus.SCHEDULED
    elif line.status is not LineStatus.CREATED:
        line.status = LineStatus.CREATED
    return moves


def change_quantity(order: Order, line_id: str, quantity: int) -> list[StockMove]:
    line = order.line(line_id)
    ensure_changeable(order, line, "quantity")
    check_quantity(quantity)
    if quantity == line.open_quantity:
        raise refuse(
            "no_change", f"Line {line.line_no} already has quantity {quantity}.", **line_facts(line)
        )
    line.quantity = quantity + (line.quantity - line.open_quantity)
    return _rereserve(order, line)


def change_variant(order: Order, line_id: str, item: SellableVariant) -> list[StockMove]:
    line = order.line(line_id)
    ensure_changeable(order, line, "size or colour")
    item.check_sellable()
    if item.product.id != line.product_id:
        raise InvalidInput(
            f"{item.variant.sku} is another product: add it as a new line instead.",
            code="variant_of_other_product",
            details={"line_id": line.id, "variant_id": item.variant.id},
        )
    if item.variant.id == line.variant_id:
        raise refuse("no_change", f"Line {line.line_no} is already {line.sku}.", **line_facts(line))
    moves = _unreserve(line)
    line.variant_id = item.variant.id
    line.sku = item.variant.sku
    line.size = item.variant.size
    line.colour = item.variant.colour
    line.unit_price = item.variant.price
    line.list_price = item.variant.price
    return moves + _rereserve(order, line)


def change_configuration(
    order: Order, line_id: str, item: SellableVariant, configuration: dict[str, str]
) -> None:
    line = order.line(line_id)
    ensure_changeable(order, line, "configuration")
    item.product.check_configuration(configuration)
    line.configuration = dict(configuration)


def change_to_pickup(
    order: Order, line_id: str, store: Location, pickup_date: date, today: date
) -> list[StockMove]:
    """Collect the line at a store instead of having it delivered. The caller has checked that
    the store has the units; the reservation here makes that hold."""
    line = order.line(line_id)
    ensure_changeable(order, line, "fulfilment")
    if not store.pickup:
        raise refuse(
            "store_not_pickup",
            f"{store.name} does not offer pickup.",
            store_id=store.id,
        )
    if not today <= pickup_date <= today + timedelta(days=PICKUP_WINDOW_DAYS):
        raise InvalidInput(
            f"The pickup date must be between today and {PICKUP_WINDOW_DAYS} days from now.",
            code="invalid_pickup_date",
            details={"pickup_date": pickup_date.isoformat(), "today": today.isoformat()},
        )
    if line.fulfilment is Fulfilment.PICKUP and line.pickup_store_id == store.id:
        line.pickup_date = pickup_date
        return []
    line.fulfilment = Fulfilment.PICKUP
    line.pickup_store_id = store.id
    line.pickup_address = store.address
    line.pickup_date = pickup_date
    line.appointment_date = None
    line.appointment_window = ""
    return _rereserve(order, line)


def reschedule_delivery(order: Order, line_id: str, when: date, window: str, today: date) -> None:
    line = order.line(line_id)
    if line.fulfilment is not Fulfilment.SHIP or not line.bulky:
        raise refuse(
            "no_delivery_appointment",
            f"Line {line.line_no} ({line.sku}) goes by parcel: it has no delivery appointment.",
            **line_facts(line),
        )
    if line.status in (LineStatus.DELIVERED, LineStatus.CANCELLED, LineStatus.RETURNED):
        raise refuse(
            "line_not_changeable",
            f"Line {line.line_no} is {line.status.value}: there is no delivery to reschedule.",
            **line_facts(line),
        )
    if window not in APPOINTMENT_WINDOWS:
        raise InvalidInput(
            f"Delivery windows are {', '.join(APPOINTMENT_WINDOWS)}.",
            code="invalid_appointment",
            details={"window": window, "allowed": list(APPOINTMENT_WINDOWS)},
        )
    if not today < when <= today + timedelta(days=APPOINTMENT_HORIZON_DAYS):
        raise InvalidInput(
            f"A delivery can be booked from tomorrow up to {APPOINTMENT_HORIZON_DAYS} days out.",
            code="invalid_appointment",
            details={"date": when.isoformat(), "today": today.isoformat()},
        )
    if line.appointment_date == when and line.appointment_window == window:
        raise refuse("no_change", "The delivery is already booked for then.", **line_facts(line))
    line.appointment_date = when
    line.appointment_window = window
