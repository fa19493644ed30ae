"""Commerce-side storage, part one: the shared ``metadata`` and the customer tables.

The commerce side (customers, carts, catalog, orders) has one ``MetaData``, exposed as
``orders.tables.metadata`` and migrated on the ``commerce`` branch. It is declared here, in the
lower layer, so the order tables can register on it without customers importing orders. No
foreign key points at care-side tables: visitor and CSR ids are plain strings.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
)

from customers.sqltypes import Money, UTCDateTime

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

ID = String(40)
NAME = String(200)

customers = Table(
    "customers",
    metadata,
    Column("id", ID, primary_key=True),
    # consumer | business
    Column("kind", String(16), nullable=False),
    Column("first_name", String(100), nullable=False),
    Column("last_name", String(100), nullable=False),
    # Company name for a business, the person's name otherwise: what people search for.
    Column("display_name", NAME, nullable=False),
    Column("email", String(320), nullable=False, unique=True),
    Column("phone", String(40), nullable=False),
    Column("company_name", NAME, nullable=True),
    Column("company_tax_id", String(64), nullable=True),
    Column("company_industry", String(100), nullable=True),
    Column("company_tax_exempt", Boolean, nullable=True),
    Column("company_exemption_certificate", String(64), nullable=True),
    Column("company_payment_terms", String(32), nullable=True),
    Column("preferences", JSON, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    Column("version", Integer, nullable=False),
)

customer_contacts = Table(
    "customer_contacts",
    metadata,
    Column("id", ID, primary_key=True),
    Column("customer_id", ID, ForeignKey("customers.id"), nullable=False, index=True),
    Column("position", Integer, nullable=False),
    Column("name", NAME, nullable=False),
    Column("email", String(320), nullable=False),
    Column("phone", String(40), nullable=False),
    Column("role", String(32), nullable=False),
    Column("is_primary", Boolean, nullable=False),
)

customer_addresses = Table(
    "customer_addresses",
    metadata,
    Column("id", ID, primary_key=True),
    Column("customer_id", ID, ForeignKey("customers.id"), nullable=False, index=True),
    Column("position", Integer, nullable=False),
    Column("label", String(64), nullable=False),
    Column("address", JSON, nullable=False),
    Column("default_shipping", Boolean, nullable=False),
    Column("default_billing", Boolean, nullable=False),
)

# Tokens only: brand, last four digits and expiry, never a card number.
payment_methods = Table(
    "payment_methods",
    metadata,
    Column("id", ID, primary_key=True),
    Column("customer_id", ID, ForeignKey("customers.id"), nullable=False, index=True),
    Column("position", Integer, nullable=False),
    Column("kind", String(16), nullable=False),
    Column("token", String(128), nullable=False),
    Column("brand", String(32), nullable=False),
    Column("last4", String(4), nullable=False),
    Column("exp_month", Integer, nullable=True),
    Column("exp_year", Integer, nullable=True),
    Column("holder_name", NAME, nullable=False),
    Column("is_default", Boolean, nullable=False),
)

customer_notes = Table(
    "customer_notes",
    metadata,
    Column("id", ID, primary_key=True),
    Column("customer_id", ID, ForeignKey("customers.id"), nullable=False, index=True),
    Column("position", Integer, nullable=False),
    Column("text", Text, nullable=False),
    Column("author_id", String(64), nullable=False),
    Column("author_name", NAME, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
)

carts = Table(
    "carts",
    metadata,
    Column("id", ID, primary_key=True),
    Column("visitor_id", String(64), nullable=True, index=True),
    Column("customer_id", ID, nullable=True, index=True),
    # active | locked | converted | abandoned
    Column("status", String(16), nullable=False),
    Column("currency", String(3), nullable=False),
    Column("locked_by_order", String(32), nullable=True),
    # The owner key while the cart is open, NULL once closed: a unique column that allows many
    # NULLs keeps one open cart per owner on both engines.
    Column("open_owner", String(80), nullable=True, unique=True),
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    Column("version", Integer, nullable=False),
)

cart_lines = Table(
    "cart_lines",
    metadata,
    Column("id", ID, primary_key=True),
    Column("cart_id", ID, ForeignKey("carts.id"), nullable=False, index=True),
    Column("position", Integer, nullable=False),
    Column("variant_id", ID, nullable=False),
    Column("product_id", ID, nullable=False),
    Column("sku", String(64), nullable=False),
    Column("name", NAME, nullable=False),
    Column("variant_label", String(100), nullable=False),
    Column("quantity", Integer, nullable=False),
    Column("unit_price", Money(), nullable=False),
)

page_views = Table(
    "page_views",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("visitor_id", String(64), nullable=False),
    Column("url", Text, nullable=False),
    Column("title", String(500), nullable=False),
    Column("viewed_at", UTCDateTime, nullable=False),
    Index("ix_page_views_visitor", "visitor_id", "id"),
)

# Events and e-mails written in the same transaction as the change they report, delivered
# after commit by the senders (webhooks, mail); nothing is lost if a process dies in between.
outbox = Table(
    "outbox",
    metadata,
    Column("id", ID, primary_key=True),
    # event | email
    Column("kind", String(16), nullable=False),
    Column("topic", String(64), nullable=False),
    Column("aggregate", String(32), nullable=False),
    Column("aggregate_id", String(64), nullable=False),
    Column("payload", JSON, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("available_at", UTCDateTime, nullable=False),
    Column("attempts", Integer, nullable=False, default=0),
    Column("delivered_at", UTCDateTime, nullable=True),
    Column("last_error", Text, nullable=True),
    Index("ix_outbox_pending", "kind", "delivered_at", "available_at"),
)
