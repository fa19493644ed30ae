"""Use cases of the care queue: start, accept, requeue, transfer, consult, close, return.

Who wins a race is decided by ``ConversationRepository.compare_and_set``: a conditional update
on the conversation's version, so two CSRs on two processes can never both take one request.
"""

from __future__ import annotations

from dataclasses import dataclass

from chat.domain import Author, AuthorKind, Message, ThreadKind
from chat.messaging import append_message, system_message
from chat.postings import audience
from chat.repository import public_thread_id
from queues.clock import Clock, new_id
from queues.domain import (
    Agent,
    Conversation,
    Status,
    ensure_can_accept,
    ensure_may_route,
)
from queues.errors import (
    AlreadyTaken,
    AtCapacity,
    Forbidden,
    InvalidState,
    NotFound,
    UnknownQueue,
)
from queues.notices import ConversationChanged, PresenceChanged, QueueChanged
from queues.uow import CareUnitOfWork

HISTORY_LIMIT = 1000


@dataclass(frozen=True, slots=True)
class StartRequest:
    visitor_id: str
    customer_id: str | None
    queue: str | None
    topic: str | None
    name: str | None
    email: str | None
    text: str | None
    client_id: str | None = None


@dataclass(frozen=True, slots=True)
class Accepted:
    conversation: Conversation
    messages: list[Message]


async def _queue_for(uow: CareUnitOfWork, name: str) -> str:
    if await uow.queues.get(name) is None:
        raise UnknownQueue(f"There is no queue called {name!r}.", details={"queue": name})
    return name


async def start_conversation(
    uow: CareUnitOfWork, clock: Clock, request: StartRequest, *, default_queue: str = "general"
) -> Conversation:
    """Open a care request, or return the shopper's open one (a second tab, a double click)."""
    existing = await uow.conversations.open_for_visitor(request.visitor_id)
    if existing is not None:
        return existing
    queue = await _queue_for(uow, request.queue or default_queue)
    now = clock.now()
    conv = Conversation(
        id=new_id("c"),
        visitor_id=request.visitor_id,
        customer_id=request.customer_id,
        status=Status.WAITING,
        queue=queue,
        topic=request.topic,
        name=request.name,
        email=request.email,
        waiting_since=now,
        created_at=now,
    )
    await uow.conversations.add(conv)
    await uow.messages.create_conversation_threads(conv.id)
    await uow.conversations.record_event(
        conv.id, "created", now, actor_kind="customer", actor_id=request.visitor_id, to_queue=queue
    )
    if request.name or request.email:
        await uow.visitors.update(request.visitor_id, name=request.name, email=request.email)
    if request.text:
        author = Author(AuthorKind.CUSTOMER, request.visitor_id, request.name or "Customer")
        await append_message(
            uow, clock, conv, ThreadKind.PUBLIC, author, request.text, client_id=request.client_id
        )
    uow.notify(QueueChanged(queue))
    await uow.commit()
    return conv


async def _get(uow: CareUnitOfWork, conversation_id: str) -> Conversation:
    conv = await uow.conversations.get(conversation_id)
    if conv is None:
        raise NotFound("No such conversation.")
    return conv


async def accept_request(
    uow: CareUnitOfWork, clock: Clock, agent: Agent, conversation_id: str
) -> Accepted:
    """Take a waiting request. Exactly one of several racing CSRs wins; the others get
    ``already_taken``. A CSR at their concurrent-chat cap gets ``at_capacity``."""
    await uow.agents.lock(agent.id)
    # The account as stored now: a changed cap or a disabled account counts at once.
    current = await uow.agents.get(agent.id)
    if current is None or current.disabled:
        raise Forbidden("This account can no longer take chats.")
    agent = current
    conv = await _get(uow, conversation_id)
    ensure_can_accept(conv, agent, await uow.conversations.load_of(agent.id))
    expected = conv.version
    now = clock.now()
    conv.status = Status.ACTIVE
    conv.assignee_id = agent.id
    conv.accepted_at = now
    if not await uow.conversations.compare_and_set(conv, expected):
        raise AlreadyTaken("Another CSR has already taken this request.")
    await uow.conversations.record_event(
        conv.id, "accepted", now, actor_kind="agent", actor_id=agent.id, to_agent_id=agent.id
    )
    await system_message(uow, clock, conv, ThreadKind.PUBLIC, f"{agent.name} joined the chat.")
    uow.notify(
        QueueChanged(conv.queue), ConversationChanged(conv.id, (agent.id,)), PresenceChanged()
    )
    await uow.commit()
    history = await uow.messages.after(public_thread_id(conv.id), 0, HISTORY_LIMIT)
    return Accepted(conv, history)


