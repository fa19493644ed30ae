"""The message store's process (SQLite): started with the server, started again when it has
died, and nobody left waiting for an answer that will not come."""

from __future__ import annotations

import asyncio
import os
import signal
from collections.abc import AsyncIterator, Sequence
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

import chat.writer
from chat.writer import MessageWriter, writer_process_for
from chat.writer_process import StoreUnavailable, WriterProcess, connect, connect_writer
from queues.notices import Notice
from tests.integration.care import Care, make_care
from web.db import create_engine


@pytest.fixture
async def care_on_sqlite(sqlite_url: str) -> AsyncIterator[Care]:
    engine: AsyncEngine = create_engine(sqlite_url)
    yield await make_care(engine)
    await engine.dispose()


@pytest.fixture
async def w(care_on_sqlite: Care) -> AsyncIterator[MessageWriter]:
    writer = MessageWriter(care_on_sqlite.runner, care_on_sqlite.clock)
    yield writer
    await writer.aclose()


def _pid(w: MessageWriter) -> int:
    store = w._store_process
    assert store is not None and store.pid is not None
    return store.pid


async def say(w: MessageWriter, cid: str, client_id: str, text: str = "hi") -> int:
    message = await w.send_customer(
        visitor_id="v1",
        visitor_name=None,
        conversation_id=cid,
        client_id=client_id,
        text=text,
        max_chars=4000,
    )
    return message.seq


async def test_only_a_sqlite_file_gets_a_store_process() -> None:
    for url in ("postgresql+asyncpg://localhost/x", "sqlite+aiosqlite:///:memory:"):
        engine = create_engine(url)
        assert writer_process_for(engine) is None
        await engine.dispose()
    engine = create_engine("sqlite+aiosqlite:////var/lib/careline/chat.db")
    store = writer_process_for(engine)
    assert isinstance(store, WriterProcess)
    assert store.database_path == "/var/lib/careline/chat.db"
    await engine.dispose()


async def test_a_store_process_that_died_is_started_again(
    care_on_sqlite: Care, w: MessageWriter
) -> None:
    cid = await care_on_sqlite.start("v1")
    await w.start()
    first = _pid(w)
    assert await say(w, cid, "a") == 1
    os.kill(first, signal.SIGKILL)
    await asyncio.sleep(0.2)
    assert await say(w, cid, "b") == 2
    assert _pid(w) != first


async def test_senders_waiting_when_the_store_dies_get_an_error_and_a_resend_stores_once(
    care_on_sqlite: Care, w: MessageWriter
) -> None:
    cid = await care_on_sqlite.start("v1")
    await w.start()
    pid = _pid(w)
    os.kill(pid, signal.SIGSTOP)  # the batch waits in the pipe, unanswered
    waiting = asyncio.gather(*(say(w, cid, f"c{k}") for k in range(3)), return_exceptions=True)
    await asyncio.sleep(0.2)
    os.kill(pid, signal.SIGKILL)
    results = await asyncio.wait_for(waiting, 10)
    # The batches handed to the store that died are answered with an error; a message that
    # was still waiting for its turn goes to the store started after it.
    assert isinstance(results[0], StoreUnavailable), results
    assert all(isinstance(r, StoreUnavailable | int) for r in results), results
    # Resends (same client ids) are stored once each, in a new store process.
    first = [await say(w, cid, f"c{k}") for k in range(3)]
    assert sorted(first) == [1, 2, 3]
    assert all(r == first[k] for k, r in enumerate(results) if isinstance(r, int))
    assert [await say(w, cid, f"c{k}") for k in range(3)] == first


async def test_the_store_process_stops_with_the_writer(care_on_sqlite: Care) -> None:
    writer = MessageWriter(care_on_sqlite.runner, care_on_sqlite.clock)
    await writer.start()
    pid = _pid(writer)
    await writer.aclose()
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)


async def test_the_store_connection_is_set_up_as_the_servers(care_on_sqlite: Care) -> None:
    """Same journal, memory map, cache, durability, foreign keys and lock wait: the two share
    one file."""
    names = (
        "journal_mode",
        "mmap_size",
        "cache_size",
        "synchronous",
        "foreign_keys",
        "busy_timeout",
    )
    async with care_on_sqlite.engine.connect() as conn:
        server = [(await conn.exec_driver_sql(f"PRAGMA {n}")).scalar() for n in names]
    path = str(care_on_sqlite.engine.url.database)
    for store in (connect(path), connect_writer(path)):
        try:
            assert [store.execute(f"PRAGMA {n}").fetchone()[0] for n in names] == server
        finally:
            store.close()
    assert server == ["wal", 268435456, -65536, 1, 1, 10000]


async def test_senders_are_answered_before_their_batch_is_announced(
    care_on_sqlite: Care, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each sender's task then writes its acknowledgement in the next turn of the loop, before
    the frames of the announcement leave, and both go in one write (web/wstransport.py)."""
    cid = await care_on_sqlite.start("v1")
    writer = MessageWriter(care_on_sqlite.runner, care_on_sqlite.clock)
    events: list[str] = []
    answer, record = chat.writer._answer, care_on_sqlite.dispatcher.dispatch

    def answering(*args: Any) -> None:
        events.append("answered")
        answer(*args)

    async def announcing(notices: Sequence[Notice]) -> None:
        events.append("announced")
        await record(notices)

    monkeypatch.setattr(chat.writer, "_answer", answering)
    monkeypatch.setattr(care_on_sqlite.dispatcher, "dispatch", announcing)
    try:
        seqs = await asyncio.gather(*(say(writer, cid, f"k{k}") for k in range(3)))
        assert sorted(seqs) == [1, 2, 3]
        announced = [i for i, event in enumerate(events) if event == "announced"]
        assert announced
        assert all(i > 0 and events[i - 1] == "answered" for i in announced)
    finally:
        await writer.aclose()
