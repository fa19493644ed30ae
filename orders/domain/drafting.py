"""Writing an order: a new draft, whose customer it is, saving it as a quote, placing it."""

from __future__ import annotations

from datetime import datetime, timedelta

from customers.errors import InvalidInput
from customers.kernel import ZERO, Actor, new_id
from customers.model import Customer
from orders.catalog.model import StockMove
from orders.domain.enums import Channel, Fulfilment, Stage
from orders.domain.header import NewPayment, set_payment
from orders.domain.model import Order
from orders.domain.payments import check_split
from orders.domain.rules import ensure_draft, refuse

QUOTE_DAYS = 30


def new_order(*, number: str, channel: Channel, currency: str, actor: Actor, at: datetime) -> Order:
    return Order(
        id=new_id("ord"),
        number=number,
        channel=channel,
        currency=currency,
        created_at=at,
        updated_at=at,
        created_by=actor.id,
    )


def set_customer(order: Order, customer: Customer, at: datetime) -> None:
    """Fill the order from the customer's profile: contact, default addresses, tax status and
    default payment method (the CSR confirms or changes each on the call)."""
    ensure_draft(order)
    order.customer_id = customer.id
    order.customer_name = customer.display_name
    order.email = customer.email
    order.phone = customer.phone
    order.ship_to = order.ship_to or customer.default_shipping_address()
    order.bill_to = order.bill_to or customer.default_billing_address()
    if customer.company is not None and customer.company.tax_exempt:
        order.tax_exempt = True
        order.tax_exemption_id = customer.company.exemption_certificate
    default = next((m for m in customer.payment_methods if m.is_default), None)
    if default is not None and not any(p.active for p in order.payments):
        set_payment(
            order,
            [
                NewPayment(
                    kind=default.kind,
                    token=default.token,
                    brand=default.brand,
                    last4=default.last4,
                    exp_month=default.exp_month,
                    exp_year=default.exp_year,
                    payment_method_id=default.id,
                )
            ],
            at,
        )


def set_guest(order: Order, name: str, email: str, phone: str) -> None:
    ensure_draft(order)
    order.customer_id = None
    order.customer_name = name
    order.email = email
    order.phone = phone


def save_quote(order: Order, at: datetime, valid_days: int = QUOTE_DAYS) -> None:
    ensure_draft(order)
    if not order.active_lines:
        raise InvalidInput("A quote needs at least one line.", code="empty_order")
    order.stage = Stage.QUOTE
    order.quote_expires_at = at + timedelta(days=valid_days)


def discard(order: Order) -> None:
    ensure_draft(order)
    order.stage = Stage.DISCARDED


def confirm(order: Order, at: datetime) -> list[StockMove]:
    """Place the order. Pickup lines take their units at the store now."""
    ensure_draft(order)
    if order.stage is Stage.QUOTE and order.quote_expires_at and order.quote_expires_at < at:
        raise refuse(
            "quote_expired",
            f"Quote {order.number} expired on {order.quote_expires_at.date().isoformat()}; "
            "copy it into a new order.",
            number=order.number,
        )
    lines = order.active_lines
    if not lines:
        raise InvalidInput("The order has no lines.", code="empty_order")
    if not (order.customer_name and (order.email or order.phone)):
        raise InvalidInput(
            "Say who the order is for: a customer, or a guest's name with an e-mail or phone.",
            code="customer_required",
        )
    if any(line.fulfilment is Fulfilment.SHIP for line in lines) and order.ship_to is None:
        raise InvalidInput("Give a ship-to address.", code="ship_to_required")
    if order.bill_to is None:
        order.bill_to = order.ship_to
    if order.bill_to is None:
        raise InvalidInput("Give a billing address.", code="bill_to_required")
    check_split(order)
    order.stage = Stage.PLACED
    order.confirmed_at = at
    order.quote_expires_at = None
    order.placed_merchandise = sum((line.net for line in lines), ZERO)
    moves: list[StockMove] = []
    for line in lines:
        if line.fulfilment is Fulfilment.PICKUP and line.pickup_store_id:
            moves.append(
                StockMove(line.pickup_store_id, line.variant_id, reserve=line.open_quantity)
            )
            line.reserved_location_id = line.pickup_store_id
            line.reserved_quantity = line.open_quantity
    return moves
