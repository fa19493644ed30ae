"""Persistence of visitors, threads and messages (SQLAlchemy Core)."""

from __future__ import annotations

import dataclasses
import json
import sqlite3
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, TypeVar

from sqlalchemy import insert, select, update
from sqlalchemy.engine import RowMapping
from sqlalchemy.ext.asyncio import AsyncConnection

from chat.domain import Author, AuthorKind, Message, ThreadKind, Visitor, direct_pair
from chat.tables import messages, thread_reads, threads, visitors
from queues.domain import Conversation, Status

T = TypeVar("T")


def public_thread_id(conversation_id: str) -> str:
    return f"{conversation_id}:public"


def private_thread_id(conversation_id: str) -> str:
    return f"{conversation_id}:private"


def direct_thread_id(agent_a: str, agent_b: str) -> str:
    low, high = direct_pair(agent_a, agent_b)
    return f"d:{low}:{high}"


def thread_id_for(conversation_id: str, kind: ThreadKind) -> str:
    return (
        private_thread_id(conversation_id)
        if kind is ThreadKind.PRIVATE
        else public_thread_id(conversation_id)
    )


def _visitor(row: RowMapping) -> Visitor:
    return Visitor(
        id=row["id"],
        created_at=row["created_at"],
        last_seen_at=row["last_seen_at"],
        customer_id=row["customer_id"],
        name=row["name"],
        email=row["email"],
        current_url=row["current_url"],
        current_title=row["current_title"],
    )


class VisitorRepository:
    def __init__(self, conn: AsyncConnection) -> None:
        self._conn = conn

    async def get(self, visitor_id: str) -> Visitor | None:
        row = (
            await self._conn.execute(select(visitors).where(visitors.c.id == visitor_id))
        ).first()
        return _visitor(row._mapping) if row else None

    async def add(self, visitor: Visitor) -> None:
        await self._conn.execute(
            insert(visitors).values(
                id=visitor.id,
                customer_id=visitor.customer_id,
                name=visitor.name,
                email=visitor.email,
                created_at=visitor.created_at,
                last_seen_at=visitor.last_seen_at,
            )
        )

    async def update(self, visitor_id: str, **values: Any) -> None:
        await self._conn.execute(
            update(visitors).where(visitors.c.id == visitor_id).values(**values)
        )


def _message(row: RowMapping, conversation_id: str | None, to_agent_id: str | None) -> Message:
    return Message(
        id=row["id"],
        thread=ThreadKind(row["kind"]),
        seq=row["seq"],
        client_id=row["client_id"],
        author=Author(AuthorKind(row["author_kind"]), row["author_id"], row["author_name"]),
        text=row["text"],
        card=row["card"],
        created_at=row["created_at"],
        conversation_id=conversation_id,
        to_agent_id=to_agent_id,
    )


_message_columns = (
    messages.c.id,
    messages.c.seq,
    messages.c.client_id,
    messages.c.author_kind,
    messages.c.author_id,
    messages.c.author_name,
    messages.c.text,
    messages.c.card,
    messages.c.created_at,
    threads.c.kind,
    threads.c.conversation_id,
    threads.c.agent_low,
    threads.c.agent_high,
)


def _to_agent(row: RowMapping) -> str | None:
    """For a direct message, the CSR of the pair who did not write it."""
    if row["kind"] != ThreadKind.DIRECT.value:
        return None
    low: str = row["agent_low"]
    high: str = row["agent_high"]
    return high if row["author_id"] == low else low


