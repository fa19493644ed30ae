"""The four care queues every Careline starts with.

Revision ID: care_0002
Revises: care_0001
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "care_0002"
down_revision: str | Sequence[str] | None = "care_0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

QUEUES = [
    ("general", "General questions", "Anything about shopping with us.", 0),
    ("orders", "Orders and delivery", "Where is my order, changes, cancellations.", 1),
    ("returns", "Returns and refunds", "Returns, exchanges, refunds.", 2),
    ("business", "Business customers", "Accounts, quotes and bulk orders for companies.", 3),
]


def upgrade() -> None:
    queues = sa.table(
        "queues",
        sa.column("name", sa.String),
        sa.column("title", sa.String),
        sa.column("description", sa.Text),
        sa.column("sort_order", sa.Integer),
    )
    op.bulk_insert(
        queues,
        [{"name": n, "title": t, "description": d, "sort_order": o} for n, t, d, o in QUEUES],
    )


def downgrade() -> None:
    op.execute(
        sa.text("DELETE FROM queues WHERE name IN ('general', 'orders', 'returns', 'business')")
    )
