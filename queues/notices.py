"""What a care use case tells the outside world once its transaction has committed.

Use cases append notices to their unit of work; the transport turns them into Socket.IO events
only after the commit succeeded (and never when it failed), so no client hears of a change that
was not stored.
"""

from __future__ import annotations

from dataclasses import dataclass

from chat.domain import Message


@dataclass(frozen=True, slots=True)
class MessagePosted:
    message: Message
    # Who hears it: the shopper (public thread only) and these CSRs.
    visitor_id: str | None
    agent_ids: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ConversationChanged:
    """Routing changed (taken, requeued, transferred, consulted, closed)."""

    conversation_id: str
    # CSRs to tell, including any who just lost the conversation (so their console drops it).
    agent_ids: tuple[str, ...]
    notify_visitor: bool = True


@dataclass(frozen=True, slots=True)
class QueueChanged:
    """The waiting list of a queue changed: positions, waits and the CSRs' queue views move."""

    queue: str


@dataclass(frozen=True, slots=True)
class PresenceChanged:
    """A CSR's status or load changed."""


@dataclass(frozen=True, slots=True)
class VisitorNavigated:
    visitor_id: str
    conversation_id: str
    url: str
    title: str
    agent_ids: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class SessionsRevoked:
    """A CSR logged out (one session) or was disabled (all sessions): close their sockets."""

    agent_id: str
    session_id: str | None = None


Notice = (
    MessagePosted
    | ConversationChanged
    | QueueChanged
    | PresenceChanged
    | VisitorNavigated
    | SessionsRevoked
)
