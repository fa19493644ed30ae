"""Queue-side storage: CSR accounts and sessions, care queues and members, routing history.

Registered on the care ``metadata`` of ``chat.tables`` (one database, one migration branch).
"""

from __future__ import annotations

from sqlalchemy import Boolean, Column, ForeignKey, Index, Integer, String, Table, Text

from chat.tables import ID, UTCDateTime, metadata

agents = Table(
    "agents",
    metadata,
    Column("id", ID, primary_key=True),
    Column("username", String(64), nullable=False, unique=True),
    Column("name", String(200), nullable=False),
    Column("password_hash", String(200), nullable=False),
    # agent | lead | admin
    Column("role", String(16), nullable=False),
    Column("max_chats", Integer, nullable=False),
    Column("disabled", Boolean, nullable=False, default=False),
    Column("created_at", UTCDateTime, nullable=False),
)

# A login. A token names its session, so logging out (or disabling the account) revokes it.
agent_sessions = Table(
    "agent_sessions",
    metadata,
    Column("id", ID, primary_key=True),
    Column("agent_id", ID, ForeignKey("agents.id"), nullable=False, index=True),
    Column("created_at", UTCDateTime, nullable=False),
    Column("expires_at", UTCDateTime, nullable=False),
    Column("revoked_at", UTCDateTime, nullable=True),
)

queues = Table(
    "queues",
    metadata,
    Column("name", String(64), primary_key=True),
    Column("title", String(200), nullable=False),
    Column("description", Text, nullable=False, default=""),
    Column("sort_order", Integer, nullable=False, default=0),
)

queue_members = Table(
    "queue_members",
    metadata,
    Column("queue", String(64), ForeignKey("queues.name"), primary_key=True),
    Column("agent_id", ID, ForeignKey("agents.id"), primary_key=True),
)

# Every routing change of a conversation: created, accepted, requeued, transferred, returned,
# closed. The requeue history a CSR sees comes from here.
conversation_events = Table(
    "conversation_events",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("conversation_id", ID, ForeignKey("conversations.id"), nullable=False),
    Column("kind", String(16), nullable=False),
    Column("actor_kind", String(16), nullable=False),
    Column("actor_id", String(64), nullable=True),
    Column("from_queue", String(64), nullable=True),
    Column("to_queue", String(64), nullable=True),
    Column("from_agent_id", ID, nullable=True),
    Column("to_agent_id", ID, nullable=True),
    Column("note", Text, nullable=True),
    Column("created_at", UTCDateTime, nullable=False),
    Index("ix_conversation_events_conversation", "conversation_id", "id"),
)

# Colleagues consulted on a conversation: they read the public thread and write in the private
# one without taking the conversation.
consults = Table(
    "consults",
    metadata,
    Column("conversation_id", ID, ForeignKey("conversations.id"), primary_key=True),
    Column("agent_id", ID, ForeignKey("agents.id"), primary_key=True),
    Column("invited_by", ID, ForeignKey("agents.id"), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
)
