"""Use cases of the chat itself: send, sync, direct messages, read marks, page views.

Every function takes an open unit of work, does its checks, writes, commits, and leaves the
notices for the transport to send after the commit.
"""

from __future__ import annotations

import asyncio
import contextlib
import queue
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from chat import sqlite_batch
from chat.domain import SYSTEM, Author, AuthorKind, Message, ThreadKind, clean_text
from chat.repository import (
    Posted,
    Posting,
    direct_thread_id,
    public_thread_id,
    thread_id_for,
)
from queues.clock import Clock, new_id
from queues.domain import Agent, Conversation, Status, ensure_may_read, ensure_may_write
from queues.errors import Forbidden, InvalidState, NotFound
from queues.notices import MessagePosted, Notice, VisitorNavigated
from queues.runner import CareRunner
from queues.uow import CareUnitOfWork

SYNC_PAGE = 500


@dataclass(frozen=True, slots=True)
class SyncPage:
    messages: list[Message]
    # True when more messages follow: ask again after the last seq returned.
    has_more: bool


def audience(conv: Conversation) -> tuple[str, ...]:
    """The CSRs who hear a conversation: its assignee and the colleagues consulted."""
    ids = [conv.assignee_id] if conv.assignee_id else []
    ids.extend(c for c in conv.consultant_ids if c not in ids)
    return tuple(ids)


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


def customer_author(
    conv: Conversation | None, visitor_id: str, visitor_name: str | None
) -> tuple[Conversation, Author]:
    """The shopper writing in ``conv``, if they may: their own conversation, not closed."""
    # Someone else's conversation is answered exactly like one that does not exist.
    if conv is None or conv.visitor_id != visitor_id:
        raise NotFound("No such conversation.")
    if conv.status is Status.CLOSED:
        raise InvalidState("This conversation is closed; start a new one.")
    return conv, Author(AuthorKind.CUSTOMER, visitor_id, visitor_name or conv.name or "Customer")


def agent_author(
    conv: Conversation | None, agent: Agent, thread: ThreadKind
) -> tuple[Conversation, Author]:
    """The CSR writing in ``thread`` of ``conv``, if they may (see ``ensure_may_write``)."""
    if conv is None:
        raise NotFound("No such conversation.")
    ensure_may_write(conv, agent, thread.value)
    return conv, Author(AuthorKind.AGENT, agent.id, agent.name)


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


# --- chat:send as the sockets run it: one transaction for every message waiting ---------------


def _composer(
    clock: Clock,
    thread: ThreadKind,
    check: Callable[[Conversation | None], tuple[Conversation, Author]],
    client_id: str,
    text: str,
    max_chars: int,
) -> Callable[[Conversation | None], Message]:
    def compose(conv: Conversation | None) -> Message:
        checked, author = check(conv)
        return Message(
            id=new_id("m"),
            thread=thread,
            seq=0,
            client_id=client_id,
            author=author,
            text=clean_text(text, max_chars),
            created_at=clock.now(),
            conversation_id=checked.id,
        )

    return compose


def customer_posting(
    clock: Clock,
    visitor_id: str,
    visitor_name: str | None,
    conversation_id: str,
    client_id: str,
    text: str,
    max_chars: int,
) -> Posting:
    """A shopper's chat message to store, checked as ``send_customer_message`` checks it."""

    def check(conv: Conversation | None) -> tuple[Conversation, Author]:
        return customer_author(conv, visitor_id, visitor_name)

    compose = _composer(clock, ThreadKind.PUBLIC, check, client_id, text, max_chars)
    return Posting(
        conversation_id, ThreadKind.PUBLIC, AuthorKind.CUSTOMER, visitor_id, client_id, compose
    )


def agent_posting(
    clock: Clock,
    agent: Agent,
    conversation_id: str,
    thread: ThreadKind,
    client_id: str,
    text: str,
    max_chars: int,
) -> Posting:
    """A CSR's chat message to store, checked as ``send_agent_message`` checks it."""

    def check(conv: Conversation | None) -> tuple[Conversation, Author]:
        return agent_author(conv, agent, thread)

    compose = _composer(clock, thread, check, client_id, text, max_chars)
    return Posting(conversation_id, thread, AuthorKind.AGENT, agent.id, client_id, compose)


def _announcements(
    results: Sequence[Posted | Exception],
) -> tuple[list[Notice], list[Message | Exception]]:
    """What to announce of a stored batch (its new messages, not resends), and each sender's
    answer."""
    notices: list[Notice] = []
    answers: list[Message | Exception] = []
    for result in results:
        if isinstance(result, Posted):
            message, conv = result.message, result.conversation
            if result.new:
                visitor = conv.visitor_id if message.thread is ThreadKind.PUBLIC else None
                notices.append(MessagePosted(message, visitor, audience(conv)))
            answers.append(message)
        else:
            answers.append(result)
    return notices, answers


