"""What storing one chat message costs, and what a different write path would give.

Three ways to store the same message in the same Careline SQLite schema, on a fresh database,
inside this process (no sockets), each with every message committed before it is answered:

1. ``use case``: ``chat.messaging.send_customer_message`` through ``CareRunner``, as the server
   runs it: a unit of work per message on SQLAlchemy's async engine over aiosqlite. Thread hops
   (one per DB-API call: cursor, execute, fetch, close, commit ...) are counted.
2. ``one hop``: the same reads and writes as hand-written SQL (read the conversation and its
   consults, look the client id up, take the next ``seq``, insert), one transaction per
   message, run as one function on the database thread: one thread hop per message.
3. ``group commit``: the same SQL, but a writer task takes every message waiting when it is
   free and stores them all in one transaction and one thread hop; each sender is answered
   after that commit. Concurrent conversations share commits.

Sequential figures are the cost of one message alone; concurrent ones are a throughput with
``producers`` conversations sending at once.
"""

from __future__ import annotations

import asyncio
import functools
import sqlite3
import time
import uuid
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import aiosqlite.core

from chat import messaging
from chat.visitors import arrive
from queues import accounts, routing
from queues.domain import Role
from web.bootstrap import Services, bootstrap
from web.migrate import upgrade
from web.settings import Settings

SELECT_CONVERSATION = "SELECT * FROM conversations WHERE id = ?"
SELECT_CONSULTS = "SELECT agent_id FROM consults WHERE conversation_id = ?"
SELECT_BY_CLIENT_ID = (
    "SELECT messages.id, messages.seq FROM messages JOIN threads ON threads.id = "
    "messages.thread_id WHERE messages.thread_id = ? AND messages.author_kind = ? "
    "AND messages.author_id = ? AND messages.client_id = ?"
)
NEXT_SEQ = "UPDATE threads SET last_seq = last_seq + 1 WHERE id = ? RETURNING last_seq"
INSERT_MESSAGE = (
    "INSERT INTO messages (id, thread_id, seq, client_id, author_kind, author_id, author_name, "
    "text, card, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL, ?)"
)


@dataclass
class WriteFigure:
    name: str
    producers: int
    messages: int
    seconds: float
    hops_per_message: float | None = None
    mean_batch: float | None = None

    @property
    def us_per_message(self) -> float:
        return self.seconds / self.messages * 1e6

    @property
    def per_second(self) -> float:
        return self.messages / self.seconds


@dataclass
class Conv:
    id: str
    visitor_id: str


class _HopCounter:
    """Counts calls handed to aiosqlite's database thread (one per DB-API call)."""

    def __init__(self) -> None:
        self.count = 0
        self._original: Any = None

    def __enter__(self) -> _HopCounter:
        self._original = aiosqlite.core.Connection._execute
        original = self._original

        async def counted(conn: Any, fn: Any, *args: Any, **kwargs: Any) -> Any:
            self.count += 1
            return await original(conn, fn, *args, **kwargs)

        setattr(aiosqlite.core.Connection, "_execute", counted)  # noqa: B010
        return self

    def __exit__(self, *exc: object) -> None:
        setattr(aiosqlite.core.Connection, "_execute", self._original)  # noqa: B010


async def _conversations(services: Services, count: int) -> list[Conv]:
    password_hash = await asyncio.to_thread(services.hasher.hash, "bench-password")
    convs = []
    agent = None
    for i in range(count):
        if i % 3 == 0:
            agent = await services.runner.run(
                accounts.create_agent,
                services.clock,
                accounts.NewAgent(
                    f"wp-csr-{i:05d}", f"CSR {i}", "bench-password", Role.AGENT, 3, ("general",)
                ),
                password_hash,
            )
        assert agent is not None
        visitor = (
            await services.runner.run(arrive, services.clock, visitor_id=None, customer_id=None)
        ).visitor
        conv = await services.runner.run(
            routing.start_conversation,
            services.clock,
            routing.StartRequest(visitor.id, None, "general", "Benchmark", "Shopper", None, None),
        )
        await services.runner.run(routing.accept_request, services.clock, agent, conv.id)
        convs.append(Conv(conv.id, visitor.id))
    return convs


def _write_one(db: sqlite3.Connection, conv: Conv, client_id: str, text: str) -> int:
    """The reads and writes of ``send_customer_message``, inside an open transaction."""
    db.execute(SELECT_CONVERSATION, (conv.id,)).fetchone()
    db.execute(SELECT_CONSULTS, (conv.id,)).fetchall()
    thread_id = f"{conv.id}:public"
    found = db.execute(
        SELECT_BY_CLIENT_ID, (thread_id, "customer", conv.visitor_id, client_id)
    ).fetchone()
    if found is not None:
        return int(found[1])
    seq = int(db.execute(NEXT_SEQ, (thread_id,)).fetchone()[0])
    db.execute(
        INSERT_MESSAGE,
        (
            f"m_{uuid.uuid4().hex}",
            thread_id,
            seq,
            client_id,
            "customer",
            conv.visitor_id,
            "Shopper",
            text,
            datetime.now(UTC).replace(tzinfo=None).isoformat(sep=" "),
        ),
    )
    return seq