class MessageRepository:
    def __init__(self, conn: AsyncConnection) -> None:
        self._conn = conn

    async def create_conversation_threads(self, conversation_id: str) -> None:
        await self._conn.execute(
            insert(threads),
            [
                {
                    "id": public_thread_id(conversation_id),
                    "kind": ThreadKind.PUBLIC.value,
                    "conversation_id": conversation_id,
                    "last_seq": 0,
                },
                {
                    "id": private_thread_id(conversation_id),
                    "kind": ThreadKind.PRIVATE.value,
                    "conversation_id": conversation_id,
                    "last_seq": 0,
                },
            ],
        )

    async def ensure_direct_thread(self, agent_a: str, agent_b: str) -> str:
        thread_id = direct_thread_id(agent_a, agent_b)
        exists: str | None = await self._conn.scalar(
            select(threads.c.id).where(threads.c.id == thread_id)
        )
        if exists is None:
            low, high = direct_pair(agent_a, agent_b)
            await self._conn.execute(
                insert(threads).values(
                    id=thread_id,
                    kind=ThreadKind.DIRECT.value,
                    agent_low=low,
                    agent_high=high,
                    last_seq=0,
                )
            )
        return thread_id

    async def by_client_id(self, thread_id: str, author: Author, client_id: str) -> Message | None:
        row = (
            await self._conn.execute(
                select(*_message_columns)
                .join(threads, threads.c.id == messages.c.thread_id)
                .where(
                    messages.c.thread_id == thread_id,
                    messages.c.author_kind == author.kind.value,
                    messages.c.author_id == author.id,
                    messages.c.client_id == client_id,
                )
            )
        ).first()
        if row is None:
            return None
        m = row._mapping
        return _message(m, m["conversation_id"], _to_agent(m))

    async def next_seq(self, thread_id: str) -> int:
        """Take the thread's next sequence number. Inside the writing transaction, so a rollback
        gives the number back and the sequence never has gaps."""
        seq = await self._conn.scalar(
            update(threads)
            .where(threads.c.id == thread_id)
            .values(last_seq=threads.c.last_seq + 1)
            .returning(threads.c.last_seq)
        )
        if seq is None:
            raise LookupError(f"no thread {thread_id}")
        return int(seq)

    async def add(self, thread_id: str, message: Message) -> None:
        await self._conn.execute(
            insert(messages).values(
                id=message.id,
                thread_id=thread_id,
                seq=message.seq,
                client_id=message.client_id,
                author_kind=message.author.kind.value,
                author_id=message.author.id,
                author_name=message.author.name,
                text=message.text,
                card=message.card,
                created_at=message.created_at,
            )
        )

    @property
    def stores_batches(self) -> bool:
        """Whether :meth:`store_batches` is available: on SQLite (aiosqlite) only."""
        dialect = self._conn.dialect
        return dialect.name == "sqlite" and dialect.driver == "aiosqlite"

    async def store_batches(
        self,
        take: Callable[[], Sequence[tuple[Posting, T]]],
        stored: Callable[[Sequence[tuple[Posting, T]], list[Posted | Exception]], None],
        seconds: float,
    ) -> None:
        """Store chat messages batch by batch, each batch its own committed transaction, on the
        database connection's own thread, until ``take`` has nothing more or ``seconds`` have
        passed. ``take`` (called on that thread) gives the next batch; ``stored`` (called on that
        thread, after the commit) gets each batch back with, for each message, what was stored
        (for a resend, what had been) or why not. Both must be safe to call from another thread.
        The connection is this unit of work's for the whole time: nothing else uses it."""
        if not self.stores_batches:
            raise NotImplementedError(f"no batch storage on {self._conn.dialect.name}")
        await _on_sqlite_thread(self._conn, _sqlite_store_batches, take, stored, seconds)

    async def after(self, thread_id: str, after_seq: int, limit: int) -> list[Message]:
        rows = await self._conn.execute(
            select(*_message_columns)
            .join(threads, threads.c.id == messages.c.thread_id)
            .where(messages.c.thread_id == thread_id, messages.c.seq > after_seq)
            .order_by(messages.c.seq)
            .limit(limit)
        )
        found = []
        for row in rows:
            m = row._mapping
            found.append(_message(m, m["conversation_id"], _to_agent(m)))
        return found

    async def last_seqs(self, thread_ids: list[str]) -> dict[str, int]:
        if not thread_ids:
            return {}
        rows = await self._conn.execute(
            select(threads.c.id, threads.c.last_seq).where(threads.c.id.in_(thread_ids))
        )
        return {r.id: int(r.last_seq) for r in rows}

    async def direct_threads_of(self, agent_id: str) -> list[tuple[str, str, int]]:
        """(thread id, the other CSR, last seq) of every direct thread the CSR is in."""
        rows = await self._conn.execute(
            select(
                threads.c.id, threads.c.agent_low, threads.c.agent_high, threads.c.last_seq
            ).where(
                threads.c.kind == ThreadKind.DIRECT.value,
                (threads.c.agent_low == agent_id) | (threads.c.agent_high == agent_id),
            )
        )
        return [
            (r.id, r.agent_high if r.agent_low == agent_id else r.agent_low, int(r.last_seq))
            for r in rows
        ]

    async def read_marks(self, reader_id: str, thread_ids: list[str]) -> dict[str, int]:
        if not thread_ids:
            return {}
        rows = await self._conn.execute(
            select(thread_reads.c.thread_id, thread_reads.c.last_read_seq).where(
                thread_reads.c.reader_id == reader_id, thread_reads.c.thread_id.in_(thread_ids)
            )
        )
        return {r.thread_id: int(r.last_read_seq) for r in rows}

    async def mark_read(self, reader_id: str, thread_id: str, seq: int) -> None:
        """Move the reader's mark forward (never back)."""
        current = await self._conn.scalar(
            select(thread_reads.c.last_read_seq).where(
                thread_reads.c.reader_id == reader_id, thread_reads.c.thread_id == thread_id
            )
        )
        if current is None:
            await self._conn.execute(
                insert(thread_reads).values(
                    thread_id=thread_id, reader_id=reader_id, last_read_seq=seq
                )
            )
        elif seq > current:
            await self._conn.execute(
                update(thread_reads)
                .where(thread_reads.c.reader_id == reader_id, thread_reads.c.thread_id == thread_id)
                .values(last_read_seq=seq)
            )


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


