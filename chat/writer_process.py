"""The chat message store of a server on SQLite: a process of its own, beside the event loop.

Storing a batch of chat messages is mostly SQLite's C work, but the Python around it (checks,
rows, results) needs the interpreter's lock, which the event loop needs for every frame it
sends. On a thread of the server they took turns, and every turn cost the loop a wait for the
lock after each system call (docs/performance.md). In a process of its own the store has its own
interpreter: the loop hands a batch over a pipe and gets the results back, one write and one read
per batch, and goes on sending frames meanwhile.

The protocol on the pipes is private to this module: each frame is a 4-byte big-endian length
and a pickle; the parent writes a batch of postings, the child answers with what became of each
(the message stored and who hears of it, or the error), in order, one answer per batch, after the
batch's commit. Both go as tuples of plain values (``_posting_row``, ``_stored_row``): pickling
the dataclasses themselves runs Python code per field and cost the event loop more than the
rest of its share of storing. The child stores one batch at a time in its own transaction on its own
connection to the same database file, and exits when its input closes (the parent stopped or
died); it ignores Ctrl+C, which reaches the whole process group, so that the parent decides.
Its log is checkpointed by a thread of its own, beside the writes (``chat.checkpoints``).
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import logging
import pickle
import signal
import sqlite3
import struct
import sys
from collections.abc import Callable, Sequence
from typing import Any, BinaryIO

from chat.checkpoints import Checkpointer
from chat.domain import Author, AuthorKind, Message, ThreadKind
from chat.postings import Posted, Posting, Stored
from chat.sqlite_batch import store_batch
from queues.domain import Agent, Role
from queues.errors import CareError
from web.db import sqlite_pragmas

logger = logging.getLogger(__name__)

Results = list[Stored | Exception]
OnResults = Callable[["Results | StoreUnavailable"], None]
_HEADER = struct.Struct("!I")


class StoreUnavailable(ConnectionError):
    """The message store stopped before answering: the batch may or may not be stored (a resend
    with the same client id finds out without storing it twice)."""


def _frame(obj: object) -> bytes:
    body = pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)
    return _HEADER.pack(len(body)) + body


def _posting_row(p: Posting) -> tuple[Any, ...]:
    agent = p.agent
    return (
        p.conversation_id,
        p.thread.value,
        p.client_id,
        p.text,
        p.max_chars,
        p.message_id,
        p.created_at,
        None
        if agent is None
        else (
            agent.id,
            agent.username,
            agent.name,
            agent.role.value,
            agent.max_chats,
            agent.disabled,
        ),
        p.visitor_id,
        p.visitor_name,
    )


def _posting(row: tuple[Any, ...]) -> Posting:
    conversation_id, thread, client_id, text, max_chars, message_id, created_at = row[:7]
    agent_row, visitor_id, visitor_name = row[7:]
    agent = None
    if agent_row is not None:
        agent_id, username, name, role, max_chats, disabled = agent_row
        agent = Agent(agent_id, username, name, Role(role), max_chats, disabled)
    return Posting(
        conversation_id=conversation_id,
        thread=ThreadKind(thread),
        client_id=client_id,
        text=text,
        max_chars=max_chars,
        message_id=message_id,
        created_at=created_at,
        agent=agent,
        visitor_id=visitor_id,
        visitor_name=visitor_name,
    )


def _stored_row(result: Posted | Exception) -> tuple[Any, ...] | Exception:
    """Care errors go back as they are; anything else (a database error) as its description,
    which is all the sender's error answer uses."""
    if isinstance(result, CareError):
        return result
    if not isinstance(result, Posted):
        return RuntimeError(str(result))
    stored = Stored.of(result)
    m = stored.message
    author = (m.author.kind.value, m.author.id, m.author.name)
    message = (m.id, m.thread.value, m.seq, m.client_id, author, m.text, m.created_at)
    return (*message, m.conversation_id, m.card, stored.new, stored.visitor_id, stored.agent_ids)


def _stored(row: tuple[Any, ...] | Exception) -> Stored | Exception:
    if isinstance(row, Exception):
        return row
    message_id, thread, seq, client_id, (kind, author_id, author_name), text, created_at = row[:7]
    conversation_id, card, new, visitor_id, agent_ids = row[7:]
    message = Message(
        id=message_id,
        thread=ThreadKind(thread),
        seq=seq,
        client_id=client_id,
        author=Author(AuthorKind(kind), author_id, author_name),
        text=text,
        created_at=created_at,
        conversation_id=conversation_id,
        card=card,
    )
    return Stored(message, new, visitor_id, agent_ids)


def connect(path: str) -> sqlite3.Connection:
    """A connection of the child, set up as the server's own (``web.db.sqlite_pragmas``)."""
    db = sqlite3.connect(path, timeout=10.0, check_same_thread=False)
    for pragma in sqlite_pragmas(in_memory=False):
        db.execute(pragma)
    return db


def connect_writer(path: str) -> sqlite3.Connection:
    """The connection that stores the batches: it never checkpoints inside a commit, the
    child's :class:`chat.checkpoints.Checkpointer` does it beside the writes."""
    db = connect(path)
    db.execute("PRAGMA wal_autocheckpoint=0")
    return db


