"""Chat messages stored on SQLite in batches: one transaction, a few statements, many messages.

Through SQLAlchemy and aiosqlite a chat message was five statements and a commit, each DB-API
call a hand-off between the event loop and the connection's thread (about twenty per message).
Here a whole batch of messages is one function on a plain ``sqlite3`` connection, run by the
message store's own process (chat/writer_process.py), and written set-wise, in a fixed number
of statements whatever its size: read its conversations, their consulted CSRs, the client ids
already stored and the threads' last ``seq``; insert every new message in one statement; move
every thread's ``last_seq`` in one.
"""

# Statements here are assembled with one placeholder per value (``_marks``); no value is ever
# part of the SQL text.
# ruff: noqa: S608

from __future__ import annotations

import dataclasses
import json
import sqlite3
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from chat.domain import Author, Message
from chat.postings import Key, Posted, Posting
from queues.domain import Conversation, Status

# Rows per statement stay far below SQLite's limit of bound variables (32,766 since 3.32).
MAX_BATCH = 200


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


def store_batch(db: sqlite3.Connection, postings: Sequence[Posting]) -> list[Posted | Exception]:
    """Store one batch in its own transaction and commit it; when the transaction fails as a
    whole, nothing of the batch is stored and every posting gets the error."""
    try:
        results = post_batch(db, postings)
        db.commit()
    except Exception as exc:
        if db.in_transaction:
            db.rollback()
        return [exc] * len(postings)
    return results
