"""Domain objects turned into wire payloads (the schemas of ``chat.schemas``)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any, Protocol

from chat.domain import Message
from chat.ports import CustomerDirectory, describe_customer
from chat.repository import private_thread_id, public_thread_id
from chat.schemas import (
    AgentConversationOut,
    AgentRef,
    AuthorOut,
    ChatStatusEvent,
    CustomerConversationOut,
    MessageOut,
    PresenceAgent,
    PresenceEvent,
    PublicAgentRef,
    QueuePositionEvent,
    RequestOut,
    VisitorOut,
)
from queues.domain import (
    AgentStatus,
    Conversation,
    Status,
    average_handle_seconds,
    estimate_wait_seconds,
)
from queues.uow import CareUnitOfWork


class HasCustomer(Protocol):
    customer: dict[str, Any] | None


def _json_time(value: datetime) -> str:
    """A datetime as pydantic writes it in JSON mode: ISO 8601, UTC as ``Z``."""
    text = value.isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def message_payload(message: Message) -> dict[str, Any]:
    """The wire form of a message: ``message_out(message).model_dump(mode="json")``, built
    directly. Every chat message is put on the wire three times (the shopper's room, the CSRs'
    rooms, the sender's acknowledgement), and building and dumping the pydantic model each time
    cost more than storing the message; tests check both give the same payload. A message with
    a card (a bot's answer, rare) still goes through the model, which checks the card's JSON."""
    if message.card is not None:
        return message_out(message).model_dump(mode="json")
    author = message.author
    return {
        "id": message.id,
        "conversation_id": message.conversation_id,
        "thread": message.thread.value,
        "seq": message.seq,
        "client_id": message.client_id,
        "author": {"kind": author.kind.value, "id": author.id, "name": author.name},
        "text": message.text,
        "created_at": _json_time(message.created_at),
        "card": None,
        "to_agent_id": message.to_agent_id,
    }


def message_out(message: Message) -> MessageOut:
    return MessageOut(
        id=message.id,
        conversation_id=message.conversation_id,
        thread=message.thread.value,
        seq=message.seq,
        client_id=message.client_id,
        author=AuthorOut(
            kind=message.author.kind.value, id=message.author.id, name=message.author.name
        ),
        text=message.text,
        created_at=message.created_at,
        card=message.card,
        to_agent_id=message.to_agent_id,
    )


async def _agent_name(uow: CareUnitOfWork, agent_id: str | None) -> str | None:
    if agent_id is None:
        return None
    agent = await uow.agents.get(agent_id)
    return agent.name if agent else None


async def position_of(uow: CareUnitOfWork, conv: Conversation) -> int | None:
    if conv.status is not Status.WAITING:
        return None
    waiting = await uow.conversations.waiting(conv.queue)
    for index, other in enumerate(waiting, start=1):
        if other.id == conv.id:
            return index
    return None


async def customer_conversation(uow: CareUnitOfWork, conv: Conversation) -> CustomerConversationOut:
    name = await _agent_name(uow, conv.assignee_id) if conv.status is Status.ACTIVE else None
    return CustomerConversationOut(
        id=conv.id,
        status=conv.status.value,
        queue=conv.queue,
        topic=conv.topic,
        position=await position_of(uow, conv),
        agent=PublicAgentRef(name=name) if name else None,
    )


async def chat_status(uow: CareUnitOfWork, conv: Conversation) -> ChatStatusEvent:
    name = await _agent_name(uow, conv.assignee_id) if conv.status is Status.ACTIVE else None
    return ChatStatusEvent(
        conversation_id=conv.id,
        status=conv.status.value,
        agent=PublicAgentRef(name=name) if name else None,
    )


def customer_ref(customer_id: str | None) -> dict[str, Any] | None:
    """What a view holds of the customer until ``with_customers`` fills in the profile."""
    return {"id": customer_id} if customer_id else None


async def with_customers(directory: CustomerDirectory, *views: HasCustomer) -> None:
    """Replace each view's customer reference by the profile from the commerce side.

    Called after the care transaction has ended, never inside one: the commerce side may use the
    same database (on SQLite, the same single connection)."""
    cache: dict[str, dict[str, Any] | None] = {}
    for view in views:
        ref = view.customer
        if ref is None:
            continue
        customer_id = str(ref["id"])
        if customer_id not in cache:
            cache[customer_id] = await describe_customer(directory, customer_id)
        view.customer = cache[customer_id]


async def agent_conversation(
    uow: CareUnitOfWork, conv: Conversation, viewer_id: str
) -> AgentConversationOut:
    people = await uow.agents.get_many([*conv.consultant_ids, *filter(None, [conv.assignee_id])])
    visitor = await uow.visitors.get(conv.visitor_id)
    threads = [public_thread_id(conv.id), private_thread_id(conv.id)]
    last = await uow.messages.last_seqs(threads)
    read = await uow.messages.read_marks(viewer_id, threads)
    customer = customer_ref(conv.customer_id)
    assignee = people.get(conv.assignee_id) if conv.assignee_id else None
    return AgentConversationOut(
        id=conv.id,
        status=conv.status.value,
        queue=conv.queue,
        topic=conv.topic,
        name=conv.name or (visitor.name if visitor else None),
        email=conv.email or (visitor.email if visitor else None),
        customer=customer,
        visitor=VisitorOut(
            id=conv.visitor_id,
            current_url=visitor.current_url if visitor else None,
            current_title=visitor.current_title if visitor else None,
        ),
        assignee=AgentRef(id=assignee.id, name=assignee.name) if assignee else None,
        consultants=[
            AgentRef(id=people[c].id, name=people[c].name)
            for c in conv.consultant_ids
            if c in people
        ],
        waiting_since=conv.waiting_since,
        accepted_at=conv.accepted_at,
        closed_at=conv.closed_at,
        requeued_from=conv.requeued_from,
        note=conv.requeue_note,
        last_seq={"public": last.get(threads[0], 0), "private": last.get(threads[1], 0)},
        read_seq={"public": read.get(threads[0], 0), "private": read.get(threads[1], 0)},
    )


async def waiting_requests(uow: CareUnitOfWork, queue: str) -> list[RequestOut]:
    requests = []
    for position, conv in enumerate(await uow.conversations.waiting(queue), start=1):
        customer = customer_ref(conv.customer_id)
        first = await uow.messages.after(public_thread_id(conv.id), 0, 1)
        requests.append(
            RequestOut(
                conversation_id=conv.id,
                queue=conv.queue,
                customer=customer,
                name=conv.name,
                topic=conv.topic,
                waiting_since=conv.waiting_since,
                requeued_from=conv.requeued_from,
                note=conv.requeue_note,
                position=position,
                preview=first[0].text[:200] if first else None,
            )
        )
    return requests


async def queue_positions(
    uow: CareUnitOfWork, queue: str, online: Mapping[str, AgentStatus]
) -> list[tuple[str, QueuePositionEvent]]:
    """(visitor id, their position event) for everyone waiting in ``queue``; ``online`` is the
    presence snapshot (CSR id → status)."""
    waiting = await uow.conversations.waiting(queue)
    if not waiting:
        return []
    members = await uow.agents.get_many(await uow.agents.members_of(queue))
    loads = await uow.conversations.loads()
    available = [
        a for a in members.values() if not a.disabled and online.get(a.id) is AgentStatus.AVAILABLE
    ]
    free = sum(max(0, a.max_chats - loads.get(a.id, 0)) for a in available)
    slots = sum(a.max_chats for a in available)
    handle = average_handle_seconds(await uow.conversations.recent_handle_seconds(queue))
    return [
        (
            conv.visitor_id,
            QueuePositionEvent(
                conversation_id=conv.id,
                position=position,
                eta_seconds=estimate_wait_seconds(position, handle, free, slots),
            ),
        )
        for position, conv in enumerate(waiting, start=1)
    ]


async def presence_event(uow: CareUnitOfWork, online: Mapping[str, AgentStatus]) -> PresenceEvent:
    loads = await uow.conversations.loads()
    agents = [a for a in await uow.agents.all() if not a.disabled]
    return PresenceEvent(
        agents=[
            PresenceAgent(
                id=a.id,
                name=a.name,
                role=a.role.value,
                status=online.get(a.id, AgentStatus.OFFLINE).value,
                load=loads.get(a.id, 0),
                max_chats=a.max_chats,
            )
            for a in agents
        ]
    )


def dedupe(ids: Sequence[str]) -> list[str]:
    return list(dict.fromkeys(ids))