async def requeue(
    uow: CareUnitOfWork,
    clock: Clock,
    agent: Agent,
    conversation_id: str,
    queue: str,
    note: str | None,
) -> Conversation:
    """Send the conversation back to a queue (another one, or the same). The shopper keeps the
    place their original waiting time gives them; the note stays in the private thread."""
    conv = await _get(uow, conversation_id)
    ensure_may_route(conv, agent)
    if conv.status is not Status.ACTIVE:
        raise InvalidState("Only a conversation in progress can be requeued.")
    target = await _queue_for(uow, queue)
    target_title = (await uow.queues.get(target)).title  # type: ignore[union-attr]
    previous_people = audience(conv)
    expected = conv.version
    now = clock.now()
    from_queue = conv.queue
    conv.status = Status.WAITING
    conv.queue = target
    conv.assignee_id = None
    conv.accepted_at = None
    conv.requeued_from = from_queue
    conv.requeue_note = note or None
    if not await uow.conversations.compare_and_set(conv, expected):
        raise AlreadyTaken("This conversation changed meanwhile; look again.")
    await uow.conversations.clear_consultants(conv.id)
    conv.consultant_ids = []
    await uow.conversations.record_event(
        conv.id,
        "requeued",
        now,
        actor_kind="agent",
        actor_id=agent.id,
        from_queue=from_queue,
        to_queue=target,
        from_agent_id=agent.id,
        note=note,
    )
    # The note is for colleagues only. The conversation has no CSR audience now, so it is heard
    # when the next CSR accepts and reads the private thread.
    note_text = f"Requeued from {from_queue} to {target} by {agent.name}" + (
        f": {note}" if note else "."
    )
    await append_message(
        uow,
        clock,
        conv,
        ThreadKind.PRIVATE,
        Author(AuthorKind.AGENT, agent.id, agent.name),
        note_text,
    )
    await system_message(
        uow,
        clock,
        conv,
        ThreadKind.PUBLIC,
        f"Your chat is being passed to our {target_title} team. Please stay here.",
    )
    uow.notify(
        QueueChanged(target), ConversationChanged(conv.id, previous_people), PresenceChanged()
    )
    await uow.commit()
    return conv


async def transfer(
    uow: CareUnitOfWork,
    clock: Clock,
    agent: Agent,
    conversation_id: str,
    to_agent_id: str,
    note: str | None,
) -> Conversation:
    """Hand the conversation to a named colleague, who becomes its CSR at once."""
    conv = await _get(uow, conversation_id)
    ensure_may_route(conv, agent)
    if conv.status is not Status.ACTIVE:
        raise InvalidState("Only a conversation in progress can be transferred.")
    target = await uow.agents.get(to_agent_id)
    if target is None or target.disabled:
        raise NotFound("No such colleague.")
    if target.id == conv.assignee_id:
        raise InvalidState(f"{target.name} already has this conversation.")
    await uow.agents.lock(target.id)
    load = await uow.conversations.load_of(target.id)
    if load >= target.max_chats:
        raise AtCapacity(
            f"{target.name} already has {load} open chats, their limit is {target.max_chats}.",
            details={"limit": target.max_chats, "open": load},
        )
    previous_people = audience(conv)
    previous_assignee = conv.assignee_id
    expected = conv.version
    now = clock.now()
    conv.assignee_id = target.id
    conv.accepted_at = now
    if not await uow.conversations.compare_and_set(conv, expected):
        raise AlreadyTaken("This conversation changed meanwhile; look again.")
    if target.id in conv.consultant_ids:
        await uow.conversations.remove_consultant(conv.id, target.id)
        conv.consultant_ids.remove(target.id)
    await uow.conversations.record_event(
        conv.id,
        "transferred",
        now,
        actor_kind="agent",
        actor_id=agent.id,
        from_agent_id=previous_assignee,
        to_agent_id=target.id,
        note=note,
    )
    await append_message(
        uow,
        clock,
        conv,
        ThreadKind.PRIVATE,
        Author(AuthorKind.AGENT, agent.id, agent.name),
        f"Transferred to {target.name} by {agent.name}" + (f": {note}" if note else "."),
    )
    await system_message(
        uow, clock, conv, ThreadKind.PUBLIC, f"{target.name} has taken over this chat."
    )
    people = tuple(dict.fromkeys((*previous_people, target.id)))
    uow.notify(ConversationChanged(conv.id, people), PresenceChanged())
    await uow.commit()
    return conv


async def invite_consult(
    uow: CareUnitOfWork,
    clock: Clock,
    agent: Agent,
    conversation_id: str,
    colleague_id: str,
    note: str | None,
) -> Conversation:
    """Bring a colleague into the private thread; they read the public one, the shopper sees
    nothing of it, and the conversation stays with its CSR."""
    conv = await _get(uow, conversation_id)
    ensure_may_route(conv, agent)
    if conv.status is not Status.ACTIVE:
        raise InvalidState("Only a conversation in progress can have a consult.")
    colleague = await uow.agents.get(colleague_id)
    if colleague is None or colleague.disabled:
        raise NotFound("No such colleague.")
    if colleague.id == conv.assignee_id or colleague.id in conv.consultant_ids:
        raise InvalidState(f"{colleague.name} is already on this conversation.")
    await uow.conversations.add_consultant(conv.id, colleague.id, agent.id, clock.now())
    conv.consultant_ids.append(colleague.id)
    await uow.conversations.record_event(
        conv.id,
        "consulted",
        clock.now(),
        actor_kind="agent",
        actor_id=agent.id,
        to_agent_id=colleague.id,
        note=note,
    )
    await append_message(
        uow,
        clock,
        conv,
        ThreadKind.PRIVATE,
        Author(AuthorKind.AGENT, agent.id, agent.name),
        f"{agent.name} asked {colleague.name} to consult" + (f": {note}" if note else "."),
    )
    uow.notify(ConversationChanged(conv.id, audience(conv), notify_visitor=False))
    await uow.commit()
    return conv


