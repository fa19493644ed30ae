"""Chat messages stored on SQLite in batches: one transaction, a few statements, many messages.

aiosqlite runs each DB-API call on the connection's own thread and wakes the event loop for each
result: through SQLAlchemy one statement costs three or four such hand-offs, and storing one chat
message that way took about twenty while holding the process's only SQLite connection
(web/db.py). Here a whole batch of messages is one function on that thread.

The batch is also written set-wise, in a fixed number of statements whatever its size (read its
conversations, their consulted CSRs, the client ids already stored and the threads' last ``seq``;
insert every new message in one statement; move every thread's ``last_seq`` in one). That matters
because Python's sqlite3 releases the GIL around each statement and takes it back afterwards: the
database thread and the event loop trade the GIL once per statement, and with a statement per
message the trades (futex wake-ups, each waiting for the loop's next system call) cost the loop
more than the storing itself. With a fixed number of statements the C work of SQLite runs beside
the event loop instead of taking turns with it.
"""

# Statements here are assembled with one placeholder per value (``_marks``); no value is ever
# part of the SQL text.
# ruff: noqa: S608

from __future__ import annotations

import dataclasses
import json
import sqlite3
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, TypeVar

from sqlalchemy.ext.asyncio import AsyncConnection

from chat.domain import Author, AuthorKind, Message, ThreadKind
from chat.threadids import thread_id_for
from queues.domain import Conversation, Status

T = TypeVar("T")

# A resend is the same author and client id in the same thread: (thread id, author kind,
# author id, client id).
Key = tuple[str, str, str, str]

# Rows per statement stay far below SQLite's limit of bound variables (32,766 since 3.32).
MAX_BATCH = 200


@dataclass(frozen=True, slots=True)
class Posting:
    """A chat message to store in one of a conversation's threads.

    ``compose`` gets the conversation as stored (None when there is none), applies the
    rules of who may write there (raising a care error when the author may not) and returns the
    message to store; its ``seq`` is assigned when it is stored. It runs inside the writing
    transaction, so what it checks cannot change before the message is stored, and it must do
    no I/O: on SQLite it runs on the database connection's own thread.
    """

    conversation_id: str
    thread: ThreadKind
    author_kind: AuthorKind
    author_id: str
    client_id: str
    compose: Callable[[Conversation | None], Message]

    @property
    def key(self) -> Key:
        """What makes a resend a resend: the same author and client id in the same thread."""
        thread_id = thread_id_for(self.conversation_id, self.thread)
        return (thread_id, self.author_kind.value, self.author_id, self.client_id)


@dataclass(frozen=True, slots=True)
class Posted:
    message: Message
    conversation: Conversation
    # False: the author had already sent this client id; ``message`` is the one stored then.
    new: bool


_CONVERSATION_COLUMNS = (
    "id, visitor_id, customer_id, status, queue, topic, name, email, assignee_id, priority, "
    "waiting_since, created_at, accepted_at, closed_at, closed_by, requeued_from, requeue_note, "
    "version"
)
_MESSAGE_COLUMNS = (
    "id, thread_id, seq, client_id, author_kind, author_id, author_name, text, card, created_at"
)
_MESSAGE_COLUMNS_OF_M = ", ".join(f"m.{column}" for column in _MESSAGE_COLUMNS.split(", "))


def _marks(count: int, width: int = 1) -> str:
    """``?, ?, ?`` for ``count`` values, or ``(?, ?), (?, ?)`` for rows of ``width``."""
    if width == 1:
        return ", ".join("?" * count)
    row = "(" + ", ".join("?" * width) + ")"
    return ", ".join([row] * count)


def _sqlite_time(value: datetime) -> str:
    """A timestamp as ``UTCDateTime`` stores it on SQLite: naive UTC, always with microseconds."""
    return value.astimezone(UTC).replace(tzinfo=None).isoformat(" ", "microseconds")


def _parse_time(value: str) -> datetime:
    return datetime.fromisoformat(value).replace(tzinfo=UTC)


def _parse_optional_time(value: str | None) -> datetime | None:
    return None if value is None else _parse_time(value)


def _conversations(db: sqlite3.Connection, ids: Sequence[str]) -> dict[str, Conversation]:
    """The conversations as ``ConversationRepository.get`` reads them, by id."""
    consultants: dict[str, list[str]] = {}
    for conversation_id, agent_id in db.execute(
        "SELECT conversation_id, agent_id FROM consults "
        f"WHERE conversation_id IN ({_marks(len(ids))}) ORDER BY created_at",
        ids,
    ):
        consultants.setdefault(conversation_id, []).append(agent_id)
    found = {}
    for row in db.execute(
        f"SELECT {_CONVERSATION_COLUMNS} FROM conversations WHERE id IN ({_marks(len(ids))})",
        ids,
    ):
        found[row[0]] = Conversation(
            id=row[0],
            visitor_id=row[1],
            customer_id=row[2],
            status=Status(row[3]),
            queue=row[4],
            topic=row[5],
            name=row[6],
            email=row[7],
            assignee_id=row[8],
            priority=row[9],
            waiting_since=_parse_time(row[10]),
            created_at=_parse_time(row[11]),
            accepted_at=_parse_optional_time(row[12]),
            closed_at=_parse_optional_time(row[13]),
            closed_by=row[14],
            requeued_from=row[15],
            requeue_note=row[16],
            version=row[17],
            consultant_ids=consultants.get(row[0], []),
        )
    return found