@dataclass(frozen=True, slots=True)
class Posted:
    message: Message
    conversation: Conversation
    # False: the author had already sent this client id; ``message`` is the one stored then.
    new: bool


# --- SQLite: a batch of chat messages in one hand-off to the database thread ------------------
#
# aiosqlite runs each DB-API call (cursor, execute, fetch, close, commit) on the connection's
# own thread and wakes the event loop for each result: through SQLAlchemy, one statement costs
# three or four such hand-offs. Storing a chat message that way took five statements and about
# twenty hand-offs while holding the process's only SQLite connection (web/db.py), which capped
# a busy server at a few hundred messages a second. Here a whole batch of messages is one
# function on that thread, in plain SQL that SQLite prepares once and caches.

_SQLITE_CONVERSATION = (
    "SELECT id, visitor_id, customer_id, status, queue, topic, name, email, assignee_id, "
    "priority, waiting_since, created_at, accepted_at, closed_at, closed_by, requeued_from, "
    "requeue_note, version FROM conversations WHERE id = ?"
)
_SQLITE_CONSULTANTS = "SELECT agent_id FROM consults WHERE conversation_id = ? ORDER BY created_at"
_SQLITE_BY_CLIENT_ID = (
    "SELECT id, seq, author_name, text, card, created_at FROM messages "
    "WHERE thread_id = ? AND author_kind = ? AND author_id = ? AND client_id = ?"
)
# The next seq is computed in the insert itself; a resend (same author and client id in the
# thread) inserts nothing and returns no row.
_SQLITE_INSERT = (
    "INSERT INTO messages (id, thread_id, seq, client_id, author_kind, author_id, author_name, "
    "text, card, created_at) SELECT ?, id, last_seq + 1, ?, ?, ?, ?, ?, ?, ? FROM threads "
    "WHERE id = ? ON CONFLICT (thread_id, author_kind, author_id, client_id) DO NOTHING "
    "RETURNING seq"
)
_SQLITE_TAKE_SEQ = "UPDATE threads SET last_seq = ? WHERE id = ?"


def _sqlite_time(value: datetime) -> str:
    """A timestamp as ``UTCDateTime`` stores it on SQLite: naive UTC, always with microseconds."""
    return value.astimezone(UTC).replace(tzinfo=None).isoformat(" ", "microseconds")


def _parse_time(value: str) -> datetime:
    return datetime.fromisoformat(value).replace(tzinfo=UTC)


def _parse_optional_time(value: str | None) -> datetime | None:
    return None if value is None else _parse_time(value)