class Writer:
    """A database thread of its own with a plain sqlite3 connection (WAL, synchronous=NORMAL,
    as Careline's engine sets them)."""

    def __init__(self, path: Path) -> None:
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="writer")
        self._db: sqlite3.Connection | None = None
        self._path = path
        self.batches = 0
        self.written = 0
        self._pending: list[tuple[Conv, str, str, asyncio.Future[int]]] = []
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    async def _call(self, fn: Callable[[], Any]) -> Any:
        return await asyncio.get_running_loop().run_in_executor(self._pool, fn)

    async def open(self) -> None:
        def connect() -> None:
            db = sqlite3.connect(self._path, isolation_level=None, check_same_thread=False)
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")
            db.execute("PRAGMA foreign_keys=ON")
            db.execute("PRAGMA busy_timeout=10000")
            self._db = db

        await self._call(connect)

    def _transaction(self, batch: list[tuple[Conv, str, str]]) -> list[int]:
        db = self._db
        assert db is not None
        db.execute("BEGIN IMMEDIATE")
        try:
            seqs = [_write_one(db, conv, client_id, text) for conv, client_id, text in batch]
        except BaseException:
            db.execute("ROLLBACK")
            raise
        db.execute("COMMIT")
        return seqs

    async def one(self, conv: Conv, client_id: str, text: str) -> int:
        """One transaction, one hop."""
        seqs: list[int] = await self._call(lambda: self._transaction([(conv, client_id, text)]))
        return seqs[0]

    async def grouped(self, conv: Conv, client_id: str, text: str) -> int:
        """Wait for the next group commit that includes this message."""
        fut: asyncio.Future[int] = asyncio.get_running_loop().create_future()
        self._pending.append((conv, client_id, text, fut))
        self._wake.set()
        if self._task is None:
            self._task = asyncio.create_task(self._run())
        return await fut

    async def _run(self) -> None:
        while True:
            await self._wake.wait()
            self._wake.clear()
            batch, self._pending = self._pending, []
            if not batch:
                continue
            try:
                rows = [(c, k, t) for c, k, t, _ in batch]
                seqs: list[int] = await self._call(functools.partial(self._transaction, rows))
            except Exception as exc:  # every sender of the batch hears of it
                for *_, fut in batch:
                    fut.set_exception(exc)
                continue
            self.batches += 1
            self.written += len(batch)
            for (*_, fut), seq in zip(batch, seqs, strict=True):
                fut.set_result(seq)

    async def close(self) -> None:
        if self._task is not None:
            self._task.cancel()
        if self._db is not None:
            await self._call(self._db.close)
        self._pool.shutdown()


Send = Callable[[Conv, str, str], Awaitable[Any]]


async def _timed(send: Send, convs: list[Conv], per_producer: int, tag: str) -> float:
    async def producer(conv: Conv) -> None:
        for i in range(per_producer):
            await send(conv, f"{tag}-{i}", f"ping|{i}")

    began = time.perf_counter()
    await asyncio.gather(*(producer(c) for c in convs))
    return time.perf_counter() - began


async def measure(workdir: Path, *, producers: int = 100, scale: float = 1.0) -> list[WriteFigure]:
    path = workdir / "writepath.db"
    settings = Settings(DATABASE_URL=f"sqlite+aiosqlite:///{path}", CARELINE_SECRET="w" * 40)
    services = bootstrap(settings, sockets=False)
    figures: list[WriteFigure] = []
    try:
        await upgrade(services.engine)
        convs = await _conversations(services, producers)

        async def use_case(conv: Conv, client_id: str, text: str) -> Any:
            return await services.runner.run(
                messaging.send_customer_message,
                services.clock,
                visitor_id=conv.visitor_id,
                visitor_name="Shopper",
                conversation_id=conv.id,
                client_id=client_id,
                text=text,
                max_chars=4000,
            )

        await _timed(use_case, convs[:1], 50, "warm")
        n = int(400 * scale)
        with _HopCounter() as hops:
            seconds = await _timed(use_case, convs[:1], n, "uc1")
        figures.append(WriteFigure("use case (today)", 1, n, seconds, hops.count / n))
        per = max(1, int(10 * scale))
        seconds = await _timed(use_case, convs, per, "ucN")
        figures.append(WriteFigure("use case (today)", len(convs), per * len(convs), seconds))
    finally:
        await services.aclose()

    writer = Writer(path)
    await writer.open()
    try:
        n = int(2000 * scale)
        await _timed(writer.one, convs[:1], 50, "warm1")
        seconds = await _timed(writer.one, convs[:1], n, "one1")
        figures.append(WriteFigure("same SQL, one hop per message", 1, n, seconds, 1.0))
        per = max(1, int(20 * scale))
        seconds = await _timed(writer.one, convs, per, "oneN")
        figures.append(
            WriteFigure("same SQL, one hop per message", len(convs), per * len(convs), seconds, 1)
        )
        await _timed(writer.grouped, convs, 5, "warm2")
        writer.batches = writer.written = 0
        per = max(1, int(100 * scale))
        seconds = await _timed(writer.grouped, convs, per, "grp")
        figures.append(
            WriteFigure(
                "same SQL, group commit",
                len(convs),
                per * len(convs),
                seconds,
                writer.batches / writer.written,
                writer.written / max(1, writer.batches),
            )
        )
    finally:
        await writer.close()
    return figures
