"""Messages and threads, free of any framework."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from queues.errors import InvalidInput


class ThreadKind(StrEnum):
    PUBLIC = "public"
    PRIVATE = "private"
    DIRECT = "direct"


class AuthorKind(StrEnum):
    CUSTOMER = "customer"
    AGENT = "agent"
    BOT = "bot"
    SYSTEM = "system"


@dataclass(frozen=True, slots=True)
class Author:
    kind: AuthorKind
    id: str | None
    name: str | None


SYSTEM = Author(AuthorKind.SYSTEM, None, "Careline")


@dataclass(frozen=True, slots=True)
class Message:
    id: str
    thread: ThreadKind
    seq: int
    client_id: str
    author: Author
    text: str
    created_at: datetime
    conversation_id: str | None = None
    # For direct messages: the CSR it was sent to.
    to_agent_id: str | None = None
    card: dict[str, Any] | None = None


@dataclass(slots=True)
class Visitor:
    id: str
    created_at: datetime
    last_seen_at: datetime
    customer_id: str | None = None
    name: str | None = None
    email: str | None = None
    current_url: str | None = None
    current_title: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def clean_text(text: str, limit: int) -> str:
    """Message text as stored: trimmed, never empty, never over ``limit`` characters."""
    cleaned = text.strip()
    if not cleaned:
        raise InvalidInput("A message needs some text.", details={"field": "text"})
    if len(cleaned) > limit:
        raise InvalidInput(
            f"A message may be at most {limit} characters; this one has {len(cleaned)}.",
            details={"field": "text", "limit": limit},
        )
    return cleaned


def direct_pair(a: str, b: str) -> tuple[str, str]:
    """The two CSRs of a direct thread, in the order the thread is stored under."""
    return (a, b) if a < b else (b, a)
