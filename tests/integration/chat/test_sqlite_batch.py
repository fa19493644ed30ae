"""``chat.sqlite_batch``: a batch of chat messages stored on SQLite in a fixed number of
statements, with the guarantees of storing them one by one."""

from __future__ import annotations

import sqlite3
from collections.abc import AsyncIterator

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from chat.postings import Posted, Posting
from chat.sqlite_batch import post_batch
from chat.writer import customer_posting
from queues.clock import FakeClock
from queues.errors import InvalidInput, NotFound
from tests.integration.care import Care, make_care
from web.db import create_engine

CLOCK = FakeClock()


@pytest.fixture
async def care_on_sqlite(sqlite_url: str) -> AsyncIterator[Care]:
    engine: AsyncEngine = create_engine(sqlite_url)
    yield await make_care(engine)
    await engine.dispose()


def connect(care: Care) -> sqlite3.Connection:
    db = sqlite3.connect(str(care.engine.url.database), isolation_level=None)
    db.execute("PRAGMA foreign_keys=ON")
    return db


def say(visitor: str, cid: str, client_id: str, text: str = "hello") -> Posting:
    return customer_posting(CLOCK, visitor, None, cid, client_id, text, 4000)


def store(db: sqlite3.Connection, postings: list[Posting]) -> tuple[list[Posted | Exception], int]:
    """Store one batch and commit; how many statements it took."""
    statements: list[str] = []
    db.set_trace_callback(statements.append)
    try:
        results = post_batch(db, postings)
        db.commit()
    finally:
        db.set_trace_callback(None)
    return results, len(statements)


async def test_a_batch_takes_as_many_statements_for_sixty_messages_as_for_one(
    care_on_sqlite: Care,
) -> None:
    care = care_on_sqlite
    cids = [await care.start(f"v{i}") for i in range(30)]
    db = connect(care)
    _, for_one = store(db, [say("v0", cids[0], "only")])
    _, for_sixty = store(
        db, [say(f"v{i}", cid, f"{k}") for k in range(2) for i, cid in enumerate(cids)]
    )
    assert for_sixty == for_one


async def test_a_mixed_batch_is_stored_as_if_one_message_after_the_other(
    care_on_sqlite: Care,
) -> None:
    care = care_on_sqlite
    cids = [await care.start(f"v{i}") for i in range(25)]
    db = connect(care)
    earlier, _ = store(db, [say("v3", cids[3], "sent-before", "first try")])
    postings = []
    for i, cid in enumerate(cids):
        postings += [say(f"v{i}", cid, "a", f"a{i}"), say(f"v{i}", cid, "b", f"b{i}")]
    postings += [
        say("v1", cids[1], "a", "a resend in the same batch"),
        say("v3", cids[3], "sent-before", "a resend of an earlier batch"),
        say("v2", cids[4], "c", "someone else's conversation"),
        say("v5", "c_missing", "d"),
        say("v6", cids[6], "e", "   "),
        say("v7", cids[7], "f", "the last one"),
    ]
    results, _ = store(db, postings)

    new = [r for r in results if isinstance(r, Posted) and r.new]
    assert len(new) == 51
    resent_now, resent_before = results[50], results[51]
    assert isinstance(resent_now, Posted) and not resent_now.new
    assert resent_now.message.text == "a1" and resent_now.message.seq == 1
    assert isinstance(resent_before, Posted) and not resent_before.new
    assert isinstance(earlier[0], Posted)
    assert resent_before.message.id == earlier[0].message.id
    assert resent_before.message.text == "first try"
    assert isinstance(results[52], NotFound)
    assert isinstance(results[53], NotFound)
    assert isinstance(results[54], InvalidInput)
    last = results[55]
    assert isinstance(last, Posted) and last.message.seq == 3

    stored = db.execute(
        "SELECT thread_id, group_concat(seq), group_concat(text, '|') FROM "
        "(SELECT * FROM messages ORDER BY thread_id, seq) GROUP BY thread_id"
    ).fetchall()
    by_thread = {thread: (seqs, texts) for thread, seqs, texts in stored}
    assert by_thread[f"{cids[0]}:public"] == ("1,2", "a0|b0")
    assert by_thread[f"{cids[3]}:public"] == ("1,2,3", "first try|a3|b3")
    assert by_thread[f"{cids[7]}:public"] == ("1,2,3", "a7|b7|the last one")
    assert len(by_thread) == 25
    mismatched = db.execute(
        "SELECT t.id FROM threads t WHERE t.last_seq != "
        "(SELECT coalesce(max(seq), 0) FROM messages m WHERE m.thread_id = t.id)"
    ).fetchall()
    assert mismatched == []
