"""Care-side storage: visitors, conversations, threads and messages (SQLAlchemy Core).

The care side's ``metadata`` is shared with ``queues.tables`` (CSR accounts, queues, routing
history), which registers its tables on it.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)


class UTCDateTime(TypeDecorator[datetime]):
    """A timestamp that always comes back timezone-aware in UTC (SQLite forgets the zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        value = value.astimezone(UTC)
        # SQLite stores text: drop the zone so every stored value sorts the same way.
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        assert isinstance(value, datetime)
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


ID = String(64)

visitors = Table(
    "visitors",
    metadata,
    Column("id", ID, primary_key=True),
    Column("customer_id", String(64), nullable=True, index=True),
    Column("name", String(200), nullable=True),
    Column("email", String(320), nullable=True),
    Column("current_url", Text, nullable=True),
    Column("current_title", String(500), nullable=True),
    Column("created_at", UTCDateTime, nullable=False),
    Column("last_seen_at", UTCDateTime, nullable=False),
)

conversations = Table(
    "conversations",
    metadata,
    Column("id", ID, primary_key=True),
    Column("visitor_id", ID, ForeignKey("visitors.id"), nullable=False),
    Column("customer_id", String(64), nullable=True),
    # waiting | active | closed
    Column("status", String(16), nullable=False),
    Column("queue", String(64), ForeignKey("queues.name"), nullable=False),
    Column("topic", String(200), nullable=True),
    Column("name", String(200), nullable=True),
    Column("email", String(320), nullable=True),
    Column("assignee_id", ID, ForeignKey("agents.id"), nullable=True),
    Column("priority", Integer, nullable=False, default=0),
    # When the shopper started waiting; kept across requeues so nobody loses their place.
    Column("waiting_since", UTCDateTime, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("accepted_at", UTCDateTime, nullable=True),
    Column("closed_at", UTCDateTime, nullable=True),
    Column("closed_by", String(16), nullable=True),
    Column("requeued_from", String(64), nullable=True),
    Column("requeue_note", Text, nullable=True),
    # Bumped on every routing change: the compare-and-set that decides races.
    Column("version", Integer, nullable=False, default=1),
    Index("ix_conversations_waiting", "status", "queue", "priority", "waiting_since"),
    Index("ix_conversations_assignee", "assignee_id", "status"),
    Index("ix_conversations_visitor", "visitor_id", "status"),
)

threads = Table(
    "threads",
    metadata,
    Column("id", ID, primary_key=True),
    # public | private | direct
    Column("kind", String(16), nullable=False),
    Column("conversation_id", ID, ForeignKey("conversations.id"), nullable=True),
    # A direct thread is between two CSRs, stored with the smaller id first.
    Column("agent_low", ID, ForeignKey("agents.id"), nullable=True),
    Column("agent_high", ID, ForeignKey("agents.id"), nullable=True),
    Column("last_seq", Integer, nullable=False, default=0),
    UniqueConstraint("conversation_id", "kind", name="uq_threads_conversation_kind"),
    UniqueConstraint("agent_low", "agent_high", name="uq_threads_direct_pair"),
)

messages = Table(
    "messages",
    metadata,
    Column("id", ID, primary_key=True),
    Column("thread_id", ID, ForeignKey("threads.id"), nullable=False),
    Column("seq", Integer, nullable=False),
    Column("client_id", String(64), nullable=False),
    # customer | agent | bot | system
    Column("author_kind", String(16), nullable=False),
    Column("author_id", String(64), nullable=True),
    Column("author_name", String(200), nullable=True),
    Column("text", Text, nullable=False),
    Column("card", JSON, nullable=True),
    Column("created_at", UTCDateTime, nullable=False),
    UniqueConstraint("thread_id", "seq", name="uq_messages_thread_seq"),
    # Idempotent resend: one message per sender and client id within a thread.
    UniqueConstraint(
        "thread_id", "author_kind", "author_id", "client_id", name="uq_messages_client_id"
    ),
)

# How far each reader has read each thread: unread counts in the console.
thread_reads = Table(
    "thread_reads",
    metadata,
    Column("thread_id", ID, ForeignKey("threads.id"), primary_key=True),
    Column("reader_id", String(64), primary_key=True),
    Column("last_read_seq", Integer, nullable=False, default=0),
)

__all__ = [
    "UTCDateTime",
    "conversations",
    "messages",
    "metadata",
    "thread_reads",
    "threads",
    "visitors",
]
