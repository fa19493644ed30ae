"""Use cases of the chat itself: send, sync, direct messages, read marks, page views.

Every function takes an open unit of work, does its checks, writes, commits, and leaves the
notices for the transport to send after the commit.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from chat.domain import SYSTEM, Author, AuthorKind, Message, ThreadKind, clean_text
from chat.postings import agent_author, audience, customer_author
from chat.threadids import direct_thread_id, public_thread_id, thread_id_for
from queues.clock import Clock, new_id
from queues.domain import Agent, Conversation, Status, ensure_may_read, ensure_may_write
from queues.errors import Forbidden, InvalidState, NotFound
from queues.notices import MessagePosted, VisitorNavigated
from queues.uow import CareUnitOfWork

SYNC_PAGE = 500


@dataclass(frozen=True, slots=True)
class SyncPage:
    messages: list[Message]
    # True when more messages follow: ask again after the last seq returned.
    has_more: bool


async def append_message(
    uow: CareUnitOfWork,
    clock: Clock,
    conv: Conversation,
    thread: ThreadKind,
    author: Author,
    text: str,
    *,
    client_id: str | None = None,
    card: dict[str, Any] | None = None,
) -> Message:
    """Store a message in one of the conversation's threads (not committed) and note who hears
    it. With a ``client_id`` already used by this author in this thread, the stored message is
    returned instead: a resend never makes a second message."""
    thread_id = thread_id_for(conv.id, thread)
    if client_id is not None:
        existing = await uow.messages.by_client_id(thread_id, author, client_id)
        if existing is not None:
            return existing
    seq = await uow.messages.next_seq(thread_id)
    message = Message(
        id=new_id("m"),
        thread=thread,
        seq=seq,
        client_id=client_id or new_id("s"),
        author=author,
        text=text,
        card=card,
        created_at=clock.now(),
        conversation_id=conv.id,
    )
    await uow.messages.add(thread_id, message)
    visitor = conv.visitor_id if thread is ThreadKind.PUBLIC else None
    uow.notify(MessagePosted(message, visitor, audience(conv)))
    return message


async def system_message(
    uow: CareUnitOfWork, clock: Clock, conv: Conversation, thread: ThreadKind, text: str
) -> Message:
    return await append_message(uow, clock, conv, thread, SYSTEM, text)


async def _customer_conversation(
    uow: CareUnitOfWork, visitor_id: str, conversation_id: str
) -> Conversation:
    conv = await uow.conversations.get(conversation_id)
    # Someone else's conversation is answered exactly like one that does not exist.
    if conv is None or conv.visitor_id != visitor_id:
        raise NotFound("No such conversation.")
    return conv


async def send_customer_message(
    uow: CareUnitOfWork,
    clock: Clock,
    *,
    visitor_id: str,
    visitor_name: str | None,
    conversation_id: str,
    client_id: str,
    text: str,
    max_chars: int,
) -> Message:
    conv, author = customer_author(
        await uow.conversations.get(conversation_id), visitor_id, visitor_name
    )
    message = await append_message(
        uow,
        clock,
        conv,
        ThreadKind.PUBLIC,
        author,
        clean_text(text, max_chars),
        client_id=client_id,
    )
    await uow.commit()
    return message


async def send_agent_message(
    uow: CareUnitOfWork,
    clock: Clock,
    *,
    agent: Agent,
    conversation_id: str,
    thread: ThreadKind,
    client_id: str,
    text: str,
    max_chars: int,
    card: dict[str, Any] | None = None,
) -> Message:
    conv, author = agent_author(await uow.conversations.get(conversation_id), agent, thread)
    message = await append_message(
        uow,
        clock,
        conv,
        thread,
        author,
        clean_text(text, max_chars),
        client_id=client_id,
        card=card,
    )
    await uow.commit()
    return message


async def sync_for_customer(
    uow: CareUnitOfWork, *, visitor_id: str, conversation_id: str, after_seq: int
) -> SyncPage:
    await _customer_conversation(uow, visitor_id, conversation_id)
    found = await uow.messages.after(public_thread_id(conversation_id), after_seq, SYNC_PAGE + 1)
    return SyncPage(found[:SYNC_PAGE], len(found) > SYNC_PAGE)


async def conversation_for_agent(
    uow: CareUnitOfWork, agent: Agent, conversation_id: str
) -> Conversation:
    conv = await uow.conversations.get(conversation_id)
    if conv is None:
        raise NotFound("No such conversation.")
    ensure_may_read(conv, agent)
    return conv


async def sync_for_agent(
    uow: CareUnitOfWork, *, agent: Agent, conversation_id: str, thread: ThreadKind, after_seq: int
) -> SyncPage:
    await conversation_for_agent(uow, agent, conversation_id)
    if thread is ThreadKind.DIRECT:
        raise InvalidState("Use direct:sync for direct messages.")
    found = await uow.messages.after(
        thread_id_for(conversation_id, thread), after_seq, SYNC_PAGE + 1
    )
    return SyncPage(found[:SYNC_PAGE], len(found) > SYNC_PAGE)


async def send_direct_message(
    uow: CareUnitOfWork,
    clock: Clock,
    *,
    sender: Agent,
    to_agent_id: str,
    client_id: str,
    text: str,
    max_chars: int,
) -> Message:
    if to_agent_id == sender.id:
        raise InvalidState("A direct message goes to a colleague, not to yourself.")
    recipient = await uow.agents.get(to_agent_id)
    if recipient is None or recipient.disabled:
        raise NotFound("No such colleague.")
    cleaned = clean_text(text, max_chars)
    thread_id = await uow.messages.ensure_direct_thread(sender.id, to_agent_id)
    author = Author(AuthorKind.AGENT, sender.id, sender.name)
    existing = await uow.messages.by_client_id(thread_id, author, client_id)
    if existing is not None:
        return existing
    message = Message(
        id=new_id("m"),
        thread=ThreadKind.DIRECT,
        seq=await uow.messages.next_seq(thread_id),
        client_id=client_id,
        author=author,
        text=cleaned,
        created_at=clock.now(),
        to_agent_id=to_agent_id,
    )
    await uow.messages.add(thread_id, message)
    uow.notify(MessagePosted(message, None, (sender.id, to_agent_id)))
    await uow.commit()
    return message


async def sync_direct(
    uow: CareUnitOfWork, *, agent: Agent, other_agent_id: str, after_seq: int
) -> SyncPage:
    if await uow.agents.get(other_agent_id) is None:
        raise NotFound("No such colleague.")
    found = await uow.messages.after(
        direct_thread_id(agent.id, other_agent_id), after_seq, SYNC_PAGE + 1
    )
    return SyncPage(found[:SYNC_PAGE], len(found) > SYNC_PAGE)


async def mark_read(uow: CareUnitOfWork, *, agent: Agent, thread_id: str, seq: int) -> None:
    """Record how far a CSR has read a thread they may read (unread counts across devices)."""
    if thread_id.startswith("d:"):
        if agent.id not in thread_id.split(":")[1:]:
            raise Forbidden("Not your direct thread.")
    else:
        conversation_id, _, kind = thread_id.rpartition(":")
        if kind not in (ThreadKind.PUBLIC.value, ThreadKind.PRIVATE.value):
            raise NotFound("No such thread.")
        await conversation_for_agent(uow, agent, conversation_id)
    await uow.messages.mark_read(agent.id, thread_id, seq)
    await uow.commit()


async def record_page_view(
    uow: CareUnitOfWork, clock: Clock, *, visitor_id: str, url: str, title: str
) -> None:
    """Remember the page the shopper is on now; CSRs on their open conversation see it move."""
    await uow.visitors.update(
        visitor_id, current_url=url, current_title=title, last_seen_at=clock.now()
    )
    conv = await uow.conversations.open_for_visitor(visitor_id)
    if conv is not None and conv.status is Status.ACTIVE:
        uow.notify(VisitorNavigated(visitor_id, conv.id, url, title, audience(conv)))
    await uow.commit()


async def post_command_result(
    uow: CareUnitOfWork,
    clock: Clock,
    *,
    agent: Agent,
    conversation_id: str,
    command_text: str,
    text: str,
    card: dict[str, Any] | None,
    customer_text: str | None,
    client_id: str,
) -> tuple[Message, Message | None]:
    """Store a slash command and its answer: the command as the CSR typed it and the bot's
    answer in the private thread, and a plain message to the shopper when they should know."""
    conv = await uow.conversations.get(conversation_id)
    if conv is None:
        raise NotFound("No such conversation.")
    ensure_may_write(conv, agent, ThreadKind.PRIVATE.value)
    me = Author(AuthorKind.AGENT, agent.id, agent.name)
    existing = await uow.messages.by_client_id(
        thread_id_for(conv.id, ThreadKind.PRIVATE), me, client_id
    )
    if existing is not None:
        return existing, None
    command = await append_message(
        uow, clock, conv, ThreadKind.PRIVATE, me, command_text, client_id=client_id
    )
    bot = Author(AuthorKind.BOT, "careline", "Careline")
    answer = await append_message(uow, clock, conv, ThreadKind.PRIVATE, bot, text, card=card)
    if customer_text:
        await append_message(uow, clock, conv, ThreadKind.PUBLIC, me, customer_text)
    await uow.commit()
    return command, answer
