"""Writing orders: a draft from scratch, from a shopper's cart, or as a copy of an earlier
order; whose it is; saved as a quote; placed; or discarded."""

from __future__ import annotations

from customers.carts import Cart, owner_key
from customers.errors import DomainError, NotFound
from customers.kernel import Actor
from customers.model import Customer
from customers.usecases.carts import cart_event
from orders.domain import drafting, lines
from orders.domain.enums import Channel, Fulfilment
from orders.domain.header import NewPayment, set_payment
from orders.domain.model import GiftOptions, Order
from orders.ports import OrdersUnitOfWork
from orders.schemas.commands import (
    ConfirmOrder,
    CopyOrder,
    CreateDraft,
    DiscardDraft,
    DraftFromCart,
    NewLineIn,
    SaveQuote,
    SetCustomer,
)
from orders.schemas.views import OrderView
from orders.usecases.base import Step, finish, load, next_number, run_action


async def _new_draft(uow: OrdersUnitOfWork, actor: Actor, channel: Channel, currency: str) -> Step:
    now = uow.now()
    order = drafting.new_order(
        number=await next_number(uow, "order"),
        channel=channel,
        currency=currency,
        actor=actor,
        at=now,
    )
    order.version = 0
    return Step(uow=uow, order=order, actor=actor, approver=None, now=now)


async def _customer(uow: OrdersUnitOfWork, customer_id: str) -> Customer:
    customer = await uow.customers.get(customer_id)
    if customer is None:
        raise NotFound("customer", customer_id)
    return customer


async def _add_lines(step: Step, new_lines: list[NewLineIn]) -> None:
    for spec in new_lines:
        item = await step.sellable(spec.variant_id)
        line = lines.new_line(
            step.order,
            item,
            spec.quantity,
            configuration=spec.configuration,
            gift_wrap=spec.gift_wrap,
            gift_message=spec.gift_message,
        )
        lines.add_line(step.order, line)


async def create_draft(uow: OrdersUnitOfWork, actor: Actor, cmd: CreateDraft) -> OrderView:
    async with uow:
        step = await _new_draft(uow, actor, cmd.channel, cmd.currency)
        order = step.order
        if cmd.ship_to is not None:
            order.ship_to = cmd.ship_to.to_domain()
        if cmd.bill_to is not None:
            order.bill_to = cmd.bill_to.to_domain()
        if cmd.customer_id is not None:
            drafting.set_customer(order, await _customer(uow, cmd.customer_id), step.now)
        elif cmd.guest is not None:
            drafting.set_guest(order, cmd.guest.name, cmd.guest.email or "", cmd.guest.phone)
        await _add_lines(step, cmd.lines)
        view = await finish(step, "create_draft", f"Draft {order.number} started", "")
        await uow.commit()
    return view


async def _open_cart(uow: OrdersUnitOfWork, cmd: DraftFromCart) -> Cart:
    if cmd.cart_id:
        cart = await uow.carts.get(cmd.cart_id)
        if cart is None:
            raise NotFound("cart", cmd.cart_id)
        return cart
    key = owner_key(visitor_id=cmd.visitor_id, customer_id=cmd.customer_id)
    cart = await uow.carts.get_open(key)
    if cart is None:
        raise NotFound("cart", key)
    return cart


async def draft_from_cart(uow: OrdersUnitOfWork, actor: Actor, cmd: DraftFromCart) -> OrderView:
    """Pull the shopper's cart into a draft order at today's prices; the cart is locked (the
    storefront gets ``cart_locked``) until the draft is placed or discarded."""
    async with uow:
        cart = await _open_cart(uow, cmd)
        step = await _new_draft(uow, actor, cmd.channel, cart.currency)
        order = step.order
        order.source_cart_id = cart.id
        if cart.customer_id:
            drafting.set_customer(order, await _customer(uow, cart.customer_id), step.now)
        cart.lock_for(order.number, step.now)
        for cart_line in cart.lines:
            item = await step.sellable(cart_line.variant_id)
            try:
                line = lines.new_line(order, item, cart_line.quantity)
            except DomainError as refusal:  # reported; the rest of the cart is still drafted
                step.warnings.append(f"{cart_line.sku} not added: {refusal}")
                continue
            if line.unit_price != cart_line.unit_price:
                step.warnings.append(
                    f"{line.sku} is {line.unit_price} now (the cart said {cart_line.unit_price})"
                )
            lines.add_line(order, line)
        await uow.carts.save(cart)
        uow.emit(cart_event(cart, "locked", order_number=order.number))
        view = await finish(
            step, "draft_from_cart", f"Draft {order.number} from cart {cart.id}", ""
        )
        await uow.commit()
    return view


