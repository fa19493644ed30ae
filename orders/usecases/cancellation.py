"""Cancelling an order or a line, and stopping a packed delivery."""

from __future__ import annotations

from customers.kernel import Actor
from orders.domain import cancellation
from orders.ports import OrdersUnitOfWork
from orders.schemas.commands import CancelLine, CancelOrder, StopDelivery
from orders.schemas.views import OrderView
from orders.usecases.base import Step, run_action


async def cancel_order(
    uow: OrdersUnitOfWork, actor: Actor, number: str, cmd: CancelOrder
) -> OrderView:
    """Cancel every open line (or nothing); authorizations are voided, payments refunded."""

    async def step(s: Step) -> str:
        await s.stock(cancellation.cancel_order(s.order, cmd.reason))
        return f"Order {s.order.number} cancelled"

    return await run_action(
        uow,
        actor,
        number,
        "cancel_order",
        step,
        request=cmd,
        expected_version=cmd.expected_version,
        reason=cmd.reason,
        idempotency_key=cmd.idempotency_key,
    )


async def cancel_line(
    uow: OrdersUnitOfWork, actor: Actor, number: str, cmd: CancelLine
) -> OrderView:
    async def step(s: Step) -> str:
        line = s.order.line(cmd.line_id)
        count = cmd.quantity if cmd.quantity is not None else line.open_quantity
        await s.stock(cancellation.cancel_line(s.order, cmd.line_id, cmd.quantity, cmd.reason))
        s.event_data.update(line_id=line.id, quantity=count)
        return f"Cancelled {count} x {line.sku} on line {line.line_no}"

    return await run_action(
        uow,
        actor,
        number,
        "cancel_line",
        step,
        request=cmd,
        expected_version=cmd.expected_version,
        reason=cmd.reason,
        idempotency_key=cmd.idempotency_key,
    )


async def stop_delivery(
    uow: OrdersUnitOfWork, actor: Actor, number: str, cmd: StopDelivery
) -> OrderView:
    async def step(s: Step) -> str:
        line = s.order.line(cmd.line_id)
        shipment = s.order.shipment_of_line(line.id)
        await s.stock(cancellation.stop_delivery(s.order, cmd.line_id, cmd.reason, s.now))
        s.event_data.update(line_id=line.id, shipment=shipment.number if shipment else None)
        return f"Delivery of line {line.line_no} ({line.sku}) stopped"

    return await run_action(
        uow,
        actor,
        number,
        "stop_delivery",
        step,
        request=cmd,
        expected_version=cmd.expected_version,
        reason=cmd.reason,
    )