def _sqlite_conversation(db: sqlite3.Connection, conversation_id: str) -> Conversation | None:
    """The conversation as ``ConversationRepository.get`` reads it."""
    row = db.execute(_SQLITE_CONVERSATION, (conversation_id,)).fetchone()
    if row is None:
        return None
    consultants = [r[0] for r in db.execute(_SQLITE_CONSULTANTS, (conversation_id,))]
    return Conversation(
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
        consultant_ids=consultants,
    )


def _sqlite_stored(db: sqlite3.Connection, posting: Posting, thread_id: str) -> Message:
    """The message this author already stored under this client id."""
    key = (thread_id, posting.author_kind.value, posting.author_id, posting.client_id)
    found = db.execute(_SQLITE_BY_CLIENT_ID, key).fetchone()
    if found is None:
        raise LookupError(f"no thread {thread_id}")
    return Message(
        id=found[0],
        thread=posting.thread,
        seq=found[1],
        client_id=posting.client_id,
        author=Author(posting.author_kind, posting.author_id, found[2]),
        text=found[3],
        card=json.loads(found[4]) if found[4] is not None else None,
        created_at=_parse_time(found[5]),
        conversation_id=posting.conversation_id,
    )


def _sqlite_post_batch(
    db: sqlite3.Connection, postings: Sequence[Posting]
) -> list[Posted | Exception]:
    """Check and store ``postings`` in order, in one transaction (begun here, committed by the
    caller). One that is refused or fails changes nothing and leaves the others as
    they are: the insert is the only statement that can fail for one message, and it either
    stores the message or does nothing."""
    if not db.in_transaction:
        # Take the write lock first: what the checks read cannot change before the writes.
        db.execute("BEGIN IMMEDIATE")
    conversations: dict[str, Conversation | None] = {}
    results: list[Posted | Exception] = []
    for posting in postings:
        cid = posting.conversation_id
        if cid not in conversations:
            conversations[cid] = _sqlite_conversation(db, cid)
        conv = conversations[cid]
        thread_id = thread_id_for(cid, posting.thread)
        try:
            message = posting.compose(conv)  # the use case's checks: raises if refused
            if conv is None:
                raise LookupError(f"no conversation {cid}")
            inserted = db.execute(
                _SQLITE_INSERT,
                (
                    message.id,
                    posting.client_id,
                    posting.author_kind.value,
                    posting.author_id,
                    message.author.name,
                    message.text,
                    # The JSON column's own encoding: None is stored as JSON null.
                    json.dumps(message.card),
                    _sqlite_time(message.created_at),
                    thread_id,
                ),
            ).fetchall()
            if not inserted:  # a resend
                results.append(Posted(_sqlite_stored(db, posting, thread_id), conv, new=False))
                continue
        except Exception as exc:
            results.append(exc)
            continue
        seq = int(inserted[0][0])
        # Not guarded: were this to fail, the whole batch fails and is rolled back.
        db.execute(_SQLITE_TAKE_SEQ, (seq, thread_id))
        stored = dataclasses.replace(message, seq=seq, client_id=posting.client_id)
        results.append(Posted(stored, conv, new=True))
    return results


def _sqlite_store_batches(
    db: sqlite3.Connection,
    take: Callable[[], Sequence[tuple[Posting, T]]],
    stored: Callable[[Sequence[tuple[Posting, T]], list[Posted | Exception]], None],
    seconds: float,
) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        batch = take()
        if not batch:
            return
        try:
            results = _sqlite_post_batch(db, [posting for posting, _ in batch])
            db.commit()
        except Exception as exc:  # nothing of this batch is stored
            if db.in_transaction:
                db.rollback()
            results = [exc] * len(batch)
        stored(batch, results)


async def _on_sqlite_thread(conn: AsyncConnection, fn: Callable[..., Any], *args: Any) -> Any:
    """Run ``fn(sqlite3_connection, *args)`` on the thread of the aiosqlite connection that
    ``conn`` holds: one hand-off for all of it. ``conn`` stays checked out meanwhile, so nothing
    else uses the connection. This goes through the same aiosqlite internals
    (``Connection._execute``, ``Connection._conn``) as SQLAlchemy's own aiosqlite dialect."""
    raw = await conn.get_raw_connection()
    driver: Any = raw.driver_connection
    return await driver._execute(fn, driver._conn, *args)


__all__ = [
    "MessageRepository",
    "Posted",
    "Posting",
    "VisitorRepository",
]
