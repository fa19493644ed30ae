"""The care queue's rules, free of any framework: who may take what, in which order, how long."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from queues.errors import AlreadyTaken, AtCapacity, Forbidden, InvalidState


class Role(StrEnum):
    AGENT = "agent"
    LEAD = "lead"
    ADMIN = "admin"


class Status(StrEnum):
    WAITING = "waiting"
    ACTIVE = "active"
    CLOSED = "closed"


class AgentStatus(StrEnum):
    AVAILABLE = "available"
    AWAY = "away"
    OFFLINE = "offline"


@dataclass(frozen=True, slots=True)
class Agent:
    id: str
    username: str
    name: str
    role: Role
    max_chats: int
    disabled: bool = False

    @property
    def supervises(self) -> bool:
        """Leads and admins may act on any conversation, not only their own."""
        return self.role in (Role.LEAD, Role.ADMIN)


@dataclass(frozen=True, slots=True)
class Queue:
    name: str
    title: str
    description: str = ""


@dataclass(slots=True)
class Conversation:
    id: str
    visitor_id: str
    status: Status
    queue: str
    waiting_since: datetime
    created_at: datetime
    version: int = 1
    customer_id: str | None = None
    topic: str | None = None
    name: str | None = None
    email: str | None = None
    assignee_id: str | None = None
    priority: int = 0
    accepted_at: datetime | None = None
    closed_at: datetime | None = None
    closed_by: str | None = None
    requeued_from: str | None = None
    requeue_note: str | None = None
    consultant_ids: list[str] = field(default_factory=list)

    def is_open(self) -> bool:
        return self.status is not Status.CLOSED

    def involves(self, agent_id: str) -> bool:
        return self.assignee_id == agent_id or agent_id in self.consultant_ids


def waiting_order(conversations: Iterable[Conversation]) -> list[Conversation]:
    """Higher priority first, then whoever has waited longest; the id breaks exact ties."""
    return sorted(conversations, key=lambda c: (-c.priority, c.waiting_since, c.id))


def ensure_can_accept(conversation: Conversation, agent: Agent, open_load: int) -> None:
    if conversation.status is Status.CLOSED:
        raise InvalidState("This conversation is closed.")
    if conversation.status is Status.ACTIVE:
        raise AlreadyTaken("Another CSR has already taken this request.")
    if open_load >= agent.max_chats:
        raise AtCapacity(
            f"You already have {open_load} open chats, your limit is {agent.max_chats}.",
            details={"limit": agent.max_chats, "open": open_load},
        )


def ensure_may_route(conversation: Conversation, agent: Agent) -> None:
    """Requeue, transfer, invite or close: the assignee may, and so may a lead or an admin."""
    if conversation.status is Status.CLOSED:
        raise InvalidState("This conversation is already closed.")
    if conversation.assignee_id != agent.id and not agent.supervises:
        raise Forbidden("Only the CSR who has this conversation (or a lead) may do that.")


def ensure_may_read(conversation: Conversation, agent: Agent) -> None:
    """CSRs read conversations they are on; leads and admins read any; anyone reads a waiting
    request (they are deciding whether to take it)."""
    if conversation.status is Status.WAITING or agent.supervises:
        return
    if not conversation.involves(agent.id):
        raise Forbidden("You are not on this conversation.")


def ensure_may_write(conversation: Conversation, agent: Agent, thread: str) -> None:
    """The assignee writes in both threads; a consulted colleague only in the private one."""
    if conversation.status is Status.CLOSED:
        raise InvalidState("This conversation is closed.")
    if conversation.assignee_id == agent.id:
        return
    if thread == "private" and (agent.id in conversation.consultant_ids or agent.supervises):
        return
    if thread == "public" and agent.supervises and conversation.assignee_id is not None:
        return
    raise Forbidden("You may not write in this conversation.")


DEFAULT_HANDLE_SECONDS = 180.0


def average_handle_seconds(durations: Sequence[float]) -> float:
    """Mean handle time of recently closed conversations (a default when there are none)."""
    recent = [d for d in durations if d > 0]
    return sum(recent) / len(recent) if recent else DEFAULT_HANDLE_SECONDS


def estimate_wait_seconds(position: int, handle_seconds: float, free_slots: int, slots: int) -> int:
    """How long the shopper at ``position`` (1-based) will likely wait.

    ``free_slots`` is how many more chats the available CSRs of the queue can take right now:
    that many shoppers at the front are taken at once. Behind them the queue moves one chat per
    ``handle_seconds / slots`` (every slot frees up once per handle time). With nobody available
    the estimate assumes one slot: the shopper still gets a number, not a promise of zero.
    """
    if position <= free_slots:
        return 0
    ahead = position - free_slots
    per_slot = handle_seconds / max(1, slots)
    return math.ceil(ahead * per_slot)
