"""What-if servers: ``careline serve`` with its chat-message write path replaced at run time.

An experiment, not a way to run Careline: it patches ``CareRunner.run`` in its own process so
that ``chat:send`` (shopper and CSR) takes a prototype path, and leaves everything else (the
socket layer, validation, rate limits, the other events, the dispatcher that emits after the
commit) as it is. It measures, through the real socket path, what a change to ``chat/`` and
``queues/`` would give before anyone makes it.

    python -m bench.whatif group-commit   # then the usual ``careline serve`` settings
    python -m bench.whatif no-database

``group-commit``: the conversation's routing facts (visitor, assignee, consultants, status)
are read once and kept in memory; each message is checked against them as the use case does,
and stored by a single writer that takes every message waiting and writes them in one
transaction on its own database thread (idempotency look-up, next ``seq``, insert; the same
SQL as ``bench.writepath``); each sender is answered and the message emitted after that
commit.

``no-database``: the same, but nothing is stored (sequence numbers in memory): the ceiling
that Careline's socket path, validation and fan-out leave when storage costs nothing.
"""

from __future__ import annotations

import asyncio
import dataclasses
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from chat import messaging
from chat.domain import Author, AuthorKind, Message, ThreadKind, clean_text
from chat.repository import thread_id_for
from queues.clock import Clock, new_id
from queues.domain import Agent, Conversation, Status, ensure_may_write
from queues.errors import InvalidState, NotFound
from queues.notices import MessagePosted
from queues.runner import CareRunner
from queues.uow import CareUnitOfWork

MODES = ("group-commit", "no-database")

SELECT_BY_CLIENT_ID = (
    "SELECT seq FROM messages WHERE thread_id = ? AND author_kind = ? AND author_id = ? "
    "AND client_id = ?"
)
NEXT_SEQ = "UPDATE threads SET last_seq = last_seq + 1 WHERE id = ? RETURNING last_seq"
INSERT_MESSAGE = (
    "INSERT INTO messages (id, thread_id, seq, client_id, author_kind, author_id, author_name, "
    "text, card, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL, ?)"
)