async def copy_order(uow: OrdersUnitOfWork, actor: Actor, number: str, cmd: CopyOrder) -> OrderView:
    """A new draft with an earlier order's customer, addresses, gift options and the lines
    still ordered, at today's prices. Lines no longer sold are left out, with a warning."""
    async with uow:
        source = await load(uow, number)
        step = await _new_draft(uow, actor, cmd.channel, source.currency)
        order = step.order
        order.copied_from = source.number
        if source.customer_id:
            drafting.set_customer(order, await _customer(uow, source.customer_id), step.now)
        else:
            drafting.set_guest(order, source.customer_name, source.email, source.phone)
        order.ship_to = source.ship_to or order.ship_to
        order.bill_to = source.bill_to or order.bill_to
        order.gift = GiftOptions(source.gift.is_gift, source.gift.message, source.gift.recipient)
        order.ship_together = source.ship_together
        _copy_payment(source, order, step)
        for old in source.lines:
            quantity = old.open_quantity
            if quantity <= 0:
                continue
            item = await uow.catalog.sellable(old.variant_id)
            if item is None or not (item.product.active and item.variant.active):
                step.warnings.append(f"{old.sku} is no longer sold and was not copied")
                continue
            line = lines.new_line(
                order,
                item,
                quantity,
                configuration=old.configuration,
                gift_wrap=old.gift_wrap,
                gift_message=old.gift_message,
            )
            lines.add_line(order, line)
        view = await finish(
            step, "copy_order", f"Draft {order.number} copied from {source.number}", ""
        )
        await uow.commit()
    return view


def _copy_payment(source: Order, order: Order, step: Step) -> None:
    active = [p for p in source.payments if p.active]
    if not active or any(p.active for p in order.payments):
        return
    try:
        set_payment(
            order,
            [
                NewPayment(
                    kind=p.kind,
                    token=p.token,
                    brand=p.brand,
                    last4=p.last4,
                    payment_method_id=p.payment_method_id,
                    max_amount=p.max_amount,
                )
                for p in active
            ],
            step.now,
        )
    except DomainError as refusal:  # the CSR picks a payment method instead
        step.warnings.append(f"payment not copied: {refusal}")


async def set_customer(
    uow: OrdersUnitOfWork, actor: Actor, number: str, cmd: SetCustomer
) -> OrderView:
    async def step(s: Step) -> str:
        if cmd.customer_id is not None:
            customer = await _customer(s.uow, cmd.customer_id)
            drafting.set_customer(s.order, customer, s.now)
            return f"Order is for customer {customer.display_name}"
        assert cmd.guest is not None
        drafting.set_guest(s.order, cmd.guest.name, cmd.guest.email or "", cmd.guest.phone)
        return f"Order is for guest {cmd.guest.name}"

    return await run_action(
        uow,
        actor,
        number,
        "set_customer",
        step,
        request=cmd,
        expected_version=cmd.expected_version,
    )


async def confirm_order(
    uow: OrdersUnitOfWork, actor: Actor, number: str, cmd: ConfirmOrder
) -> OrderView:
    """Place the order: payment is authorized, pickup units reserved, the cart converted, and a
    confirmation e-mailed unless the customer (or this order's one-time override) says not."""

    async def step(s: Step) -> str:
        order = s.order
        await s.stock(drafting.confirm(order, s.now))
        customer = await s.uow.customers.get(order.customer_id) if order.customer_id else None
        send = order.confirmation_email
        if send is None:
            send = customer.preferences.order_confirmation_email if customer else True
        if send and order.email:
            await s.uow.outbox.add_email(
                to=order.email,
                template="order_confirmation",
                subject=f"Your order {order.number}",
                data={"order_number": order.number, "customer_name": order.customer_name},
                at=s.now,
            )
        s.event_data["confirmation_emailed"] = bool(send and order.email)
        if order.source_cart_id:
            cart = await s.uow.carts.get(order.source_cart_id)
            if cart is not None:
                cart.convert(s.now)
                await s.uow.carts.save(cart)
                s.uow.emit(cart_event(cart, "converted", order_number=order.number))
        pickups = [line for line in order.lines if line.fulfilment is Fulfilment.PICKUP]
        return f"Order {order.number} placed" + (
            f" ({len(pickups)} line(s) for store pickup)" if pickups else ""
        )

    return await run_action(
        uow,
        actor,
        number,
        "confirm",
        step,
        request=cmd,
        expected_version=cmd.expected_version,
        idempotency_key=cmd.idempotency_key,
    )


async def save_quote(uow: OrdersUnitOfWork, actor: Actor, number: str, cmd: SaveQuote) -> OrderView:
    async def step(s: Step) -> str:
        drafting.save_quote(s.order, s.now, cmd.valid_days)
        return f"Saved as a quote valid for {cmd.valid_days} days"

    return await run_action(
        uow,
        actor,
        number,
        "save_quote",
        step,
        request=cmd,
        expected_version=cmd.expected_version,
    )


async def discard_draft(
    uow: OrdersUnitOfWork, actor: Actor, number: str, cmd: DiscardDraft
) -> OrderView:
    async def step(s: Step) -> str:
        drafting.discard(s.order)
        if s.order.source_cart_id:
            cart = await s.uow.carts.get(s.order.source_cart_id)
            if cart is not None:
                cart.unlock(s.now)
                await s.uow.carts.save(cart)
                s.uow.emit(cart_event(cart, "unlocked", order_number=s.order.number))
        return f"Draft {s.order.number} discarded"

    return await run_action(
        uow,
        actor,
        number,
        "discard_draft",
        step,
        request=cmd,
        expected_version=cmd.expected_version,
        reason=cmd.reason,
    )
