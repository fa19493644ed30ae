"""The warehouse and carrier side: schedule, release, pack, ship, track, deliver, reship.

A held order (or line) does not move forward here; everything else in this module refuses with
``order_on_hold`` until the hold is resolved.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime

from customers.errors import InvalidInput
from customers.kernel import new_id
from orders.catalog.model import StockMove
from orders.domain.documents import Shipment, ShipmentEvent, ShipmentLine
from orders.domain.enums import Fulfilment, LineStatus, ShipmentStatus
from orders.domain.model import Order, OrderLine
from orders.domain.rules import check_quantity, ensure_not_held, ensure_placed, line_facts, refuse

TRACKING_STATUSES = frozenset(
    {
        ShipmentStatus.IN_TRANSIT,
        ShipmentStatus.OUT_FOR_DELIVERY,
        ShipmentStatus.DELAYED,
        ShipmentStatus.EXCEPTION,
        ShipmentStatus.DELIVERED,
    }
)


def lines_to_schedule(order: Order) -> list[OrderLine]:
    return [
        line
        for line in order.active_lines
        if line.status in (LineStatus.CREATED, LineStatus.BACKORDERED)
        and line.open_quantity > 0
        and not order.line_on_hold(line.id)
    ]


def schedule(order: Order, sources: Mapping[str, str | None]) -> list[StockMove]:
    """Reserve stock for waiting lines: ``sources`` names, per line id, the warehouse that has
    the units (None: nowhere, the line is backordered). Pickup lines are already reserved."""
    ensure_placed(order, "schedule it")
    ensure_not_held(order, "schedule the order")
    waiting = lines_to_schedule(order)
    if not waiting:
        raise refuse(
            "nothing_to_schedule", f"Order {order.number} has no line waiting to be scheduled."
        )
    moves: list[StockMove] = []
    for line in waiting:
        if line.fulfilment is Fulfilment.PICKUP and line.reserved_quantity > 0:
            line.status = LineStatus.SCHEDULED
            continue
        source = sources.get(line.id)
        if source is None:
            line.status = LineStatus.BACKORDERED
            continue
        moves.append(StockMove(source, line.variant_id, reserve=line.open_quantity))
        line.reserved_location_id = source
        line.reserved_quantity = line.open_quantity
        line.status = LineStatus.SCHEDULED
    return moves


def release(order: Order) -> list[OrderLine]:
    ensure_placed(order, "release it")
    ensure_not_held(order, "release the order to the warehouse")
    ready = [
        line
        for line in order.active_lines
        if line.status is LineStatus.SCHEDULED and not order.line_on_hold(line.id)
    ]
    if not ready:
        raise refuse("nothing_to_release", f"Order {order.number} has no scheduled line.")
    for line in ready:
        line.status = LineStatus.RELEASED
    return ready


def create_shipment(order: Order, line_ids: list[str], number: str, at: datetime) -> Shipment:
    ensure_placed(order, "ship it")
    ensure_not_held(order, "pack a shipment")
    if not line_ids or len(set(line_ids)) != len(line_ids):
        raise InvalidInput("Name each line to pack once.", code="invalid_lines")
    lines = [order.line(line_id) for line_id in line_ids]
    for line in lines:
        ensure_not_held(order, "pack a shipment", line)
        if line.status is not LineStatus.RELEASED:
            raise refuse(
                "line_not_released",
                f"Line {line.line_no} ({line.sku}) is {line.status.value}, not released to the "
                "warehouse.",
                **line_facts(line),
            )
    if order.ship_together:
        left_out = [
            line for line in order.active_lines if line.open_quantity > 0 and line not in lines
        ]
        if left_out:
            raise refuse(
                "ship_together",
                f"Order {order.number} ships complete: line "
                f"{', '.join(str(line.line_no) for line in left_out)} must go in the same "
                "shipment.",
                lines=[line_facts(line) for line in left_out],
            )
    places = {(line.fulfilment, line.pickup_store_id) for line in lines}
    if len(places) > 1:
        raise refuse(
            "mixed_fulfilment",
            "A shipment goes to one place: pack pickup lines and delivered lines separately.",
        )
    fulfilment, store_id = places.pop()
    shipment = Shipment(
        id=new_id("shp"),
        number=number,
        status=ShipmentStatus.PACKING,
        created_at=at,
        ship_to=order.ship_to if fulfilment is Fulfilment.SHIP else lines[0].pickup_address,
        pickup_store_id=store_id,
        lines=[ShipmentLine(new_id("sl"), line.id, line.open_quantity) for line in lines],
        events=[ShipmentEvent(new_id("sev"), at, ShipmentStatus.PACKING, "Packing")],
    )
    order.shipments.append(shipment)
    for line in lines:
        line.status = LineStatus.INCLUDED_IN_SHIPMENT
    return shipment


def dispatch(
    order: Order,
    shipment_id: str,
    *,
    carrier: str,
    tracking_number: str,
    service: str,
    expected_delivery: date | None,
    at: datetime,
) -> tuple[Shipment, list[StockMove]]:
    ensure_placed(order, "ship it")
    ensure_not_held(order, "ship")
    shipment = order.shipment(shipment_id)
    if shipment.status is not ShipmentStatus.PACKING:
        raise refuse(
            "shipment_not_packing",
            f"Shipment {shipment.number} is {shipment.status.value}: only a packed shipment can "
            "leave.",
            shipment=shipment.number,
            status=shipment.status,
        )
    moves: list[StockMove] = []
    for sl in shipment.lines:
        line = order.line(sl.line_id)
        ensure_not_held(order, "ship", line)
        line.status = LineStatus.SHIPPED
        if line.reserved_location_id and line.reserved_quantity > 0:
            used = min(sl.quantity, line.reserved_quantity)
            moves.append(StockMove(line.reserved_location_id, line.variant_id, consume=used))
            line.reserved_quantity -= used
            if line.reserved_quantity == 0:
                line.reserved_location_id = None
    shipment.status = ShipmentStatus.SHIPPED
    shipment.carrier = carrier
    shipment.tracking_number = tracking_number
    shipment.service = service
    shipment.expected_delivery = expected_delivery
    shipment.shipped_at = at
    shipment.events.append(
        ShipmentEvent(new_id("sev"), at, ShipmentStatus.SHIPPED, f"Handed to {carrier}")
    )
    return shipment, moves


def track(
    order: Order,
    shipment_id: str,
    status: ShipmentStatus,
    description: str,
    at: datetime,
    *,
    location: str = "",
    expected_delivery: date | None = None,
) -> Shipment:
    """A carrier scan or exception (a delay, say), possibly with a new expected date."""
    shipment = order.shipment(shipment_id)
    if status not in TRACKING_STATUSES:
        raise InvalidInput(
            f"A tracking event is one of {', '.join(sorted(TRACKING_STATUSES))}.",
            code="invalid_tracking_status",
        )
    if not shipment.dispatched:
        raise refuse(
            "shipment_not_dispatched",
            f"Shipment {shipment.number} has not left yet.",
            shipment=shipment.number,
        )
    if shipment.status is ShipmentStatus.DELIVERED:
        raise refuse(
            "shipment_delivered",
            f"Shipment {shipment.number} was delivered already.",
            shipment=shipment.number,
        )
    shipment.status = status
    shipment.events.append(ShipmentEvent(new_id("sev"), at, status, description, location))
    if expected_delivery is not None:
        shipment.expected_delivery = expected_delivery
    if status in (ShipmentStatus.DELAYED, ShipmentStatus.EXCEPTION):
        shipment.exception = description
    elif status is ShipmentStatus.DELIVERED:
        shipment.delivered_at = at
        shipment.exception = ""
        for sl in shipment.lines:
            line = order.line(sl.line_id)
            if line.status is LineStatus.SHIPPED:
                line.status = LineStatus.DELIVERED
    return shipment


def reship(
    order: Order,
    line_id: str,
    quantity: int | None,
    reason: str,
    source: str | None,
    number: str,
    at: datetime,
) -> tuple[Shipment, list[StockMove]]:
    """Send a line again that never arrived, free of charge, from ``source`` (a warehouse
    holding the units, found by the caller)."""
    ensure_placed(order, "reship")
    line = order.line(line_id)
    if line.status not in (LineStatus.SHIPPED, LineStatus.DELIVERED):
        raise refuse(
            "not_shipped",
            f"Line {line.line_no} ({line.sku}) is {line.status.value}: only a shipped line can "
            "be reshipped.",
            **line_facts(line),
        )
    pending = [
        s
        for s in order.shipments
        if s.is_reship
        and s.status is not ShipmentStatus.DELIVERED
        and any(sl.line_id == line.id for sl in s.lines)
    ]
    if pending:
        raise refuse(
            "reship_in_progress",
            f"Line {line.line_no} is already being sent again in shipment {pending[0].number}.",
            shipment=pending[0].number,
            **line_facts(line),
        )
    count = line.open_quantity if quantity is None else quantity
    check_quantity(count, maximum=max(line.open_quantity, 1))
    if source is None:
        raise refuse(
            "insufficient_stock",
            f"No warehouse has {count} of {line.sku} to send again.",
            sku=line.sku,
            quantity=count,
        )
    shipment = Shipment(
        id=new_id("shp"),
        number=number,
        status=ShipmentStatus.PACKING,
        created_at=at,
        ship_to=order.ship_to if line.fulfilment is Fulfilment.SHIP else line.pickup_address,
        pickup_store_id=line.pickup_store_id,
        is_reship=True,
        reason=reason,
        lines=[ShipmentLine(new_id("sl"), line.id, count)],
        events=[ShipmentEvent(new_id("sev"), at, ShipmentStatus.PACKING, f"Reship: {reason}")],
    )
    order.shipments.append(shipment)
    line.status = LineStatus.INCLUDED_IN_SHIPMENT
    line.reserved_location_id = source
    line.reserved_quantity = count
    return shipment, [StockMove(source, line.variant_id, reserve=count)]