class MessageWriter:
    """Stores the chat messages that shoppers and CSRs send over their sockets.

    On SQLite (one connection per process, web/db.py) messages that arrive while a batch is being
    stored wait for it, and are then stored together in one transaction (group commit): a busy
    server commits once for many conversations instead of once per message. Every guarantee of
    the one-message use cases holds for each message: it is checked against the conversation as
    stored inside the writing transaction, it is committed before anyone hears of it (its sender
    is answered after the commit, the notices go out after the commit), its ``seq`` is gapless in
    its thread, a resent ``client_id`` gives back the stored message. One refused message does not
    affect the others of its batch. On other databases each message is its own transaction
    (``send_customer_message``, ``send_agent_message``).
    """

    MAX_BATCH = sqlite_batch.MAX_BATCH
    # How long a run of batches may keep the process's one SQLite connection from other work.
    SESSION_SECONDS = 0.05

    def __init__(self, runner: CareRunner, clock: Clock) -> None:
        self._runner = runner
        self._clock = clock
        # Filled on the event loop, emptied on the database thread.
        self._pending: queue.SimpleQueue[tuple[Posting, asyncio.Future[Message]]] = (
            queue.SimpleQueue()
        )
        self._task: asyncio.Task[None] | None = None
        self._delivery: asyncio.Task[None] | None = None

    @property
    def batches(self) -> bool:
        dialect = self._runner.engine.dialect
        return dialect.name == "sqlite" and dialect.driver == "aiosqlite"

    async def send_customer(
        self,
        *,
        visitor_id: str,
        visitor_name: str | None,
        conversation_id: str,
        client_id: str,
        text: str,
        max_chars: int,
    ) -> Message:
        if not self.batches:
            return await self._runner.run(
                send_customer_message,
                self._clock,
                visitor_id=visitor_id,
                visitor_name=visitor_name,
                conversation_id=conversation_id,
                client_id=client_id,
                text=text,
                max_chars=max_chars,
            )
        return await self._store(
            customer_posting(
                self._clock, visitor_id, visitor_name, conversation_id, client_id, text, max_chars
            )
        )

    async def send_agent(
        self,
        *,
        agent: Agent,
        conversation_id: str,
        thread: ThreadKind,
        client_id: str,
        text: str,
        max_chars: int,
    ) -> Message:
        if not self.batches:
            return await self._runner.run(
                send_agent_message,
                self._clock,
                agent=agent,
                conversation_id=conversation_id,
                thread=thread,
                client_id=client_id,
                text=text,
                max_chars=max_chars,
            )
        return await self._store(
            agent_posting(self._clock, agent, conversation_id, thread, client_id, text, max_chars)
        )

    async def _store(self, posting: Posting) -> Message:
        fut: asyncio.Future[Message] = asyncio.get_running_loop().create_future()
        self._pending.put((posting, fut))
        if self._task is None:
            self._task = asyncio.create_task(self._drain())
        return await fut

    def _take(self) -> list[tuple[Posting, asyncio.Future[Message]]]:
        """On the database thread: every message waiting, up to ``MAX_BATCH``."""
        batch: list[tuple[Posting, asyncio.Future[Message]]] = []
        with contextlib.suppress(queue.Empty):
            while len(batch) < self.MAX_BATCH:
                batch.append(self._pending.get_nowait())
        return batch

    async def _drain(self) -> None:
        """Hold the connection for up to ``SESSION_SECONDS`` at a time while its thread stores
        batch after batch; each batch is delivered on the event loop as soon as it is committed,
        while the thread goes on with the next. Between sessions other work gets the connection."""
        loop = asyncio.get_running_loop()

        def stored(
            batch: Sequence[tuple[Posting, asyncio.Future[Message]]],
            results: list[Posted | Exception],
        ) -> None:  # on the database thread
            with contextlib.suppress(RuntimeError):  # the loop has closed: nobody is waiting
                loop.call_soon_threadsafe(self._stored, batch, results)

        try:
            while not self._pending.empty():
                async with CareUnitOfWork(self._runner.engine) as uow:
                    await uow.messages.store_batches(self._take, stored, self.SESSION_SECONDS)
        except BaseException as exc:
            # Shutting down, or the database is gone: answer everybody still waiting.
            failure = exc if isinstance(exc, Exception) else None
            waiting = self._take()
            while waiting:
                _answer([fut for _, fut in waiting], None, failure)
                waiting = self._take()
            raise
        finally:
            self._task = None

    def _stored(
        self,
        batch: Sequence[tuple[Posting, asyncio.Future[Message]]],
        results: list[Posted | Exception],
    ) -> None:
        """A batch is committed: announce it and answer its senders, after the batches before."""
        notices, answers = _announcements(results)
        # The next batch's delivery waits for this one, and holds it until then.
        self._delivery = asyncio.create_task(  # noqa: RUF006
            self._deliver(self._delivery, notices, [fut for _, fut in batch], answers)
        )

    async def _deliver(
        self,
        previous: asyncio.Task[None] | None,
        notices: list[Notice],
        futures: list[asyncio.Future[Message]],
        answers: list[Message | Exception],
    ) -> None:
        try:
            if previous is not None:
                await previous  # the batch before this one goes out first
            if notices:
                await self._runner.dispatcher.dispatch(notices)
        finally:
            _answer(futures, answers)

    async def aclose(self) -> None:
        for task in (self._task, self._delivery):
            if task is not None:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task


def _answer(
    futures: Sequence[asyncio.Future[Message]],
    answers: Sequence[Message | Exception] | None,
    failure: Exception | None = None,
) -> None:
    """Answer each sender still waiting: with its answer, or (``answers`` None) that its message
    was not stored."""
    for i, fut in enumerate(futures):
        if fut.done():  # its sender has gone (its message may still have been stored)
            continue
        answer = answers[i] if answers is not None else None
        if isinstance(answer, Message):
            fut.set_result(answer)
        else:
            fut.set_exception(answer or failure or ConnectionError("the server is shutting down"))


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