def _already_stored(db: sqlite3.Connection, by_key: dict[Key, Posting]) -> dict[Key, Message]:
    """The messages already stored under these postings' client ids (their resends)."""
    if not by_key:
        return {}
    params = [value for key in by_key for value in key]
    # Driven from the keys (CROSS JOIN keeps that order) so that each is one look-up in the
    # unique index; SQLite plans ``(...) IN (VALUES ...)`` as a scan of the whole table.
    rows = db.execute(
        f"SELECT {_MESSAGE_COLUMNS_OF_M} FROM (VALUES {_marks(len(by_key), 4)}) AS k "
        "CROSS JOIN messages AS m ON m.thread_id = k.column1 AND m.author_kind = k.column2 "
        "AND m.author_id = k.column3 AND m.client_id = k.column4",
        params,
    )
    found = {}
    for row in rows:
        key = (row[1], row[4], row[5], row[3])
        posting = by_key[key]
        found[key] = Message(
            id=row[0],
            thread=posting.thread,
            seq=row[2],
            client_id=row[3],
            author=Author(posting.author_kind, posting.author_id, row[6]),
            text=row[7],
            card=json.loads(row[8]) if row[8] is not None else None,
            created_at=_parse_time(row[9]),
            conversation_id=posting.conversation_id,
        )
    return found


def _last_seqs(db: sqlite3.Connection, thread_ids: Sequence[str]) -> dict[str, int]:
    rows = db.execute(
        f"SELECT id, last_seq FROM threads WHERE id IN ({_marks(len(thread_ids))})",
        thread_ids,
    )
    return {thread_id: int(last_seq) for thread_id, last_seq in rows}


def post_batch(db: sqlite3.Connection, postings: Sequence[Posting]) -> list[Posted | Exception]:
    """Check and store ``postings`` in one transaction (begun here, committed by the caller),
    as if one after the other: each is checked against its conversation as stored, a resend (a
    client id its author already used in the thread, before or earlier in the batch) gives back
    the stored message, each new message takes its thread's next ``seq``. One that is refused
    changes nothing and leaves the others as they are."""
    if not db.in_transaction:
        # Take the write lock first: what the checks read cannot change before the writes.
        db.execute("BEGIN IMMEDIATE")
    conversations = _conversations(db, list(dict.fromkeys(p.conversation_id for p in postings)))
    results: list[Posted | Exception | None] = [None] * len(postings)
    # (position in the batch, its key, the posting, its conversation, the checked message)
    accepted: list[tuple[int, Key, Posting, Conversation, Message]] = []
    for i, posting in enumerate(postings):
        conv = conversations.get(posting.conversation_id)
        try:
            message = posting.compose(conv)  # the use case's checks: raises if refused
            if conv is None:
                raise LookupError(f"no conversation {posting.conversation_id}")
        except Exception as exc:
            results[i] = exc
            continue
        accepted.append((i, posting.key, posting, conv, message))

    stored = _already_stored(db, {key: posting for _, key, posting, _, _ in accepted})
    last = _last_seqs(db, list(dict.fromkeys(key[0] for _, key, _, _, _ in accepted)))
    rows: list[Any] = []
    for i, key, posting, conv, message in accepted:
        thread_id = key[0]
        if key in stored:  # a resend, of a message stored before or earlier in this batch
            results[i] = Posted(stored[key], conv, new=False)
            continue
        if thread_id not in last:
            results[i] = LookupError(f"no thread {thread_id}")
            continue
        last[thread_id] += 1
        new = dataclasses.replace(message, seq=last[thread_id], client_id=posting.client_id)
        stored[key] = new
        results[i] = Posted(new, conv, new=True)
        rows += (
            new.id,
            thread_id,
            new.seq,
            posting.client_id,
            posting.author_kind.value,
            posting.author_id,
            new.author.name,
            new.text,
            # The JSON column's own encoding: None is stored as JSON null.
            json.dumps(new.card),
            _sqlite_time(new.created_at),
        )
    if rows:
        count = len(rows) // 10
        db.execute(
            f"INSERT INTO messages ({_MESSAGE_COLUMNS}) VALUES {_marks(count, 10)}",
            rows,
        )
        moved = list(dict.fromkeys(rows[1::10]))
        db.execute(
            f"UPDATE threads SET last_seq = CASE id {' '.join(['WHEN ? THEN ?'] * len(moved))} "
            f"END WHERE id IN ({_marks(len(moved))})",
            [value for thread_id in moved for value in (thread_id, last[thread_id])] + moved,
        )
    answered = [r for r in results if r is not None]
    assert len(answered) == len(postings), "every posting has its answer, in order"
    return answered


def store_batches(
    db: sqlite3.Connection,
    take: Callable[[], Sequence[tuple[Posting, T]]],
    stored: Callable[[Sequence[tuple[Posting, T]], list[Posted | Exception]], None],
    seconds: float,
) -> None:
    """Store batch after batch (each ``take()``, up to ``MAX_BATCH``) until there is none or
    ``seconds`` have passed; hand each back to ``stored`` once committed."""
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        batch = take()
        if not batch:
            return
        try:
            results = post_batch(db, [posting for posting, _ in batch])
            db.commit()
        except Exception as exc:  # nothing of this batch is stored
            if db.in_transaction:
                db.rollback()
            results = [exc] * len(batch)
        stored(batch, results)


async def on_sqlite_thread(conn: AsyncConnection, fn: Callable[..., Any], *args: Any) -> Any:
    """Run ``fn(sqlite3_connection, *args)`` on the thread of the aiosqlite connection that
    ``conn`` holds: one hand-off for all of it. ``conn`` stays checked out meanwhile, so nothing
    else uses the connection. This goes through the same aiosqlite internals
    (``Connection._execute``, ``Connection._conn``) as SQLAlchemy's own aiosqlite dialect."""
    raw = await conn.get_raw_connection()
    driver: Any = raw.driver_connection
    return await driver._execute(fn, driver._conn, *args)
