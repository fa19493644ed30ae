"""What storing one chat message costs, before and after the group commit, in process.

The same shopper messages go into the same Careline SQLite schema two ways, on a fresh database,
inside this process (no sockets), every message committed before its sender hears back:

1. ``one transaction per message``: ``chat.messaging.send_customer_message`` through
   ``CareRunner``, one unit of work per message on SQLAlchemy's async engine over aiosqlite.
   This is how a socket's ``chat:send`` was stored before, and still is on PostgreSQL.
2. ``group commit``: ``chat.writer.MessageWriter``, what the sockets use on SQLite: the
   messages waiting are handed to the message store's own process (chat/writer_process.py) and
   checked and stored there in one transaction.

Thread hand-offs (calls run on aiosqlite's database thread, each of which wakes the event loop
when done) and batches handed to the store are counted. One sender shows the cost of a message
alone; many senders at once show the throughput of the storage path with that many conversations
writing.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiosqlite.core

from chat import messaging
from chat.visitors import arrive
from chat.writer import MessageWriter
from chat.writer_process import WriterProcess
from queues import accounts, routing
from queues.domain import Role
from web.bootstrap import Services, bootstrap
from web.migrate import upgrade
from web.settings import Settings


@dataclass
class WriteFigure:
    name: str
    producers: int
    messages: int
    seconds: float
    hops_per_message: float
    mean_batch: float

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


@dataclass
class _Counts:
    hops: int = 0
    batches: int = 0


@contextmanager
def _counting() -> Iterator[_Counts]:
    """Count calls handed to aiosqlite's database thread and group-commit batches."""
    counts = _Counts()
    execute: Any = aiosqlite.core.Connection._execute
    submit: Any = WriterProcess.submit

    async def counted_execute(conn: Any, fn: Any, *args: Any, **kwargs: Any) -> Any:
        counts.hops += 1
        return await execute(conn, fn, *args, **kwargs)

    def counted_submit(store: Any, postings: Any, on_results: Any) -> Any:
        counts.batches += 1
        return submit(store, postings, on_results)

    setattr(aiosqlite.core.Connection, "_execute", counted_execute)  # noqa: B010
    setattr(WriterProcess, "submit", counted_submit)  # noqa: B010
    try:
        yield counts
    finally:
        setattr(aiosqlite.core.Connection, "_execute", execute)  # noqa: B010
        setattr(WriterProcess, "submit", submit)  # noqa: B010


async def _conversations(services: Services, count: int) -> list[Conv]:
    """``count`` active conversations, three to a CSR."""
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


Send = Callable[[Conv, str], Awaitable[Any]]


async def _timed(send: Send, convs: list[Conv], per_producer: int, tag: str) -> float:
    async def producer(conv: Conv) -> None:
        for i in range(per_producer):
            await send(conv, f"{tag}-{i}")

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
        writer = MessageWriter(services.runner, services.clock)
        await writer.start()

        async def one_transaction(conv: Conv, client_id: str) -> Any:
            return await services.runner.run(
                messaging.send_customer_message,
                services.clock,
                visitor_id=conv.visitor_id,
                visitor_name="Shopper",
                conversation_id=conv.id,
                client_id=client_id,
                text="ping",
                max_chars=4000,
            )

        async def group_commit(conv: Conv, client_id: str) -> Any:
            return await writer.send_customer(
                visitor_id=conv.visitor_id,
                visitor_name="Shopper",
                conversation_id=conv.id,
                client_id=client_id,
                text="ping",
                max_chars=4000,
            )

        ways: list[tuple[str, Send]] = [
            ("one transaction per message", one_transaction),
            ("group commit (MessageWriter)", group_commit),
        ]
        for name, send in ways:
            await _timed(send, convs[:1], 20, f"{name[:3]}-warm")
            for group, per in ((convs[:1], int(300 * scale)), (convs, int(20 * scale))):
                with _counting() as counts:
                    seconds = await _timed(send, group, max(1, per), f"{name[:3]}-{len(group)}")
                n = len(group) * max(1, per)
                batch = n / counts.batches if counts.batches else 1.0
                figures.append(WriteFigure(name, len(group), n, seconds, counts.hops / n, batch))
        await writer.aclose()
    finally:
        await services.aclose()
    return figures
