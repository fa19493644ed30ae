"""Database engine construction: the one place that knows SQLite from PostgreSQL."""

from __future__ import annotations

from typing import Any

from sqlalchemy import event
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.pool import AsyncAdaptedQueuePool


def create_engine(database_url: str, *, echo: bool = False) -> AsyncEngine:
    """Build the async engine for ``database_url``.

    SQLite runs in WAL mode on a single pooled connection: SQLite serialises writers anyway, and
    one connection turns would-be ``database is locked`` retries into an orderly wait in the pool.
    """
    if database_url.startswith("sqlite"):
        engine = create_async_engine(
            database_url,
            echo=echo,
            poolclass=AsyncAdaptedQueuePool,
            pool_size=1,
            max_overflow=0,
            pool_timeout=30,
        )
        _configure_sqlite(engine)
        return engine
    return create_async_engine(
        database_url, echo=echo, pool_size=10, max_overflow=10, pool_pre_ping=True
    )


LOG_FILE_LIMIT = 64 * 1024 * 1024  # bytes


def sqlite_pragmas(*, in_memory: bool) -> tuple[str, ...]:
    """How every SQLite connection of Careline is set up: the server's, and the one of its chat
    message store (chat/writer_process.py), which shares the same file."""
    # NORMAL is durable against process crashes in WAL mode; only an OS crash or power loss
    # can lose the last transactions, which is the usual trade for a chat server.
    wal = () if in_memory else ("PRAGMA journal_mode=WAL",)
    # A file's pages read through a memory map rather than a system call each, and up to
    # 64 MiB of them kept by each connection: SQLite's default cache (2 MiB) holds the indexes
    # of a few thousand messages, and past that every batch of chat messages read its index
    # pages again, one system call at a time (docs/performance.md).
    file_io = () if in_memory else ("PRAGMA mmap_size=268435456",)
    # When the log starts over, its file is cut back to this size: under a flood the log grows
    # until it may start over (``chat.checkpoints.RESTART_FRAMES``), and without a limit the
    # file would keep the largest size it ever had.
    log_limit = () if in_memory else (f"PRAGMA journal_size_limit={LOG_FILE_LIMIT}",)
    return (
        *wal,
        *file_io,
        *log_limit,
        "PRAGMA cache_size=-65536",
        "PRAGMA synchronous=NORMAL",
        "PRAGMA foreign_keys=ON",
        "PRAGMA busy_timeout=10000",
    )


def _configure_sqlite(engine: AsyncEngine) -> None:
    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        for pragma in sqlite_pragmas(in_memory=":memory:" in str(engine.url)):
            cursor.execute(pragma)
        cursor.close()


def create_sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False)
