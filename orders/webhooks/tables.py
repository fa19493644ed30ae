"""Where each event stands with each endpoint: one row per (event, endpoint), made when the
event is taken from the outbox, so a slow or broken endpoint holds up no other."""

from __future__ import annotations

from sqlalchemy import Column, Index, Integer, PrimaryKeyConstraint, String, Table, Text

from customers import tables as customer_tables
from customers.sqltypes import UTCDateTime

# pending: to be sent at ``available_at`` (while an attempt is under way, the end of its
# lease); delivered: a 2xx answer came back; failed: given up after the last attempt.
PENDING, DELIVERED, FAILED = "pending", "delivered", "failed"

webhook_deliveries = Table(
    "webhook_deliveries",
    customer_tables.metadata,
    Column("event_id", customer_tables.ID, nullable=False),
    Column("endpoint", String(500), nullable=False),
    Column("event_type", String(64), nullable=False),
    Column("status", String(16), nullable=False),
    Column("attempts", Integer, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("available_at", UTCDateTime, nullable=False),
    Column("last_attempt_at", UTCDateTime, nullable=True),
    Column("delivered_at", UTCDateTime, nullable=True),
    Column("last_status", Integer, nullable=True),
    Column("last_error", Text, nullable=True),
    PrimaryKeyConstraint("event_id", "endpoint"),
    Index("ix_webhook_deliveries_due", "status", "available_at"),
)
