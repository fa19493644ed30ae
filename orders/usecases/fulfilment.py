"""The warehouse and carrier feeds: schedule, release, pack, dispatch (invoice and charge),
tracking events, and reshipping a line that never arrived."""

from __future__ import annotations

from customers.kernel import Actor
from orders.domain import fulfilment, invoicing, payments
from orders.domain.limits import check_is_feed
from orders.ports import OrdersUnitOfWork
from orders.schemas.commands import (
    CreateShipment,
    DispatchShipment,
    ReleaseOrder,
    Reship,
    ScheduleOrder,
    TrackingEvent,
)
from orders.schemas.views import OrderView
from orders.usecases.base import Step, run_action


async def schedule_order(
    uow: OrdersUnitOfWork, actor: Actor, number: str, cmd: ScheduleOrder
) -> OrderView:
    """Reserve warehouse stock for waiting lines; lines nobody has stock for are backordered."""

    check_is_feed(actor, "schedule an order")

    async def step(s: Step) -> str:
        sources: dict[str, str | None] = {}
        for line in fulfilment.lines_to_schedule(s.order):
            sources[line.id] = await s.uow.catalog.find_source(line.variant_id, line.open_quantity)
        await s.stock(fulfilment.schedule(s.order, sources))
        scheduled = [k for k, v in sources.items() if v is not None]
        backordered = [k for k, v in sources.items() if v is None]
        s.event_data.update(scheduled=scheduled, backordered=backordered)
        return f"{len(scheduled)} line(s) scheduled, {len(backordered)} backordered"

    return await run_action(
        uow, actor, number, "schedule", step, request=cmd, expected_version=cmd.expected_version
    )


async def release_order(
    uow: OrdersUnitOfWork, actor: Actor, number: str, cmd: ReleaseOrder
) -> OrderView:
    check_is_feed(actor, "release an order")

    async def step(s: Step) -> str:
        released = fulfilment.release(s.order)
        s.event_data["lines"] = [line.id for line in released]
        return f"{len(released)} line(s) released to the warehouse"

    return await run_action(
        uow, actor, number, "release", step, request=cmd, expected_version=cmd.expected_version
    )


async def create_shipment(
    uow: OrdersUnitOfWork, actor: Actor, number: str, cmd: CreateShipment
) -> OrderView:
    check_is_feed(actor, "pack a shipment")

    async def step(s: Step) -> str:
        shipment = fulfilment.create_shipment(
            s.order, list(cmd.line_ids), await s.number("shipment"), s.now
        )
        s.event_data["shipment"] = shipment.number
        return f"Shipment {shipment.number} packing {len(shipment.lines)} line(s)"

    return await run_action(
        uow,
        actor,
        number,
        "create_shipment",
        step,
        request=cmd,
        expected_version=cmd.expected_version,
    )


async def dispatch_shipment(
    uow: OrdersUnitOfWork, actor: Actor, number: str, cmd: DispatchShipment
) -> OrderView:
    """The parcel leaves: stock is taken off the shelf, the shipment's invoice is issued and
    its amount charged (a reship is free and has no invoice)."""

    check_is_feed(actor, "dispatch a shipment")

    async def step(s: Step) -> str:
        shipment, moves = fulfilment.dispatch(
            s.order,
            cmd.shipment_id,
            carrier=cmd.carrier,
            tracking_number=cmd.tracking_number,
            service=cmd.service,
            expected_delivery=cmd.expected_delivery,
            at=s.now,
        )
        await s.stock(moves)
        s.event_data.update(
            shipment=shipment.number, carrier=cmd.carrier, tracking_number=cmd.tracking_number
        )
        if shipment.is_reship:
            return f"Reship {shipment.number} handed to {cmd.carrier}"
        invoice = invoicing.create_invoice(s.order, shipment, await s.number("invoice"), s.now)
        payments.capture(s.order, invoice.total, s.now, f"invoice {invoice.number}")
        s.event_data["invoice"] = invoice.number
        return (
            f"Shipment {shipment.number} handed to {cmd.carrier} ({cmd.tracking_number}); "
            f"invoice {invoice.number} for {invoice.total}"
        )

    return await run_action(
        uow,
        actor,
        number,
        "dispatch_shipment",
        step,
        request=cmd,
        expected_version=cmd.expected_version,
        idempotency_key=cmd.idempotency_key,
    )


async def record_tracking_event(
    uow: OrdersUnitOfWork, actor: Actor, number: str, cmd: TrackingEvent
) -> OrderView:
    """A carrier scan, a delay or another exception, or the delivery."""

    check_is_feed(actor, "report tracking")

    async def step(s: Step) -> str:
        shipment = fulfilment.track(
            s.order,
            cmd.shipment_id,
            cmd.status,
            cmd.description,
            s.now,
            location=cmd.location,
            expected_delivery=cmd.expected_delivery,
        )
        if cmd.status.value == "delivered":
            s.event_type = "order.delivered"
        s.event_data.update(
            shipment=shipment.number,
            shipment_status=cmd.status.value,
            expected_delivery=shipment.expected_delivery.isoformat()
            if shipment.expected_delivery
            else None,
        )
        return (
            f"Shipment {shipment.number}: {cmd.status.value.replace('_', ' ')} - {cmd.description}"
        )

    return await run_action(
        uow,
        actor,
        number,
        "tracking_event",
        step,
        request=cmd,
        expected_version=cmd.expected_version,
    )


async def reship_line(uow: OrdersUnitOfWork, actor: Actor, number: str, cmd: Reship) -> OrderView:
    """Send a line again that the customer never received, at no charge."""

    async def step(s: Step) -> str:
        line = s.order.line(cmd.line_id)
        count = cmd.quantity if cmd.quantity is not None else line.open_quantity
        source = await s.uow.catalog.find_source(line.variant_id, max(count, 1))
        shipment, moves = fulfilment.reship(
            s.order,
            cmd.line_id,
            cmd.quantity,
            cmd.reason,
            source,
            await s.number("shipment"),
            s.now,
        )
        await s.stock(moves)
        s.event_data.update(line_id=line.id, shipment=shipment.number)
        return f"Line {line.line_no} ({line.sku}) reshipped in {shipment.number}"

    return await run_action(
        uow,
        actor,
        number,
        "reship",
        step,
        request=cmd,
        expected_version=cmd.expected_version,
        reason=cmd.reason,
        idempotency_key=cmd.idempotency_key,
    )
