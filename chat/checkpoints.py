"""Copying SQLite's write-ahead log back into the database file, beside the message store's
writes rather than inside them.

In WAL mode a commit appends the pages it changed to the log; a checkpoint copies the log's
pages back into the database file and syncs it to disk. SQLite runs one by itself inside the
commit that takes the log past 1,000 pages (``wal_autocheckpoint``), so that commit, and every
chat message of its batch and of the batches behind it, waits for the copy and two disk syncs:
under a steady stream of chat messages the store stalled for up to half a second every few
seconds (docs/performance.md). The store's connection turns that off and a
:class:`Checkpointer` thread, with its own connection, checkpoints in the background instead:
``PASSIVE``, which copies what it can without waiting for, or holding up, the writer and the
readers (SQLite lets one checkpoint run beside one writer). The thread waits for the disk with
the interpreter's lock released, as the sqlite3 module releases it around SQLite's work.

A checkpoint is mostly system calls (a read of the log and a write to the database file per
page, some thousands a second at the store's peak): tens of milliseconds of processor time
every half second. On a machine whose cores are all busy (the server's event loop, the store,
other programs) that time was taken from the chat messages: each checkpoint showed as a burst
of slow round trips. The thread runs at the lowest priority (nice 19): it gets the processor
when something is idle, which on a server that is not saturated is soon.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import threading
from collections.abc import Callable

# Often enough to keep the log at a few megabytes at the store's peak, seldom enough that the
# two disk syncs of each checkpoint stay a small part of the disk's work.
CHECKPOINT_SECONDS = 0.5
LOWEST_PRIORITY = 19  # the nice value of the checkpointing thread
# Past this many pages (512 MiB of 4 KiB pages) the writer starts the log over (see
# :meth:`Checkpointer.before_write`). Starting it over makes the writer wait for two disk syncs
# (5-20 ms under load here) with every chat message behind it, so it is the last resort of an
# unbroken flood: at 2,500 chat messages a second the log grows by some 15,000 pages a second,
# and at 64 MiB that wait came every 1.6 s and made most of the slowest round trips. Any pause
# of the writes longer than ``CHECKPOINT_SECONDS`` starts the log over by itself, and
# ``web.db.sqlite_pragmas`` cuts the file back once it does.
RESTART_FRAMES = 131_072


class Checkpointer:
    """Checkpoints the database behind ``connect()`` every ``interval`` seconds after a write,
    on a thread of its own, until :meth:`stop` (which runs a last one)."""

    def __init__(
        self,
        connect: Callable[[], sqlite3.Connection],
        interval: float = CHECKPOINT_SECONDS,
        restart_frames: int = RESTART_FRAMES,
    ) -> None:
        self._connect = connect
        self._interval = interval
        self._restart_frames = restart_frames
        self._restart_due = threading.Event()
        self._wrote = threading.Event()
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._run, name="checkpointer", daemon=True)
        self.checkpoints = 0

    def start(self) -> None:
        self._thread.start()

    @property
    def thread_id(self) -> int | None:
        """The operating system's id of the checkpointing thread, once started."""
        return self._thread.native_id

    def wrote(self) -> None:
        """Called after each commit: a checkpoint is due within ``interval``."""
        self._wrote.set()

    def before_write(self, db: sqlite3.Connection) -> None:
        """Called by the writer between its transactions, on its own connection.

        SQLite starts the log over only when a write begins while every page in it has been
        copied back. Under a steady stream of commits this thread is always a few commits
        behind, so the log would grow for as long as the stream lasts. Once it has grown past
        ``restart_frames`` and this thread has copied what it saw, the writer copies the few
        pages written since (a short checkpoint of its own) and its next transaction starts
        the log over."""
        if not self._restart_due.is_set():
            return
        self._restart_due.clear()
        with contextlib.suppress(sqlite3.Error):  # busy: the next time, then
            db.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()

    def stop(self) -> None:
        self._stopping.set()
        self._wrote.set()
        self._thread.join()

    def _run(self) -> None:
        with contextlib.suppress(OSError):  # a system that will not say: normal priority
            # Linux gives each thread its own nice value: this one only.
            os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), LOWEST_PRIORITY)
        db = self._connect()
        try:
            while not self._stopping.is_set():
                self._wrote.wait()
                # Let the writes of the next moments gather into this checkpoint.
                self._stopping.wait(self._interval)
                self._wrote.clear()
                self._checkpoint(db)
            self._checkpoint(db)
        finally:
            db.close()

    def _checkpoint(self, db: sqlite3.Connection) -> None:
        try:
            _busy, logged, copied = db.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
        except sqlite3.Error:
            return  # the next one copies what this one could not
        self.checkpoints += 1
        if logged >= self._restart_frames and copied == logged:
            self._restart_due.set()
