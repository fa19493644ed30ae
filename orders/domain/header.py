"""Order-level changes: addresses, gift options, payment, flags and notes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from customers.cards import check_card_fields, refuse_pan
from customers.errors import InvalidInput
from customers.kernel import Actor, Address, business_date, new_id
from customers.model import PaymentKind
from orders.domain.enums import Fulfilment, LineStatus, Stage
from orders.domain.model import GiftOptions, Order, OrderNote, PaymentInstruction
from orders.domain.rules import REDIRECTABLE, ensure_draft, ensure_open, line_facts, refuse


def change_ship_to(order: Order, address: Address) -> None:
    ensure_open(order)
    if order.is_placed:
        shipping = [line for line in order.active_lines if line.fulfilment is Fulfilment.SHIP]
        packed = [line for line in shipping if line.status is LineStatus.INCLUDED_IN_SHIPMENT]
        if packed:
            line = packed[0]
            raise refuse(
                "stop_delivery_required",
                f"Line {line.line_no} ({line.sku}) is already packed for the old address: stop "
                "its delivery first.",
                **line_facts(line),
            )
        if not any(line.status in REDIRECTABLE for line in shipping):
            raise refuse(
                "nothing_to_redirect",
                f"Nothing on order {order.number} is still to be shipped.",
                number=order.number,
            )
    order.ship_to = address


def change_bill_to(order: Order, address: Address) -> None:
    ensure_open(order)
    if order.invoices:
        raise refuse(
            "already_invoiced",
            f"Order {order.number} has been invoiced to the current billing address.",
            number=order.number,
        )
    order.bill_to = address


@dataclass(frozen=True, slots=True)
class LineGift:
    line_id: str
    gift_wrap: bool
    gift_message: str


def change_gift_options(order: Order, gift: GiftOptions, lines: list[LineGift]) -> None:
    ensure_open(order)
    refuse_pan("gift message", gift.message)
    targets = [(order.line(g.line_id), g) for g in lines]
    if order.is_placed:
        for line, _ in targets:
            if line.status not in REDIRECTABLE:
                raise refuse(
                    "line_not_changeable",
                    f"Line {line.line_no} ({line.sku}) is {line.status.value}: its gift "
                    "options can no longer change.",
                    **line_facts(line),
                )
        if gift != order.gift and not any(
            line.status in REDIRECTABLE for line in order.active_lines
        ):
            raise refuse(
                "line_not_changeable",
                "Every line is already packed: the gift message can no longer change.",
                number=order.number,
            )
    order.gift = gift
    for line, g in targets:
        refuse_pan("gift message", g.gift_message)
        line.gift_wrap = g.gift_wrap
        line.gift_message = g.gift_message


@dataclass(frozen=True, slots=True)
class NewPayment:
    kind: PaymentKind
    token: str
    brand: str
    last4: str
    exp_month: int | None = None
    exp_year: int | None = None
    payment_method_id: str | None = None
    max_amount: Decimal | None = None


def set_payment(order: Order, payments: list[NewPayment], today: datetime) -> None:
    """Replace the payment instructions (a split across methods, in order). What was already
    charged stays on the old methods, for refunds; open authorizations on them are voided."""
    ensure_open(order)
    if not payments:
        raise InvalidInput("Give at least one payment method.", code="payment_required")
    if len([p for p in payments if p.max_amount is None]) > 1:
        raise InvalidInput(
            "Only one payment method can take the remainder; give the others an amount.",
            code="invalid_payment_split",
        )
    for p in payments:
        if p.kind is not PaymentKind.ON_ACCOUNT:
            check_card_fields(
                token=p.token,
                brand=p.brand,
                last4=p.last4,
                exp_month=p.exp_month,
                exp_year=p.exp_year,
                today=business_date(today),
            )
        else:
            refuse_pan("token", p.token)
        if p.max_amount is not None and p.max_amount <= 0:
            raise InvalidInput("A split amount must be positive.", code="invalid_payment_split")
    for old in order.payments:
        old.active = False
    seq = max((p.seq for p in order.payments), default=0)
    # The remainder method goes last, so the fixed amounts are filled first.
    ordered = sorted(payments, key=lambda p: p.max_amount is None)
    for offset, p in enumerate(ordered, start=1):
        order.payments.append(
            PaymentInstruction(
                id=new_id("pi"),
                seq=seq + offset,
                kind=p.kind,
                token=p.token,
                brand=p.brand,
                last4=p.last4,
                payment_method_id=p.payment_method_id,
                max_amount=p.max_amount,
            )
        )


def set_confirmation_email(order: Order, send: bool | None) -> None:
    ensure_draft(order)
    order.confirmation_email = send


def set_ship_together(order: Order, value: bool) -> None:
    ensure_open(order)
    if order.shipments:
        raise refuse(
            "already_shipping",
            f"Order {order.number} has shipments already: it can no longer be regrouped.",
            number=order.number,
        )
    order.ship_together = value


def set_tax_exemption(order: Order, exempt: bool, certificate: str) -> None:
    ensure_open(order)
    if order.invoices:
        raise refuse(
            "already_invoiced",
            f"Order {order.number} has been invoiced with its tax; issue a credit instead.",
            number=order.number,
        )
    if exempt and not certificate.strip():
        raise InvalidInput(
            "A tax exemption needs the exemption certificate number.",
            code="exemption_certificate_required",
        )
    order.tax_exempt = exempt
    order.tax_exemption_id = certificate.strip() if exempt else ""


def add_note(order: Order, text: str, actor: Actor, at: datetime, *, email: bool) -> OrderNote:
    # Notes stay possible on a cancelled order (why it was cancelled), not on a discarded draft.
    if order.stage is Stage.DISCARDED:
        ensure_open(order)
    refuse_pan("note", text)
    if not text.strip():
        raise InvalidInput("A note needs some text.", code="invalid_note")
    if email and not order.email:
        raise refuse(
            "no_email",
            f"Order {order.number} has no e-mail address to send the note to.",
            number=order.number,
        )
    note = OrderNote(
        id=new_id("note"),
        text=text.strip(),
        author_id=actor.id,
        author_name=actor.name,
        created_at=at,
        emailed=email,
    )
    order.notes.append(note)
    return note
