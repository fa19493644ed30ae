"""The order aggregate as rows of its tables, and back."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import Table

from customers.sqlrows import Row, Rows, columns_of, from_row, to_row
from orders import tables as t
from orders.domain.documents import (
    Invoice,
    InvoiceAdjustment,
    InvoiceItem,
    InvoiceLine,
    ReturnAuthorization,
    ReturnLine,
    Shipment,
    ShipmentEvent,
    ShipmentLine,
)
from orders.domain.model import (
    Charge,
    Discount,
    GiftOptions,
    Hold,
    Order,
    OrderLine,
    OrderNote,
    PaymentInstruction,
    PaymentTransaction,
    Totals,
)

_TOTALS = [
    "merchandise",
    "line_discounts",
    "order_discounts",
    "charges",
    "charge_discounts",
    "charges_tax",
    "tax",
    "grand_total",
    "authorized",
    "charged",
    "refunded",
    "balance_due",
]
_HEADER = [
    "id",
    "number",
    "stage",
    "status",
    "channel",
    "currency",
    "customer_id",
    "customer_name",
    "email",
    "phone",
    "ship_to",
    "bill_to",
    "gift",
    "ship_together",
    "confirmation_email",
    "tax_exempt",
    "tax_exemption_id",
    "source_cart_id",
    "copied_from",
    "placed_merchandise",
    "created_by",
    "created_at",
    "updated_at",
    "confirmed_at",
    "quote_expires_at",
    "version",
]


def header_row(order: Order) -> Row:
    return {
        **to_row(order, _HEADER),
        **to_row(order.totals, _TOTALS),
        "ship_to_name": order.ship_to_name,
        "on_hold": bool(order.active_holds),
    }


def _rows(
    table: Table, order_id: str, items: Sequence[Any], parent: str = "", **extra: Any
) -> dict[str, Row]:
    names = columns_of(table, "order_id", "position", parent)
    return {
        item.id: to_row(item, names, order_id=order_id, position=i, **extra)
        for i, item in enumerate(items)
    }


def part_rows(order: Order) -> Rows:
    """Every row the order owns, by table name and row id."""
    oid = order.id
    rows: Rows = {
        "order_lines": _rows(t.order_lines, oid, order.lines),
        "order_charges": _rows(t.order_charges, oid, order.charges),
        "order_discounts": _rows(t.order_discounts, oid, order.discounts),
        "payment_instructions": _rows(t.payment_instructions, oid, order.payments),
        "payment_transactions": _rows(t.payment_transactions, oid, order.transactions),
        "order_holds": _rows(t.order_holds, oid, order.holds),
        "order_notes": _rows(t.order_notes, oid, order.notes),
        "shipments": {},
        "shipment_lines": {},
        "shipment_events": {},
        "invoices": {},
        "invoice_lines": {},
        "invoice_items": {},
        "invoice_adjustments": {},
        "returns": {},
        "return_lines": {},
    }
    shipment_columns = columns_of(t.shipments, "order_id", "position")
    for i, s in enumerate(order.shipments):
        rows["shipments"][s.id] = to_row(s, shipment_columns, order_id=oid, position=i)
        rows["shipment_lines"].update(
            _rows(t.shipment_lines, oid, s.lines, "shipment_id", shipment_id=s.id)
        )
        rows["shipment_events"].update(
            _rows(t.shipment_events, oid, s.events, "shipment_id", shipment_id=s.id)
        )
    invoice_columns = columns_of(t.invoices, "order_id", "position")
    for i, inv in enumerate(order.invoices):
        rows["invoices"][inv.id] = to_row(inv, invoice_columns, order_id=oid, position=i)
        for table, items in (
            (t.invoice_lines, inv.lines),
            (t.invoice_items, inv.items),
            (t.invoice_adjustments, inv.adjustments),
        ):
            rows[table.name].update(_rows(table, oid, items, "invoice_id", invoice_id=inv.id))
    return_columns = columns_of(t.returns, "order_id", "position")
    for i, r in enumerate(order.returns):
        rows["returns"][r.id] = to_row(r, return_columns, order_id=oid, position=i)
        rows["return_lines"].update(
            _rows(t.return_lines, oid, r.lines, "return_id", return_id=r.id)
        )
    return rows


def _children(rows: Sequence[Mapping[str, Any]], key: str) -> dict[str, list[Mapping[str, Any]]]:
    grouped: dict[str, list[Mapping[str, Any]]] = {}
    for row in rows:
        grouped.setdefault(row[key], []).append(row)
    return grouped


def build_order(header: Mapping[str, Any], parts: Mapping[str, list[Mapping[str, Any]]]) -> Order:
    """The order from its header row and its parts' rows (each list in ``position`` order)."""
    ship_lines = _children(parts["shipment_lines"], "shipment_id")
    ship_events = _children(parts["shipment_events"], "shipment_id")
    inv_lines = _children(parts["invoice_lines"], "invoice_id")
    inv_items = _children(parts["invoice_items"], "invoice_id")
    inv_adjustments = _children(parts["invoice_adjustments"], "invoice_id")
    return_lines = _children(parts["return_lines"], "return_id")
    return from_row(
        Order,
        header,
        gift=from_row(GiftOptions, header["gift"]),
        totals=from_row(Totals, header),
        lines=[from_row(OrderLine, r) for r in parts["order_lines"]],
        charges=[from_row(Charge, r) for r in parts["order_charges"]],
        discounts=[from_row(Discount, r) for r in parts["order_discounts"]],
        payments=[from_row(PaymentInstruction, r) for r in parts["payment_instructions"]],
        transactions=[from_row(PaymentTransaction, r) for r in parts["payment_transactions"]],
        holds=[from_row(Hold, r) for r in parts["order_holds"]],
        notes=[from_row(OrderNote, r) for r in parts["order_notes"]],
        shipments=[
            from_row(
                Shipment,
                r,
                lines=[from_row(ShipmentLine, x) for x in ship_lines.get(r["id"], [])],
                events=[from_row(ShipmentEvent, x) for x in ship_events.get(r["id"], [])],
            )
            for r in parts["shipments"]
        ],
        invoices=[
            from_row(
                Invoice,
                r,
                lines=[from_row(InvoiceLine, x) for x in inv_lines.get(r["id"], [])],
                items=[from_row(InvoiceItem, x) for x in inv_items.get(r["id"], [])],
                adjustments=[
                    from_row(InvoiceAdjustment, x) for x in inv_adjustments.get(r["id"], [])
                ],
            )
            for r in parts["invoices"]
        ],
        returns=[
            from_row(
                ReturnAuthorization,
                r,
                lines=[from_row(ReturnLine, x) for x in return_lines.get(r["id"], [])],
            )
            for r in parts["returns"]
        ],
        loaded_version=header["version"],
    )
