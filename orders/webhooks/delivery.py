"""How a webhook is sent, with no storage and no network: the body, the signed headers, how
long to wait before trying again, when to give up, and how a receiver checks a signature.

The signature follows the usual scheme of payment providers: the sender joins the Unix
timestamp and the raw body with a dot and signs that with HMAC-SHA256 under the shared secret;
``Careline-Signature: t=<timestamp>,v1=<hex digest>``. The receiver recomputes it over the bytes
it received (before parsing them) and refuses a timestamp too far from its own clock, so a
captured request cannot be replayed later.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

EVENT_ID_HEADER = "Careline-Event-Id"
TIMESTAMP_HEADER = "Careline-Timestamp"
SIGNATURE_HEADER = "Careline-Signature"
# How far a receiver lets the timestamp be from its own clock (seconds), by default.
DEFAULT_TOLERANCE = 300.0
DEFAULT_MAX_ATTEMPTS = 12


def event_body(payload: dict[str, Any]) -> bytes:
    """The request body of an event: ``{id, type, occurred_at, data}`` as compact JSON."""
    body = {key: payload.get(key) for key in ("id", "type", "occurred_at")}
    body["data"] = payload.get("data") or {}
    return json.dumps(body, separators=(",", ":"), ensure_ascii=False).encode()


def sign(secret: str, timestamp: int, body: bytes) -> str:
    """Hex HMAC-SHA256 of ``"<timestamp>.<body>"`` under ``secret``."""
    message = str(timestamp).encode() + b"." + body
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def signature_header(secret: str, timestamp: int, body: bytes) -> str:
    return f"t={timestamp},v1={sign(secret, timestamp, body)}"


def signed_headers(secret: str, event_id: str, timestamp: int, body: bytes) -> dict[str, str]:
    return {
        "Content-Type": "application/json",
        "User-Agent": "Careline-Webhooks/1",
        EVENT_ID_HEADER: event_id,
        TIMESTAMP_HEADER: str(timestamp),
        SIGNATURE_HEADER: signature_header(secret, timestamp, body),
    }


def verify_signature(
    secret: str,
    header: str,
    body: bytes,
    tolerance: float = DEFAULT_TOLERANCE,
    *,
    now: float | None = None,
) -> bool:
    """Whether ``header`` (the ``Careline-Signature`` value) signs ``body`` (the raw bytes
    received) under ``secret``, with a timestamp within ``tolerance`` seconds of ``now``
    (default: this machine's clock). Several ``v1`` values are accepted (a secret being
    rotated); any one matching is enough."""
    timestamp: int | None = None
    candidates: list[str] = []
    for part in header.split(","):
        name, _, value = part.strip().partition("=")
        if name == "t" and value.isdigit():
            timestamp = int(value)
        elif name == "v1" and value:
            candidates.append(value)
    if timestamp is None or not candidates:
        return False
    current = time.time() if now is None else now
    if abs(current - timestamp) > tolerance:
        return False
    expected = sign(secret, timestamp, body)
    return any(hmac.compare_digest(expected, candidate) for candidate in candidates)


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """Exponential backoff with jitter: after the n-th failed attempt, wait
    ``min(cap, base * factor ** (n - 1))``, stretched by up to ``jitter`` (0.2: up to 20%
    longer) so that receivers coming back up are not hit by every sender at once. After
    ``max_attempts`` attempts the delivery is given up (marked failed)."""

    base_seconds: float = 30.0
    factor: float = 2.0
    cap_seconds: float = 6 * 3600.0
    jitter: float = 0.2
    max_attempts: int = DEFAULT_MAX_ATTEMPTS

    def delay(self, attempt: int, spread: float = 0.0) -> timedelta:
        """How long to wait after failed attempt number ``attempt`` (1 for the first);
        ``spread`` in [0, 1) picks where in the jitter range (a random number, in use)."""
        exponent = min(max(attempt - 1, 0), 64)
        raw = min(self.cap_seconds, self.base_seconds * self.factor**exponent)
        return timedelta(seconds=raw * (1 + self.jitter * min(max(spread, 0.0), 1.0)))

    def gives_up(self, attempt: int) -> bool:
        """Whether failed attempt number ``attempt`` is the last one."""
        return attempt >= self.max_attempts

    def schedule(self) -> list[timedelta]:
        """The waits between attempts, without jitter: ``max_attempts - 1`` of them."""
        return [self.delay(n) for n in range(1, self.max_attempts)]
