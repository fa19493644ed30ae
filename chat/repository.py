"""Persistence of visitors, threads and messages (SQLAlchemy Core)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.engine import RowMapping
from sqlalchemy.ext.asyncio import AsyncConnection

from chat.domain import Author, AuthorKind, Message, ThreadKind, Visitor, direct_pair
from chat.tables import messages, thread_reads, threads, visitors
from chat.threadids import direct_thread_id, private_thread_id, public_thread_id, thread_id_for


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


__all__ = [
    "MessageRepository",
    "VisitorRepository",
    "direct_thread_id",
    "private_thread_id",
    "public_thread_id",
    "thread_id_for",
]
