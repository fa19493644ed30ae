"""Commerce-side storage, part two: catalog and orders, on the shared commerce ``metadata``.

Every table an order owns carries ``order_id`` (loading an order is one query per table) and a
``position`` (the order of its list, which matters: discounts apply in the order given).
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    ForeignKey,
    Index,
    Integer,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
)

from customers import tables as customer_tables
from customers.sqltypes import Money, UTCDateTime
from orders.catalog import tables as catalog_tables
from orders.webhooks import tables as webhook_tables

metadata = customer_tables.metadata
# Registered on the same metadata by importing them; named here for the repositories.
products = catalog_tables.products
variants = catalog_tables.variants
locations = catalog_tables.locations
stock = catalog_tables.stock
promotions = catalog_tables.promotions
webhook_deliveries = webhook_tables.webhook_deliveries
ID = customer_tables.ID
NAME = customer_tables.NAME
SKU = String(64)
NUMBER = String(32)

# --- orders -----------------------------------------------------------------------------------

orders = Table(
    "orders",
    metadata,
    Column("id", ID, primary_key=True),
    Column("number", NUMBER, nullable=False, unique=True),
    Column("stage", String(16), nullable=False),
    Column("status", String(24), nullable=False, index=True),
    Column("channel", String(16), nullable=False),
    Column("currency", String(3), nullable=False),
    Column("customer_id", ID, nullable=True, index=True),
    Column("customer_name", NAME, nullable=False),
    Column("email", String(320), nullable=False, index=True),
    Column("phone", String(40), nullable=False),
    Column("ship_to_name", NAME, nullable=False),
    Column("ship_to", JSON, nullable=True),
    Column("bill_to", JSON, nullable=True),
    Column("gift", JSON, nullable=False),
    Column("ship_together", Boolean, nullable=False),
    Column("confirmation_email", Boolean, nullable=True),
    Column("tax_exempt", Boolean, nullable=False),
    Column("tax_exemption_id", String(64), nullable=False),
    Column("source_cart_id", ID, nullable=True),
    Column("copied_from", NUMBER, nullable=True),
    # Any active hold, on the order or one of its lines: the leads' work list.
    Column("on_hold", Boolean, nullable=False),
    Column("placed_merchandise", Money(), nullable=True),
    Column("merchandise", Money(), nullable=False),
    Column("line_discounts", Money(), nullable=False),
    Column("order_discounts", Money(), nullable=False),
    Column("charges", Money(), nullable=False),
    Column("charge_discounts", Money(), nullable=False),
    Column("charges_tax", Money(), nullable=False),
    Column("tax", Money(), nullable=False),
    Column("grand_total", Money(), nullable=False),
    Column("authorized", Money(), nullable=False),
    Column("charged", Money(), nullable=False),
    Column("refunded", Money(), nullable=False),
    Column("balance_due", Money(), nullable=False),
    Column("created_by", String(64), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    Column("confirmed_at", UTCDateTime, nullable=True),
    Column("quote_expires_at", UTCDateTime, nullable=True),
    # Bumped by every change: the compare-and-set that turns a lost update into a conflict.
    Column("version", Integer, nullable=False),
    Index("ix_orders_on_hold", "on_hold", "created_at"),
)


def _owned(name: str, *columns: Column[object], parent: str | None = None) -> Table:
    """A table of rows an order owns (optionally inside another owned row)."""
    extra: list[Column[object]] = []
    if parent is not None:
        extra.append(
            Column(f"{parent}_id", ID, ForeignKey(f"{parent}s.id"), nullable=False, index=True)
        )
    return Table(
        name,
        metadata,
        Column("id", ID, primary_key=True),
        Column("order_id", ID, ForeignKey("orders.id"), nullable=False, index=True),
        *extra,
        Column("position", Integer, nullable=False),
        *columns,
    )


order_lines = _owned(
    "order_lines",
    Column("line_no", Integer, nullable=False),
    Column("product_id", ID, nullable=False),
    Column("variant_id", ID, nullable=False, index=True),
    Column("sku", SKU, nullable=False),
    Column("name", NAME, nullable=False),
    Column("size", String(32), nullable=False),
    Column("colour", String(32), nullable=False),
    Column("configuration", JSON, nullable=False),
    Column("quantity", Integer, nullable=False),
    Column("cancelled_quantity", Integer, nullable=False),
    Column("returned_quantity", Integer, nullable=False),
    Column("exchanged_quantity", Integer, nullable=False),
    Column("unit_price", Money(), nullable=False),
    Column("list_price", Money(), nullable=False),
    Column("status", String(24), nullable=False),
    Column("fulfilment", String(16), nullable=False),
    Column("pickup_store_id", ID, nullable=True),
    Column("pickup_address", JSON, nullable=True),
    Column("pickup_date", Date, nullable=True),
    Column("appointment_date", Date, nullable=True),
    Column("appointment_window", String(16), nullable=False),
    Column("bulky", Boolean, nullable=False),
    Column("gift_wrap", Boolean, nullable=False),
    Column("gift_message", Text, nullable=False),
    Column("reserved_location_id", ID, nullable=True),
    Column("reserved_quantity", Integer, nullable=False),
    Column("exchange_of_line_id", ID, nullable=True),
    Column("cancel_reason", Text, nullable=False),
    Column("discount", Money(), nullable=False),
    Column("net", Money(), nullable=False),
    Column("order_discount_share", Money(), nullable=False),
    Column("tax", Money(), nullable=False),
    Column("total", Money(), nullable=False),
)

order_charges = _owned(
    "order_charges",
    Column("kind", String(16), nullable=False),
    Column("amount", Money(), nullable=False),
    Column("rule_amount", Money(), nullable=False),
    Column("overridden", Boolean, nullable=False),
    Column("override_reason", Text, nullable=False),
)

order_discounts = _owned(
    "order_discounts",
    Column("kind", String(16), nullable=False),
    Column("line_id", ID, nullable=True),
    Column("amount", Money(), nullable=True),
    Column("per_unit", Money(), nullable=True),
    Column("percent", Money(), nullable=True),
    Column("reason", Text, nullable=False),
    Column("code", String(64), nullable=False),
    Column("reference", String(64), nullable=False),
    Column("free_shipping", Boolean, nullable=False),
    Column("applied", Money(), nullable=False),
    Column("created_by", String(64), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
)

payment_instructions = _owned(
    "payment_instructions",
    Column("seq", Integer, nullable=False),
    Column("kind", String(16), nullable=False),
    Column("token", String(128), nullable=False),
    Column("brand", String(32), nullable=False),
    Column("last4", String(4), nullable=False),
    Column("payment_method_id", ID, nullable=True),
    Column("max_amount", Money(), nullable=True),
    Column("active", Boolean, nullable=False),
)

payment_transactions = _owned(
    "payment_transactions",
    Column("instruction_id", ID, nullable=False),
    Column("kind", String(16), nullable=False),
    Column("amount", Money(), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("reference", String(64), nullable=False),
    Column("note", Text, nullable=False),
)

order_holds = _owned(
    "order_holds",
    Column("type", String(32), nullable=False),
    Column("reason", Text, nullable=False),
    Column("line_id", ID, nullable=True),
    Column("status", String(16), nullable=False),
    Column("created_by", String(64), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("resolved_by", String(64), nullable=True),
    Column("resolved_at", UTCDateTime, nullable=True),
    Column("resolution", Text, nullable=False),
)

order_notes = _owned(
    "order_notes",
    Column("text", Text, nullable=False),
    Column("author_id", String(64), nullable=False),
    Column("author_name", NAME, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("emailed", Boolean, nullable=False),
)

shipments = _owned(
    "shipments",
    Column("number", NUMBER, nullable=False, unique=True),
    Column("status", String(24), nullable=False),
    Column("carrier", String(64), nullable=False),
    Column("service", String(64), nullable=False),
    Column("tracking_number", String(64), nullable=False, index=True),
    Column("ship_to", JSON, nullable=True),
    Column("pickup_store_id", ID, nullable=True),
    Column("expected_delivery", Date, nullable=True),
    Column("shipped_at", UTCDateTime, nullable=True),
    Column("delivered_at", UTCDateTime, nullable=True),
    Column("exception", Text, nullable=False),
    Column("is_reship", Boolean, nullable=False),
    Column("reason", Text, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
)

shipment_lines = _owned(
    "shipment_lines",
    Column("line_id", ID, nullable=False),
    Column("quantity", Integer, nullable=False),
    parent="shipment",
)

shipment_events = _owned(
    "shipment_events",
    Column("at", UTCDateTime, nullable=False),
    Column("status", String(24), nullable=False),
    Column("description", Text, nullable=False),
    Column("location", String(200), nullable=False),
    parent="shipment",
)

invoices = _owned(
    "invoices",
    Column("number", NUMBER, nullable=False, unique=True),
    Column("shipment_id", ID, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("merchandise", Money(), nullable=False),
    Column("discounts", Money(), nullable=False),
    Column("charges", Money(), nullable=False),
    Column("tax", Money(), nullable=False),
    Column("total", Money(), nullable=False),
    Column("carries_order_items", Boolean, nullable=False),
)

invoice_lines = _owned(
    "invoice_lines",
    Column("line_id", ID, nullable=False),
    Column("sku", SKU, nullable=False),
    Column("description", NAME, nullable=False),
    Column("quantity", Integer, nullable=False),
    Column("unit_price", Money(), nullable=False),
    Column("discount", Money(), nullable=False),
    Column("tax", Money(), nullable=False),
    Column("total", Money(), nullable=False),
    parent="invoice",
)

invoice_items = _owned(
    "invoice_items",
    Column("kind", String(16), nullable=False),
    Column("code", String(64), nullable=False),
    Column("description", NAME, nullable=False),
    Column("amount", Money(), nullable=False),
    parent="invoice",
)

invoice_adjustments = _owned(
    "invoice_adjustments",
    Column("amount", Money(), nullable=False),
    Column("reason", Text, nullable=False),
    Column("action", String(32), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    parent="invoice",
)

returns = _owned(
    "returns",
    Column("number", NUMBER, nullable=False, unique=True),
    Column("status", String(16), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("created_by", String(64), nullable=False),
    Column("note", Text, nullable=False),
    Column("received_at", UTCDateTime, nullable=True),
    Column("refund_amount", Money(), nullable=False),
)

return_lines = _owned(
    "return_lines",
    Column("line_id", ID, nullable=False),
    Column("quantity", Integer, nullable=False),
    Column("reason", String(32), nullable=False),
    Column("exchange_variant_id", ID, nullable=True),
    Column("exchange_line_id", ID, nullable=True),
    parent="return",
)

# One row per version: who, when, what and why.
order_history = Table(
    "order_history",
    metadata,
    Column("order_id", ID, ForeignKey("orders.id"), nullable=False),
    Column("version", Integer, nullable=False),
    Column("at", UTCDateTime, nullable=False),
    Column("actor_id", String(64), nullable=False),
    Column("actor_name", NAME, nullable=False),
    Column("actor_role", String(16), nullable=False),
    Column("action", String(32), nullable=False),
    Column("summary", Text, nullable=False),
    Column("reason", Text, nullable=False),
    Column("approved_by", String(64), nullable=True),
    PrimaryKeyConstraint("order_id", "version", name="pk_order_history"),
)

# The order as it was shown after each version (its view), to look at a past version.
order_snapshots = Table(
    "order_snapshots",
    metadata,
    Column("order_id", ID, ForeignKey("orders.id"), nullable=False),
    Column("version", Integer, nullable=False),
    Column("body", JSON, nullable=False),
    PrimaryKeyConstraint("order_id", "version", name="pk_order_snapshots"),
)

price_matches = Table(
    "price_matches",
    metadata,
    Column("id", ID, primary_key=True),
    Column("order_id", ID, ForeignKey("orders.id"), nullable=False),
    Column("order_number", NUMBER, nullable=False, index=True),
    Column("customer_id", ID, nullable=True, index=True),
    Column("line_id", ID, nullable=False),
    Column("product_id", ID, nullable=False, index=True),
    Column("variant_id", ID, nullable=False),
    Column("sku", SKU, nullable=False, index=True),
    Column("product_name", NAME, nullable=False),
    Column("competitor", NAME, nullable=False, index=True),
    Column("competitor_price", Money(), nullable=False),
    Column("competitor_url", Text, nullable=False),
    Column("our_price", Money(), nullable=False),
    Column("currency", String(3), nullable=False),
    Column("created_by", String(64), nullable=False),
    Column("approved_by", String(64), nullable=True),
    Column("created_at", UTCDateTime, nullable=False),
)

approvals = Table(
    "approvals",
    metadata,
    Column("id", ID, primary_key=True),
    Column("order_id", ID, ForeignKey("orders.id"), nullable=False),
    Column("order_number", NUMBER, nullable=False, index=True),
    Column("action", String(32), nullable=False),
    Column("request", JSON, nullable=False),
    Column("note", Text, nullable=False),
    # pending | approved | rejected
    Column("status", String(16), nullable=False, index=True),
    Column("requested_by_id", String(64), nullable=False),
    Column("requested_by_name", NAME, nullable=False),
    Column("requested_by_role", String(16), nullable=False),
    Column("requested_at", UTCDateTime, nullable=False),
    Column("decided_by", String(64), nullable=True),
    Column("decided_at", UTCDateTime, nullable=True),
    Column("decision_note", Text, nullable=False),
    Column("result_version", Integer, nullable=True),
    Column("version", Integer, nullable=False),
)

# The first result of each money-moving request, by its idempotency key.
idempotency_keys = Table(
    "idempotency_keys",
    metadata,
    Column("key", String(100), primary_key=True),
    Column("action", String(32), nullable=False),
    Column("fingerprint", String(64), nullable=False),
    Column("response", JSON, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
)

counters = Table(
    "counters",
    metadata,
    Column("name", String(32), primary_key=True),
    Column("value", Integer, nullable=False),
)

# The tables an order owns, parents before children (the order rows are written in).
ORDER_PARTS = (
    order_lines,
    order_charges,
    order_discounts,
    payment_instructions,
    payment_transactions,
    order_holds,
    order_notes,
    shipments,
    shipment_lines,
    shipment_events,
    invoices,
    invoice_lines,
    invoice_items,
    invoice_adjustments,
    returns,
    return_lines,
)