def serve(
    db: sqlite3.Connection,
    source: BinaryIO,
    sink: BinaryIO,
    wrote: Callable[[], None] = lambda: None,
    before_write: Callable[[sqlite3.Connection], None] = lambda db: None,
) -> None:
    """The child's loop: read a batch, store it, answer; until ``source`` ends."""
    while header := source.read(_HEADER.size):
        if len(header) < _HEADER.size:
            return
        (size,) = _HEADER.unpack(header)
        rows: list[tuple[Any, ...]] = pickle.loads(source.read(size))  # noqa: S301 (our parent)
        before_write(db)
        results = store_batch(db, [_posting(row) for row in rows])
        sink.write(_frame([_stored_row(result) for result in results]))
        sink.flush()
        wrote()


def main(argv: Sequence[str]) -> int:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    (path,) = argv
    db = connect_writer(path)
    checkpointer = Checkpointer(lambda: connect(path))
    checkpointer.start()
    try:
        serve(
            db, sys.stdin.buffer, sys.stdout.buffer, checkpointer.wrote, checkpointer.before_write
        )
    except BrokenPipeError:  # the parent went away
        pass
    finally:
        db.close()
        checkpointer.stop()
    return 0


class _Pipes(asyncio.SubprocessProtocol):
    """The parent's end of one child's pipes. Answers are read in the event loop's own callback
    for the pipe and handed on from there, with no stream and task to wake in between: every
    turn of the loop between a commit and its senders' acknowledgements is latency
    (docs/performance.md)."""

    def __init__(self, on_end: Callable[[_Pipes], None]) -> None:
        self.waiting: collections.deque[OnResults] = collections.deque()
        self.finished: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._on_end = on_end
        self._buffer = bytearray()
        self._ended = False

    def pipe_data_received(self, fd: int, data: bytes | str) -> None:
        if fd != 1 or self._ended:
            return
        buffer = self._buffer
        buffer += data if isinstance(data, bytes) else data.encode()
        while len(buffer) >= _HEADER.size:
            (size,) = _HEADER.unpack_from(buffer)
            end = _HEADER.size + size
            if len(buffer) < end:
                return
            body = buffer[_HEADER.size : end]  # a copy: the buffer moves on below
            del buffer[:end]
            if not self.waiting:
                logger.error("the message store answered a batch it was not given")
                self.end()
                return
            try:
                results = [_stored(row) for row in pickle.loads(body)]  # noqa: S301 (our child)
            except Exception:
                logger.exception("the message store's answer could not be read")
                self.end()
                return
            _call(self.waiting.popleft(), results)

    def pipe_connection_lost(self, fd: int, exc: Exception | None) -> None:
        if fd == 1:
            self.end()

    def connection_lost(self, exc: Exception | None) -> None:
        self.end()
        if not self.finished.done():
            self.finished.set_result(None)

    def end(self) -> None:
        """No more answers from this child: whoever still waits is told so."""
        if self._ended:
            return
        self._ended = True
        self._on_end(self)
        while self.waiting:
            _call(self.waiting.popleft(), StoreUnavailable("The message store stopped."))


class WriterProcess:
    """The parent's side: starts the child on first use (and again if it stopped), hands it
    batches and gives each its results, in order."""

    def __init__(self, database_path: str) -> None:
        self.database_path = database_path
        self._child: tuple[asyncio.SubprocessTransport, _Pipes] | None = None
        self._starting = asyncio.Lock()

    @property
    def running(self) -> bool:
        return self._child is not None and self._child[0].get_returncode() is None

    @property
    def pid(self) -> int | None:
        return None if self._child is None else self._child[0].get_pid()

    async def start(self) -> None:
        async with self._starting:
            if self.running:
                return
            transport, pipes = await asyncio.get_running_loop().subprocess_exec(
                lambda: _Pipes(self._ended),
                sys.executable,
                "-m",
                __name__,
                self.database_path,
                stdin=asyncio.subprocess.PIPE,
                stdout=asyncio.subprocess.PIPE,
                stderr=None,
            )
            self._child = (transport, pipes)

    def submit(self, postings: Sequence[Posting], on_results: OnResults) -> None:
        """Hand a batch over (after :meth:`start`). ``on_results`` is called, soon, with its
        results once it is committed, or with :class:`StoreUnavailable`; batches are answered in
        the order they were handed over, from the loop's own reading of the pipe."""
        child = self._child
        stdin = None if child is None else child[0].get_pipe_transport(0)
        if child is None or stdin is None or stdin.is_closing() or not self.running:
            asyncio.get_running_loop().call_soon(
                on_results, StoreUnavailable("The message store is not running.")
            )
            return
        child[1].waiting.append(on_results)
        assert isinstance(stdin, asyncio.WriteTransport)
        stdin.write(_frame([_posting_row(posting) for posting in postings]))

    def _ended(self, pipes: _Pipes) -> None:
        """A child stopped answering: the next batch starts a new one."""
        child = self._child
        if child is not None and child[1] is pipes:
            self._child = None
            with contextlib.suppress(ProcessLookupError):
                child[0].kill()

    async def aclose(self) -> None:
        """Let the child finish what it was given, then stop it."""
        child, self._child = self._child, None
        if child is None:
            return
        transport, pipes = child
        stdin = transport.get_pipe_transport(0)
        if stdin is not None:
            stdin.close()
        try:
            await asyncio.wait_for(asyncio.shield(pipes.finished), 10)
        except TimeoutError:
            with contextlib.suppress(ProcessLookupError):
                transport.kill()
            await pipes.finished
        transport.close()


def _call(on_results: OnResults, results: Results | StoreUnavailable) -> None:
    try:
        on_results(results)
    except Exception:
        # A broken callback must not stop the answers of the batches after it.
        logger.exception("a batch's results could not be handed back")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
