"""Catalog storage: products, variants, stores and warehouses, stock, promotion codes.

Registered on the commerce ``metadata`` (``orders.tables.metadata``).
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Column,
    Float,
    ForeignKey,
    Index,
    Integer,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
)

from customers.sqltypes import Money, UTCDateTime
from customers.tables import ID, NAME, metadata

SKU = String(64)

products = Table(
    "products",
    metadata,
    Column("id", ID, primary_key=True),
    Column("name", NAME, nullable=False),
    Column("description", Text, nullable=False),
    Column("category", String(100), nullable=False, index=True),
    Column("brand", String(100), nullable=False),
    Column("bulky", Boolean, nullable=False),
    Column("active", Boolean, nullable=False),
    Column("options", JSON, nullable=False),
)

variants = Table(
    "variants",
    metadata,
    Column("id", ID, primary_key=True),
    Column("product_id", ID, ForeignKey("products.id"), nullable=False, index=True),
    Column("position", Integer, nullable=False),
    Column("sku", SKU, nullable=False, unique=True),
    Column("size", String(32), nullable=False),
    Column("colour", String(32), nullable=False),
    Column("price", Money(), nullable=False),
    Column("currency", String(3), nullable=False),
    Column("active", Boolean, nullable=False),
)

locations = Table(
    "locations",
    metadata,
    Column("id", ID, primary_key=True),
    Column("code", String(32), nullable=False, unique=True),
    Column("name", NAME, nullable=False),
    # store | warehouse
    Column("kind", String(16), nullable=False),
    Column("address", JSON, nullable=False),
    Column("latitude", Float, nullable=False),
    Column("longitude", Float, nullable=False),
    Column("phone", String(40), nullable=False),
    Column("hours", String(200), nullable=False),
    Column("pickup", Boolean, nullable=False),
)

stock = Table(
    "stock",
    metadata,
    Column("location_id", ID, ForeignKey("locations.id"), nullable=False),
    Column("variant_id", ID, ForeignKey("variants.id"), nullable=False),
    Column("on_hand", Integer, nullable=False),
    Column("reserved", Integer, nullable=False),
    PrimaryKeyConstraint("location_id", "variant_id", name="pk_stock"),
    CheckConstraint("on_hand >= 0", name="on_hand_not_negative"),
    CheckConstraint("reserved >= 0", name="reserved_not_negative"),
    Index("ix_stock_variant", "variant_id"),
)

promotions = Table(
    "promotions",
    metadata,
    Column("code", String(40), primary_key=True),
    Column("description", NAME, nullable=False),
    # percent | amount | free_shipping
    Column("kind", String(16), nullable=False),
    Column("value", Money(), nullable=False),
    Column("min_subtotal", Money(), nullable=False),
    Column("starts_at", UTCDateTime, nullable=True),
    Column("ends_at", UTCDateTime, nullable=True),
    Column("active", Boolean, nullable=False),
)
