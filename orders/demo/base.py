"""What every part of the demo seed shares: the seed's own clock, who acts, stable keys.

The seed writes through the same in-process seam as the app (``LocalCommerce``), on a clock of
its own that it moves back and forth in time, so that purchase history spans months and each
order's changes are minutes or days apart, as they would have been.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta

from customers.kernel import BUSINESS_TIMEZONE, Actor, Role
from orders.local import LocalCommerce
from orders.persistence.uow import Clock

# Each unit of work the seed runs is this much later than the one before.
TICK = timedelta(minutes=2)


@dataclass
class SeedClock:
    """A clock that the seed sets (``travel``) and that moves on by ``TICK`` at every reading,
    so the changes of one order are ordered in time. Never later than the real now."""

    real_now: Clock
    current: datetime = field(default_factory=lambda: datetime.now(UTC))

    def __call__(self) -> datetime:
        now = min(self.current, self.real_now())
        self.current += TICK
        return now

    def travel(self, days_ago: int, hour: int = 10, minute: int = 0) -> None:
        """To ``hour`` local time (America/New_York) ``days_ago`` days before today; today
        at an hour not come yet means a couple of hours ago."""
        real = self.real_now()
        today = real.astimezone(BUSINESS_TIMEZONE).date()
        local = datetime.combine(
            today - timedelta(days=days_ago), time(hour, minute), tzinfo=BUSINESS_TIMEZONE
        )
        at = local.astimezone(UTC)
        self.current = at if at < real - timedelta(hours=2) else real - timedelta(hours=2)

    def later(self, **delta: float) -> None:
        self.current += timedelta(**delta)

    def today(self) -> datetime:
        return self.current.astimezone(BUSINESS_TIMEZONE)


ALEX = Actor("demo-alex", "Alex Rivera", Role.AGENT)
SAM = Actor("demo-sam", "Sam Okafor", Role.AGENT)
JO = Actor("demo-jo", "Jo Lindqvist", Role.AGENT)
LEE = Actor("demo-lee", "Lee Park", Role.LEAD)
ADMIN = Actor("demo-admin", "Careline Admin", Role.ADMIN)
STOREFRONT = Actor("storefront", "Web storefront", Role.SYSTEM)
WAREHOUSE = Actor("wms", "Warehouse system", Role.SYSTEM)
CARRIER = Actor("carrier-feed", "Carrier tracking feed", Role.SYSTEM)


@dataclass(frozen=True, slots=True)
class DemoStaff:
    """Who acts in the seeded history: the demo CSRs (``web/seed.py``; the caller gives their
    account ids) and the feeds."""

    alex: Actor = ALEX
    sam: Actor = SAM
    jo: Actor = JO
    lee: Actor = LEE
    admin: Actor = ADMIN
    storefront: Actor = STOREFRONT
    warehouse: Actor = WAREHOUSE
    carrier: Actor = CARRIER


@dataclass
class Seeding:
    """One run of the seed: the seam on the seed's clock, the actors, the ids handed out."""

    shop: LocalCommerce
    clock: SeedClock
    staff: DemoStaff
    customers: dict[str, str] = field(default_factory=dict)

    def key(self, *parts: str) -> str:
        """A stable idempotency key: a re-run of a money action replays, never repeats."""
        return "demo-" + "-".join(parts)

    def customer(self, handle: str) -> str:
        return self.customers[handle]
