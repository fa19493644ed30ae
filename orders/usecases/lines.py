"""Changing what is ordered: add and remove lines, quantity, variant, configuration, store
pickup, delivery appointments."""

from __future__ import annotations

from customers.errors import NotFound
from customers.kernel import Actor, business_date
from orders.domain import lines
from orders.domain.rules import refuse
from orders.ports import OrdersUnitOfWork
from orders.schemas.commands import (
    AddLine,
    ChangeConfiguration,
    ChangeQuantity,
    ChangeToPickup,
    ChangeVariant,
    RemoveLine,
    RescheduleDelivery,
)
from orders.schemas.views import OrderView
from orders.usecases.base import Step, run_action


async def add_line(uow: OrdersUnitOfWork, actor: Actor, number: str, cmd: AddLine) -> OrderView:
    async def step(s: Step) -> str:
        item = await s.sellable(cmd.variant_id)
        line = lines.new_line(
            s.order,
            item,
            cmd.quantity,
            configuration=cmd.configuration,
            gift_wrap=cmd.gift_wrap,
            gift_message=cmd.gift_message,
        )
        lines.add_line(s.order, line)
        s.event_data["line_id"] = line.id
        return f"Added line {line.line_no}: {cmd.quantity} x {line.sku}"

    return await run_action(
        uow,
        actor,
        number,
        "add_line",
        step,
        request=cmd,
        expected_version=cmd.expected_version,
        reason=cmd.reason,
    )


async def remove_line(
    uow: OrdersUnitOfWork, actor: Actor, number: str, cmd: RemoveLine
) -> OrderView:
    async def step(s: Step) -> str:
        line = s.order.line(cmd.line_id)
        lines.remove_line(s.order, cmd.line_id)
        return f"Removed line {line.line_no} ({line.sku})"

    return await run_action(
        uow,
        actor,
        number,
        "remove_line",
        step,
        request=cmd,
        expected_version=cmd.expected_version,
    )


async def change_quantity(
    uow: OrdersUnitOfWork, actor: Actor, number: str, cmd: ChangeQuantity
) -> OrderView:
    async def step(s: Step) -> str:
        line = s.order.line(cmd.line_id)
        before = line.open_quantity
        await s.stock(lines.change_quantity(s.order, cmd.line_id, cmd.quantity))
        s.event_data["line_id"] = line.id
        return f"Line {line.line_no} ({line.sku}) quantity {before} -> {cmd.quantity}"

    return await run_action(
        uow,
        actor,
        number,
        "change_quantity",
        step,
        request=cmd,
        expected_version=cmd.expected_version,
        reason=cmd.reason,
    )


async def change_variant(
    uow: OrdersUnitOfWork, actor: Actor, number: str, cmd: ChangeVariant
) -> OrderView:
    async def step(s: Step) -> str:
        line = s.order.line(cmd.line_id)
        before = line.sku
        item = await s.sellable(cmd.variant_id)
        await s.stock(lines.change_variant(s.order, cmd.line_id, item))
        s.event_data["line_id"] = line.id
        return f"Line {line.line_no} changed from {before} to {line.sku} ({line.variant_label})"

    return await run_action(
        uow,
        actor,
        number,
        "change_variant",
        step,
        request=cmd,
        expected_version=cmd.expected_version,
        reason=cmd.reason,
    )


async def change_configuration(
    uow: OrdersUnitOfWork, actor: Actor, number: str, cmd: ChangeConfiguration
) -> OrderView:
    async def step(s: Step) -> str:
        line = s.order.line(cmd.line_id)
        item = await s.sellable(line.variant_id)
        lines.change_configuration(s.order, cmd.line_id, item, cmd.configuration)
        s.event_data["line_id"] = line.id
        shown = ", ".join(f"{k}={v}" for k, v in sorted(cmd.configuration.items())) or "none"
        return f"Line {line.line_no} configuration: {shown}"

    return await run_action(
        uow,
        actor,
        number,
        "change_configuration",
        step,
        request=cmd,
        expected_version=cmd.expected_version,
        reason=cmd.reason,
    )


async def change_to_pickup(
    uow: OrdersUnitOfWork, actor: Actor, number: str, cmd: ChangeToPickup
) -> OrderView:
    """Collect a line at a store that has it, on a given day."""

    async def step(s: Step) -> str:
        line = s.order.line(cmd.line_id)
        store = await s.uow.catalog.get_location(cmd.store_id)
        if store is None:
            raise NotFound("store", cmd.store_id)
        levels = {lv.location_id: lv for lv in await s.uow.catalog.stock_levels(line.variant_id)}
        level = levels.get(store.id)
        available = level.available if level else 0
        # Units this line already holds at that store count as available to it.
        if line.reserved_location_id == store.id:
            available += line.reserved_quantity
        if available < line.open_quantity:
            raise refuse(
                "insufficient_stock",
                f"{store.name} has {available} of {line.sku}; line {line.line_no} needs "
                f"{line.open_quantity}.",
                store_id=store.id,
                sku=line.sku,
                available=available,
                needed=line.open_quantity,
            )
        await s.stock(
            lines.change_to_pickup(
                s.order, cmd.line_id, store, cmd.pickup_date, business_date(s.now)
            )
        )
        s.event_data.update(line_id=line.id, store_id=store.id)
        return (
            f"Line {line.line_no} ({line.sku}) to be picked up at {store.name} on "
            f"{cmd.pickup_date.isoformat()}"
        )

    return await run_action(
        uow,
        actor,
        number,
        "change_to_pickup",
        step,
        request=cmd,
        expected_version=cmd.expected_version,
        reason=cmd.reason,
    )


async def reschedule_delivery(
    uow: OrdersUnitOfWork, actor: Actor, number: str, cmd: RescheduleDelivery
) -> OrderView:
    async def step(s: Step) -> str:
        line = s.order.line(cmd.line_id)
        lines.reschedule_delivery(
            s.order, cmd.line_id, cmd.delivery_date, cmd.window, business_date(s.now)
        )
        s.event_data["line_id"] = line.id
        return (
            f"Delivery of line {line.line_no} booked for {cmd.delivery_date.isoformat()} "
            f"{cmd.window}"
        )

    return await run_action(
        uow,
        actor,
        number,
        "reschedule_delivery",
        step,
        request=cmd,
        expected_version=cmd.expected_version,
        reason=cmd.reason,
    )
