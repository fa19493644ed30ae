"""chat:send as the sockets run it: on SQLite, batches stored by the message store's process;
elsewhere one transaction per message (the use cases of chat/messaging.py)."""

from __future__ import annotations

import asyncio
import collections
import contextlib
import functools
import logging
from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncEngine

from chat import sqlite_batch
from chat.domain import Message, ThreadKind
from chat.eager import start_eagerly
from chat.messaging import send_agent_message, send_customer_message
from chat.postings import Posting, Stored
from chat.writer_process import Results, StoreUnavailable, WriterProcess
from queues.clock import Clock, new_id
from queues.domain import Agent
from queues.notices import MessagePosted, Notice
from queues.runner import CareRunner

logger = logging.getLogger(__name__)


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
    return Posting(
        conversation_id=conversation_id,
        thread=ThreadKind.PUBLIC,
        client_id=client_id,
        text=text,
        max_chars=max_chars,
        message_id=new_id("m"),
        created_at=clock.now(),
        visitor_id=visitor_id,
        visitor_name=visitor_name,
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
    return Posting(
        conversation_id=conversation_id,
        thread=thread,
        client_id=client_id,
        text=text,
        max_chars=max_chars,
        message_id=new_id("m"),
        created_at=clock.now(),
        agent=agent,
    )


def _announcements(
    results: Sequence[Stored | Exception],
) -> tuple[list[Notice], list[Message | Exception]]:
    """What to announce of a stored batch (its new messages, not resends), and each sender's
    answer."""
    notices: list[Notice] = []
    answers: list[Message | Exception] = []
    for result in results:
        if isinstance(result, Stored):
            if result.new:
                notices.append(MessagePosted(result.message, result.visitor_id, result.agent_ids))
            answers.append(result.message)
        else:
            answers.append(result)
    return notices, answers


def writer_process_for(engine: AsyncEngine) -> WriterProcess | None:
    """The message store's process for a database in a SQLite file; None for any other database
    (PostgreSQL, SQLite in memory), where each message is its own transaction."""
    url = engine.url
    if url.get_backend_name() != "sqlite" or url.get_driver_name() != "aiosqlite":
        return None
    database = url.database or ""
    if database in ("", ":memory:") or url.query.get("mode") == "memory":
        return None
    return WriterProcess(database)


Waiting = tuple[Posting, "asyncio.Future[Message]"]


class MessageWriter:
    """Stores the chat messages that shoppers and CSRs send over their sockets.

    On SQLite the messages go to the message store's own process (chat/writer_process.py), in
    batches: the messages that arrive while a batch is being stored wait for it, and are then
    stored together in one transaction (group commit), so a busy server commits once for many
    conversations instead of once per message. Every guarantee of the one-message use cases holds
    for each message: it is checked against the conversation as stored inside the writing
    transaction, it is committed before anyone hears of it (its sender is answered after the
    commit, the notices go out after the commit), its ``seq`` is gapless in its thread, a resent
    ``client_id`` gives back the stored message. One refused message does not affect the others
    of its batch. On other databases each message is its own transaction
    (``send_customer_message``, ``send_agent_message``).
    """

    MAX_BATCH = sqlite_batch.MAX_BATCH
    # Batches handed over and not answered yet: one being stored and the next one waiting in
    # the pipe, so the store never waits for the event loop between two batches.
    IN_FLIGHT = 2

    def __init__(
        self, runner: CareRunner, clock: Clock, store: WriterProcess | None = None
    ) -> None:
        self._runner = runner
        self._clock = clock
        self._store_process = store if store is not None else writer_process_for(runner.engine)
        self._pending: collections.deque[Waiting] = collections.deque()
        # Batches handed to the store and not answered yet, oldest first.
        self._in_flight: collections.deque[list[Waiting]] = collections.deque()
        self._starting: asyncio.Task[None] | None = None
        self._delivery: asyncio.Task[None] | None = None
        self._closing = False
        self._pump_soon = False

    @property
    def batches(self) -> bool:
        return self._store_process is not None

    async def start(self) -> None:
        """Start the message store's process now rather than with the first message."""
        if self._store_process is not None:
            await self._store_process.start()

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
        self._pending.append((posting, fut))
        if not self._pump_soon:
            # At the end of this turn of the event loop, not now: the messages read in the same
            # turn (one per connection with a frame waiting) then go out as one batch.
            self._pump_soon = True
            asyncio.get_running_loop().call_soon(self._pump)
        return await fut

    def _take(self) -> list[Waiting]:
        """Every message waiting, up to ``MAX_BATCH``."""
        count = min(len(self._pending), self.MAX_BATCH)
        return [self._pending.popleft() for _ in range(count)]

    def _pump(self) -> None:
        """Hand the messages waiting to the store, in batches, while fewer than ``IN_FLIGHT``
        are out; start the store first if it is not running. Called at the end of the turn of
        the event loop in which messages arrived, and when a batch is answered (in that same
        turn: the messages that waited for it go out at once)."""
        store = self._store_process
        assert store is not None
        self._pump_soon = False
        if self._closing:
            return
        if not store.running:
            if self._starting is None and self._pending:
                self._starting = asyncio.create_task(self._start_store())
            return
        while len(self._in_flight) < self.IN_FLIGHT and self._pending:
            batch = self._take()
            self._in_flight.append(batch)
            store.submit(
                [posting for posting, _ in batch], functools.partial(self._answered, batch)
            )

    async def _start_store(self) -> None:
        store = self._store_process
        assert store is not None
        try:
            await store.start()
        except BaseException as exc:
            # Shutting down, or the store cannot start: answer everybody still waiting.
            failure = exc if isinstance(exc, Exception) else None
            while waiting := self._take():
                _answer([fut for _, fut in waiting], None, failure)
            if failure is None:
                raise
            return
        finally:
            self._starting = None
        self._pump()

    def _answered(self, batch: list[Waiting], results: Results | StoreUnavailable) -> None:
        """The store's answer to ``batch`` (batches are answered in order)."""
        if self._in_flight and self._in_flight[0] is batch:
            self._in_flight.popleft()
        else:  # refused at once (no store running) while older batches were still out
            self._in_flight = collections.deque(b for b in self._in_flight if b is not batch)
        try:
            self._stored(
                batch, [results] * len(batch) if isinstance(results, Exception) else results
            )
        except Exception as exc:
            # A bug: its senders get an error rather than wait for ever.
            logger.exception("a stored batch could not be delivered")
            _answer([fut for _, fut in batch], None, exc)
        self._pump()

    def _stored(self, batch: Sequence[Waiting], results: Results) -> None:
        """A batch is committed: announce it and answer its senders, after the batches before."""
        notices, answers = _announcements(results)
        futures = [fut for _, fut in batch]
        previous = self._delivery
        if (previous is None or previous.done()) and not self._runner.dispatcher.needs_task:
            # Nothing to wait for: delivered now, in the loop's reading of the store's answer,
            # rather than a turn of the loop later in a task (only what has to wait, if
            # anything, goes on in one).
            self._delivery = start_eagerly(self._deliver(None, notices, futures, answers))
            return
        # The next batch's delivery waits for this one, and holds it until then.
        self._delivery = asyncio.create_task(self._deliver(previous, notices, futures, answers))

    async def _deliver(
        self,
        previous: asyncio.Task[None] | None,
        notices: list[Notice],
        futures: list[asyncio.Future[Message]],
        answers: list[Message | Exception],
    ) -> None:
        answered = False
        try:
            if previous is not None:
                await previous  # the batch before this one goes out first
            # The senders are answered first: each sender's task resumes in the next turn of
            # the loop, before the frames written now leave, so its acknowledgement goes out
            # in the same write as its own copy of the message (web/wstransport.py).
            _answer(futures, answers)
            answered = True
            if notices:
                await self._runner.dispatcher.dispatch(notices)
        finally:
            if not answered:
                _answer(futures, answers)

    async def aclose(self) -> None:
        """Answer the messages not handed over yet that the server is shutting down, let the
        store finish (and answer) the batches it was given, then stop it."""
        self._closing = True
        if self._starting is not None:
            self._starting.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._starting
        while waiting := self._take():
            _answer([fut for _, fut in waiting], None)
        if self._store_process is not None:
            await self._store_process.aclose()
        if self._delivery is not None:
            self._delivery.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._delivery


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