async def leave_consult(
    uow: CareUnitOfWork, clock: Clock, agent: Agent, conversation_id: str
) -> None:
    conv = await _get(uow, conversation_id)
    if agent.id not in conv.consultant_ids:
        raise InvalidState("You are not consulting on this conversation.")
    people = audience(conv)
    await uow.conversations.remove_consultant(conv.id, agent.id)
    conv.consultant_ids.remove(agent.id)
    await system_message(uow, clock, conv, ThreadKind.PRIVATE, f"{agent.name} left the consult.")
    uow.notify(ConversationChanged(conv.id, people, notify_visitor=False))
    await uow.commit()


async def close_by_customer(
    uow: CareUnitOfWork, clock: Clock, visitor_id: str, conversation_id: str
) -> Conversation:
    conv = await _get(uow, conversation_id)
    if conv.visitor_id != visitor_id:
        raise NotFound("No such conversation.")
    return await _close(uow, clock, conv, "customer", visitor_id, "You closed the chat.")


async def close_by_agent(
    uow: CareUnitOfWork, clock: Clock, agent: Agent, conversation_id: str
) -> Conversation:
    conv = await _get(uow, conversation_id)
    if conv.status is Status.WAITING and agent.supervises:
        pass  # a lead may close a waiting request (spam, a duplicate)
    else:
        ensure_may_route(conv, agent)
    return await _close(uow, clock, conv, "agent", agent.id, f"{agent.name} closed the chat.")


async def _close(
    uow: CareUnitOfWork,
    clock: Clock,
    conv: Conversation,
    by: str,
    actor_id: str,
    text: str,
) -> Conversation:
    if conv.status is Status.CLOSED:
        raise InvalidState("This conversation is already closed.")
    was_waiting = conv.status is Status.WAITING
    people = audience(conv)
    expected = conv.version
    now = clock.now()
    conv.status = Status.CLOSED
    conv.closed_at = now
    conv.closed_by = by
    if not await uow.conversations.compare_and_set(conv, expected):
        raise AlreadyTaken("This conversation changed meanwhile; look again.")
    await uow.conversations.record_event(conv.id, "closed", now, actor_kind=by, actor_id=actor_id)
    await system_message(uow, clock, conv, ThreadKind.PUBLIC, text)
    uow.notify(ConversationChanged(conv.id, people), PresenceChanged())
    if was_waiting:
        uow.notify(QueueChanged(conv.queue))
    await uow.commit()
    return conv


async def return_to_queues(uow: CareUnitOfWork, clock: Clock, agent_id: str) -> list[Conversation]:
    """A CSR has been gone longer than the grace period: their open conversations go back to
    their queues, in front of newer requests (the original waiting time is kept). Safe to run on
    several processes at once: each conversation moves only once."""
    returned: list[Conversation] = []
    agent = await uow.agents.get(agent_id)
    name = agent.name if agent else "Your CSR"
    for conv in await uow.conversations.active_for_assignee(agent_id):
        conv.consultant_ids = await uow.conversations.consultants(conv.id)
        people = audience(conv)
        expected = conv.version
        conv.status = Status.WAITING
        conv.assignee_id = None
        conv.accepted_at = None
        conv.requeued_from = conv.queue
        conv.requeue_note = f"{name} lost connection."
        if not await uow.conversations.compare_and_set(conv, expected):
            continue
        await uow.conversations.clear_consultants(conv.id)
        conv.consultant_ids = []
        now = clock.now()
        await uow.conversations.record_event(
            conv.id,
            "returned",
            now,
            actor_kind="system",
            from_agent_id=agent_id,
            to_queue=conv.queue,
        )
        await system_message(
            uow,
            clock,
            conv,
            ThreadKind.PRIVATE,
            f"Returned to {conv.queue}: {name} lost connection.",
        )
        await system_message(
            uow,
            clock,
            conv,
            ThreadKind.PUBLIC,
            "Your CSR was disconnected. You keep your place; the next CSR will be with you"
            " shortly.",
        )
        uow.notify(QueueChanged(conv.queue), ConversationChanged(conv.id, people))
        returned.append(conv)
    if returned:
        uow.notify(PresenceChanged())
    await uow.commit()
    return returned
