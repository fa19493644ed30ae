"""The message store's log is copied back into the database file beside the writes
(``chat.checkpoints``): the file itself soon holds what was committed, the log stops growing,
and the writer's commits never checkpoint."""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from chat.checkpoints import LOWEST_PRIORITY, Checkpointer
from chat.writer_process import connect, connect_writer
from web.db import LOG_FILE_LIMIT


def _database(tmp_path: Path) -> Path:
    path = tmp_path / "chat.db"
    db = connect(str(path))
    db.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT NOT NULL)")
    db.commit()
    db.close()
    return path


def _write(db: sqlite3.Connection, count: int) -> None:
    for i in range(count):
        db.execute("INSERT INTO notes (text) VALUES (?)", (f"note {i} " + "x" * 500,))
        db.commit()


def _rows_in_file_alone(path: Path, tmp_path: Path) -> int:
    """How many rows the database file holds by itself, without its log."""
    copy = tmp_path / "alone.db"
    shutil.copyfile(path, copy)
    db = sqlite3.connect(copy)
    try:
        return int(db.execute("SELECT count(*) FROM notes").fetchone()[0])
    finally:
        db.close()


def _wait_for(condition: object, seconds: float = 5.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and not condition():  # type: ignore[operator]
        time.sleep(0.02)


@contextlib.contextmanager
def _writing(
    tmp_path: Path, **settings: Any
) -> Iterator[tuple[Path, sqlite3.Connection, Checkpointer]]:
    """A database, the store's kind of writer on it and a running checkpointer: (the
    database's path, the writer, the checkpointer)."""
    path = _database(tmp_path)
    writer = connect_writer(str(path))
    checkpointer = Checkpointer(lambda: connect(str(path)), **settings)
    checkpointer.start()
    try:
        yield path, writer, checkpointer
    finally:
        checkpointer.stop()
        writer.close()


def test_the_writers_commits_leave_the_log_to_the_checkpointer(tmp_path: Path) -> None:
    path = _database(tmp_path)
    writer = connect_writer(str(path))
    try:
        _write(writer, 600)  # about 1,200 pages: past SQLite's own threshold of 1,000
        assert _rows_in_file_alone(path, tmp_path) == 0
    finally:
        writer.close()


def test_committed_rows_reach_the_database_file_soon(tmp_path: Path) -> None:
    with _writing(tmp_path, interval=0.05) as (path, writer, checkpointer):
        _write(writer, 50)
        checkpointer.wrote()
        _wait_for(lambda: checkpointer.checkpoints >= 1)
        assert _rows_in_file_alone(path, tmp_path) == 50


def test_the_last_rows_are_checkpointed_on_stop(tmp_path: Path) -> None:
    with _writing(tmp_path, interval=60) as (path, writer, checkpointer):
        _write(writer, 20)
        checkpointer.wrote()
        checkpointer.stop()
        assert _rows_in_file_alone(path, tmp_path) == 20


def test_the_log_stops_growing_under_a_steady_stream_of_writes(tmp_path: Path) -> None:
    with _writing(tmp_path, interval=0.02) as (path, writer, checkpointer):
        log = Path(f"{path}-wal")
        sizes = []
        for _ in range(20):
            _write(writer, 50)
            checkpointer.wrote()
            time.sleep(0.05)
            sizes.append(log.stat().st_size)
        # Without checkpoints the log would hold all 1,000 commits, about 2,000 pages (8 MB);
        # once a checkpoint has copied it all, the next commit writes it from the start again.
        assert max(sizes) < 2 * 1024 * 1024
        assert _rows_in_file_alone(path, tmp_path) > 0


def test_checkpoints_run_at_the_lowest_priority_beside_a_normal_writer(tmp_path: Path) -> None:
    path = _database(tmp_path)
    ours = os.getpriority(os.PRIO_PROCESS, threading.get_native_id())
    checkpointer = Checkpointer(lambda: connect(str(path)), interval=0.05)
    checkpointer.start()
    try:
        thread_id = checkpointer.thread_id
        assert thread_id is not None
        _wait_for(lambda: os.getpriority(os.PRIO_PROCESS, thread_id) == LOWEST_PRIORITY)
        assert os.getpriority(os.PRIO_PROCESS, thread_id) == LOWEST_PRIORITY == 19
        # Only that thread: the store's own (this one here) keeps its priority.
        assert os.getpriority(os.PRIO_PROCESS, threading.get_native_id()) == ours
    finally:
        checkpointer.stop()


def test_the_writer_starts_the_log_over_under_a_stream_without_pauses(tmp_path: Path) -> None:
    with _writing(tmp_path, interval=0.01, restart_frames=64) as (path, writer, checkpointer):
        log = Path(f"{path}-wal")
        largest = 0
        commits = 0
        deadline = time.monotonic() + 3.0
        while time.monotonic() < deadline:  # commit after commit, as the store under load
            checkpointer.before_write(writer)
            _write(writer, 1)
            checkpointer.wrote()
            commits += 1
            largest = max(largest, log.stat().st_size)
        # Each commit adds at least a page (4 KiB) to the log; without starting it over the
        # log holds them all (some 180 MB in three seconds here); with it, a few megabytes on a
        # quiet machine, a third of it when the checkpointing thread (the lowest priority)
        # has to wait for the processor.
        assert largest < commits * 4096 / 2


def test_every_connection_cuts_the_log_file_back_when_the_log_starts_over(tmp_path: Path) -> None:
    path = _database(tmp_path)
    for db in (connect(str(path)), connect_writer(str(path))):
        try:
            assert db.execute("PRAGMA journal_size_limit").fetchone()[0] == LOG_FILE_LIMIT
        finally:
            db.close()


def test_a_log_grown_by_a_flood_shrinks_once_it_starts_over(tmp_path: Path) -> None:
    with _writing(tmp_path, interval=60) as (path, writer, _checkpointer):
        limit = 256 * 1024  # the configured 64 MiB would take a long flood to pass
        writer.execute(f"PRAGMA journal_size_limit={limit}")
        log = Path(f"{path}-wal")
        _write(writer, 2000)  # no checkpoint meanwhile: the log holds every commit
        grown = log.stat().st_size
        assert grown > 8 * limit
        reader = connect(str(path))  # a checkpoint that copies it all, as after a pause
        try:
            _busy, logged, copied = reader.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
            assert copied == logged > 0
        finally:
            reader.close()
        _write(writer, 1)  # the log starts over, and its file is cut back
        assert log.stat().st_size <= limit
        assert _rows_in_file_alone(path, tmp_path) == 2000
