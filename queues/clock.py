"""Time and identifiers, injected so tests can pin them down."""

from __future__ import annotations

import secrets
import time
from datetime import UTC, datetime, timedelta
from typing import Protocol


class Clock(Protocol):
    def now(self) -> datetime: ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


class FakeClock:
    """A clock that moves only when told to."""

    def __init__(self, start: datetime | None = None) -> None:
        self._now = start or datetime(2026, 1, 5, 9, 0, tzinfo=UTC)

    def now(self) -> datetime:
        return self._now

    def advance(self, seconds: float) -> None:
        self._now += timedelta(seconds=seconds)


_ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz"  # Crockford base32, lower case


def new_id(prefix: str) -> str:
    """A short id that sorts by creation time: ``<prefix>_<10 chars of ms time><12 random>``."""
    ms = int(time.time() * 1000)
    stamp = ""
    for _ in range(10):
        ms, rem = divmod(ms, 32)
        stamp = _ALPHABET[rem] + stamp
    # 60 random bits from one system call (12 base32 digits), not one call per digit: ids are
    # made for every chat message, and per-digit calls cost more than the rest of the id.
    bits = int.from_bytes(secrets.token_bytes(8), "big") >> 4
    rand = ""
    for _ in range(12):
        bits, rem = divmod(bits, 32)
        rand += _ALPHABET[rem]
    return f"{prefix}_{stamp}{rand}"
