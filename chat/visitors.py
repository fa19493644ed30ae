"""Use cases of the shopper's side that are not messages: arriving, being recognised."""

from __future__ import annotations

from dataclasses import dataclass

from chat.domain import Visitor
from queues.clock import Clock, new_id
from queues.domain import Conversation
from queues.uow import CareUnitOfWork


@dataclass(frozen=True, slots=True)
class Arrival:
    visitor: Visitor
    conversation: Conversation | None
    is_new: bool


async def arrive(
    uow: CareUnitOfWork, clock: Clock, *, visitor_id: str | None, customer_id: str | None
) -> Arrival:
    """Resume the visitor behind a token, or make a new one.

    A visitor that belongs to a signed-in customer is only resumed by that same customer: on a
    shared computer, the next shopper (signed in as someone else, or not at all) gets a fresh
    visitor and never sees the previous one's conversation.
    """
    now = clock.now()
    visitor = await uow.visitors.get(visitor_id) if visitor_id else None
    if visitor is not None and visitor.customer_id not in (None, customer_id):
        visitor = None
    if visitor is not None:
        linking = customer_id is not None and visitor.customer_id is None
        if linking:
            visitor.customer_id = customer_id
        await uow.visitors.update(visitor.id, customer_id=visitor.customer_id, last_seen_at=now)
        conversation = await uow.conversations.open_for_visitor(visitor.id)
        if linking and conversation is not None and customer_id is not None:
            # Signed in mid-chat: the CSR now sees who they are talking to.
            await uow.conversations.link_customer(conversation.id, customer_id)
            conversation.customer_id = customer_id
        await uow.commit()
        return Arrival(visitor, conversation, is_new=False)
    visitor = Visitor(id=new_id("v"), created_at=now, last_seen_at=now, customer_id=customer_id)
    await uow.visitors.add(visitor)
    await uow.commit()
    return Arrival(visitor, None, is_new=True)