class GroupWriter:
    """One writer task and one database thread: every message waiting is stored in the next
    transaction."""

    def __init__(self, path: str) -> None:
        import sqlite3
        from concurrent.futures import ThreadPoolExecutor

        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="group-writer")
        self._db = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        for pragma in ("journal_mode=WAL", "synchronous=NORMAL", "busy_timeout=10000"):
            self._db.execute(f"PRAGMA {pragma}")
        self._pending: list[tuple[str, Message, asyncio.Future[int]]] = []
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    async def store(self, thread_id: str, message: Message) -> int:
        fut: asyncio.Future[int] = asyncio.get_running_loop().create_future()
        self._pending.append((thread_id, message, fut))
        self._wake.set()
        if self._task is None:
            self._task = asyncio.create_task(self._run())
        return await fut

    def _write(self, batch: list[tuple[str, Message]]) -> list[int]:
        db = self._db
        db.execute("BEGIN IMMEDIATE")
        try:
            seqs = []
            for thread_id, m in batch:
                author = (thread_id, m.author.kind.value, m.author.id, m.client_id)
                found = db.execute(SELECT_BY_CLIENT_ID, author).fetchone()
                if found is not None:
                    seqs.append(-int(found[0]))  # a resend: the stored message's seq
                    continue
                seq = int(db.execute(NEXT_SEQ, (thread_id,)).fetchone()[0])
                stamp = m.created_at.replace(tzinfo=None).isoformat(sep=" ")
                kind, author_id = author[1:3]
                row = (m.id, thread_id, seq, m.client_id, kind, author_id, m.author.name, m.text)
                db.execute(INSERT_MESSAGE, (*row, stamp))
                seqs.append(seq)
        except BaseException:
            db.execute("ROLLBACK")
            raise
        db.execute("COMMIT")
        return seqs

    async def _run(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            await self._wake.wait()
            self._wake.clear()
            batch, self._pending = self._pending, []
            if not batch:
                continue
            rows = [(t, m) for t, m, _ in batch]
            try:
                seqs = await loop.run_in_executor(self._pool, self._write, rows)
            except Exception as exc:
                for *_, fut in batch:
                    fut.set_exception(exc)
                continue
            for (*_, fut), seq in zip(batch, seqs, strict=True):
                fut.set_result(seq)


class FastSend:
    """``send_customer_message`` and ``send_agent_message`` on cached routing facts."""

    def __init__(self, mode: str, database: str | None) -> None:
        self.mode = mode
        self.database = database
        self.writer: GroupWriter | None = None
        self.conversations: dict[str, Conversation] = {}
        self.seqs: dict[str, int] = {}
        self.sent: dict[tuple[str, str, str | None, str], Message] = {}

    async def conversation(self, runner: CareRunner, conversation_id: str) -> Conversation:
        conv = self.conversations.get(conversation_id)
        if conv is None:
            async with CareUnitOfWork(runner.engine) as uow:
                conv = await uow.conversations.get(conversation_id)
            if conv is None:
                raise NotFound("No such conversation.")
            self.conversations[conversation_id] = conv
        return conv

    async def store(self, thread_id: str, message: Message) -> Message | None:
        if self.mode == "no-database":
            key = (thread_id, message.author.kind.value, message.author.id, message.client_id)
            if key in self.sent:
                return None
            self.seqs[thread_id] = seq = self.seqs.get(thread_id, 0) + 1
            self.sent[key] = message = dataclasses.replace(message, seq=seq)
            return message
        if self.writer is None:
            assert self.database is not None
            self.writer = GroupWriter(self.database)
        seq = await self.writer.store(thread_id, message)
        if seq < 0:
            return None  # a resend of a stored message: not emitted again
        return dataclasses.replace(message, seq=seq)

    async def send(
        self,
        runner: CareRunner,
        clock: Clock,
        conv: Conversation,
        thread: ThreadKind,
        author: Author,
        kw: dict[str, Any],
    ) -> Message:
        message = Message(
            id=new_id("m"),
            thread=thread,
            seq=0,
            client_id=kw["client_id"],
            author=author,
            text=clean_text(kw["text"], kw["max_chars"]),
            created_at=clock.now(),
            conversation_id=conv.id,
        )
        stored = await self.store(thread_id_for(conv.id, thread), message)
        if stored is None:
            return message
        visitor = conv.visitor_id if thread is ThreadKind.PUBLIC else None
        await runner.dispatcher.dispatch([MessagePosted(stored, visitor, messaging.audience(conv))])
        return stored

    async def customer(self, runner: CareRunner, clock: Clock, **kw: Any) -> Message:
        conv = await self.conversation(runner, kw["conversation_id"])
        if conv.visitor_id != kw["visitor_id"]:
            raise NotFound("No such conversation.")
        if conv.status is Status.CLOSED:
            raise InvalidState("This conversation is closed; start a new one.")
        name = kw["visitor_name"] or conv.name or "Customer"
        author = Author(AuthorKind.CUSTOMER, kw["visitor_id"], name)
        return await self.send(runner, clock, conv, ThreadKind.PUBLIC, author, kw)

    async def agent(self, runner: CareRunner, clock: Clock, **kw: Any) -> Message:
        conv = await self.conversation(runner, kw["conversation_id"])
        agent: Agent = kw["agent"]
        thread: ThreadKind = kw["thread"]
        ensure_may_write(conv, agent, thread.value)
        author = Author(AuthorKind.AGENT, agent.id, agent.name)
        return await self.send(runner, clock, conv, thread, author, kw)


def install(mode: str, database_url: str) -> None:
    """Route the two chat-message use cases through :class:`FastSend`. The cache is never
    invalidated: fit for this benchmark only (its conversations do not change hands)."""
    database = database_url.split(":///", 1)[1] if ":///" in database_url else None
    fast = FastSend(mode, database)
    original = CareRunner.run
    routes: dict[Any, Callable[..., Any]] = {
        messaging.send_customer_message: fast.customer,
        messaging.send_agent_message: fast.agent,
    }

    async def run(self: CareRunner, use_case: Any, *args: Any, **kwargs: Any) -> Any:
        route = routes.get(use_case)
        if route is not None:
            return await route(self, *args, **kwargs)
        return await original(self, use_case, *args, **kwargs)

    CareRunner.run = run  # type: ignore[method-assign]


def main() -> None:
    if len(sys.argv) < 2 or sys.argv[1] not in MODES:
        raise SystemExit(f"usage: python -m bench.whatif {{{'|'.join(MODES)}}}")
    mode = sys.argv[1]
    from web.cli import main as careline_main
    from web.settings import Settings

    settings = Settings()
    if mode == "group-commit" and not settings.is_sqlite:
        raise SystemExit("group-commit is a SQLite prototype")
    install(mode, settings.database_url)
    print(f"what-if server: chat messages by {mode} ({Path(sys.argv[0]).name})", flush=True)
    raise SystemExit(careline_main(["serve"]))


if __name__ == "__main__":
    main()
