"""What the whole commerce side shares: ids, money, who acts, addresses and domain events.

Money is ``Decimal`` rounded half-up to cents; there are no floats anywhere near a price.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from typing import Any
from zoneinfo import ZoneInfo

CENT = Decimal("0.01")
# The shop's own calendar (the demo region is Greater Boston): "today" for a pickup or a
# delivery appointment is the local date, not the UTC one, or evening calls would be a day off.
BUSINESS_TIMEZONE = ZoneInfo("America/New_York")
ZERO = Decimal("0.00")
DEFAULT_CURRENCY = "USD"


def money(value: Decimal | int | str) -> Decimal:
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def business_date(at: datetime) -> date:
    return at.astimezone(BUSINESS_TIMEZONE).date()


def new_id(prefix: str) -> str:
    return f"{prefix}_{uuid.uuid4().hex[:20]}"


class Role(StrEnum):
    AGENT = "agent"
    LEAD = "lead"
    ADMIN = "admin"
    # Feeds from the warehouse, the carrier and the storefront act as the system.
    SYSTEM = "system"


@dataclass(frozen=True, slots=True)
class Actor:
    id: str
    name: str
    role: Role


SYSTEM = Actor(id="system", name="Careline", role=Role.SYSTEM)


@dataclass(frozen=True, slots=True)
class Address:
    name: str
    line1: str
    city: str
    postal_code: str
    country: str = "US"
    line2: str = ""
    region: str = ""
    phone: str = ""
    company: str = ""

    def one_line(self) -> str:
        parts = [self.line1, self.line2, self.city, f"{self.region} {self.postal_code}".strip()]
        return ", ".join(p for p in parts if p)


@dataclass(frozen=True, slots=True)
class DomainEvent:
    """Something that happened, for in-process listeners and (through the outbox) webhooks.

    ``data`` holds JSON values only, so the event can be stored and sent as it is.
    """

    type: str
    aggregate: str
    aggregate_id: str
    occurred_at: datetime
    data: dict[str, Any] = field(default_factory=dict)
    version: int | None = None
    id: str = field(default_factory=lambda: new_id("evt"))
