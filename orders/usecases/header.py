"""Order-level changes: addresses, gift options, payment, e-mail override, grouping, tax
exemption, notes."""

from __future__ import annotations

from customers.errors import NotFound
from customers.kernel import Actor
from orders.domain import header
from orders.domain.model import GiftOptions, Order
from orders.ports import OrdersUnitOfWork
from orders.schemas.commands import (
    AddNote,
    ChangeAddress,
    ChangeGiftOptions,
    ChangePayment,
    PaymentInstructionIn,
    SetConfirmationEmail,
    SetShipTogether,
    SetTaxExemption,
)
from orders.schemas.views import OrderView
from orders.usecases.base import Step, run_action


async def change_ship_to(
    uow: OrdersUnitOfWork, actor: Actor, number: str, cmd: ChangeAddress
) -> OrderView:
    async def step(s: Step) -> str:
        address = cmd.address.to_domain()
        header.change_ship_to(s.order, address)
        return f"Ship to {address.name}, {address.one_line()}"

    return await run_action(
        uow,
        actor,
        number,
        "change_ship_to",
        step,
        request=cmd,
        expected_version=cmd.expected_version,
        reason=cmd.reason,
    )


async def change_bill_to(
    uow: OrdersUnitOfWork, actor: Actor, number: str, cmd: ChangeAddress
) -> OrderView:
    async def step(s: Step) -> str:
        address = cmd.address.to_domain()
        header.change_bill_to(s.order, address)
        return f"Bill to {address.name}, {address.one_line()}"

    return await run_action(
        uow,
        actor,
        number,
        "change_bill_to",
        step,
        request=cmd,
        expected_version=cmd.expected_version,
        reason=cmd.reason,
    )


async def change_gift_options(
    uow: OrdersUnitOfWork, actor: Actor, number: str, cmd: ChangeGiftOptions
) -> OrderView:
    async def step(s: Step) -> str:
        header.change_gift_options(
            s.order,
            GiftOptions(cmd.is_gift, cmd.message, cmd.recipient),
            [header.LineGift(g.line_id, g.gift_wrap, g.gift_message) for g in cmd.lines],
        )
        wrapped = [g.line_id for g in cmd.lines if g.gift_wrap]
        return ("Marked as a gift" if cmd.is_gift else "Not a gift") + (
            f", {len(wrapped)} line(s) gift wrapped" if wrapped else ""
        )

    return await run_action(
        uow,
        actor,
        number,
        "change_gift_options",
        step,
        request=cmd,
        expected_version=cmd.expected_version,
    )


async def _payments(s: Step, given: list[PaymentInstructionIn]) -> list[header.NewPayment]:
    """Resolve saved payment methods of the order's customer into instructions."""
    customer = await s.uow.customers.get(s.order.customer_id) if s.order.customer_id else None
    found: list[header.NewPayment] = []
    for p in given:
        if p.payment_method_id is not None:
            if customer is None:
                raise NotFound("payment method", p.payment_method_id)
            saved = customer.payment_method(p.payment_method_id)
            found.append(
                header.NewPayment(
                    kind=saved.kind,
                    token=saved.token,
                    brand=saved.brand,
                    last4=saved.last4,
                    exp_month=saved.exp_month,
                    exp_year=saved.exp_year,
                    payment_method_id=saved.id,
                    max_amount=p.amount,
                )
            )
        else:
            found.append(
                header.NewPayment(
                    kind=p.kind,
                    token=p.token,
                    brand=p.brand,
                    last4=p.last4,
                    exp_month=p.exp_month,
                    exp_year=p.exp_year,
                    max_amount=p.amount,
                )
            )
    return found


def _payment_summary(order: Order) -> str:
    active = [p for p in order.payments if p.active]
    parts = [
        p.label() + (f" up to {p.max_amount}" if p.max_amount is not None else "") for p in active
    ]
    return "Pay with " + " + ".join(parts)


async def change_payment(
    uow: OrdersUnitOfWork, actor: Actor, number: str, cmd: ChangePayment
) -> OrderView:
    """Replace the payment method(s); a split takes several, each but one with an amount."""

    async def step(s: Step) -> str:
        header.set_payment(s.order, await _payments(s, list(cmd.payments)), s.now)
        return _payment_summary(s.order)

    return await run_action(
        uow,
        actor,
        number,
        "change_payment",
        step,
        request=cmd,
        expected_version=cmd.expected_version,
        reason=cmd.reason,
        idempotency_key=cmd.idempotency_key,
    )


async def set_confirmation_email(
    uow: OrdersUnitOfWork, actor: Actor, number: str, cmd: SetConfirmationEmail
) -> OrderView:
    async def step(s: Step) -> str:
        header.set_confirmation_email(s.order, cmd.send)
        if cmd.send is None:
            return "Confirmation e-mail follows the customer's preference"
        return "Confirmation e-mail: " + ("send" if cmd.send else "do not send") + " (this order)"

    return await run_action(
        uow,
        actor,
        number,
        "set_confirmation_email",
        step,
        request=cmd,
        expected_version=cmd.expected_version,
    )


async def set_ship_together(
    uow: OrdersUnitOfWork, actor: Actor, number: str, cmd: SetShipTogether
) -> OrderView:
    async def step(s: Step) -> str:
        header.set_ship_together(s.order, cmd.ship_together)
        return "Ship complete" if cmd.ship_together else "Ship lines as they are ready"

    return await run_action(
        uow,
        actor,
        number,
        "set_ship_together",
        step,
        request=cmd,
        expected_version=cmd.expected_version,
    )


async def set_tax_exemption(
    uow: OrdersUnitOfWork, actor: Actor, number: str, cmd: SetTaxExemption
) -> OrderView:
    async def step(s: Step) -> str:
        header.set_tax_exemption(s.order, cmd.exempt, cmd.certificate)
        return f"Tax exempt (certificate {cmd.certificate})" if cmd.exempt else "Taxed"

    return await run_action(
        uow,
        actor,
        number,
        "set_tax_exemption",
        step,
        request=cmd,
        expected_version=cmd.expected_version,
    )


async def add_note(uow: OrdersUnitOfWork, actor: Actor, number: str, cmd: AddNote) -> OrderView:
    """A note on the order; e-mailed to the customer when asked (through the outbox)."""

    async def step(s: Step) -> str:
        note = header.add_note(s.order, cmd.text, actor, s.now, email=cmd.email_customer)
        if note.emailed:
            await s.uow.outbox.add_email(
                to=s.order.email,
                template="order_note",
                subject=f"About your order {s.order.number}",
                data={"order_number": s.order.number, "text": note.text, "from": actor.name},
                at=s.now,
            )
        s.event_data.update(note_id=note.id, emailed=note.emailed)
        return "Note added" + (" and e-mailed to the customer" if note.emailed else "")

    return await run_action(
        uow, actor, number, "add_note", step, request=cmd, expected_version=cmd.expected_version
    )
