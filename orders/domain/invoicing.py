"""Invoices: one per shipment as it leaves, and adjustments when money changes afterwards.

The first invoice of an order carries the order's own items (charges, order-level discounts,
tax on charges). After any later change an invoice gets an adjustment for the difference between
what its lines (and items) are worth now and what it billed, so the invoices always add up to
what the customer owes for what shipped.
"""

from __future__ import annotations

from datetime import datetime

from customers.kernel import ZERO, new_id
from orders.domain.documents import Invoice, InvoiceAdjustment, InvoiceItem, InvoiceLine, Shipment
from orders.domain.model import Order
from orders.domain.pricing import order_level_total


def _order_items(order: Order) -> list[InvoiceItem]:
    totals = order.totals
    items = [
        InvoiceItem(new_id("ii"), "charge", c.kind.value, c.kind.value.replace("_", " "), c.amount)
        for c in order.charges
        if c.amount > 0
    ]
    if totals.charge_discounts > 0:
        items.append(
            InvoiceItem(
                new_id("ii"), "discount", "charges", "discount on charges", -totals.charge_discounts
            )
        )
    if totals.charges_tax != 0:
        items.append(
            InvoiceItem(new_id("ii"), "tax", "charges_tax", "tax on charges", totals.charges_tax)
        )
    return items


def create_invoice(order: Order, shipment: Shipment, number: str, at: datetime) -> Invoice:
    lines = []
    for sl in shipment.lines:
        line = order.line(sl.line_id)
        lines.append(
            InvoiceLine(
                id=new_id("il"),
                line_id=line.id,
                sku=line.sku,
                description=f"{line.name} ({line.variant_label})",
                quantity=line.billable_quantity,
                unit_price=line.unit_price,
                discount=line.discount + line.order_discount_share,
                tax=line.tax,
                total=line.total,
            )
        )
    carries = not order.invoices
    items = _order_items(order) if carries else []
    merchandise = sum((il.unit_price * il.quantity for il in lines), ZERO)
    discounts = sum((il.discount for il in lines), ZERO) - sum(
        (i.amount for i in items if i.kind == "discount"), ZERO
    )
    charges = sum((i.amount for i in items if i.kind == "charge"), ZERO)
    tax = sum((il.tax for il in lines), ZERO) + sum(
        (i.amount for i in items if i.kind == "tax"), ZERO
    )
    invoice = Invoice(
        id=new_id("inv"),
        number=number,
        shipment_id=shipment.id,
        created_at=at,
        merchandise=merchandise,
        discounts=discounts,
        charges=charges,
        tax=tax,
        total=merchandise - discounts + charges + tax,
        carries_order_items=carries,
        lines=lines,
        items=items,
    )
    order.invoices.append(invoice)
    return invoice


def sync_adjustments(order: Order, at: datetime, reason: str, action: str) -> None:
    for invoice in order.invoices:
        value = sum((order.line(il.line_id).total for il in invoice.lines), ZERO)
        if invoice.carries_order_items:
            value += order_level_total(order)
        delta = value - invoice.adjusted_total
        if delta != 0:
            invoice.adjustments.append(
                InvoiceAdjustment(
                    id=new_id("iadj"), amount=delta, reason=reason, created_at=at, action=action
                )
            )
